package ui

import (
	"image"
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"nightjar/internal/zones"
)

// Editor tools.
const (
	toolSelect = iota
	toolRect
	toolPolygon
)

// handleRadius is how near, in points, a tap or drag must start to a
// vertex to take it.
const handleRadius = 8

// maskEditor draws a camera's privacy zones over a frame of it. Zones
// are kept in normalized coordinates of the frame; the widget maps them
// to the picture as shown, its aspect kept. State lives in fields; the
// renderer owns the canvas objects. All methods run on the UI goroutine.
type maskEditor struct {
	widget.BaseWidget

	frame    image.Image
	zs       []zones.Zone
	selected int // index into zs, or -1
	tool     int
	draft    []zones.Point // a polygon being drawn
	undo     [][]zones.Zone

	// a drag in progress: what it moves, and the zones before it
	dragging   bool
	dragZone   int
	dragVertex int // -1: the whole zone
	dragFrom   zones.Point
	dragBefore []zones.Zone

	// onChange hears every change of zones or selection.
	onChange func()
}

func newMaskEditor(frame image.Image, zs []zones.Zone) *maskEditor {
	e := &maskEditor{frame: frame, zs: slices.Clone(zs), selected: -1}
	e.ExtendBaseWidget(e)
	return e
}

// setFrame shows a new picture under the zones.
func (e *maskEditor) setFrame(img image.Image) {
	e.frame = img
	e.Refresh()
}

// zones are the zones as edited.
func (e *maskEditor) zones() []zones.Zone { return cloneZones(e.zs) }

func cloneZones(zs []zones.Zone) []zones.Zone {
	out := make([]zones.Zone, len(zs))
	for i, z := range zs {
		z.Points = slices.Clone(z.Points)
		out[i] = z
	}
	return out
}

// frameRect is where the picture lies in the widget: the largest
// rectangle of its aspect, centred.
func (e *maskEditor) frameRect() (pos fyne.Position, size fyne.Size) {
	s := e.Size()
	fw, fh := float32(16), float32(9)
	if e.frame != nil {
		b := e.frame.Bounds()
		if b.Dx() > 0 && b.Dy() > 0 {
			fw, fh = float32(b.Dx()), float32(b.Dy())
		}
	}
	if s.Width*fh > s.Height*fw {
		w := s.Height * fw / fh
		return fyne.NewPos((s.Width-w)/2, 0), fyne.NewSize(w, s.Height)
	}
	h := s.Width * fh / fw
	return fyne.NewPos(0, (s.Height-h)/2), fyne.NewSize(s.Width, h)
}

// toFrame maps a widget position to normalized frame coordinates,
// clamped to the frame.
func (e *maskEditor) toFrame(p fyne.Position) zones.Point {
	o, s := e.frameRect()
	if s.Width <= 0 || s.Height <= 0 {
		return zones.Point{}
	}
	clamp := func(v float64) float64 { return math.Max(0, math.Min(1, v)) }
	return zones.Point{X: clamp(float64((p.X - o.X) / s.Width)), Y: clamp(float64((p.Y - o.Y) / s.Height))}
}

// toWidget maps normalized frame coordinates to a widget position.
func (e *maskEditor) toWidget(p zones.Point) fyne.Position {
	o, s := e.frameRect()
	return fyne.NewPos(o.X+float32(p.X)*s.Width, o.Y+float32(p.Y)*s.Height)
}

func (e *maskEditor) changed() {
	e.Refresh()
	if e.onChange != nil {
		e.onChange()
	}
}

// remember saves the zones before a change, for undo.
func (e *maskEditor) remember() { e.undo = append(e.undo, cloneZones(e.zs)) }

// Undo takes back the last change of zones.
func (e *maskEditor) Undo() {
	if len(e.undo) == 0 {
		return
	}
	e.zs = e.undo[len(e.undo)-1]
	e.undo = e.undo[:len(e.undo)-1]
	if e.selected >= len(e.zs) {
		e.selected = len(e.zs) - 1
	}
	e.changed()
}

// DeleteSelected removes the selected zone.
func (e *maskEditor) DeleteSelected() {
	if e.selected < 0 || e.selected >= len(e.zs) {
		return
	}
	e.remember()
	e.zs = slices.Delete(e.zs, e.selected, e.selected+1)
	e.selected = -1
	e.changed()
}

