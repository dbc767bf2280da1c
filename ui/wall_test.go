package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

type fakeSource struct {
	mu    sync.Mutex
	state TileState
	since time.Time
	col   color.RGBA
}

func (f *fakeSource) NewFrame() bool { return false }
func (f *fakeSource) Render(dst *image.RGBA, r image.Rectangle) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dst.SetRGBA(x, y, f.col)
		}
	}
	return nil
}
func (f *fakeSource) State() (TileState, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state, f.since
}
func (f *fakeSource) Stats() TileStats {
	return TileStats{Codec: "h264", Width: 640, Height: 360, FPS: 15, BitrateKbps: 400, LatencyMs: 80}
}
func (f *fakeSource) set(s TileState, since time.Time) {
	f.mu.Lock()
	f.state, f.since = s, since
	f.mu.Unlock()
}

type fakePTZ struct{ calls []string }

func (p *fakePTZ) Move(pan, tilt, zoom float64) {
	p.calls = append(p.calls, fmt.Sprintf("move %.1f %.1f %.1f", pan, tilt, zoom))
}
func (p *fakePTZ) Stop()            { p.calls = append(p.calls, "stop") }
func (p *fakePTZ) Home()            { p.calls = append(p.calls, "home") }
func (p *fakePTZ) GotoPreset(n int) { p.calls = append(p.calls, fmt.Sprintf("goto %d", n)) }
func (p *fakePTZ) SetPreset(n int)  { p.calls = append(p.calls, fmt.Sprintf("set %d", n)) }

// newTestWall makes a two-tile wall; edit, if given, changes the streams
// before the wall starts (its pump reads them on a goroutine of its own).
func newTestWall(t *testing.T, edit ...func([]LiveStream)) (*Wall, []*fakeSource, *fakePTZ) {
	test.NewTempApp(t)
	srcs := []*fakeSource{
		{state: TilePlaying, col: color.RGBA{200, 30, 30, 255}},
		{state: TilePlaying, col: color.RGBA{30, 200, 30, 255}},
	}
	ptz := &fakePTZ{}
	streams := []LiveStream{
		{ID: "a", Name: "Door", Source: srcs[0], PTZ: ptz, FactoryPassword: true},
		{ID: "b", Name: "Yard", Source: srcs[1]},
	}
	for _, e := range edit {
		e(streams)
	}
	w := NewWall(streams, WallConfig{})
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(400, 200))
	return w, srcs, ptz
}

// TestTileStaleKeepsGreyedFrame: a dropped camera's tile keeps its last
// frame, greyed, never black, and says it is reconnecting; after 30 s it
// says offline with the time it was last seen.
func TestTileStaleKeepsGreyedFrame(t *testing.T) {
	w, srcs, _ := newTestWall(t)
	img := w.comp.generate(400, 200).(*image.RGBA)
	tile := Layouts[1].Tiles[0].pixelRect(400, 200)
	mid := image.Pt(tile.Min.X+tile.Dx()/2, tile.Min.Y+tile.Dy()/2)
	if c := img.RGBAAt(mid.X, mid.Y); c.R != 200 {
		t.Fatalf("playing tile pixel %v", c)
	}
	srcs[0].set(TileReconnecting, time.Now().Add(-3*time.Second))
	img = w.comp.generate(400, 200).(*image.RGBA)
	c := img.RGBAAt(mid.X, mid.Y)
	if c.R == 0 && c.G == 0 && c.B == 0 {
		t.Fatal("stale tile went black")
	}
	if c.R != c.G || c.G != c.B || c.R == 200 {
		t.Fatalf("stale tile not greyed: %v", c)
	}
	w.updateOverlays()
	if got := w.texts[0].badge; got != "reconnecting… 3s" {
		t.Fatalf("badge %q", got)
	}
	seen := time.Now().Add(-45 * time.Second)
	srcs[0].set(TileReconnecting, seen)
	w.updateOverlays()
	if got := w.texts[0].badge; got != "offline · last seen "+seen.Format("15:04:05") {
		t.Fatalf("offline badge %q", got)
	}
	srcs[0].set(TilePlaying, time.Now())
	w.updateOverlays()
	if got := w.texts[0].badge; got != "" {
		t.Fatalf("badge after recovery %q", got)
	}
	if w.texts[0].warn == "" || w.texts[1].warn != "" {
		t.Fatal("factory-password badge on the wrong tile")
	}
}

func TestStatsToggle(t *testing.T) {
	w, _, _ := newTestWall(t)
	w.updateOverlays()
	if w.texts[0].stats != "" {
		t.Fatal("stats shown by default")
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyI})
	if !strings.Contains(w.texts[0].stats, "640x360") || !strings.Contains(w.texts[0].stats, "15 fps") {
		t.Fatalf("stats line %q", w.texts[0].stats)
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyI})
	if w.texts[0].stats != "" {
		t.Fatal("stats not hidden again")
	}
}

