package app

import (
	"image"
	"image/color"
	"testing"
)

func TestMarkerProbeSeesTheSpotTurnWhite(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 500, 400))
	tile := image.Rect(10, 20, 457, 395) // taller than 16:9: letterboxed
	p := &markerProbe{}
	p.check(img, tile)
	spot := markerSpot(tile)
	// The video is 447×251, centred: the spot is near its top right.
	if spot.X < 10+447*95/100 || spot.Y < 20+(375-251)/2 || spot.Y > 20+(375-251)/2+8 {
		t.Fatalf("spot %v", spot)
	}
	img.Set(spot.X, spot.Y, color.White)
	p.check(img, tile)
	p.check(img, tile) // still white: not a new marker
	img.Set(spot.X, spot.Y, color.Black)
	p.check(img, tile)
	img.Set(spot.X, spot.Y, color.White)
	p.check(img, tile)
	if n := len(p.times()); n != 2 {
		t.Fatalf("saw the marker %d times, want 2", n)
	}
}
