package zones

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// gradient is a picture where no two neighbouring pixels are alike.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8(x*3 + y*11), 255})
		}
	}
	return img
}

// inside is an even-odd point-in-polygon test in pixel space, written
// apart from the rasterizer.
func inside(ps []Point, w, h int, x, y float64) bool {
	in := false
	for i, j := 0, len(ps)-1; i < len(ps); j, i = i, i+1 {
		xi, yi := ps[i].X*float64(w), ps[i].Y*float64(h)
		xj, yj := ps[j].X*float64(w), ps[j].Y*float64(h)
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// touched reports whether any of 8×8 samples strictly inside pixel (x, y)
// falls in the polygon.
func touched(ps []Point, w, h, x, y int) bool {
	for sy := 0; sy < 8; sy++ {
		for sx := 0; sx < 8; sx++ {
			if inside(ps, w, h, float64(x)+(float64(sx)+0.5)/8, float64(y)+(float64(sy)+0.5)/8) {
				return true
			}
		}
	}
	return false
}

func TestSolidRectCoversExactlyItsPixels(t *testing.T) {
	red := Fill{Color: color.RGBA{255, 0, 0, 255}}
	m := NewMask([]Zone{{Name: "window", Kind: Permanent, Fill: red, Points: Rect(0.25, 0.25, 0.5, 0.5)}})
	const w, h = 320, 180
	img, orig := gradient(w, h), gradient(w, h)
	m.Apply(img, img.Rect, false)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			in := x >= 80 && x < 240 && y >= 45 && y < 135
			got := img.RGBAAt(x, y)
			if in && got != red.Color {
				t.Fatalf("pixel %d,%d inside the zone is %v, want the fill", x, y, got)
			}
			if !in && got != orig.RGBAAt(x, y) {
				t.Fatalf("pixel %d,%d outside the zone changed to %v", x, y, got)
			}
		}
	}
}

func TestPolygonCoversEveryTouchedPixelAndLittleElse(t *testing.T) {
	shapes := map[string][]Point{
		"U":        {{0.1, 0.1}, {0.3, 0.1}, {0.3, 0.7}, {0.7, 0.7}, {0.7, 0.1}, {0.9, 0.1}, {0.9, 0.9}, {0.1, 0.9}},
		"triangle": {{0.5, 0.05}, {0.95, 0.93}, {0.02, 0.6}},
		"thin":     {{0.1, 0.5}, {0.9, 0.55}, {0.9, 0.56}, {0.1, 0.51}},
		"bowtie":   {{0.1, 0.1}, {0.9, 0.9}, {0.9, 0.1}, {0.1, 0.9}},
	}
	for name, ps := range shapes {
		t.Run(name, func(t *testing.T) {
			checkCoverage(t, ps, 97, 61, true)
		})
	}
}

// checkCoverage paints ps white on black and checks that every pixel
// the polygon visibly touches is painted and, with tight, that every
// painted pixel is next to one it touches (coverage is conservative, not
// sloppy). Where a zone's edges cross, coverage may be looser.
func checkCoverage(t *testing.T, ps []Point, w, h int, tight bool) {
	t.Helper()
	m := NewMask([]Zone{{Kind: Permanent, Fill: Fill{Color: color.RGBA{255, 255, 255, 255}}, Points: ps}})
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	m.Apply(img, img.Rect, false)
	painted := func(x, y int) bool { return img.RGBAAt(x, y).R == 255 }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if touched(ps, w, h, x, y) && !painted(x, y) {
				t.Fatalf("pixel %d,%d is inside the zone but not painted", x, y)
			}
			if tight && painted(x, y) && !nearTouched(ps, w, h, x, y) {
				t.Fatalf("pixel %d,%d is painted but the zone is nowhere near it", x, y)
			}
		}
	}
}

func nearTouched(ps []Point, w, h, x, y int) bool {
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if touched(ps, w, h, x+dx, y+dy) {
				return true
			}
		}
	}
	return false
}

func TestApplyInATileOfALargerImage(t *testing.T) {
	// The frame is drawn into r, part of the wall; the zone maps to r
	// and nothing outside r changes, even where r runs off the image.
	blue := Fill{Color: color.RGBA{0, 0, 255, 255}}
	m := NewMask([]Zone{{Kind: Liftable, Fill: blue, Points: Rect(0, 0, 1, 0.5)}})
	img, orig := gradient(400, 300), gradient(400, 300)
	r := image.Rect(300, 100, 500, 200) // 200×100, half off the image
	m.Apply(img, r, false)
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			in := x >= 300 && y >= 100 && y < 150
			if got := img.RGBAAt(x, y); in != (got == blue.Color) || (!in && got != orig.RGBAAt(x, y)) {
				t.Fatalf("pixel %d,%d = %v (in the zone: %v)", x, y, got, in)
			}
		}
	}
}

