// Package devices talks to cameras: ONVIF discovery, probing, media, PTZ,
// events and time, and RTSP ingest for recording. It never imports Fyne.
//
// The simulated cameras in devices/camsim are a separate program that
// shares no code with this package, so that a misreading of the ONVIF spec
// cannot sit on both sides of a test.
package devices
