// Package assets holds files embedded in the Nightjar binary: the app icon
// and, for demo mode and tests, the simulated cameras' media.
package assets

import _ "embed"

// IconPNG is the application icon, 256×256.
//
//go:embed icon.png
var IconPNG []byte
