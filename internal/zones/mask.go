package zones

import (
	"image"
	"math"
	"slices"
	"sync"
)

// Mask paints a fixed set of zones. It is immutable apart from a cache of
// rasters and safe for concurrent use; a nil *Mask paints nothing.
type Mask struct {
	zones []Zone

	mu    sync.Mutex
	cache []*raster // most recently used first, at most rasterCache
}

// rasterCache is how many picture sizes a Mask keeps rasters for: a
// stream's tile, its fullscreen and a snapshot or two.
const rasterCache = 4

// raster is the zones as pixel spans for one picture size.
type raster struct {
	size  image.Point
	zones []zoneSpans
}

// zoneSpans are one zone's covered pixels: rows[y] holds [x0, x1) pairs,
// merged and sorted; top is the first row with any.
type zoneSpans struct {
	fill Fill
	top  int
	rows [][]int
}

// NewMask compiles zs; it returns nil when zs is empty.
func NewMask(zs []Zone) *Mask {
	if len(zs) == 0 {
		return nil
	}
	return &Mask{zones: slices.Clone(zs)}
}

// Zones are the zones m paints.
func (m *Mask) Zones() []Zone {
	if m == nil {
		return nil
	}
	return slices.Clone(m.zones)
}

// Apply paints the zones over the picture drawn into r of img: the whole
// frame, scaled to r. bgr says the pixels are in B, G, R, X order (an X11
// image) rather than R, G, B, A. Solid fills leave pixels opaque.
func (m *Mask) Apply(img *image.RGBA, r image.Rectangle, bgr bool) {
	if m == nil {
		return
	}
	clip := r.Intersect(img.Rect)
	if clip.Empty() {
		return
	}
	rs := m.rasterFor(r.Size())
	for _, z := range rs.zones {
		if z.fill.Block > 0 {
			pixelate(img, r, clip, z)
		} else {
			fillSolid(img, r, clip, z, bgr)
		}
	}
}

// rasterFor returns the rasters for a picture of size, from the cache.
func (m *Mask) rasterFor(size image.Point) *raster {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.cache {
		if r.size == size {
			if i > 0 {
				copy(m.cache[1:i+1], m.cache[:i])
				m.cache[0] = r
			}
			return r
		}
	}
	r := &raster{size: size}
	for _, z := range m.zones {
		r.zones = append(r.zones, spansOf(z, size.X, size.Y))
	}
	if len(m.cache) < rasterCache {
		m.cache = append(m.cache, nil)
	}
	copy(m.cache[1:], m.cache)
	m.cache[0] = r
	return r
}

// eps absorbs rounding in normalized-to-pixel products, so a zone edge on
// a pixel boundary (0.25 of 320 px) does not spill into the next pixel.
const eps = 1e-6

// spansOf rasterizes z for a w×h picture. A pixel is covered when the
// polygon (nonzero winding) overlaps its square with any area.
func spansOf(z Zone, w, h int) zoneSpans {
	zs := zoneSpans{fill: z.Fill}
	n := len(z.Points)
	if n < 3 || w <= 0 || h <= 0 {
		return zs
	}
	xs, ys := make([]float64, n), make([]float64, n)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i, p := range z.Points {
		xs[i], ys[i] = p.X*float64(w), p.Y*float64(h)
		ymin, ymax = min(ymin, ys[i]), max(ymax, ys[i])
	}
	top := max(int(math.Floor(ymin+eps)), 0)
	bottom := min(int(math.Ceil(ymax-eps)), h)
	if bottom <= top {
		return zs
	}
	zs.top = top
	zs.rows = make([][]int, bottom-top)
	type cross struct {
		x   float64
		dir int
		e   int
	}
	var cuts []float64
	var crosses []cross
	var spans [][2]float64
	at := func(e int, y float64) float64 {
		j := (e + 1) % n
		if ys[j] == ys[e] {
			return xs[e]
		}
		return xs[e] + (xs[j]-xs[e])*(y-ys[e])/(ys[j]-ys[e])
	}
	// The bands are cut at every vertex and every crossing of two edges,
	// so that between cuts the edges keep their order.
	marks := slices.Clone(ys)
	marks = append(marks, crossings(xs, ys)...)
	slices.Sort(marks)
	for y := top; y < bottom; y++ {
		y0, y1 := float64(y), float64(y+1)
		cuts = append(cuts[:0], max(y0, ymin), min(y1, ymax))
		lo, _ := slices.BinarySearch(marks, y0)
		for _, vy := range marks[lo:] {
			if vy >= y1 {
				break
			}
			if vy > y0 {
				cuts = append(cuts, vy)
			}
		}
		slices.Sort(cuts)
		spans = spans[:0]
		for k := 0; k+1 < len(cuts); k++ {
			ya, yb := cuts[k], cuts[k+1]
			if yb-ya < eps {
				continue
			}
			ym := (ya + yb) / 2
			crosses = crosses[:0]
			for e := 0; e < n; e++ {
				j := (e + 1) % n
				lo, hi, dir := ys[e], ys[j], 1
				if lo > hi {
					lo, hi, dir = hi, lo, -1
				}
				if lo < ym && ym < hi {
					crosses = append(crosses, cross{at(e, ym), dir, e})
				}
			}
			slices.SortFunc(crosses, func(a, b cross) int {
				switch {
				case a.x < b.x:
					return -1
				case a.x > b.x:
					return 1
				}
				return 0
			})
			wind, left := 0, 0
			for i, c := range crosses {
				if wind == 0 {
					left = i
				}
				wind += c.dir
				if wind == 0 {
					// The edges may cross inside the band (a
					// self-intersecting zone): take all four ends.
					l, r := crosses[left].e, c.e
					la, lb, ra, rb := at(l, ya), at(l, yb), at(r, ya), at(r, yb)
					spans = append(spans, [2]float64{min(la, lb, ra, rb), max(la, lb, ra, rb)})
				}
			}
		}
		zs.rows[y-top] = pixelSpans(spans, w)
	}
	return zs
}

