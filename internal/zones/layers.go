package zones

import (
	"image"
	"image/color"
)

var white = color.RGBA{255, 255, 255, 255}

// Layers are a Mask's zones for one frame size, as images that another
// painter lays over the picture: the export encoder's filter graph, which
// works on the decoder's own frames rather than on a render buffer. The
// pixels they cover are exactly the pixels Apply paints.
type Layers struct {
	// Solid holds the solid zones in their colours, opaque on every pixel
	// they cover and transparent elsewhere; nil when there are none.
	Solid *image.RGBA
	// Pixelated holds one layer per pixelated zone.
	Pixelated []PixelLayer
}

// PixelLayer is one pixelated zone: the block-aligned rectangle of the
// frame that holds it (blocks are aligned to the frame's corner, as in
// Apply) and its coverage in that rectangle.
type PixelLayer struct {
	Block  int
	Bounds image.Rectangle
	// Alpha is 255 on the zone's pixels and 0 elsewhere; its Rect is
	// Bounds.
	Alpha *image.Alpha
}

// Layers returns the zones for a w×h frame. Where a solid zone and a
// pixelated one overlap, a painter that lays Solid over the pixelated
// layers shows the solid colour: never less covered than Apply.
func (m *Mask) Layers(w, h int) Layers {
	var out Layers
	if m == nil || w <= 0 || h <= 0 {
		return out
	}
	frame := image.Rect(0, 0, w, h)
	rs := m.rasterFor(frame.Size())
	for _, z := range rs.zones {
		if z.fill.Block <= 0 {
			if out.Solid == nil {
				out.Solid = image.NewRGBA(frame)
			}
			fillSolid(out.Solid, frame, frame, z, false)
			continue
		}
		cover := image.NewRGBA(frame)
		opaque := z
		opaque.fill = Fill{Color: white}
		fillSolid(cover, frame, frame, opaque, false)
		b := blockAligned(spanBounds(z), z.fill.Block).Intersect(frame)
		if b.Empty() {
			continue
		}
		alpha := image.NewAlpha(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				alpha.Pix[alpha.PixOffset(x, y)] = cover.Pix[cover.PixOffset(x, y)+3]
			}
		}
		out.Pixelated = append(out.Pixelated, PixelLayer{Block: z.fill.Block, Bounds: b, Alpha: alpha})
	}
	return out
}

// spanBounds is the smallest rectangle holding z's pixels.
func spanBounds(z zoneSpans) image.Rectangle {
	var r image.Rectangle
	for i, row := range z.rows {
		for k := 0; k+1 < len(row); k += 2 {
			r = r.Union(image.Rect(row[k], z.top+i, row[k+1], z.top+i+1))
		}
	}
	return r
}

// blockAligned grows r to whole n-pixel blocks counted from (0, 0).
func blockAligned(r image.Rectangle, n int) image.Rectangle {
	if r.Empty() {
		return r
	}
	down := func(v int) int { return v / n * n }
	up := func(v int) int { return (v + n - 1) / n * n }
	return image.Rect(down(r.Min.X), down(r.Min.Y), up(r.Max.X), up(r.Max.Y))
}
