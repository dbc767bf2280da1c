package ui

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// overlayImage is what the wall draws over its video when the video goes
// to an X11 surface rather than through Fyne: the tiles' texts and boxes,
// painted once whenever they change, in B, G, R, A order with
// premultiplied alpha. runs lists the painted pixels, row by row, so that
// blending them over a new frame touches nothing else.
type overlayImage struct {
	img  *image.RGBA
	runs []overlayRun
}

type overlayRun struct{ y, x0, x1 int }

// paintOverlay draws the visible texts and rectangles of objs, positioned
// in a wall of the given size, at scale pixels per Fyne unit.
func paintOverlay(objs []fyne.CanvasObject, px image.Point, scale float32) *overlayImage {
	img := image.NewRGBA(image.Rectangle{Max: px})
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		pos := o.Position()
		x, y := int(pos.X*scale+0.5), int(pos.Y*scale+0.5)
		switch o := o.(type) {
		case *canvas.Rectangle:
			sz := o.Size()
			r := image.Rect(x, y, x+int(sz.Width*scale+0.5), y+int(sz.Height*scale+0.5))
			fillOver(img, r, o.FillColor)
			if sw := int(o.StrokeWidth*scale + 0.5); sw > 0 && o.StrokeColor != nil {
				fillOver(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+sw), o.StrokeColor)
				fillOver(img, image.Rect(r.Min.X, r.Max.Y-sw, r.Max.X, r.Max.Y), o.StrokeColor)
				fillOver(img, image.Rect(r.Min.X, r.Min.Y+sw, r.Min.X+sw, r.Max.Y-sw), o.StrokeColor)
				fillOver(img, image.Rect(r.Max.X-sw, r.Min.Y+sw, r.Max.X, r.Max.Y-sw), o.StrokeColor)
			}
		case *canvas.Text:
			drawText(img, x, y, o, scale)
		}
	}
	return &overlayImage{img: img, runs: findRuns(img)}
}

// bgra turns c into premultiplied B, G, R, A bytes.
func bgra(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(b >> 8), uint8(g >> 8), uint8(r >> 8), uint8(a >> 8)}
}

func fillOver(img *image.RGBA, r image.Rectangle, c color.Color) {
	if c == nil {
		return
	}
	if _, _, _, a := c.RGBA(); a == 0 {
		return
	}
	draw.Draw(img, r, image.NewUniform(bgra(c)), image.Point{}, draw.Over)
}

var (
	facesMu sync.Mutex
	fonts   = map[fyne.TextStyle][]*opentype.Font{}
	faces   = map[faceKey]font.Face{}
)

type faceKey struct {
	style fyne.TextStyle
	font  int
	px    float64
}

// textFace is a font at one size.
type textFace struct {
	font *opentype.Font
	face font.Face
}

// has reports whether the font has a glyph for r.
func (f textFace) has(r rune) bool {
	var buf sfnt.Buffer
	i, err := f.font.GlyphIndex(&buf, r)
	return err == nil && i != 0
}

// textFaces are the theme's font for style, then its symbol font and the
// system's DejaVu Sans for the glyphs the first lacks (⚠, ●), at px
// pixels.
func textFaces(style fyne.TextStyle, px float64) []textFace {
	facesMu.Lock()
	defer facesMu.Unlock()
	fs, ok := fonts[style]
	if !ok {
		th := fyne.CurrentApp().Settings().Theme()
		for _, res := range []fyne.Resource{th.Font(style), th.Font(fyne.TextStyle{Symbol: true})} {
			if res == nil {
				continue
			}
			if f, err := opentype.Parse(res.Content()); err == nil {
				fs = append(fs, f)
			}
		}
		if f := symbolFallback(); f != nil {
			fs = append(fs, f)
		}
		fonts[style] = fs
	}
	var out []textFace
	for i, f := range fs {
		k := faceKey{style, i, px}
		face, ok := faces[k]
		if !ok {
			var err error
			face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
			if err != nil {
				continue
			}
			faces[k] = face
		}
		out = append(out, textFace{f, face})
	}
	return out
}

