package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// timelineRenderer owns the timeline's canvas objects. Stretches are
// rectangles, merged where they fall within a pixel of each other, so a
// day of short motion events costs at most a rectangle per pixel column.
type timelineRenderer struct {
	t    *timelineWidget
	objs []fyne.CanvasObject

	bg, sel, head, hover *canvas.Rectangle
	inMark, outMark      *canvas.Rectangle
	laneHeads            []*canvas.Rectangle // per lane, unsynced only

	rects []*canvas.Rectangle // the pool of stretch and tick rectangles
	texts []*canvas.Text      // the pool of lane names and tick labels
	nr    int                 // rectangles in use
	nt    int                 // texts in use
}

func (r *timelineRenderer) rect(c color.Color, x, y, w, h float32) {
	if r.nr == len(r.rects) {
		r.rects = append(r.rects, canvas.NewRectangle(c))
	}
	o := r.rects[r.nr]
	r.nr++
	o.FillColor = c
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(w, h))
	r.objs = append(r.objs, o)
}

func (r *timelineRenderer) text(s string, c color.Color, size float32, x, y float32) *canvas.Text {
	if r.nt == len(r.texts) {
		r.texts = append(r.texts, canvas.NewText("", c))
	}
	o := r.texts[r.nt]
	r.nt++
	o.Text, o.Color, o.TextSize = s, c, size
	o.Move(fyne.NewPos(x, y))
	o.Resize(o.MinSize())
	r.objs = append(r.objs, o)
	return o
}

// spans draws the stretches of one kind in a band of a lane, merging
// those less than a pixel apart and giving each at least minW pixels.
func (r *timelineRenderer) spans(spans []TimeSpan, c color.Color, y, h, minW float32) {
	t := r.t
	right := t.Size().Width
	open := false
	var x0, x1 float32
	flush := func() {
		if open {
			r.rect(c, x0, y, max(x1-x0, minW), h)
		}
	}
	for _, s := range spans {
		a := max(t.xAtTime(s.From), laneGutter)
		b := min(t.xAtTime(s.To), right)
		if b < laneGutter || a > right || (b <= a && minW <= 0) {
			continue
		}
		if open && a-x1 < 1 {
			x1 = max(x1, b)
			continue
		}
		flush()
		open, x0, x1 = true, a, b
	}
	flush()
}

func (r *timelineRenderer) rebuild() {
	t := r.t
	size := t.Size()
	r.objs, r.nr, r.nt = r.objs[:0], 0, 0
	r.bg.Resize(size)
	r.objs = append(r.objs, r.bg)
	small := theme.CaptionTextSize()
	// The ruler.
	step := tickStep(t.view.Span, t.width(), labelGap)
	for _, tk := range ticks(t.view.From, t.view.To(), step, t.loc) {
		x := t.xAtTime(tk.At)
		if x < laneGutter || x >= size.Width {
			continue
		}
		r.rect(colTick, x, rulerHeight-6, 1, 6+float32(len(t.lanes))*laneHeight)
		r.text(tk.Label, colTick, small, x+3, 1)
	}
	// The lanes.
	for i, l := range t.lanes {
		y := float32(rulerHeight + i*laneHeight)
		r.rect(colLane, laneGutter, y+1, max(0, size.Width-laneGutter), laneHeight-2)
		name := r.text(fitText(l.Name, laneGutter-8, theme.TextSize(), fyne.TextStyle{}), theme.Color(theme.ColorNameForeground), theme.TextSize(), 4, y+2)
		name.TextStyle = fyne.TextStyle{}
		d := l.Data
		r.spans(d.Gaps, colGap, y+1, laneHeight-2, 0)
		r.spans(d.Runs, colRun, y+1, laneHeight-2, 0)
		r.spans(d.Motion, colMotion, y+laneHeight*0.55, laneHeight*0.45-1, 2)
		bms := make([]TimeSpan, len(d.Bookmarks))
		for j, b := range d.Bookmarks {
			bms[j] = TimeSpan{b.From, b.To}
		}
		r.spans(bms, colBookmark, y+1, laneHeight*0.3, 3)
		dam := make([]TimeSpan, len(d.Damaged))
		for j, s := range d.Damaged {
			dam[j] = s.TimeSpan
		}
		r.spans(dam, colDamaged, y+1, laneHeight-2, 2)
	}
	// The selection, its marks, the playheads and the hover line, on top.
	r.objs = append(r.objs, r.sel, r.inMark, r.outMark)
	for len(r.laneHeads) < len(t.lanes) {
		r.laneHeads = append(r.laneHeads, canvas.NewRectangle(color.NRGBA{0xff, 0xff, 0xff, 0xa0}))
	}
	for _, h := range r.laneHeads[:len(t.lanes)] {
		r.objs = append(r.objs, h)
	}
	r.objs = append(r.objs, r.head, r.hover)
	r.layoutMarks(size)
	r.layoutHeads(size)
}