func TestSolidFillInX11ByteOrder(t *testing.T) {
	f, err := ParseFill("#102030")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMask([]Zone{{Kind: Permanent, Fill: f, Points: Rect(0, 0, 1, 1)}})
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	m.Apply(img, img.Rect, true)
	if got := img.Pix[:4]; got[0] != 0x30 || got[1] != 0x20 || got[2] != 0x10 {
		t.Fatalf("B, G, R bytes = % x, want 30 20 10", got[:3])
	}
}

func TestPixelateMakesBlocksOfTheChosenSize(t *testing.T) {
	const w, h, b = 160, 120, 8
	m := NewMask([]Zone{{Kind: Permanent, Fill: Fill{Block: b}, Points: Rect(0.1, 0.2, 0.5, 0.6)}})
	img, orig := gradient(w, h), gradient(w, h)
	m.Apply(img, img.Rect, false)
	// The zone is x 16..96, y 24..96: whole blocks of 8 from the corner.
	for by := 24; by < 96; by += b {
		for bx := 16; bx < 96; bx += b {
			var sum [3]int
			for y := by; y < by+b; y++ {
				for x := bx; x < bx+b; x++ {
					o := orig.RGBAAt(x, y)
					sum[0], sum[1], sum[2] = sum[0]+int(o.R), sum[1]+int(o.G), sum[2]+int(o.B)
				}
			}
			want := color.RGBA{uint8(sum[0] / (b * b)), uint8(sum[1] / (b * b)), uint8(sum[2] / (b * b)), 255}
			for y := by; y < by+b; y++ {
				for x := bx; x < bx+b; x++ {
					if got := img.RGBAAt(x, y); got != want {
						t.Fatalf("pixel %d,%d of block %d,%d = %v, want the block's mean %v", x, y, bx, by, got, want)
					}
					if img.RGBAAt(x, y) == orig.RGBAAt(x, y) && (x != bx || y != by) {
						t.Fatalf("pixel %d,%d kept its own value", x, y)
					}
				}
			}
		}
	}
	if img.RGBAAt(15, 30) != orig.RGBAAt(15, 30) || img.RGBAAt(96, 30) != orig.RGBAAt(96, 30) {
		t.Fatal("pixelation spilled outside the zone")
	}
}

func TestRastersFollowThePictureSize(t *testing.T) {
	// One mask serves a tile and its fullscreen: the zone covers the
	// same part of the scene at every size.
	red := Fill{Color: color.RGBA{255, 0, 0, 255}}
	m := NewMask([]Zone{{Kind: Permanent, Fill: red, Points: Rect(0.5, 0.5, 0.5, 0.5)}})
	for _, sz := range []image.Point{{320, 180}, {1920, 1080}, {320, 180}, {641, 361}, {7, 5}, {100, 100}, {1920, 1080}} {
		img := image.NewRGBA(image.Rectangle{Max: sz})
		m.Apply(img, img.Rect, false)
		x0, y0 := sz.X/2, sz.Y/2
		if img.RGBAAt(x0, y0) != red.Color || img.RGBAAt(sz.X-1, sz.Y-1) != red.Color {
			t.Fatalf("size %v: the zone's corner pixels are not filled", sz)
		}
		if sz.X%2 == 0 && img.RGBAAt(x0-1, y0) == red.Color {
			t.Fatalf("size %v: pixel left of the zone is filled", sz)
		}
	}
}

func TestNilMaskPaintsNothing(t *testing.T) {
	if NewMask(nil) != nil {
		t.Fatal("NewMask(nil) is not nil")
	}
	img, orig := gradient(10, 10), gradient(10, 10)
	var m *Mask
	m.Apply(img, img.Rect, false)
	if string(img.Pix) != string(orig.Pix) {
		t.Fatal("a nil mask changed the picture")
	}
}

func FuzzMaskCoverage(f *testing.F) {
	f.Add(uint64(1), uint8(5))
	f.Add(uint64(42), uint8(12))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		rng := rand.New(rand.NewPCG(seed, 7))
		k := 3 + int(n)%10
		ps := make([]Point, k)
		for i := range ps {
			ps[i] = Point{rng.Float64(), rng.Float64()}
		}
		checkCoverage(t, ps, 41, 23, false)
	})
}