// symbolFontPaths are where Linux distributions keep DejaVu Sans, which
// has the ⚠ and ● the tiles use and the theme's fonts lack (Fyne finds
// them the same way, among the system's fonts).
var symbolFontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",   // Debian, Ubuntu
	"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", // Fedora
	"/usr/share/fonts/TTF/DejaVuSans.ttf",               // Arch
}

var (
	symbolOnce sync.Once
	symbolFont *opentype.Font
)

// symbolFallback is the first of symbolFontPaths that parses, or nil.
func symbolFallback() *opentype.Font {
	symbolOnce.Do(func() {
		for _, p := range symbolFontPaths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 16<<20 {
				if f, err := opentype.Parse(b); err == nil {
					symbolFont = f
					return
				}
			}
		}
	})
	return symbolFont
}

// drawText draws t with its top left at (x, y), rune by rune, each from
// the first face that has it.
func drawText(img *image.RGBA, x, y int, t *canvas.Text, scale float32) {
	size := t.TextSize
	if size <= 0 {
		size = theme.TextSize()
	}
	fs := textFaces(t.TextStyle, float64(size*scale))
	if len(fs) == 0 || t.Color == nil {
		return
	}
	src := image.NewUniform(bgra(t.Color))
	dot := fixed.P(x, y+fs[0].face.Metrics().Ascent.Ceil())
	for _, r := range t.Text {
		face := fs[0].face
		found := false
		for _, f := range fs {
			if f.has(r) {
				face, found = f.face, true
				break
			}
		}
		if !found && r != ' ' {
			continue // no font has it: skip it rather than draw a box
		}
		dr, mask, mp, adv, ok := face.Glyph(dot, r)
		if ok {
			draw.DrawMask(img, dr, src, image.Point{}, mask, mp, draw.Over)
		}
		dot.X += adv
	}
}

// findRuns lists the spans of painted pixels in each row.
func findRuns(img *image.RGBA) []overlayRun {
	var runs []overlayRun
	w := img.Rect.Dx()
	for y := 0; y < img.Rect.Dy(); y++ {
		row := img.Pix[y*img.Stride:][:w*4]
		for x := 0; x < w; {
			if row[x*4+3] == 0 {
				x++
				continue
			}
			x0 := x
			for x < w && row[x*4+3] != 0 {
				x++
			}
			runs = append(runs, overlayRun{y, x0, x})
		}
	}
	return runs
}

// blendInto copies src's pixels in r to dst and draws the overlay over
// them. dst and src are the same size.
func (o *overlayImage) blendInto(dst, src *image.RGBA, r image.Rectangle) {
	r = r.Intersect(dst.Rect).Intersect(src.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):][:r.Dx()*4], src.Pix[src.PixOffset(r.Min.X, y):][:r.Dx()*4])
	}
	if o == nil || !o.img.Rect.Eq(dst.Rect) {
		return
	}
	for _, run := range o.runs {
		if run.y < r.Min.Y || run.y >= r.Max.Y {
			continue
		}
		x0, x1 := max(run.x0, r.Min.X), min(run.x1, r.Max.X)
		if x0 >= x1 {
			continue
		}
		s := o.img.Pix[o.img.PixOffset(x0, run.y):][:(x1-x0)*4]
		d := dst.Pix[dst.PixOffset(x0, run.y):][:(x1-x0)*4]
		for i := 0; i < len(s); i += 4 {
			a := uint32(s[i+3])
			if a == 0xff {
				d[i], d[i+1], d[i+2] = s[i], s[i+1], s[i+2]
				continue
			}
			k := 255 - a
			d[i] = s[i] + uint8((uint32(d[i])*k+127)/255)
			d[i+1] = s[i+1] + uint8((uint32(d[i+1])*k+127)/255)
			d[i+2] = s[i+2] + uint8((uint32(d[i+2])*k+127)/255)
		}
	}
}
