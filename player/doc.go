// Package player plays video through libmpv and renders it in software into
// Go images: live camera streams for the wall, recorded segments for
// playback, and snapshots.
//
// It never imports Fyne. A frame is rendered into any *image.RGBA (or a
// rectangle of one), which ui/ then shows.
//
// # Caveats
//
// go-mpv v0.4.0 needs libmpv client API 2.1. On older libmpv (0.35, Debian
// 12) build with CGO_CFLAGS=-I<repo>/player/mpvcompat, as the Makefile does.
//
// mpv's "rgb0" software format leaves the fourth byte at 0; Render sets it
// to 255, or the image would be fully transparent.
package player
