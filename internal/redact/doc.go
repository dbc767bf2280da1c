// Package redact removes passwords from URLs and from text that holds
// them, before anything reaches a log, an error message or the screen.
// It is a leaf package, so devices, storage and app can all use it
// without importing each other.
//
// Every URL that is logged goes through RedactURL first, so a camera URL
// such as rtsp://admin:secret@10.0.0.5/stream is logged as
// rtsp://admin:xxxxx@10.0.0.5/stream.
//
// # Caveats
//
// Redaction works on text that looks like a URL with userinfo. A password
// passed on its own, outside a URL, is not recognisable; never log one.
package redact
