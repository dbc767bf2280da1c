package zones

import (
	"image"
	"image/color"
	"testing"
)

// TestLayersCoverWhatApplyPaints: the export's layers cover exactly the
// pixels Apply paints, for solid and pixelated zones, with pixelated
// layers on whole blocks from the frame's corner.
func TestLayersCoverWhatApplyPaints(t *testing.T) {
	const w, h = 331, 187 // odd sizes: no block divides them
	tri := []Point{{0.1, 0.1}, {0.45, 0.2}, {0.2, 0.7}}
	box := Rect(0.5, 0.4, 0.33, 0.5)
	red := Fill{Color: color.RGBA{200, 10, 10, 255}}
	m := NewMask([]Zone{
		{ID: "a", Kind: Permanent, Fill: red, Points: tri},
		{ID: "b", Kind: Permanent, Fill: Fill{Block: 8}, Points: box},
	})
	l := m.Layers(w, h)
	if l.Solid == nil || len(l.Pixelated) != 1 {
		t.Fatalf("layers: solid %v, %d pixelated; want one of each", l.Solid != nil, len(l.Pixelated))
	}
	// What Apply paints: each zone alone, solid, over a black frame.
	painted := func(pts []Point) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		NewMask([]Zone{{ID: "x", Kind: Permanent, Fill: Fill{Color: color.RGBA{255, 255, 255, 255}}, Points: pts}}).Apply(img, img.Rect, false)
		return img
	}
	triPix, boxPix := painted(tri), painted(box)
	p := l.Pixelated[0]
	if p.Block != 8 || p.Bounds.Min.X%8 != 0 || p.Bounds.Min.Y%8 != 0 || (p.Bounds.Max.X%8 != 0 && p.Bounds.Max.X != w) {
		t.Errorf("pixelated layer %v with block %d is not on whole blocks", p.Bounds, p.Block)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			inTri := triPix.RGBAAt(x, y).A == 255
			got := l.Solid.RGBAAt(x, y)
			if inTri && got != red.Color {
				t.Fatalf("solid layer at %d,%d is %v, want %v", x, y, got, red.Color)
			}
			if !inTri && got.A != 0 {
				t.Fatalf("solid layer at %d,%d is %v outside the zone", x, y, got)
			}
			inBox := boxPix.RGBAAt(x, y).A == 255
			pt := image.Pt(x, y)
			covered := pt.In(p.Bounds) && p.Alpha.AlphaAt(x, y).A == 255
			if inBox != covered {
				t.Fatalf("pixelated layer at %d,%d covers %v, Apply paints %v", x, y, covered, inBox)
			}
		}
	}
	if NewMask(nil).Layers(w, h).Solid != nil {
		t.Error("no zones gave a solid layer")
	}
}
