// Package zones is Nightjar's one model of privacy zones and its one
// masking step. A zone is a polygon in normalized frame coordinates (0–1
// of the width and height, origin top left), with a fill and a kind. Mask
// paints a camera's zones over a rendered picture; every picture that
// leaves a decoder for a screen or a file passes through Mask.Apply.
//
// # Caveats
//
// Coverage is conservative: a pixel the polygon touches at all is painted,
// so a zone's edge never shows a sliver of the scene. Pixelation blocks
// are sized in pixels of the picture being painted and aligned to the
// picture's top-left corner.
package zones

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Kind says whether a zone can ever be revealed.
type Kind string

const (
	// Permanent zones are never revealed in the client.
	Permanent Kind = "permanent"
	// Liftable zones can be revealed in playback, per camera, for a
	// bounded time, with a reason, by a user allowed to.
	Liftable Kind = "liftable"
)

// Limits of one camera's zones.
const (
	MaxZones  = 32
	MaxPoints = 64
	// MaxBlock is the largest pixelation block, in pixels.
	MaxBlock = 256
)

// Point is a vertex in normalized coordinates: X and Y in 0–1 of the
// frame's width and height, (0, 0) at the top left.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Fill is how a zone is painted: a solid Color, or, when Block > 0,
// pixelation in square blocks of Block pixels.
type Fill struct {
	Color color.RGBA `json:"color"`
	Block int        `json:"block,omitempty"`
}

// Black is the default fill.
var Black = Fill{Color: color.RGBA{0, 0, 0, 255}}

// Pixelated reports whether f pixelates.
func (f Fill) Pixelated() bool { return f.Block > 0 }

// String gives f in ParseFill's form: "#rrggbb" or "pixelate:N".
func (f Fill) String() string {
	if f.Block > 0 {
		return "pixelate:" + strconv.Itoa(f.Block)
	}
	return fmt.Sprintf("#%02x%02x%02x", f.Color.R, f.Color.G, f.Color.B)
}

// ParseFill reads "#RRGGBB" or "pixelate:N" (N in 2–MaxBlock).
func ParseFill(s string) (Fill, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutPrefix(strings.ToLower(s), "pixelate:"); ok {
		b, err := strconv.Atoi(n)
		if err != nil || b < 2 || b > MaxBlock {
			return Fill{}, fmt.Errorf("fill %q: the block size must be a whole number of pixels from 2 to %d", s, MaxBlock)
		}
		return Fill{Block: b}, nil
	}
	hex, ok := strings.CutPrefix(s, "#")
	if !ok || len(hex) != 6 {
		return Fill{}, fmt.Errorf("fill %q: give a colour as #RRGGBB or pixelation as pixelate:N", s)
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return Fill{}, fmt.Errorf("fill %q: %q is not a hexadecimal colour", s, hex)
	}
	return Fill{Color: color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}}, nil
}

// Zone is one privacy zone of a camera.
type Zone struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Kind   Kind    `json:"kind"`
	Fill   Fill    `json:"fill"`
	Points []Point `json:"points"`
}

// Validation errors; test with errors.Is.
var (
	ErrTooFewPoints  = errors.New("a zone needs at least 3 points")
	ErrTooManyPoints = fmt.Errorf("a zone has at most %d points", MaxPoints)
	ErrOutside       = errors.New("points must lie within the frame: 0 to 1")
	ErrKind          = errors.New("the kind must be permanent or liftable")
	ErrTooMany       = fmt.Errorf("a camera has at most %d zones", MaxZones)
	ErrEmptyArea     = errors.New("the zone covers no area")
)

// Validate checks z's kind, fill and points.
func (z Zone) Validate() error {
	if z.Kind != Permanent && z.Kind != Liftable {
		return fmt.Errorf("zone %q: %w (got %q)", z.Name, ErrKind, z.Kind)
	}
	if z.Fill.Block < 0 || z.Fill.Block == 1 || z.Fill.Block > MaxBlock {
		return fmt.Errorf("zone %q: pixelation blocks are 2 to %d pixels", z.Name, MaxBlock)
	}
	if len(z.Points) < 3 {
		return fmt.Errorf("zone %q: %w", z.Name, ErrTooFewPoints)
	}
	if len(z.Points) > MaxPoints {
		return fmt.Errorf("zone %q: %w", z.Name, ErrTooManyPoints)
	}
	for _, p := range z.Points {
		if !(p.X >= 0 && p.X <= 1 && p.Y >= 0 && p.Y <= 1) {
			return fmt.Errorf("zone %q: point %g,%g: %w", z.Name, p.X, p.Y, ErrOutside)
		}
	}
	if area(z.Points) < 1e-6 {
		return fmt.Errorf("zone %q: %w", z.Name, ErrEmptyArea)
	}
	return nil
}

// ValidateAll checks every zone and the count.
func ValidateAll(zs []Zone) error {
	if len(zs) > MaxZones {
		return ErrTooMany
	}
	for _, z := range zs {
		if err := z.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// area is the polygon's absolute area (shoelace).
func area(ps []Point) float64 {
	var a float64
	for i := range ps {
		j := (i + 1) % len(ps)
		a += ps[i].X*ps[j].Y - ps[j].X*ps[i].Y
	}
	return math.Abs(a) / 2
}

// Rect is the polygon of the rectangle at x, y (top left) of w by h.
func Rect(x, y, w, h float64) []Point {
	return []Point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
}

// ParsePolygon reads "x1,y1,x2,y2,…" into points.
func ParsePolygon(s string) ([]Point, error) {
	vs, err := floats(s)
	if err != nil {
		return nil, err
	}
	if len(vs)%2 != 0 {
		return nil, fmt.Errorf("polygon %q: give x,y pairs; the last x has no y", s)
	}
	ps := make([]Point, 0, len(vs)/2)
	for i := 0; i < len(vs); i += 2 {
		ps = append(ps, Point{vs[i], vs[i+1]})
	}
	return ps, nil
}

// ParseRect reads "x,y,w,h" into a rectangle's points.
func ParseRect(s string) ([]Point, error) {
	vs, err := floats(s)
	if err != nil {
		return nil, err
	}
	if len(vs) != 4 {
		return nil, fmt.Errorf("rectangle %q: give x,y,w,h", s)
	}
	if vs[2] <= 0 || vs[3] <= 0 {
		return nil, fmt.Errorf("rectangle %q: the width and height must be above 0", s)
	}
	return Rect(vs[0], vs[1], vs[2], vs[3]), nil
}

func floats(s string) ([]float64, error) {
	parts := strings.Split(s, ",")
	out := make([]float64, 0, len(parts))
	for _, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a number (coordinates are 0 to 1 of the frame)", strings.TrimSpace(p))
		}
		out = append(out, v)
	}
	return out, nil
}

// Shown are the zones painted when lifted reports the liftable zones
// that are revealed: every permanent zone stays.
func Shown(zs []Zone, lifted func(Zone) bool) []Zone {
	out := make([]Zone, 0, len(zs))
	for _, z := range zs {
		if z.Kind == Liftable && lifted != nil && lifted(z) {
			continue
		}
		out = append(out, z)
	}
	return out
}
