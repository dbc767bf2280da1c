package app

import (
	"image"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/player"
)

// TestMarkerProbeOnRenderedFrames plays a camsim sub stream in the wall's
// live player and renders it into tiles that letterbox and pillarbox the
// video, as the wall does. Where the marker is comes from the frames: the
// pixels that turn white when camsim paints it. The probe's spot must lie
// among them, and the probe must count each time the marker comes on.
func TestMarkerProbeOnRenderedFrames(t *testing.T) {
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	cam := sim.Cameras()[0]
	l, err := player.NewLive(player.LiveOptions{URL: cam.StreamURI(camsim.Sub), ScaleThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	tiles := map[string]image.Rectangle{
		"letterboxed": image.Rect(10, 20, 457, 395), // taller than 16:9
		"pillarboxed": image.Rect(30, 5, 630, 256),  // wider than 16:9
	}
	// frame renders the newest frame, waiting for one that arrived after
	// the call, into a fresh image per tile.
	frame := func() map[string]*image.RGBA {
		t.Helper()
		for {
			select {
			case <-l.Frames():
			default:
			}
			select {
			case <-l.Frames():
			case <-time.After(10 * time.Second):
				t.Fatal("no frame from the player in 10 s")
			}
			out := map[string]*image.RGBA{}
			for name, r := range tiles {
				img := image.NewRGBA(image.Rect(0, 0, 640, 400))
				if err := l.Render(img, r); err != nil {
					break
				}
				out[name] = img
			}
			if len(out) == len(tiles) {
				return out
			}
		}
	}
	// settle renders frames for d and returns the last.
	settle := func(d time.Duration) map[string]*image.RGBA {
		t.Helper()
		var last map[string]*image.RGBA
		for end := time.Now().Add(d); time.Now().Before(end) || last == nil; {
			last = frame()
		}
		return last
	}
	// until renders frames until every tile passes ok, for at most 10 s.
	until := func(what string, ok func(name string, img *image.RGBA) bool) map[string]*image.RGBA {
		t.Helper()
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); {
			f, all := frame(), true
			for name, img := range f {
				all = all && ok(name, img)
			}
			if all {
				return f
			}
		}
		t.Fatalf("no frame showed %s within 10 s", what)
		return nil
	}
	settle(2 * time.Second) // playing, past the first keyframe
	off := settle(500 * time.Millisecond)
	cam.SetMarker(true)
	on := until("the marker", func(name string, img *image.RGBA) bool {
		_, n := newWhite(off[name], img, tiles[name])
		return n >= 50
	})
	if cam.MarkerSent(camsim.Sub).IsZero() {
		t.Fatal("camsim sent no marked frame")
	}
	cam.SetMarker(false)
	offAgain := until("the marker gone", func(name string, img *image.RGBA) bool {
		_, n := newWhite(img, on[name], tiles[name])
		return n >= 50 // what was white with the marker is not now
	})

	for name, tile := range tiles {
		box, n := newWhite(off[name], on[name], tile)
		t.Logf("%s tile %v: %d pixels turned white, within %v", name, tile, n, box)
		if n < 50 {
			t.Fatalf("%s: only %d pixels turned white with the marker on", name, n)
		}
		// The marker sits in the top right of the video, which fills the
		// tile's width (letterboxed) or height (pillarboxed).
		if box.Max.X < tile.Min.X+tile.Dx()*3/4 || box.Min.Y > tile.Min.Y+tile.Dy()/2 {
			t.Errorf("%s: the white patch %v is not in the top right of the video in %v", name, box, tile)
		}
		if spot := markerSpot(tile); !spot.In(box.Inset(1)) {
			t.Errorf("%s: the probe looks at %v, but the marker covers %v", name, spot, box)
		}

		p := &markerProbe{}
		for i, img := range []*image.RGBA{off[name], on[name], on[name], offAgain[name], on[name]} {
			p.check(img, tile)
			if want := []int{0, 1, 1, 1, 2}[i]; len(p.times()) != want {
				t.Fatalf("%s: after frame %d the probe saw the marker %d times, want %d", name, i, len(p.times()), want)
			}
		}
	}
}

// newWhite finds the largest patch of pixels of r that are white in on
// but not in off (moving video elsewhere can whiten a few pixels too) and
// returns its bounding box and size.
func newWhite(off, on *image.RGBA, r image.Rectangle) (image.Rectangle, int) {
	white := func(img *image.RGBA, p image.Point) bool {
		c := img.RGBAAt(p.X, p.Y)
		return c.R > 200 && c.G > 200 && c.B > 200
	}
	fresh := func(p image.Point) bool { return p.In(r) && white(on, p) && !white(off, p) }
	seen := map[image.Point]bool{}
	var best image.Rectangle
	bestN := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			start := image.Pt(x, y)
			if seen[start] || !fresh(start) {
				continue
			}
			// Flood-fill the patch.
			var box image.Rectangle
			n := 0
			stack := []image.Point{start}
			seen[start] = true
			for len(stack) > 0 {
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				box = box.Union(image.Rectangle{p, p.Add(image.Pt(1, 1))})
				n++
				for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					q := p.Add(d)
					if !seen[q] && fresh(q) {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
			if n > bestN {
				best, bestN = box, n
			}
		}
	}
	return best, bestN
}
