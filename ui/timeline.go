package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The timeline widget: a time ruler and one lane per camera showing its
// recorded runs, gaps, motion, bookmarks and damaged footage, the in/out
// selection and the playhead. The wheel zooms about the pointer, a drag
// pans (or scrubs when it starts on the playhead), a click seeks. The
// state is in timelineWidget; timelineRenderer owns the canvas objects.
// The arithmetic is in timeline_math.go.

// The timeline's colours, one per kind of stretch.
var (
	colLane     = color.NRGBA{0x2a, 0x2c, 0x33, 0xff}
	colRun      = color.NRGBA{0x2e, 0xa0, 0x5a, 0xff}
	colGap      = color.NRGBA{0x48, 0x48, 0x52, 0xff}
	colMotion   = color.NRGBA{0xf0, 0xa0, 0x28, 0xff}
	colDamaged  = color.NRGBA{0xe0, 0x32, 0x32, 0xff}
	colBookmark = color.NRGBA{0x46, 0x82, 0xf0, 0xff}
	colSel      = color.NRGBA{0xff, 0xff, 0xff, 0x38}
	colMark     = color.NRGBA{0xff, 0xd8, 0x40, 0xff}
	colHead     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colTick     = color.NRGBA{0x99, 0x99, 0xa0, 0xff}
)

const (
	rulerHeight = 22
	laneHeight  = 26
	laneGutter  = 110 // the lane names, left of the time area
	grabRadius  = 6   // how near the playhead a drag scrubs it
	wheelZoom   = 0.8 // the span's factor per wheel notch
	labelGap    = 84  // pixels between ruler labels at least
)

// timelineLane is one camera's lane.
type timelineLane struct {
	ID, Name string
	Data     TimelineData
	// Pos is the camera's own position while playback is not synced;
	// zero when it follows the playhead.
	Pos time.Time
}

// timelineWidget is the timeline. Its callbacks run on the UI goroutine.
type timelineWidget struct {
	widget.BaseWidget

	loc      *time.Location
	view     timeView
	lanes    []timelineLane
	playhead time.Time
	in, out  time.Time // the selection; zero when unset

	// onSeek asks for a seek; final is false while a scrub goes on.
	onSeek func(at time.Time, final bool)
	// onView hears every change of the view (zoom, pan, paging on).
	onView func(v timeView)
	// onHover hears the pointer over lane at time at (x in the widget);
	// lane < 0 when it left the lanes.
	onHover func(lane int, at time.Time, x float32)

	drag     int // dragNone, dragPan or dragScrub
	rend     *timelineRenderer
	hoverX   float32
	hovering bool
}

const (
	dragNone = iota
	dragPan
	dragScrub
)

var (
	_ fyne.Tappable       = (*timelineWidget)(nil)
	_ fyne.Draggable      = (*timelineWidget)(nil)
	_ fyne.Scrollable     = (*timelineWidget)(nil)
	_ desktop.Hoverable   = (*timelineWidget)(nil)
	_ fyne.WidgetRenderer = (*timelineRenderer)(nil)
)

func newTimeline(loc *time.Location, v timeView) *timelineWidget {
	t := &timelineWidget{loc: loc, view: v}
	t.ExtendBaseWidget(t)
	return t
}

// width is the time area's width.
func (t *timelineWidget) width() float64 { return float64(t.Size().Width - laneGutter) }

// timeAtX is the time under the widget's x.
func (t *timelineWidget) timeAtX(x float32) time.Time {
	return t.view.timeAt(float64(x-laneGutter), t.width())
}

// xAtTime is the widget's x of at.
func (t *timelineWidget) xAtTime(at time.Time) float32 {
	return laneGutter + float32(t.view.xAt(at, t.width()))
}

// SetView shows v.
func (t *timelineWidget) SetView(v timeView) {
	t.view = v
	if t.onView != nil {
		t.onView(v)
	}
	t.Refresh()
}

// SetLanes shows lanes, one per camera.
func (t *timelineWidget) SetLanes(lanes []timelineLane) {
	t.lanes = lanes
	t.Refresh()
}