// crossings are the y of every point where two edges of the polygon
// (xs, ys) cross, other than at a shared vertex.
func crossings(xs, ys []float64) []float64 {
	n := len(xs)
	var out []float64
	for a := 0; a < n; a++ {
		a2 := (a + 1) % n
		for b := a + 2; b < n; b++ {
			b2 := (b + 1) % n
			if b2 == a {
				continue
			}
			dxa, dya := xs[a2]-xs[a], ys[a2]-ys[a]
			dxb, dyb := xs[b2]-xs[b], ys[b2]-ys[b]
			den := dxa*dyb - dya*dxb
			if den == 0 {
				continue
			}
			s := ((xs[b]-xs[a])*dyb - (ys[b]-ys[a])*dxb) / den
			u := ((xs[b]-xs[a])*dya - (ys[b]-ys[a])*dxa) / den
			if s > 0 && s < 1 && u > 0 && u < 1 {
				out = append(out, ys[a]+s*dya)
			}
		}
	}
	return out
}

// pixelSpans turns real x intervals into merged pixel [x0, x1) pairs
// within 0..w.
func pixelSpans(spans [][2]float64, w int) []int {
	if len(spans) == 0 {
		return nil
	}
	slices.SortFunc(spans, func(a, b [2]float64) int {
		switch {
		case a[0] < b[0]:
			return -1
		case a[0] > b[0]:
			return 1
		}
		return 0
	})
	var out []int
	for _, s := range spans {
		x0 := max(int(math.Floor(s[0]+eps)), 0)
		x1 := min(int(math.Ceil(s[1]-eps)), w)
		if x1 <= x0 {
			continue
		}
		if k := len(out); k > 0 && x0 <= out[k-1] {
			out[k-1] = max(out[k-1], x1)
			continue
		}
		out = append(out, x0, x1)
	}
	return out
}

// fillSolid paints z's spans in its colour. r is where the frame lies,
// clip the part of it inside the image.
func fillSolid(img *image.RGBA, r, clip image.Rectangle, z zoneSpans, bgr bool) {
	c := z.fill.Color
	px := [4]byte{c.R, c.G, c.B, 255}
	if bgr {
		px[0], px[2] = c.B, c.R
	}
	for i, row := range z.rows {
		y := r.Min.Y + z.top + i
		if y < clip.Min.Y || y >= clip.Max.Y {
			continue
		}
		for k := 0; k+1 < len(row); k += 2 {
			x0, x1 := max(r.Min.X+row[k], clip.Min.X), min(r.Min.X+row[k+1], clip.Max.X)
			if x1 <= x0 {
				continue
			}
			b := img.Pix[img.PixOffset(x0, y):img.PixOffset(x1, y)]
			copy(b, px[:])
			for n := 4; n < len(b); n *= 2 {
				copy(b[n:], b[:n])
			}
		}
	}
}

// pixelate replaces z's pixels in each block by the mean of z's pixels
// in that block. Blocks are Block pixels square, aligned to r's corner.
func pixelate(img *image.RGBA, r, clip image.Rectangle, z zoneSpans) {
	b := z.fill.Block
	for by := (z.top / b) * b; by < z.top+len(z.rows); by += b {
		y0, y1 := max(by, z.top), min(by+b, z.top+len(z.rows))
		// The blocks of this band that hold any pixel of the zone.
		var cols []int
		for y := y0; y < y1; y++ {
			row := z.rows[y-z.top]
			for k := 0; k+1 < len(row); k += 2 {
				for bx := row[k] / b; bx*b < row[k+1]; bx++ {
					cols = append(cols, bx)
				}
			}
		}
		slices.Sort(cols)
		cols = slices.Compact(cols)
		for _, bx := range cols {
			pixelateBlock(img, r, clip, z, bx*b, bx*b+b, y0, y1)
		}
	}
}

// pixelateBlock averages, then paints, z's pixels with x in [x0, x1) and
// y in [y0, y1) of the frame.
func pixelateBlock(img *image.RGBA, r, clip image.Rectangle, z zoneSpans, x0, x1, y0, y1 int) {
	var sum [3]int
	n := 0
	visit := func(paint bool, px [3]byte) {
		for y := y0; y < y1; y++ {
			iy := r.Min.Y + y
			if iy < clip.Min.Y || iy >= clip.Max.Y {
				continue
			}
			row := z.rows[y-z.top]
			for k := 0; k+1 < len(row); k += 2 {
				a, e := max(row[k], x0)+r.Min.X, min(row[k+1], x1)+r.Min.X
				a, e = max(a, clip.Min.X), min(e, clip.Max.X)
				if e <= a {
					continue
				}
				p := img.Pix[img.PixOffset(a, iy):img.PixOffset(e, iy)]
				for i := 0; i+3 < len(p); i += 4 {
					if paint {
						p[i], p[i+1], p[i+2] = px[0], px[1], px[2]
						continue
					}
					sum[0] += int(p[i])
					sum[1] += int(p[i+1])
					sum[2] += int(p[i+2])
					n++
				}
			}
		}
	}
	visit(false, [3]byte{})
	if n == 0 {
		return
	}
	visit(true, [3]byte{byte(sum[0] / n), byte(sum[1] / n), byte(sum[2] / n)})
}
