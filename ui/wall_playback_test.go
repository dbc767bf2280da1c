package ui

import (
	"context"
	"image/color"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// statusText is a TileStatus func for tests that the test can change.
type statusText struct {
	mu   sync.Mutex
	text map[int]string
}

func (s *statusText) get(i int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text[i]
}

func (s *statusText) set(i int, v string) {
	s.mu.Lock()
	s.text[i] = v
	s.mu.Unlock()
}

// TestPlaybackWallStatusAndNoLiveChrome: a playback wall shows each
// tile's status text on a dark panel, never black, and none of the live
// wall's chrome: no PTZ, no recording toggle or REC mark, no connection
// badge, no main stream, no replay. Double click still fills the wall
// with one tile.
func TestPlaybackWallStatusAndNoLiveChrome(t *testing.T) {
	test.NewTempApp(t)
	ptz := &fakePTZ{}
	toggles, replays := 0, 0
	var mains atomic.Int32
	status := &statusText{text: map[int]string{}}
	w := NewWall([]LiveStream{
		{ID: "a", Name: "Door", Source: &fakeSource{state: TilePlaying, col: liveRed}, PTZ: ptz,
			Recording:    func() bool { return true },
			ToggleRecord: func(context.Context) (bool, error) { toggles++; return true, nil },
			Replay: func(context.Context, time.Duration) (LiveSource, func(), error) {
				replays++
				return &fakeSource{}, func() {}, nil
			}},
		{ID: "b", Name: "Yard", Source: &fakeSource{state: TileReconnecting, since: time.Now().Add(-45 * time.Second), col: liveGreen},
			OpenMain: func() (LiveSource, func()) { mains.Add(1); return &fakeSource{}, func() {} }},
	}, WallConfig{Playback: true, TileStatus: status.get})
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(400, 200))
	// The playhead leaves Door's footage: its picture gives way to the
	// panel.
	if c := tilePixel(w, 0); c != liveRed {
		t.Fatalf("tile shows %v before any status, want its picture %v", c, liveRed)
	}
	status.set(0, "no recording · next 14:32:05")
	w.updateOverlays()
	if got := w.texts[0].badge; got != "no recording · next 14:32:05" {
		t.Fatalf("status text %q", got)
	}
	if got := w.texts[1].badge; got != "" {
		t.Fatalf("a playback tile shows the connection badge %q", got)
	}
	if got := w.RecordText(0); got != "" {
		t.Fatalf("a playback tile shows the REC mark %q", got)
	}
	if c := tilePixel(w, 0); c != panelRGB {
		t.Fatalf("the tile under the status text is %v, want the dark panel %v", c, panelRGB)
	}
	// Footage at the playhead again: the panel goes, the picture shows.
	status.set(0, "")
	w.updateOverlays()
	if c := tilePixel(w, 0); c != liveRed {
		t.Fatalf("tile shows %v once its status is gone, want its picture %v", c, liveRed)
	}
	if got := w.texts[0].badge; got != "" {
		t.Fatalf("badge %q after the status went", got)
	}
	// Keys and menu of the live wall do nothing here.
	w.Select(0)
	w.KeyDown(fyne.KeyRight)
	w.KeyUp(fyne.KeyRight)
	w.NudgePTZ(1, 0, 0)
	for _, k := range []fyne.KeyName{fyne.KeyH, fyne.Key3, fyne.KeyR, fyne.KeyP} {
		key(w, k)
	}
	if len(ptz.calls) != 0 || toggles != 0 || replays != 0 {
		t.Fatalf("live keys acted on a playback wall: PTZ %q, record toggles %d, replays %d", ptz.calls, toggles, replays)
	}
	for _, it := range w.tileMenu(0, 0).Items {
		switch it.Label {
		case "Record (R)", "Stop recording (R)", "Replay last 30 s (P)":
			t.Errorf("the playback tile menu offers %q", it.Label)
		}
	}
	// A filled tile larger than the sub stream stays on the tile's source.
	w.Fullscreen(1)
	w.comp.generate(1600, 900)
	w.comp.mu.Lock()
	nMains := len(w.comp.mains)
	w.comp.mu.Unlock()
	if nMains != 0 || mains.Load() != 0 {
		t.Fatalf("a playback wall opened %d main streams", max(nMains, int(mains.Load())))
	}
	w.Fullscreen(-1)
	// Double click fills the wall with the tile under the pointer.
	tile1 := w.CurrentLayout().Tiles[1]
	w.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(float32(tile1.X+tile1.W/2)*400, float32(tile1.Y+tile1.H/2)*200)})
	if w.FullscreenStream() != 1 {
		t.Fatalf("double click filled the wall with %d, want 1", w.FullscreenStream())
	}
	w.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(200, 100)})
	if w.FullscreenStream() != -1 {
		t.Fatal("a second double click did not go back to the layout")
	}
}

// TestLiveWallStatusText: on a live wall a status text takes the place of
// the connection badge, on the same dark panel.
func TestLiveWallStatusText(t *testing.T) {
	test.NewTempApp(t)
	status := &statusText{text: map[int]string{}}
	w := NewWall([]LiveStream{
		{ID: "a", Name: "Door", Source: &fakeSource{state: TileReconnecting, since: time.Now().Add(-3 * time.Second), col: liveRed}},
	}, WallConfig{TileStatus: status.get})
	t.Cleanup(w.Close)
	w.updateOverlays()
	if got := w.texts[0].badge; got != "reconnecting… 3s" {
		t.Fatalf("live badge %q", got)
	}
	status.set(0, "camera disabled")
	w.updateOverlays()
	if got := w.texts[0].badge; got != "camera disabled" {
		t.Fatalf("status badge %q", got)
	}
	if c := tilePixel(w, 0); c != panelRGB || c == (color.RGBA{A: 255}) {
		t.Fatalf("tile %v, want the panel %v", c, panelRGB)
	}
}

// TestWallPlaybackMarkup: a playback wall of two cameras, one with no
// footage at the playhead: its status text in the middle of its tile, and
// no REC mark, badge or warning on either.
func TestWallPlaybackMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	status := &statusText{text: map[int]string{1: "no recording · next 14:32:05"}}
	w := NewWall([]LiveStream{
		{ID: "a", Name: "Front door", Source: &fakeSource{state: TilePlaying, col: liveRed}, Recording: func() bool { return true }},
		{ID: "b", Name: "Yard", Source: &fakeSource{state: TileReconnecting, since: time.Now().Add(-time.Minute), col: liveGreen}},
	}, WallConfig{Playback: true, TileStatus: status.get})
	t.Cleanup(w.Close)
	win := a.NewWindow("wall")
	win.SetContent(w)
	win.Resize(fyne.NewSize(640, 360))
	w.updateOverlays()
	test.AssertRendersToMarkup(t, "wall_playback.xml", win.Canvas())
}