// SetPlayhead moves the playhead to at, paging the view on when at
// leaves it. Only the playhead lines move unless the view changed.
func (t *timelineWidget) SetPlayhead(at time.Time, follow bool) {
	t.playhead = at
	if follow && t.drag == dragNone {
		if v := t.view.follow(at); !v.From.Equal(t.view.From) {
			t.SetView(v)
			return
		}
	}
	if t.rend != nil {
		t.rend.layoutHeads(t.Size())
		return
	}
}

// SetSelection sets the in and out marks (zero: unset).
func (t *timelineWidget) SetSelection(in, out time.Time) {
	t.in, t.out = in, out
	t.Refresh()
}

// Zoom scales the view about anchor (factor < 1 zooms in).
func (t *timelineWidget) Zoom(factor float64, anchor time.Time) {
	t.SetView(t.view.zoom(factor, anchor))
}

// Tapped seeks to the time under the pointer.
func (t *timelineWidget) Tapped(ev *fyne.PointEvent) {
	if ev.Position.X < laneGutter || t.onSeek == nil {
		return
	}
	t.onSeek(t.timeAtX(ev.Position.X), true)
}

// Scrolled zooms about the pointer: up zooms in.
func (t *timelineWidget) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DY == 0 {
		return
	}
	f := wheelZoom
	if ev.Scrolled.DY < 0 {
		f = 1 / wheelZoom
	}
	x := max(ev.Position.X, laneGutter)
	t.Zoom(f, t.timeAtX(x))
}

// Dragged pans the view, or scrubs when the drag began on the playhead or
// on the ruler.
func (t *timelineWidget) Dragged(ev *fyne.DragEvent) {
	if t.drag == dragNone {
		start := ev.Position.Subtract(ev.Dragged)
		hx := t.xAtTime(t.playhead)
		if start.Y < rulerHeight || (start.X >= hx-grabRadius && start.X <= hx+grabRadius) {
			t.drag = dragScrub
		} else {
			t.drag = dragPan
		}
	}
	switch t.drag {
	case dragPan:
		t.SetView(t.view.pan(float64(ev.Dragged.DX), t.width()))
	case dragScrub:
		x := min(max(ev.Position.X, laneGutter), t.Size().Width)
		t.playhead = t.timeAtX(x)
		if t.rend != nil {
			t.rend.layoutHeads(t.Size())
		}
		if t.onSeek != nil {
			t.onSeek(t.playhead, false)
		}
	}
}

// DragEnd ends a pan, or a scrub with its final seek.
func (t *timelineWidget) DragEnd() {
	if t.drag == dragScrub && t.onSeek != nil {
		t.onSeek(t.playhead, true)
	}
	t.drag = dragNone
}

// MouseIn implements desktop.Hoverable.
func (t *timelineWidget) MouseIn(ev *desktop.MouseEvent) { t.MouseMoved(ev) }

// MouseMoved reports the lane and time under the pointer.
func (t *timelineWidget) MouseMoved(ev *desktop.MouseEvent) {
	t.hoverX, t.hovering = ev.Position.X, ev.Position.X >= laneGutter
	if t.rend != nil {
		t.rend.layoutHeads(t.Size())
	}
	if t.onHover == nil {
		return
	}
	lane := int((ev.Position.Y - rulerHeight) / laneHeight)
	if ev.Position.Y < rulerHeight || lane >= len(t.lanes) || ev.Position.X < laneGutter {
		lane = -1
	}
	t.onHover(lane, t.timeAtX(ev.Position.X), ev.Position.X)
}

// MouseOut implements desktop.Hoverable.
func (t *timelineWidget) MouseOut() {
	t.hovering = false
	if t.rend != nil {
		t.rend.layoutHeads(t.Size())
	}
	if t.onHover != nil {
		t.onHover(-1, time.Time{}, 0)
	}
}

// CreateRenderer implements fyne.Widget.
func (t *timelineWidget) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t}
	r.bg = canvas.NewRectangle(color.NRGBA{0x1c, 0x1e, 0x22, 0xff})
	r.sel = canvas.NewRectangle(colSel)
	r.head = canvas.NewRectangle(colHead)
	r.hover = canvas.NewRectangle(color.NRGBA{0xff, 0xff, 0xff, 0x60})
	r.inMark = canvas.NewRectangle(colMark)
	r.outMark = canvas.NewRectangle(colMark)
	t.rend = r
	r.rebuild()
	return r
}
