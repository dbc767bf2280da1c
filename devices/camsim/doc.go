// Package camsim simulates IP cameras on loopback: ONVIF over HTTP SOAP 1.2
// (device, media, PTZ and events services, WS-Security and HTTP digest
// auth), RTSP streams served with gortsplib, a WS-Discovery responder, and
// fault injection. It backs 'nightjar camsim', the demo mode and every
// end-to-end test.
//
// Each camera is its own host as far as a client can tell: its own HTTP
// port for ONVIF and its own RTSP server, so a simulated reboot really
// refuses connections.
//
// # Caveats
//
// camsim shares no code with the client in devices/. Its SOAP parsing and
// writing are its own, so a misreading of the ONVIF spec cannot hide on
// both sides of a test; third-party clients (ffprobe, the npm onvif
// package) check it instead.
//
// Video comes from short embedded clips (assets/camsim), looped with
// continuous RTP timestamps. A PTZ camera's picture follows its pan
// position by switching between pre-encoded views at keyframes.
//
// Each frame carries a band with the camera's name and clock. Tests can
// light a white marker at the band's right end: SetMarker for latency
// (from the next frame until it is turned off), SetMarkerAt for exactly one
// frame per stream at a chosen moment (seek accuracy, synced playback).
// SetMarkerAt's moments are on the host's clock, on the frames' timeline as
// the RTP timestamps give it, so a feeder running late on a loaded machine
// does not move them.
//
// A Media2 service (listed in GetServices) keeps privacy masks per camera
// in memory: GetMaskOptions (SetMaskLimits; by default 4 masks of at most 8
// points, Color and Pixelated), GetMasks, CreateMask (too many masks or
// points is a SOAP fault saying so) and DeleteMask. Tests read them with
// Masks. The masks are not painted into the video.
package camsim
