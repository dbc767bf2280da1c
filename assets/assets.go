// Package assets holds files embedded in the Nightjar binary: the app icon
// and, for demo mode and tests, the simulated cameras' media.
package assets

import "embed"

// IconPNG is the application icon, 256×256.
//
//go:embed icon.png
var IconPNG []byte

// CamsimClips holds the simulated cameras' H.264 clips (Annex B):
// main-viewN.h264 (1280×720, 25 fps) and sub-viewN.h264 (640×360, 15 fps)
// for each pan view N, and viewN.jpg, a snapshot of each view.
// assets/camsim/make-clips.sh made them.
//
//go:embed camsim/*.h264 camsim/*.jpg
var CamsimClips embed.FS
