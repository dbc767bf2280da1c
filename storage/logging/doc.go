// Package logging writes Nightjar's log to a size-rotated file in the data
// directory and removes secrets from anything that may reach a log line.
//
// Every URL that is logged goes through RedactURL first, so a camera URL such
// as rtsp://admin:secret@10.0.0.5/stream is logged as
// rtsp://admin:xxxxx@10.0.0.5/stream.
//
// # Caveats
//
// Redaction works on text that looks like a URL with userinfo. A password
// passed on its own, outside a URL, is not recognisable; never log one.
package logging
