package ui

import (
	"image"
	"math"
)

// Layout is a wall arrangement: tile rectangles in unit coordinates.
type Layout struct {
	Name  string
	Tiles []rectF
}

type rectF struct{ X, Y, W, H float64 }

func gridLayout(name string, cols, rows int) Layout {
	l := Layout{Name: name}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			l.Tiles = append(l.Tiles, rectF{float64(c) / float64(cols), float64(r) / float64(rows), 1 / float64(cols), 1 / float64(rows)})
		}
	}
	return l
}

// bigPlus is one big tile of span×span cells in an n×n grid, the rest
// small: 1+5 is (3, 2), 1+7 is (4, 3).
func bigPlus(name string, n, span int) Layout {
	l := Layout{Name: name, Tiles: []rectF{{0, 0, float64(span) / float64(n), float64(span) / float64(n)}}}
	cell := 1 / float64(n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			if r < span && c < span {
				continue
			}
			l.Tiles = append(l.Tiles, rectF{float64(c) * cell, float64(r) * cell, cell, cell})
		}
	}
	return l
}

// Layouts are the built-in wall layouts.
var Layouts = []Layout{
	gridLayout("1×1", 1, 1),
	gridLayout("2×2", 2, 2),
	gridLayout("3×3", 3, 3),
	gridLayout("4×4", 4, 4),
	bigPlus("1+5", 3, 2),
	bigPlus("1+7", 4, 3),
}

// layoutFor picks the smallest grid that holds n streams.
func layoutFor(n int) Layout {
	for _, l := range Layouts[:4] {
		if len(l.Tiles) >= n {
			return l
		}
	}
	return Layouts[3]
}

// pixelRect maps a unit rectangle to a w×h pixel area, leaving a 2-pixel
// gap between tiles.
func (r rectF) pixelRect(w, h int) image.Rectangle {
	const gap = 2
	x0 := int(math.Round(r.X * float64(w)))
	y0 := int(math.Round(r.Y * float64(h)))
	x1 := int(math.Round((r.X + r.W) * float64(w)))
	y1 := int(math.Round((r.Y + r.H) * float64(h)))
	if x1 < w {
		x1 -= gap
	}
	if y1 < h {
		y1 -= gap
	}
	return image.Rect(x0, y0, max(x0, x1), max(y0, y1))
}
