// Package logging writes Nightjar's log to a size-rotated file in the data
// directory. Its logger passes every string through redact.RedactURL, so
// no camera password in a URL reaches the file.
//
// # Caveats
//
// Redaction works on text that looks like a URL with userinfo. A password
// passed on its own, outside a URL, is not recognisable; never log one.
package logging
