package app

import (
	"image"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
	"nightjar/ui"
)

// tileRect is the size playback tests render a tile at: a wall tile of
// a 2x2 layout on a 1280x720 wall.
var tileRect = image.Rect(0, 0, 640, 360)

// frameLen is camsim's main stream frame interval (25 fps), what
// "within one frame" means in these tests.
const frameLen = 40 * time.Millisecond

// markerShown renders src into a tile-sized image and reports whether
// camsim's marker is on screen there, read as latency_probe does.
func markerShown(t *testing.T, src ui.LiveSource) bool {
	t.Helper()
	img := image.NewRGBA(tileRect)
	if err := src.Render(img, tileRect); err != nil {
		t.Fatalf("render a playback tile: %v", err)
	}
	return markerWhite(img, tileRect)
}

// markerWhite reports whether the marker spot of r in img is white.
func markerWhite(img *image.RGBA, r image.Rectangle) bool {
	pt := markerSpot(r)
	c := img.RGBAAt(pt.X, pt.Y)
	return c.R > 200 && c.G > 200 && c.B > 200
}

// recordSim records cameras 0..n-1 of sim continuously with segments of
// segLen, and waits until each has a catalogued segment. The returned
// stop closes the recorders once (also at cleanup).
func recordSim(t *testing.T, a *App, sim *camsim.Sim, n int, segLen time.Duration) (ids []string, stop func()) {
	t.Helper()
	for i := 0; i < n; i++ {
		ids = append(ids, addSimCamera(t, a.DB, sim, i, catalog.RecordContinuous))
	}
	r, err := a.startRecorders(recordingOptions{SegmentLength: segLen}, "")
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			r.close()
		}
	}
	t.Cleanup(stop)
	for _, id := range ids {
		waitSegment(t, a, id)
	}
	return ids, stop
}

// markAll has every camera of cams mark the frame due at or after at, and
// returns when each main stream has sent it: the capture times camsim
// itself reports.
func markAll(t *testing.T, cams []*camsim.Camera, at time.Time) []time.Time {
	t.Helper()
	for _, c := range cams {
		c.SetMarkerAt(at)
	}
	sent := make([]time.Time, len(cams))
	testwait.Until(t, time.Until(at)+10*time.Second, "camsim to send the marked frames", func() bool {
		for i, c := range cams {
			sent[i] = c.MarkerSent(camsim.Main)
			if sent[i].IsZero() {
				return false
			}
		}
		return true
	})
	return sent
}

// newTile is an image to render one tile into.
func newTile() *image.RGBA { return image.NewRGBA(tileRect) }
