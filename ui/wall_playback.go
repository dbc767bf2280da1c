package ui

import "image/color"

// The wall's playback mode (WallConfig.Playback), for the Playback page:
// the same compositor draws playback tiles, without the live wall's PTZ,
// recording, connection badges, main-stream switch and instant replay.
// Each tile can carry a status text (WallConfig.TileStatus), such as "no
// recording · next 14:32:05" for a camera with no footage at the
// playhead; such a tile is a dark panel with the text, never black.

// panelRGB is the dark panel under a tile's status text: a shade lighter
// than an empty tile, so a camera without footage does not read as a
// free tile.
var panelRGB = color.RGBA{40, 44, 52, 255}

// panelColor is panelRGB in the buffer's byte order.
func panelColor(bgr bool) color.RGBA {
	c := panelRGB
	if bgr {
		c.R, c.B = c.B, c.R
	}
	return c
}

// RefreshStatus brings the tiles' status texts (and the other overlays)
// up to date now rather than at the next overlay tick: after a seek, say.
// UI goroutine.
func (w *Wall) RefreshStatus() { w.updateOverlays() }

// Playback reports whether the wall is in playback mode.
func (w *Wall) Playback() bool { return w.playback }