// setTool picks the tool and drops a polygon half drawn.
func (e *maskEditor) setTool(t int) {
	e.tool, e.draft = t, nil
	e.Refresh()
}

// update replaces the selected zone's name, kind and fill.
func (e *maskEditor) update(name string, kind zones.Kind, fill zones.Fill) {
	if e.selected < 0 {
		return
	}
	z := e.zs[e.selected]
	if z.Name == name && z.Kind == kind && z.Fill == fill {
		return
	}
	e.remember()
	z.Name, z.Kind, z.Fill = name, kind, fill
	e.zs[e.selected] = z
	e.changed()
}

// newZone adds a zone of pts, selected, with the defaults of a new zone.
func (e *maskEditor) newZone(pts []zones.Point) {
	e.remember()
	e.zs = append(e.zs, zones.Zone{Kind: zones.Permanent, Fill: zones.Black, Points: pts})
	e.selected = len(e.zs) - 1
}

// Tapped selects the zone under the pointer, or adds a polygon vertex.
func (e *maskEditor) Tapped(ev *fyne.PointEvent) {
	p := e.toFrame(ev.Position)
	switch e.tool {
	case toolPolygon:
		if len(e.draft) >= 3 && e.near(ev.Position, e.draft[0]) {
			e.ClosePolygon()
			return
		}
		e.draft = append(e.draft, p)
		e.Refresh()
	default:
		e.selected = e.zoneAt(p)
		e.changed()
	}
}

// ClosePolygon ends the polygon being drawn as a new zone.
func (e *maskEditor) ClosePolygon() {
	if len(e.draft) < 3 {
		return
	}
	e.newZone(e.draft)
	e.draft = nil
	e.changed()
}

// near reports whether widget position pos is within a handle of p.
func (e *maskEditor) near(pos fyne.Position, p zones.Point) bool {
	q := e.toWidget(p)
	dx, dy := pos.X-q.X, pos.Y-q.Y
	return dx*dx+dy*dy <= handleRadius*handleRadius
}

// zoneAt is the topmost zone containing p, or -1.
func (e *maskEditor) zoneAt(p zones.Point) int {
	for i := len(e.zs) - 1; i >= 0; i-- {
		if pointIn(e.zs[i].Points, p) {
			return i
		}
	}
	return -1
}

func pointIn(ps []zones.Point, p zones.Point) bool {
	in := false
	for i, j := 0, len(ps)-1; i < len(ps); j, i = i, i+1 {
		if (ps[i].Y > p.Y) != (ps[j].Y > p.Y) && p.X < (ps[j].X-ps[i].X)*(p.Y-ps[i].Y)/(ps[j].Y-ps[i].Y)+ps[i].X {
			in = !in
		}
	}
	return in
}

// Dragged draws a rectangle, or moves a vertex or a whole zone.
func (e *maskEditor) Dragged(ev *fyne.DragEvent) {
	if !e.dragging {
		e.startDrag(ev.Position.Subtract(ev.Dragged))
	}
	p := e.toFrame(ev.Position)
	switch {
	case e.dragZone < 0:
		return
	case e.tool == toolRect:
		a := e.dragFrom
		e.zs[e.dragZone].Points = []zones.Point{{X: a.X, Y: a.Y}, {X: p.X, Y: a.Y}, {X: p.X, Y: p.Y}, {X: a.X, Y: p.Y}}
	case e.dragVertex >= 0:
		e.zs[e.dragZone].Points[e.dragVertex] = p
	default:
		dx, dy := p.X-e.dragFrom.X, p.Y-e.dragFrom.Y
		orig := e.dragBefore[e.dragZone].Points
		// The zone moves whole and stays inside the frame.
		for _, q := range orig {
			dx = math.Max(dx, -q.X)
			dx = math.Min(dx, 1-q.X)
			dy = math.Max(dy, -q.Y)
			dy = math.Min(dy, 1-q.Y)
		}
		for i, q := range orig {
			e.zs[e.dragZone].Points[i] = zones.Point{X: q.X + dx, Y: q.Y + dy}
		}
	}
	e.Refresh()
}

