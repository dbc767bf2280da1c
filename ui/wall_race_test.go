package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// These two tests catch races under -race (the project's tests run with
// it): each drives the UI goroutine's side and the paint or pump side at
// once.

// TestWallSurfaceFixedBeforePump: the X11 surface's settings are given to
// NewWall, so the pump, which reads them on every tick, never sees them
// change. (They used to be set by a call after the pump had started.)
func TestWallSurfaceFixedBeforePump(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("wall")
	src := &fakeSource{state: TilePlaying}
	w := NewWall([]LiveStream{{ID: "a", Name: "Door", Source: src}}, WallConfig{Window: win})
	t.Cleanup(w.Close)
	win.SetContent(w)
	win.Resize(fyne.NewSize(400, 200))
	// Let the pump tick a few times: each tick reads the surface state.
	time.Sleep(5 * refreshInterval)
	if w.native == nil {
		t.Fatal("a wall given a window has no surface state")
	}
}

// TestFullscreenWhilePainting: filling the wall and going back, on the UI
// goroutine, while the paint thread composes and reports its milestones.
func TestFullscreenWhilePainting(t *testing.T) {
	test.NewTempApp(t)
	srcs := []*fakeSource{{state: TilePlaying}, {state: TilePlaying}}
	events := make(chan string, 100)
	w := NewWall([]LiveStream{{ID: "a", Name: "Door", Source: srcs[0]}, {ID: "b", Name: "Yard", Source: srcs[1]}},
		WallConfig{OnEvent: func(what string, _ time.Duration) {
			select {
			case events <- what:
			default:
			}
		}})
	t.Cleanup(w.Close)
	started, stop, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		for {
			select {
			case <-stop:
				return
			default:
				w.comp.generate(400, 200)
			}
		}
	}()
	<-started
	for range 200 {
		w.Fullscreen(0)
		w.Fullscreen(-1)
	}
	close(stop)
	<-done
	if w.FullscreenStream() != -1 {
		t.Fatalf("wall still filled by %d", w.FullscreenStream())
	}
}
