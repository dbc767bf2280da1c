package ui

import (
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// TestPlaybackFallBackDay: on 2026-10-25 in Berlin (25 hours) the page
// shows the whole day, and footage recorded from 02:30 to 03:30 CET, in
// the second 02:00 hour, sits 3.5 of 25 hours along the timeline (three
// and a half real hours after midnight CEST), not 2.5 of 24.
func TestPlaybackFallBackDay(t *testing.T) {
	loc := berlin(t)
	from := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // 02:30 CET
	to := from.Add(time.Hour)
	fake := newFakePlayback()
	fake.timelines = map[string]TimelineData{"door": {Runs: []TimeSpan{{from, to}}}}
	fake.days = map[int]bool{25: true}
	a := test.NewTempApp(t)
	svc := &fakeServices{cameras: 1}
	w := NewMainWindow(a, Services{Cameras: svc, Playback: fake}, WindowConfig{Location: loc,
		Now: func() time.Time { return time.Date(2026, 10, 26, 9, 0, 0, 0, loc) }})
	t.Cleanup(w.closeWalls)
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.ShowPage(PagePlayback)
	p := w.playback
	p.cal.show(2026, time.October) // it opens on the month of now: October
	test.Tap(p.cal.buttons[25])
	if p.tl.view.Span != 25*time.Hour {
		t.Fatalf("the day shows %v, want 25h", p.tl.view.Span)
	}
	if got := fake.session().last("seek"); got != "seek 01:30:00.000" {
		t.Fatalf("picking the day went to %q, want its footage at 01:30 UTC", got)
	}
	width := float64(p.tl.Size().Width - laneGutter)
	var run *canvas.Rectangle
	for _, o := range p.tl.rend.objs {
		if r, ok := o.(*canvas.Rectangle); ok && r.FillColor == colRun {
			run = r
		}
	}
	if run == nil {
		t.Fatal("no run drawn")
	}
	wantX := laneGutter + 3.5/25*width
	wantW := 1.0 / 25 * width
	if gx, gw := float64(run.Position().X), float64(run.Size().Width); math.Abs(gx-wantX) > 1 || math.Abs(gw-wantW) > 1 {
		t.Fatalf("run drawn at x=%.1f w=%.1f, want x=%.1f w=%.1f (±1 px)", gx, gw, wantX, wantW)
	}
}