func TestWallKeyboardPTZAndFullscreen(t *testing.T) {
	w, _, ptz := newTestWall(t)
	w.KeyDown(fyne.KeyRight)
	w.KeyDown(fyne.KeyUp)
	w.KeyUp(fyne.KeyRight)
	w.KeyUp(fyne.KeyUp)
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyH})
	w.TypedKey(&fyne.KeyEvent{Name: fyne.Key3})
	w.KeyDown("LeftControl")
	w.TypedKey(&fyne.KeyEvent{Name: fyne.Key4})
	w.KeyUp("LeftControl")
	want := []string{"move 0.5 0.0 0.0", "move 0.5 0.5 0.0", "move 0.0 0.5 0.0", "stop", "home", "goto 3", "set 4"}
	if strings.Join(ptz.calls, "|") != strings.Join(want, "|") {
		t.Fatalf("PTZ calls %q\nwant %q", ptz.calls, want)
	}
	// Holding a key and losing focus stops the camera.
	ptz.calls = nil
	w.KeyDown(fyne.KeyLeft)
	w.StopPTZ()
	if len(ptz.calls) != 2 || ptz.calls[1] != "stop" {
		t.Fatalf("focus loss: %q", ptz.calls)
	}
	// A camera without PTZ gets nothing.
	w.Select(1)
	ptz.calls = nil
	w.KeyDown(fyne.KeyLeft)
	w.KeyUp(fyne.KeyLeft)
	if len(ptz.calls) != 0 {
		t.Fatalf("non-PTZ camera moved: %q", ptz.calls)
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.FullscreenStream() != 1 {
		t.Fatalf("Enter: fullscreen %d", w.FullscreenStream())
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.FullscreenStream() != -1 {
		t.Fatal("Esc did not go back")
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyL})
	if w.CurrentLayout().Name != "3×3" {
		t.Fatalf("L: layout %s", w.CurrentLayout().Name)
	}
}

func TestLayouts(t *testing.T) {
	want := map[string]int{"1×1": 1, "2×2": 4, "3×3": 9, "4×4": 16, "1+5": 6, "1+7": 8}
	for _, l := range Layouts {
		if len(l.Tiles) != want[l.Name] {
			t.Errorf("%s has %d tiles", l.Name, len(l.Tiles))
		}
		area := 0.0
		for _, r := range l.Tiles {
			area += r.W * r.H
		}
		if area < 0.999 || area > 1.001 {
			t.Errorf("%s covers %.3f of the wall", l.Name, area)
		}
	}
	if layoutFor(5).Name != "3×3" || layoutFor(1).Name != "1×1" || layoutFor(30).Name != "4×4" {
		t.Fatal("layoutFor")
	}
}

func TestSnapshotKeyShowsWhereItWent(t *testing.T) {
	w, _, _ := newTestWall(t, func(s []LiveStream) {
		s[0].Snapshot = func(ctx context.Context) (string, error) { return "/data/snapshots/Door.png", nil }
	})
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyS})
	if got := w.ToastText(); got != "Snapshot saved: /data/snapshots/Door.png" {
		t.Fatalf("toast %q", got)
	}
}

// TestFailureToastsSayWhatToDo: a failed snapshot or recording says what
// happened and what to do next.
func TestFailureToastsSayWhatToDo(t *testing.T) {
	w, _, _ := newTestWall(t, func(s []LiveStream) {
		s[0].Snapshot = func(ctx context.Context) (string, error) { return "", errors.New("camera did not answer") }
		s[0].ToggleRecord = func(context.Context) (bool, error) { return false, errors.New("disk full") }
	})
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyS})
	if got := w.ToastText(); !strings.Contains(got, "camera did not answer") || !strings.Contains(got, "press S again") {
		t.Errorf("snapshot toast %q lacks the error or what to do", got)
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyR})
	if got := w.ToastText(); !strings.Contains(got, "disk full") || !strings.Contains(got, "press R again") {
		t.Errorf("record toast %q lacks the error or what to do", got)
	}
	if w.RecordText(0) != "" {
		t.Errorf("a failed start shows %q", w.RecordText(0))
	}
}

func TestAssignSwapAndArrangement(t *testing.T) {
	w, _, _ := newTestWall(t)
	// 2 streams on a 2×2 layout: tiles 2 and 3 are empty.
	if w.TileStream(0) != 0 || w.TileStream(1) != 1 || w.TileStream(2) != -1 {
		t.Fatalf("initial assignment %v", w.model.assign[:4])
	}
	w.Assign(3, 0) // stream 0 moves to tile 3; tile 0 takes what tile 3 had (nothing)
	if w.TileStream(3) != 0 || w.TileStream(0) != -1 {
		t.Fatalf("after assign %v", w.model.assign[:4])
	}
	w.Assign(1, 0) // swap with stream 1
	if w.TileStream(1) != 0 || w.TileStream(3) != 1 {
		t.Fatalf("after swap %v", w.model.assign[:4])
	}
	saved := w.Arrangement("Night")
	if saved.Layout != "2×2" || strings.Join(saved.Cameras, ",") != ",a,,b" {
		t.Fatalf("arrangement %+v", saved)
	}
	w.SetLayout(Layouts[0])
	w.Apply(saved)
	if w.CurrentLayout().Name != "2×2" || w.TileStream(1) != 0 || w.TileStream(3) != 1 || w.TileStream(0) != -1 {
		t.Fatalf("apply: %s %v", w.CurrentLayout().Name, w.model.assign[:4])
	}
	// Empty tiles are dark grey, not black.
	img := w.comp.generate(400, 200).(*image.RGBA)
	r := Layouts[1].Tiles[0].pixelRect(400, 200)
	if c := img.RGBAAt(r.Min.X+10, r.Min.Y+10); c.R == 0 && c.G == 0 && c.B == 0 {
		t.Fatal("empty tile is black")
	}
}

