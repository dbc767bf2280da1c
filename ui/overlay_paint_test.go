package ui

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// TestOverlayPaintAndBlend paints a box and a text the way the X11 path
// does and blends them over a frame: opaque pixels replace the frame in
// B, G, R order, translucent ones mix, and pixels outside the overlay stay.
func TestOverlayPaintAndBlend(t *testing.T) {
	test.NewTempApp(t)
	box := canvas.NewRectangle(color.NRGBA{0xff, 0, 0, 0xff})
	box.Move(fyne.NewPos(10, 10))
	box.Resize(fyne.NewSize(20, 10))
	shade := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x80})
	shade.Move(fyne.NewPos(40, 10))
	shade.Resize(fyne.NewSize(10, 10))
	text := canvas.NewText("REC", color.White)
	text.Move(fyne.NewPos(10, 40))
	hidden := canvas.NewRectangle(color.White)
	hidden.Resize(fyne.NewSize(100, 100))
	hidden.Hide()
	over := paintOverlay([]fyne.CanvasObject{hidden, box, shade, text}, image.Pt(200, 100), 2)
	if len(over.runs) == 0 {
		t.Fatal("nothing painted")
	}

	frame := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for i := range frame.Pix {
		frame.Pix[i] = 0xc8 // light grey, B, G, R, X
	}
	dst := image.NewRGBA(frame.Rect)
	over.blendInto(dst, frame, frame.Rect)
	px := func(x, y int) [3]uint8 {
		i := dst.PixOffset(x, y)
		return [3]uint8{dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2]}
	}
	if got := px(30, 25); got != [3]uint8{0, 0, 0xff} {
		t.Errorf("red box in B, G, R = %v, want 0, 0, 255", got)
	}
	if got := px(90, 30); got[0] < 0x5a || got[0] > 0x6e {
		t.Errorf("half-black over grey = %v, want about 100", got)
	}
	if got := px(150, 10); got != [3]uint8{0xc8, 0xc8, 0xc8} {
		t.Errorf("outside the overlay = %v, want the frame", got)
	}
	white := 0
	for y := 80; y < 100; y++ {
		for x := 20; x < 80; x++ {
			if px(x, y) == [3]uint8{0xff, 0xff, 0xff} {
				white++
			}
		}
	}
	if white < 20 {
		t.Errorf("text: %d white pixels, want the letters", white)
	}

	// Only the rectangle asked for is touched.
	dst2 := image.NewRGBA(frame.Rect)
	over.blendInto(dst2, frame, image.Rect(0, 0, 40, 40))
	if i := dst2.PixOffset(90, 30); dst2.Pix[i] != 0 {
		t.Error("blendInto wrote outside its rectangle")
	}
}

// TestOverlaySymbols draws the ⚠ and ● the tiles use, which the theme's
// fonts lack, from the system's DejaVu Sans (install-deps.sh installs it),
// and skips a glyph no font has rather than drawing a box.
func TestOverlaySymbols(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(nightjarTheme{}) // the fonts the app draws with
	paint := func(s string) int {
		text := canvas.NewText(s, color.White)
		return len(paintOverlay([]fyne.CanvasObject{text}, image.Pt(40, 40), 1).runs)
	}
	for _, sym := range []string{"●", "⚠"} {
		if n := paint(sym); n < 5 {
			t.Errorf("%s: %d painted runs; the glyph is missing", sym, n)
		}
	}
	if n := paint("\U000F0000"); n != 0 { // private use: in no font
		t.Errorf("a glyph no font has painted %d runs", n)
	}
}