// startDrag decides what a drag starting at pos takes.
func (e *maskEditor) startDrag(pos fyne.Position) {
	e.dragging, e.dragZone, e.dragVertex = true, -1, -1
	e.dragFrom = e.toFrame(pos)
	e.dragBefore = cloneZones(e.zs)
	switch e.tool {
	case toolRect:
		e.zs = append(e.zs, zones.Zone{Kind: zones.Permanent, Fill: zones.Black, Points: []zones.Point{e.dragFrom, e.dragFrom, e.dragFrom, e.dragFrom}})
		e.dragZone = len(e.zs) - 1
		e.selected = e.dragZone
	case toolSelect:
		if e.selected >= 0 {
			for i, q := range e.zs[e.selected].Points {
				if e.near(pos, q) {
					e.dragZone, e.dragVertex = e.selected, i
					return
				}
			}
		}
		if i := e.zoneAt(e.dragFrom); i >= 0 {
			e.dragZone, e.selected = i, i
		}
	}
}

// DragEnd ends a drag: a change to undo, or a rectangle too small to
// keep.
func (e *maskEditor) DragEnd() {
	if !e.dragging {
		return
	}
	e.dragging = false
	if e.dragZone < 0 {
		return
	}
	if e.tool == toolRect && (zones.Zone{Kind: zones.Permanent, Points: e.zs[e.dragZone].Points}).Validate() != nil {
		e.zs = e.dragBefore
		e.selected = -1
		e.changed()
		return
	}
	e.undo = append(e.undo, e.dragBefore)
	e.changed()
}

func (e *maskEditor) CreateRenderer() fyne.WidgetRenderer {
	r := &maskEditorRenderer{e: e, img: canvas.NewImageFromImage(e.frame)}
	r.img.FillMode = canvas.ImageFillContain
	r.img.ScaleMode = canvas.ImageScaleFastest
	return r
}

type maskEditorRenderer struct {
	e     *maskEditor
	img   *canvas.Image
	shown image.Image
	marks []fyne.CanvasObject // outlines and handles, rebuilt on Refresh
}

var (
	zoneLine     = color.NRGBA{0xff, 0xd0, 0x40, 0xff}
	selectedLine = color.NRGBA{0x40, 0xc0, 0xff, 0xff}
)

func (r *maskEditorRenderer) Layout(size fyne.Size) {
	r.img.Resize(size)
	r.img.Move(fyne.NewPos(0, 0))
	r.build()
}

func (r *maskEditorRenderer) MinSize() fyne.Size { return fyne.NewSize(320, 180) }

func (r *maskEditorRenderer) Refresh() {
	if r.shown != r.e.frame {
		r.img.Image, r.shown = r.e.frame, r.e.frame
		r.img.Refresh()
	}
	r.build()
	canvas.Refresh(r.e)
}

// build makes the outlines of every zone, the handles of the selected
// one and the polygon being drawn.
func (r *maskEditorRenderer) build() {
	e := r.e
	r.marks = r.marks[:0]
	outline := func(ps []zones.Point, c color.Color, closed bool) {
		n := len(ps)
		for i := 0; i < n; i++ {
			if i == n-1 && !closed {
				break
			}
			l := canvas.NewLine(c)
			l.StrokeWidth = 2
			l.Position1, l.Position2 = e.toWidget(ps[i]), e.toWidget(ps[(i+1)%n])
			r.marks = append(r.marks, l)
		}
	}
	for i, z := range e.zs {
		c := color.Color(zoneLine)
		if i == e.selected {
			c = selectedLine
		}
		outline(z.Points, c, true)
	}
	if e.selected >= 0 && e.selected < len(e.zs) {
		for _, p := range e.zs[e.selected].Points {
			h := canvas.NewRectangle(selectedLine)
			h.Resize(fyne.NewSize(handleRadius, handleRadius))
			h.Move(e.toWidget(p).Subtract(fyne.NewPos(handleRadius/2, handleRadius/2)))
			r.marks = append(r.marks, h)
		}
	}
	outline(e.draft, selectedLine, false)
	for _, p := range e.draft {
		h := canvas.NewCircle(selectedLine)
		h.Resize(fyne.NewSize(handleRadius, handleRadius))
		h.Move(e.toWidget(p).Subtract(fyne.NewPos(handleRadius/2, handleRadius/2)))
		r.marks = append(r.marks, h)
	}
}

func (r *maskEditorRenderer) Objects() []fyne.CanvasObject {
	return append([]fyne.CanvasObject{r.img}, r.marks...)
}

func (r *maskEditorRenderer) Destroy() {}