// TestMainStreamFollowsTileSize: a tile clearly wider than the sub stream
// opens the main stream and draws it once it plays; a small tile does not.
func TestMainStreamFollowsTileSize(t *testing.T) {
	test.NewTempApp(t)
	sub := &fakeSource{state: TilePlaying, col: color.RGBA{10, 10, 200, 255}}
	main := &fakeSource{state: TilePlaying, col: color.RGBA{10, 200, 10, 255}}
	opened := make(chan struct{}, 4)
	w := NewWall([]LiveStream{{ID: "a", Name: "Door", Source: sub, OpenMain: func() (LiveSource, func()) {
		opened <- struct{}{}
		return main, func() {}
	}}}, WallConfig{})
	defer w.Close()
	w.comp.refreshSubWidths()
	w.comp.generate(600, 300) // 1×1 tile of 600 px: below 1.2 × 640
	select {
	case <-opened:
		t.Fatal("main stream opened for a tile smaller than the sub stream")
	default:
	}
	w.comp.generate(1600, 900)
	select {
	case <-opened:
	case <-time.After(2 * time.Second):
		t.Fatal("main stream not opened for a large tile")
	}
	var img *image.RGBA
	deadline := time.Now().Add(2 * time.Second)
	for {
		img = w.comp.generate(1600, 900).(*image.RGBA)
		if img.RGBAAt(800, 450).G == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if c := img.RGBAAt(800, 450); c.G != 200 {
		t.Fatalf("large tile shows %v, want the main stream", c)
	}
}

// TestRecordKeyTogglesAndShowsDot: R on the selected tile starts manual
// recording, the tile shows the red REC mark, and R again stops it.
func TestRecordKeyTogglesAndShowsDot(t *testing.T) {
	// The wall's pump reads Recording on its own goroutine, as it does
	// with a real recorder's.
	var rec atomic.Bool
	w, _, _ := newTestWall(t, func(s []LiveStream) {
		s[0].Recording = rec.Load
		s[0].ToggleRecord = func(context.Context) (bool, error) { on := !rec.Load(); rec.Store(on); return on, nil }
	})
	w.Select(0)
	w.updateOverlays()
	if got := w.RecordText(0); got != "" {
		t.Fatalf("REC shown before recording: %q", got)
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyR})
	if !rec.Load() || w.RecordText(0) != "● REC" || w.ToastText() != "Recording Door (R stops)" {
		t.Fatalf("after R: on=%v mark=%q toast=%q", rec.Load(), w.RecordText(0), w.ToastText())
	}
	if w.RecordText(1) != "" {
		t.Errorf("the other tile shows %q", w.RecordText(1))
	}
	w.TypedKey(&fyne.KeyEvent{Name: fyne.KeyR})
	if rec.Load() || w.RecordText(0) != "" || w.ToastText() != "Stopped recording Door" {
		t.Fatalf("after second R: on=%v mark=%q toast=%q", rec.Load(), w.RecordText(0), w.ToastText())
	}
}

func TestParseRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "30": 30 * 24 * time.Hour, "30 d": 30 * 24 * time.Hour, "12h": 12 * time.Hour, " 2 H ": 2 * time.Hour} {
		got, err := parseRetention(in)
		if err != nil || got != want {
			t.Errorf("parseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
		if back, err := parseRetention(formatRetention(got)); err != nil || back != got {
			t.Errorf("format/parse of %v gives %v, %v", got, back, err)
		}
	}
	for _, bad := range []string{"x", "-1", "5 w", "99999 d"} {
		if _, err := parseRetention(bad); err == nil {
			t.Errorf("parseRetention(%q) accepted", bad)
		}
	}
}

func TestFitTextCutsLongNames(t *testing.T) {
	test.NewTempApp(t)
	style := fyne.TextStyle{Bold: true}
	if got := fitText("Lobby", 500, 14, style); got != "Lobby" {
		t.Errorf("short name changed: %q", got)
	}
	long := "Nightjar Camsim PTZ (127.0.0.1) loading dock north"
	got := fitText(long, 120, 14, style)
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Fatalf("fitText = %q, want a prefix of the name and an ellipsis", got)
	}
	if w := fyne.MeasureText(got, 14, style).Width; w > 120 {
		t.Errorf("cut name is %v wide, want at most 120", w)
	}
	if more := []rune(strings.TrimSuffix(got, "…")); fyne.MeasureText(string([]rune(long)[:len(more)+1])+"…", 14, style).Width <= 120 {
		t.Errorf("fitText(%q) cut more than it had to", got)
	}
}
