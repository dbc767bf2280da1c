package ui

import (
	"image"
	"image/color"
	"testing"
)

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func TestSwapRBOnlyInsideRect(t *testing.T) {
	img := solid(8, 4, color.RGBA{10, 20, 30, 255})
	r := image.Rect(2, 1, 5, 3)
	swapRB(img, r)
	for y := 0; y < 4; y++ {
		for x := 0; x < 8; x++ {
			want := color.RGBA{10, 20, 30, 255}
			if image.Pt(x, y).In(r) {
				want = color.RGBA{30, 20, 10, 255}
			}
			if got := img.RGBAAt(x, y); got != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	swapRB(img, image.Rect(-5, -5, 100, 100)) // clipped to the image, no panic
	if got := img.RGBAAt(0, 0); got != (color.RGBA{30, 20, 10, 255}) {
		t.Fatalf("clipped swap: %v", got)
	}
}

func TestCopyPixelsSwapsAndIsOpaque(t *testing.T) {
	src := solid(4, 3, color.RGBA{1, 2, 3, 0})
	dst := image.NewRGBA(src.Rect)
	copyPixels(dst, src, false)
	if got := dst.RGBAAt(3, 2); got != (color.RGBA{1, 2, 3, 0}) {
		t.Fatalf("plain copy: %v", got)
	}
	copyPixels(dst, src, true)
	if got := dst.RGBAAt(3, 2); got != (color.RGBA{3, 2, 1, 255}) {
		t.Fatalf("swapped copy: %v, want B and R swapped and alpha 255", got)
	}
}

func TestFillRectAndGreyOut(t *testing.T) {
	img := solid(6, 6, color.RGBA{200, 30, 30, 255})
	fillRect(img, image.Rect(0, 0, 2, 2), color.RGBA{0, 0, 0, 255})
	if img.RGBAAt(1, 1) != (color.RGBA{0, 0, 0, 255}) || img.RGBAAt(2, 2) != (color.RGBA{200, 30, 30, 255}) {
		t.Fatalf("fillRect: %v inside, %v outside", img.RGBAAt(1, 1), img.RGBAAt(2, 2))
	}
	greyOut(img, img.Rect)
	// Luma of (200, 30, 30) with weights 3:6:1 is 81; halved and lifted
	// by 40 it is 80. Black becomes 40: dark grey, never black.
	if got := img.RGBAAt(4, 4); got != (color.RGBA{80, 80, 80, 255}) {
		t.Errorf("greyed red = %v, want 80 grey", got)
	}
	if got := img.RGBAAt(0, 0); got != (color.RGBA{40, 40, 40, 255}) {
		t.Errorf("greyed black = %v, want 40 grey", got)
	}
}

// The wall runs these over whole 1080p frames: a layout change copies and
// clears the buffer, a dropped camera greys its tile.
func BenchmarkGreyOut1080p(b *testing.B) {
	img := solid(1920, 1080, color.RGBA{120, 60, 30, 255})
	b.SetBytes(int64(len(img.Pix)))
	for b.Loop() {
		greyOut(img, img.Rect)
	}
}

func BenchmarkSwapRB1080p(b *testing.B) {
	img := solid(1920, 1080, color.RGBA{120, 60, 30, 255})
	b.SetBytes(int64(len(img.Pix)))
	for b.Loop() {
		swapRB(img, img.Rect)
	}
}

func BenchmarkCopyPixelsSwap1080p(b *testing.B) {
	src := solid(1920, 1080, color.RGBA{120, 60, 30, 255})
	dst := image.NewRGBA(src.Rect)
	b.SetBytes(int64(len(src.Pix)))
	for b.Loop() {
		copyPixels(dst, src, true)
	}
}
