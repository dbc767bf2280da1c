package ui

import (
	"image"
	"image/color"
)

// Pixel work on the wall's composed image. These functions know nothing of
// streams or Fyne; each is a pass over a rectangle of an *image.RGBA.

// swapRB turns R, G, B, A pixels in r into B, G, R, A and back.
func swapRB(img *image.RGBA, r image.Rectangle) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):][:r.Dx()*4]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+2] = row[i+2], row[i]
		}
	}
}

// copyPixels copies src to dst (the same size), swapping R and B when
// the two differ in byte order. The copy is opaque.
func copyPixels(dst, src *image.RGBA, swap bool) {
	for y := 0; y < dst.Rect.Dy(); y++ {
		d := dst.Pix[y*dst.Stride:][:dst.Rect.Dx()*4]
		copy(d, src.Pix[y*src.Stride:][:src.Rect.Dx()*4])
		if swap {
			for i := 0; i < len(d); i += 4 {
				d[i], d[i+2], d[i+3] = d[i+2], d[i], 0xff
			}
		}
	}
}

// fillRect paints r in c.
func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// greyOut dims and desaturates r: a stale picture, clearly not live. An
// empty (never drawn) tile becomes dark grey, not black.
func greyOut(img *image.RGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):][:r.Dx()*4]
		for i := 0; i < len(row); i += 4 {
			l := (uint32(row[i])*3 + uint32(row[i+1])*6 + uint32(row[i+2])) / 10
			v := uint8(40 + l/2)
			row[i], row[i+1], row[i+2], row[i+3] = v, v, v, 0xff
		}
	}
}