// layoutMarks places the in/out selection.
func (r *timelineRenderer) layoutMarks(size fyne.Size) {
	t := r.t
	lanesH := float32(len(t.lanes)) * laneHeight
	place := func(o *canvas.Rectangle, at time.Time) {
		x := t.xAtTime(at)
		if at.IsZero() || x < laneGutter || x > size.Width {
			o.Hide()
			return
		}
		o.Show()
		o.Move(fyne.NewPos(x-1, rulerHeight))
		o.Resize(fyne.NewSize(2, lanesH))
	}
	place(r.inMark, t.in)
	place(r.outMark, t.out)
	if t.in.IsZero() || t.out.IsZero() || !t.out.After(t.in) {
		r.sel.Hide()
		return
	}
	a := max(t.xAtTime(t.in), laneGutter)
	b := min(t.xAtTime(t.out), size.Width)
	if b <= a {
		r.sel.Hide()
		return
	}
	r.sel.Show()
	r.sel.Move(fyne.NewPos(a, rulerHeight))
	r.sel.Resize(fyne.NewSize(b-a, lanesH))
}

// layoutHeads places the playhead, each lane's own playhead when
// unsynced, and the hover line, and refreshes only them: they move ten
// times a second while the rest stands still.
func (r *timelineRenderer) layoutHeads(size fyne.Size) {
	t := r.t
	lanesH := float32(len(t.lanes)) * laneHeight
	x := t.xAtTime(t.playhead)
	if t.playhead.IsZero() || x < laneGutter || x > size.Width {
		r.head.Hide()
	} else {
		r.head.Show()
		r.head.Move(fyne.NewPos(x-1, 0))
		r.head.Resize(fyne.NewSize(2, rulerHeight+lanesH))
	}
	for i, h := range r.laneHeads {
		if i >= len(t.lanes) || t.lanes[i].Pos.IsZero() {
			h.Hide()
			continue
		}
		lx := t.xAtTime(t.lanes[i].Pos)
		if lx < laneGutter || lx > size.Width {
			h.Hide()
			continue
		}
		h.Show()
		h.Move(fyne.NewPos(lx-1, float32(rulerHeight+i*laneHeight)))
		h.Resize(fyne.NewSize(2, laneHeight))
		h.Refresh()
	}
	if t.hovering && t.drag == dragNone {
		r.hover.Show()
		r.hover.Move(fyne.NewPos(t.hoverX, rulerHeight))
		r.hover.Resize(fyne.NewSize(1, lanesH))
	} else {
		r.hover.Hide()
	}
	r.head.Refresh()
	r.hover.Refresh()
}

func (r *timelineRenderer) Layout(fyne.Size) { r.rebuild() }

func (r *timelineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(laneGutter+200, float32(rulerHeight+max(1, len(r.t.lanes))*laneHeight))
}

func (r *timelineRenderer) Refresh() {
	r.rebuild()
	for _, o := range r.objs {
		o.Refresh()
	}
}

func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *timelineRenderer) Destroy() {}
