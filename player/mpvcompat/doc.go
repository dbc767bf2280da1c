// Package mpvcompat holds no Go code: its mpv/client.h lets go-mpv v0.4.0
// build against libmpv 0.35 (client API 2.0). The Makefile puts this
// directory first on the C include path through CGO_CFLAGS.
package mpvcompat
