package player

import (
	"context"
	"image"
	"image/color"
	"testing"
	"time"

	"nightjar/internal/zones"
)

// renderFirst renders c's first frame into r of img, following mpv's
// events as a player's loop does: the first frame HasNewFrame reports
// comes after the video's reconfiguration, so it is drawn fitted.
func renderFirst(t *testing.T, c *Core, img *image.RGBA, r image.Rectangle) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ev := c.WaitEvent(0.05); ev == nil {
			t.Fatal("the core closed")
		}
		if !c.HasNewFrame() {
			continue
		}
		if err := c.Render(img, r); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no frame rendered within 10 s")
}

func TestRenderPaintsZonesOnTheFittedFrame(t *testing.T) {
	clip := makeClip(t) // 320×180
	red := color.RGBA{255, 0, 0, 255}
	left := zones.Zone{Kind: zones.Permanent, Fill: zones.Fill{Color: red}, Points: zones.Rect(0, 0, 0.5, 1)}
	for _, tc := range []struct {
		name  string
		tile  image.Rectangle
		video image.Rectangle // where the 16:9 frame must land
	}{
		{"square tile: bars above and below", image.Rect(10, 10, 210, 210), image.Rect(10, 53, 210, 166)},
		{"tall-enough wide tile: bars at the sides", image.Rect(0, 0, 400, 180), image.Rect(40, 0, 360, 180)},
		{"exact aspect", image.Rect(0, 0, 320, 180), image.Rect(0, 0, 320, 180)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCore(CoreOptions{"pause": "yes"})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetMask(zones.NewMask([]zones.Zone{left}))
			if err := c.Command("loadfile", clip); err != nil {
				t.Fatal(err)
			}
			img := image.NewRGBA(image.Rect(0, 0, 420, 220))
			renderFirst(t, c, img, tc.tile)
			mid := (tc.video.Min.X + tc.video.Max.X) / 2
			for y := tc.tile.Min.Y; y < tc.tile.Max.Y; y++ {
				for x := tc.tile.Min.X; x < tc.tile.Max.X; x++ {
					got := img.RGBAAt(x, y)
					inVideo := image.Pt(x, y).In(tc.video)
					switch {
					case inVideo && x < mid && got != red:
						t.Fatalf("pixel %d,%d in the zone's half of the frame is %v", x, y, got)
					case inVideo && x > mid && got == red:
						t.Fatalf("pixel %d,%d outside the zone is the fill", x, y)
					case !inVideo && got != (color.RGBA{0, 0, 0, 255}):
						t.Fatalf("pixel %d,%d of the bars is %v, want opaque black", x, y, got)
					}
				}
			}
			// The picture itself still shows right of the zone.
			if brightPixels(img, image.Rect(mid+1, tc.video.Min.Y, tc.video.Max.X, tc.video.Max.Y)) == 0 {
				t.Fatal("the unmasked half of the frame is black")
			}
		})
	}
}

func TestSetMaskNilStopsPainting(t *testing.T) {
	clip := makeClip(t)
	c, err := NewCore(CoreOptions{"pause": "yes"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	red := color.RGBA{255, 0, 0, 255}
	c.SetMask(zones.NewMask([]zones.Zone{{Kind: zones.Permanent, Fill: zones.Fill{Color: red}, Points: zones.Rect(0, 0, 1, 1)}}))
	if err := c.Command("loadfile", clip); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 320, 180))
	renderFirst(t, c, img, img.Rect)
	if img.RGBAAt(200, 100) != red {
		t.Fatal("the whole-frame zone is not painted")
	}
	c.SetMask(nil)
	if err := c.Render(img, img.Rect); err != nil {
		t.Fatal(err)
	}
	if img.RGBAAt(200, 100) == red {
		t.Fatal("the zone is still painted after SetMask(nil)")
	}
}

func TestFitAspect(t *testing.T) {
	for _, tc := range []struct {
		r    image.Rectangle
		w, h int
		want image.Rectangle
	}{
		{image.Rect(0, 0, 320, 180), 1920, 1080, image.Rect(0, 0, 320, 180)},
		{image.Rect(0, 0, 320, 240), 1920, 1080, image.Rect(0, 30, 320, 210)},
		{image.Rect(100, 0, 500, 180), 640, 480, image.Rect(180, 0, 420, 180)},
		{image.Rect(0, 0, 50, 50), 0, 0, image.Rect(0, 0, 50, 50)},
	} {
		if got := fitAspect(tc.r, tc.w, tc.h); got != tc.want {
			t.Errorf("fitAspect(%v, %d, %d) = %v, want %v", tc.r, tc.w, tc.h, got, tc.want)
		}
	}
}

// TestStillsCarryTheMask: Frame and Thumbnail, the pictures that leave
// as files and timeline previews, have the zone painted at their own
// resolution.
func TestStillsCarryTheMask(t *testing.T) {
	fs := newFootageServer(t)
	piece := fs.piece(t, pieceFrames, pieceFrames)
	red := color.RGBA{255, 0, 0, 255}
	m := zones.NewMask([]zones.Zone{{Kind: zones.Permanent, Fill: zones.Fill{Color: red}, Points: zones.Rect(0.5, 0, 0.5, 0.5)}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	at := wallOfFrame(pieceFrames + 30)
	frame, err := Frame(ctx, []Piece{piece}, at, m)
	if err != nil {
		t.Fatal(err)
	}
	thumb, err := Thumbnail(ctx, piece, at, 160, m)
	if err != nil {
		t.Fatal(err)
	}
	for name, img := range map[string]*image.RGBA{"frame": frame, "thumbnail": thumb} {
		w, h := img.Rect.Dx(), img.Rect.Dy()
		for y := 0; y < h/2; y++ {
			for x := w / 2; x < w; x++ {
				if img.RGBAAt(x, y) != red {
					t.Fatalf("%s (%dx%d): pixel %d,%d in the zone is %v", name, w, h, x, y, img.RGBAAt(x, y))
				}
			}
		}
		if img.RGBAAt(w/4, h*3/4) == red {
			t.Fatalf("%s: a pixel outside the zone is the fill", name)
		}
	}
}
