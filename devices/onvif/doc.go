// Package onvif is Nightjar's ONVIF client: WS-Discovery, device probing,
// media profiles and stream URIs, PTZ and events.
//
// It builds SOAP envelopes with github.com/use-go/onvif's gosoap package
// and marshals its request types where they fit, but does transport,
// authentication and parsing itself, because use-go/onvif v0.0.9 has no
// context or timeout, no clock offset for WS-Security, no SHA-256 HTTP
// digest, reads unbounded bodies, takes an HTTP 400 NotAuthorized as
// success, and misparses profiles on some cameras.
//
// # Caveats
//
// Every call has a context and a timeout (5 s unless set) and reads at
// most MaxBody bytes (4 MiB). Replies are parsed by local element names, so
// any namespace prefix works, and bytes before the first '<' are skipped.
// Failures are typed: see the Err values and Hint.
//
// WatchEvents passes on the property states a camera sends on subscribing
// and every WatchOptions.SyncEvery (Event.Initial), not only changes: a
// consumer that keeps a state should let it expire when it is not
// confirmed again, since a change can be lost.
//
// Cameras are not trusted. Stream and snapshot URIs they report are taken
// only over rtsp/rtsps and http/https and are rewritten to the host the
// device was reached at (service addresses too), so credentials added to
// them go nowhere else. Names, models, tokens and other text are cut to
// 128 bytes and stripped of control characters before they reach a log or
// the UI; a token that would need changing is refused instead. SetPassword
// keeps the user's level or fails; it never guesses one.
//
// Privacy masks use the Media2 service (found with GetServices, since
// GetCapabilities does not list it): MaskOptions, Masks, CreateMask and
// DeleteMask on a profile's video source configuration (Profile.
// VideoSource). No Media2 service, or an ActionNotSupported fault, is
// ErrNotSupported. Mask polygons are in ONVIF normalized coordinates: x
// from -1 (left) to 1 (right), y from -1 (bottom) to 1 (top), so y points
// up, unlike image rows.
//
// Passwords are never logged and never part of an error.
package onvif
