package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// newTestTimeline is a 1110-wide timeline (1000 px of time after the
// 110 px of names) over 13:00–14:00 CEST with the scene's two lanes.
func newTestTimeline(t *testing.T) *timelineWidget {
	t.Helper()
	test.NewTempApp(t)
	fake := newFakePlayback()
	tl := newTimeline(berlin(t), timeView{From: cest(13, 0, 0), Span: time.Hour})
	tl.SetLanes([]timelineLane{
		{ID: "door", Name: "Front door", Data: fake.timelines["door"]},
		{ID: "yard", Name: "Yard", Data: fake.timelines["yard"]},
	})
	tl.playhead = cest(13, 30, 0)
	tl.Resize(fyne.NewSize(laneGutter+1000, rulerHeight+2*laneHeight))
	return tl
}

// TestTimelineClickSeeks: a click at x = 110+250 seeks to 13:15.
func TestTimelineClickSeeks(t *testing.T) {
	tl := newTestTimeline(t)
	var got time.Time
	final := false
	tl.onSeek = func(at time.Time, f bool) { got, final = at, f }
	test.TapAt(tl, fyne.NewPos(laneGutter+250, rulerHeight+5))
	if !got.Equal(cest(13, 15, 0)) || !final {
		t.Fatalf("click seeks to %v (final %v), want 13:15 CEST", got, final)
	}
	got = time.Time{}
	test.TapAt(tl, fyne.NewPos(50, rulerHeight+5)) // on the names
	if !got.IsZero() {
		t.Fatal("a click on the lane names seeked")
	}
}

// TestTimelineWheelZoomsAboutPointer: the time under the pointer stays.
func TestTimelineWheelZoomsAboutPointer(t *testing.T) {
	tl := newTestTimeline(t)
	pos := fyne.NewPos(laneGutter+750, rulerHeight+5) // 13:45
	tl.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pos}, Scrolled: fyne.Delta{DY: 1}})
	if tl.view.Span != 48*time.Minute {
		t.Fatalf("wheel up: span %v, want 48m", tl.view.Span)
	}
	if at := tl.timeAtX(pos.X); at.Sub(cest(13, 45, 0)).Abs() > time.Millisecond {
		t.Fatalf("under the pointer now %v, want 13:45", at)
	}
	tl.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pos}, Scrolled: fyne.Delta{DY: -1}})
	if tl.view.Span != time.Hour {
		t.Fatalf("wheel down: span %v", tl.view.Span)
	}
}

// TestTimelineDragPansOrScrubs: a drag on a lane pans; one that starts on
// the playhead scrubs it, seeking as it goes and once more at the end.
func TestTimelineDragPansOrScrubs(t *testing.T) {
	tl := newTestTimeline(t)
	var seeks []bool
	tl.onSeek = func(at time.Time, final bool) { seeks = append(seeks, final) }
	drag := func(from fyne.Position, dx float32) {
		tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: from.AddXY(dx, 0)}, Dragged: fyne.Delta{DX: dx}})
		tl.DragEnd()
	}
	drag(fyne.NewPos(laneGutter+100, rulerHeight+5), 100)
	if !tl.view.From.Equal(cest(12, 54, 0)) {
		t.Fatalf("pan: from %v, want 12:54", tl.view.From)
	}
	if len(seeks) != 0 {
		t.Fatal("a pan seeked")
	}
	hx := tl.xAtTime(tl.playhead)
	drag(fyne.NewPos(hx, rulerHeight+5), 50) // 50 px = 3 min
	if !tl.playhead.Equal(cest(13, 33, 0)) {
		t.Fatalf("scrub: playhead %v, want 13:33", tl.playhead)
	}
	if len(seeks) != 2 || seeks[0] || !seeks[1] {
		t.Fatalf("scrub seeks (final flags) %v, want [false true]", seeks)
	}
	if !tl.view.From.Equal(cest(12, 54, 0)) {
		t.Fatal("a scrub panned")
	}
}

// TestTimelineHoverLane: the pointer over a lane names it and the time.
func TestTimelineHoverLane(t *testing.T) {
	tl := newTestTimeline(t)
	lane := -2
	var at time.Time
	tl.onHover = func(l int, a time.Time, x float32) { lane, at = l, a }
	tl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(laneGutter+500, rulerHeight+laneHeight+20)}})
	if lane != 1 || !at.Equal(cest(13, 30, 0)) {
		t.Fatalf("hover lane %d at %v, want 1 at 13:30", lane, at)
	}
	tl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(laneGutter+500, 5)}})
	if lane != -1 {
		t.Fatalf("hover over the ruler: lane %d", lane)
	}
}

// TestTimelineColours: what the timeline paints at the scene's moments,
// read from its rendered pixels: recorded green, the gap grey, motion
// orange, damaged red.
func TestTimelineColours(t *testing.T) {
	a := test.NewTempApp(t)
	tl := newTestTimeline(t)
	win := a.NewWindow("tl")
	size := tl.Size()
	win.SetPadded(false)
	win.SetContent(tl)
	win.Resize(size)
	img := win.Canvas().Capture()
	y0 := rulerHeight + 4              // the door lane, above the motion band
	y1 := rulerHeight + laneHeight - 4 // the door lane, in the motion band
	at := func(tm time.Time, y int) [3]uint8 {
		x := int(tl.xAtTime(tm))
		r, g, b, _ := img.At(x, y).RGBA()
		return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
	}
	rgb := func(c interface{ RGBA() (r, g, b, a uint32) }) [3]uint8 {
		r, g, b, _ := c.RGBA()
		return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
	}
	for _, c := range []struct {
		what string
		at   time.Time
		y    int
		want [3]uint8
	}{
		{"recorded", cest(13, 5, 0), y0, rgb(colRun)},
		{"gap", cest(13, 20, 30), y0, rgb(colGap)},
		{"motion", cest(13, 10, 20), y1, rgb(colMotion)},
		{"damaged", cest(13, 30, 30), y0, rgb(colDamaged)},
	} {
		if got := at(c.at, c.y); got != c.want {
			t.Errorf("%s at %s: pixel %v, want %v", c.what, c.at.Format("15:04:05"), got, c.want)
		}
	}
}
