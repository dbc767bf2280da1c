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
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// fakeReplay is a replay source: a fakeSource that says how far behind
// live it is.
type fakeReplay struct {
	fakeSource
	bmu    sync.Mutex
	behind time.Duration
}

func (f *fakeReplay) Behind() time.Duration {
	f.bmu.Lock()
	defer f.bmu.Unlock()
	return f.behind
}

func (f *fakeReplay) setBehind(d time.Duration) {
	f.bmu.Lock()
	f.behind = d
	f.bmu.Unlock()
}

// replayer is a camera's Replay func for tests: it records the distances
// asked for and counts the closes of what it opened.
type replayer struct {
	src *fakeReplay
	// fresh, when set, makes a new source for every replay, in place of
	// src; each fails the test if called after its close.
	fresh   func() *checkedReplay
	err     error
	release chan struct{} // when set, Replay waits for it
	// closeDelay is how long a close takes, as a player's can.
	closeDelay time.Duration

	mu     sync.Mutex
	agos   []time.Duration
	closes int
	closed chan struct{} // closed at the first close
}

func newReplayer(src *fakeReplay) *replayer {
	return &replayer{src: src, closed: make(chan struct{})}
}

func (r *replayer) open(ctx context.Context, ago time.Duration) (LiveSource, func(), error) {
	r.mu.Lock()
	r.agos = append(r.agos, ago)
	r.mu.Unlock()
	if r.release != nil {
		select {
		case <-r.release:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	var src LiveSource = r.src
	var dead *atomic.Bool
	if r.fresh != nil {
		c := r.fresh()
		src, dead = c, &c.dead
	}
	return src, func() {
		if dead != nil {
			dead.Store(true)
		}
		time.Sleep(r.closeDelay)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.closes++; r.closes == 1 {
			close(r.closed)
		}
	}, nil
}

func (r *replayer) closeCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closes
}

func (r *replayer) asked() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.agos...)
}

// waitClosed fails the test unless the replay is closed within 2 s.
func (r *replayer) waitClosed(t *testing.T) {
	t.Helper()
	select {
	case <-r.closed:
	case <-time.After(2 * time.Second):
		t.Fatal("the replay was not closed")
	}
}

// checkedReplay counts every call made into it after its close.
type checkedReplay struct {
	fakeReplay
	dead  atomic.Bool
	after *atomic.Int64
}

func (c *checkedReplay) check() {
	if c.dead.Load() {
		c.after.Add(1)
	}
}
func (c *checkedReplay) NewFrame() bool { c.check(); return c.fakeReplay.NewFrame() }
func (c *checkedReplay) Render(dst *image.RGBA, r image.Rectangle) error {
	c.check()
	return c.fakeReplay.Render(dst, r)
}
func (c *checkedReplay) State() (TileState, time.Time) { c.check(); return c.fakeReplay.State() }
func (c *checkedReplay) Stats() TileStats              { c.check(); return c.fakeReplay.Stats() }
func (c *checkedReplay) Behind() time.Duration         { c.check(); return c.fakeReplay.Behind() }

var (
	liveRed    = color.RGBA{200, 30, 30, 255}
	liveGreen  = color.RGBA{30, 200, 30, 255}
	replayBlue = color.RGBA{30, 30, 200, 255}
)

// newReplayWall is a 2×2 wall of Door (with a replay) and Yard (without),
// 400×200, Door selected.
func newReplayWall(t *testing.T) (*Wall, *replayer) {
	test.NewTempApp(t)
	rp := newReplayer(&fakeReplay{fakeSource: fakeSource{state: TileConnecting, col: replayBlue}, behind: 30 * time.Second})
	w := NewWall([]LiveStream{
		{ID: "a", Name: "Door", Source: &fakeSource{state: TilePlaying, col: liveRed}, Replay: rp.open},
		{ID: "b", Name: "Yard", Source: &fakeSource{state: TilePlaying, col: liveGreen}},
	}, WallConfig{})
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(400, 200))
	w.Select(0)
	return w, rp
}

// tilePixel composes the 400×200 wall and reads the middle of layout
// tile i; on a filled wall, the middle of the wall.
func tilePixel(w *Wall, i int) color.RGBA {
	img := w.comp.generate(400, 200).(*image.RGBA)
	r := image.Rect(0, 0, 400, 200)
	if w.FullscreenStream() < 0 {
		r = w.CurrentLayout().Tiles[i].pixelRect(400, 200)
	}
	return img.RGBAAt(r.Min.X+r.Dx()/2, r.Min.Y+r.Dy()/2)
}

func key(w *Wall, k fyne.KeyName) { w.TypedKey(&fyne.KeyEvent{Name: k}) }

// TestReplayKeySwapsTileInPlace: P asks for a replay from 30 s ago; the
// tile keeps its live picture, saying "Opening replay…", until the replay
// has a frame, then shows the replay with "REPLAY −00:30", which follows
// the replay's distance behind live. The other tile stays live.
func TestReplayKeySwapsTileInPlace(t *testing.T) {
	w, rp := newReplayWall(t)
	key(w, fyne.KeyP)
	if got := rp.asked(); len(got) != 1 || got[0] != 30*time.Second {
		t.Fatalf("Replay asked for %v, want one replay from 30s ago", got)
	}
	if got := w.ReplayText(0); got != "Opening replay…" {
		t.Fatalf("badge while opening %q", got)
	}
	if c := tilePixel(w, 0); c != liveRed {
		t.Fatalf("tile shows %v before the replay has a frame, want the live picture %v", c, liveRed)
	}
	w.updateOverlays()
	if got := w.ReplayText(0); got != "Opening replay…" {
		t.Fatalf("badge before the replay's first frame %q", got)
	}
	rp.src.set(TilePlaying, time.Now())
	if c := tilePixel(w, 0); c != replayBlue {
		t.Fatalf("tile shows %v once the replay plays, want the replay %v", c, replayBlue)
	}
	if c := tilePixel(w, 1); c != liveGreen {
		t.Fatalf("the other tile shows %v, want it live %v", c, liveGreen)
	}
	w.updateOverlays()
	if got := w.ReplayText(0); got != "REPLAY −00:30" {
		t.Fatalf("badge %q, want REPLAY −00:30", got)
	}
	if got := w.ReplayText(1); got != "" {
		t.Fatalf("the live tile has the badge %q", got)
	}
	rp.src.setBehind(95*time.Second + 400*time.Millisecond) // paused for a while
	w.updateOverlays()
	if got := w.ReplayText(0); got != "REPLAY −01:35" {
		t.Fatalf("badge %q after falling behind, want REPLAY −01:35", got)
	}
	// P again while replaying opens nothing more.
	key(w, fyne.KeyP)
	if n := len(rp.asked()); n != 1 {
		t.Fatalf("P on a replaying tile asked %d times", n)
	}
}

// TestReplayBadgeText: the distance behind live, to the nearest second.
func TestReplayBadgeText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:               "REPLAY −00:30",
		29600 * time.Millisecond:       "REPLAY −00:30",
		30400 * time.Millisecond:       "REPLAY −00:30",
		0:                              "REPLAY −00:00",
		-2 * time.Second:               "REPLAY −00:00",
		10*time.Minute + 5*time.Second: "REPLAY −10:05",
		time.Hour + 2*time.Minute + 5*time.Second: "REPLAY −1:02:05",
	} {
		if got := replayBadge(d); got != want {
			t.Errorf("replayBadge(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestBackToLiveClosesReplayOnce: Esc or L on a replaying tile shows the
// live picture again at the next paint, takes the badge away and closes
// the replay exactly once; the key does nothing else that time, and its
// usual job the next.
func TestBackToLiveClosesReplayOnce(t *testing.T) {
	for _, k := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyL} {
		t.Run(string(k), func(t *testing.T) {
			w, rp := newReplayWall(t)
			key(w, fyne.KeyReturn) // fill the wall with Door
			rp.src.set(TilePlaying, time.Now())
			key(w, fyne.KeyP)
			if c := tilePixel(w, 0); c != replayBlue {
				t.Fatalf("replay not shown: %v", c)
			}
			key(w, k)
			if w.Replaying(0) || w.ReplayText(0) != "" {
				t.Fatalf("after %s: replaying=%v badge %q", k, w.Replaying(0), w.ReplayText(0))
			}
			if c := tilePixel(w, 0); c != liveRed {
				t.Fatalf("after %s the tile shows %v, want live %v", k, c, liveRed)
			}
			rp.waitClosed(t)
			if w.FullscreenStream() != 0 || w.CurrentLayout().Name != "2×2" {
				t.Fatalf("%s also left the filled wall or changed layout: full %d layout %s", k, w.FullscreenStream(), w.CurrentLayout().Name)
			}
			key(w, k)
			if k == fyne.KeyEscape && w.FullscreenStream() != -1 {
				t.Fatal("a second Esc did not go back to the layout")
			}
			if k == fyne.KeyL && w.CurrentLayout().Name != "3×3" {
				t.Fatalf("a second L gave layout %s", w.CurrentLayout().Name)
			}
			w.Close()
			if n := rp.closeCount(); n != 1 {
				t.Fatalf("replay closed %d times, want once", n)
			}
		})
	}
}

// TestReplayErrorStaysLive: Replay runs off the UI goroutine; while it
// opens the tile is live and says "Opening replay…"; its error shows on
// the tile with the message for a while (and in a toast that says what
// to do), and the tile stays live.
func TestReplayErrorStaysLive(t *testing.T) {
	loop := newUILoop(t)
	old := noteFor
	noteFor = 200 * time.Millisecond
	t.Cleanup(func() { noteFor = old })
	w, rp := newReplayWall(t)
	rp.err = errors.New("no footage in the last 30 s")
	rp.release = make(chan struct{})
	key(w, fyne.KeyP)
	if got := w.ReplayText(0); got != "Opening replay…" {
		t.Fatalf("badge while Replay blocks %q", got)
	}
	if c := tilePixel(w, 0); c != liveRed {
		t.Fatalf("tile shows %v while the replay opens, want live", c)
	}
	close(rp.release)
	loop.until(t, 2*time.Second, "the replay's error on the tile", func() bool {
		return w.ReplayText(0) == "Replay failed: no footage in the last 30 s"
	})
	if got := w.ToastText(); !strings.Contains(got, "no footage in the last 30 s") || !strings.Contains(got, "press P again") {
		t.Errorf("toast %q lacks the error or what to do", got)
	}
	if w.Replaying(0) {
		t.Fatal("the tile is replaying after the replay failed")
	}
	if c := tilePixel(w, 0); c != liveRed {
		t.Fatalf("tile shows %v after the error, want live", c)
	}
	loop.until(t, 2*time.Second, "the error to go from the tile", func() bool { return w.ReplayText(0) == "" })
}

// TestReplayTimeoutSaysSo: a Replay that gives up at its deadline shows
// how long it was given, not "context deadline exceeded".
func TestReplayTimeoutSaysSo(t *testing.T) {
	w, rp := newReplayWall(t)
	rp.err = fmt.Errorf("open footage: %w", context.DeadlineExceeded)
	key(w, fyne.KeyP)
	if got := w.ReplayText(0); got != "Replay failed: the footage did not open within 15s" {
		t.Fatalf("badge %q", got)
	}
}

// TestClosingWallClosesReplay: Close closes a replay on show at once, one
// being closed after Esc before Close returns, and one still opening when
// it opens.
func TestClosingWallClosesReplay(t *testing.T) {
	t.Run("shown", func(t *testing.T) {
		w, rp := newReplayWall(t)
		rp.src.set(TilePlaying, time.Now())
		key(w, fyne.KeyP)
		tilePixel(w, 0)
		w.Close()
		if n := rp.closeCount(); n != 1 {
			t.Fatalf("Close closed the replay %d times, want once", n)
		}
	})
	t.Run("closing", func(t *testing.T) {
		w, rp := newReplayWall(t)
		rp.closeDelay = 100 * time.Millisecond
		key(w, fyne.KeyP)
		key(w, fyne.KeyEscape)
		w.Close()
		if n := rp.closeCount(); n != 1 {
			t.Fatalf("after Esc and Close the replay was closed %d times, want once", n)
		}
	})
	t.Run("opening", func(t *testing.T) {
		loop := newUILoop(t)
		w, rp := newReplayWall(t)
		rp.release = make(chan struct{})
		key(w, fyne.KeyP)
		w.Close()
		close(rp.release)
		loop.until(t, 2*time.Second, "the late replay to close", func() bool { return rp.closeCount() > 0 })
		if w.Replaying(0) {
			t.Fatal("a closed wall shows a replay")
		}
		if n := rp.closeCount(); n != 1 {
			t.Fatalf("the late replay was closed %d times, want once", n)
		}
	})
}

// TestTileMenuReplay: the tile menu offers the replay on a camera that has
// one, and the way back while it plays.
func TestTileMenuReplay(t *testing.T) {
	w, rp := newReplayWall(t)
	item := func(i int, label string) *fyne.MenuItem {
		for _, it := range w.tileMenu(i, i).Items {
			if it.Label == label {
				return it
			}
		}
		return nil
	}
	if item(1, "Replay last 30 s (P)") != nil {
		t.Fatal("a camera without replay offers one")
	}
	w.Select(1)
	key(w, fyne.KeyP)
	if got := w.ReplayText(1); got != "No replay: nothing is recorded" || w.Replaying(1) {
		t.Fatalf("P on a camera without replay: replaying=%v badge %q", w.Replaying(1), got)
	}
	w.Select(0)
	it := item(0, "Replay last 30 s (P)")
	if it == nil {
		t.Fatal("no replay item in Door's menu")
	}
	it.Action()
	if !w.Replaying(0) || len(rp.asked()) != 1 {
		t.Fatalf("the menu item did not start a replay: %v", rp.asked())
	}
	back := item(0, "Back to live (L)")
	if back == nil || item(0, "Replay last 30 s (P)") != nil {
		t.Fatal("a replaying tile's menu lacks Back to live, or offers another replay")
	}
	back.Action()
	rp.waitClosed(t)
	if w.Replaying(0) {
		t.Fatal("Back to live left the replay on")
	}
}

// TestReplaySwapWhilePainting: replays swapped in and out on the UI
// goroutine while the paint thread composes and the sampler reads them;
// no replay is called once closed. Run with -race.
func TestReplaySwapWhilePainting(t *testing.T) {
	w, rp := newReplayWall(t)
	var after atomic.Int64
	rp.fresh = func() *checkedReplay {
		return &checkedReplay{fakeReplay: fakeReplay{fakeSource: fakeSource{state: TilePlaying, col: replayBlue}}, after: &after}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
				w.comp.generate(400, 200)
				w.sampleOverlays(true)
				w.pump.pollFrames()
			}
		}
	}()
	for range 200 {
		key(w, fyne.KeyP)
		// Back to live once the paint thread shows the replay, so the
		// sampler reads it while it closes.
		deadline := time.Now().Add(2 * time.Second)
		for _, on := w.comp.replayOf(0); !on; _, on = w.comp.replayOf(0) {
			if time.Now().After(deadline) {
				t.Fatal("the paint thread never showed the replay")
			}
			time.Sleep(time.Millisecond)
		}
		key(w, fyne.KeyEscape)
	}
	close(stop)
	<-done
	w.Close()
	if n, asked := rp.closeCount(), len(rp.asked()); n != asked || n != 200 {
		t.Fatalf("%d replays opened, %d closed; want 200 each", asked, n)
	}
	if n := after.Load(); n != 0 {
		t.Fatalf("closed replays were called %d times", n)
	}
}

// TestWallReplayMarkup: a 2×2 wall with Door replaying 30 s behind live:
// the amber badge at the bottom right of Door's tile only.
func TestWallReplayMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	rp := newReplayer(&fakeReplay{fakeSource: fakeSource{state: TilePlaying, col: replayBlue}, behind: 30 * time.Second})
	w := NewWall([]LiveStream{
		{ID: "a", Name: "Front door", Source: &fakeSource{state: TilePlaying, col: liveRed}, Replay: rp.open},
		{ID: "b", Name: "Yard", Source: &fakeSource{state: TilePlaying, col: liveGreen}},
	}, WallConfig{})
	t.Cleanup(w.Close)
	win := a.NewWindow("wall")
	win.SetContent(w)
	win.Resize(fyne.NewSize(640, 360))
	key(w, fyne.KeyP)
	w.comp.generate(632, 352)
	w.updateOverlays()
	if got := w.ReplayText(0); got != "REPLAY −00:30" {
		t.Fatalf("badge %q", got)
	}
	test.AssertRendersToMarkup(t, "wall_replay.xml", win.Canvas())
}

// TestBackToLiveWhileOpening: Esc while the replay still opens stays live
// at once; the replay, when it opens, is closed exactly once and never
// shown.
func TestBackToLiveWhileOpening(t *testing.T) {
	loop := newUILoop(t)
	w, rp := newReplayWall(t)
	rp.src.set(TilePlaying, time.Now())
	rp.release = make(chan struct{})
	key(w, fyne.KeyP)
	key(w, fyne.KeyEscape)
	if w.Replaying(0) || w.ReplayText(0) != "" {
		t.Fatalf("after Esc: replaying=%v badge %q", w.Replaying(0), w.ReplayText(0))
	}
	close(rp.release)
	loop.until(t, 2*time.Second, "the late replay to close", func() bool { return rp.closeCount() > 0 })
	if w.Replaying(0) {
		t.Fatal("the replay was swapped in after Esc")
	}
	if c := tilePixel(w, 0); c != liveRed {
		t.Fatalf("tile shows %v, want live %v", c, liveRed)
	}
	w.Close()
	if n := rp.closeCount(); n != 1 {
		t.Fatalf("the late replay was closed %d times, want once", n)
	}
}

// framedReplay is a replay source whose frames the test hands out one by
// one, each in a new colour.
type framedReplay struct {
	fakeReplay
	pending atomic.Bool
}

func (f *framedReplay) NewFrame() bool { return f.pending.Swap(false) }

func (f *framedReplay) frame(c color.RGBA) {
	f.mu.Lock()
	f.col = c
	f.mu.Unlock()
	f.pending.Store(true)
}

// TestReplayFramesKeepComing: the wall's clock polls the replay for new
// frames like any live source, so the tile plays rather than freezing on
// the replay's first frame.
func TestReplayFramesKeepComing(t *testing.T) {
	test.NewTempApp(t)
	src := &framedReplay{fakeReplay: fakeReplay{fakeSource: fakeSource{state: TilePlaying, col: replayBlue}}}
	w := NewWall([]LiveStream{{ID: "a", Name: "Door", Source: &fakeSource{state: TilePlaying, col: liveRed},
		Replay: func(context.Context, time.Duration) (LiveSource, func(), error) { return src, func() {}, nil }}}, WallConfig{})
	t.Cleanup(w.Close)
	key(w, fyne.KeyP)
	if c := tilePixel(w, 0); c != replayBlue {
		t.Fatalf("replay not shown: %v", c)
	}
	next := color.RGBA{220, 220, 20, 255}
	src.frame(next)
	w.pump.pollFrames()
	if c := tilePixel(w, 0); c != next {
		t.Fatalf("the replay's next frame was not drawn: tile %v, want %v", c, next)
	}
}

// TestReplayBadgeOnSurface: the X11 surface's overlay, which the app draws
// by default, has the amber badge over the replaying tile, with its minus
// sign (U+2212) drawn, not skipped for a missing glyph.
func TestReplayBadgeOnSurface(t *testing.T) {
	w, rp := newReplayWall(t)
	a := fyne.CurrentApp()
	a.Settings().SetTheme(nightjarTheme{}) // the fonts the app draws with
	win := a.NewWindow("wall")
	win.SetContent(w)
	win.Resize(fyne.NewSize(640, 360))
	rp.src.set(TilePlaying, time.Now())
	key(w, fyne.KeyP)
	w.comp.generate(632, 352)
	w.updateOverlays()
	if got := w.ReplayText(0); got != "REPLAY −00:30" {
		t.Fatalf("badge %q", got)
	}
	bg := w.rend.overlays[0].replayBg
	over := paintOverlay(w.rend.overlayObjects(), image.Pt(632, 352), 1)
	// A pixel of the box left of the text: amber in B, G, R order.
	at := bg.Position().Add(fyne.NewPos(2, bg.Size().Height/2))
	i := over.img.PixOffset(int(at.X), int(at.Y))
	if b, g, r := over.img.Pix[i], over.img.Pix[i+1], over.img.Pix[i+2]; r < 0xd0 || g < 0x90 || g > 0xb0 || b > 0x30 {
		t.Fatalf("badge box pixel B, G, R = %d, %d, %d, want amber", b, g, r)
	}
	paint := func(s string) int {
		text := canvas.NewText(s, color.White)
		text.TextStyle.Bold = true
		return len(paintOverlay([]fyne.CanvasObject{text}, image.Pt(200, 40), 1).runs)
	}
	if with, without := paint("−"), paint(""); with <= without {
		t.Fatalf("the minus sign painted %d runs, nothing %d: the glyph is missing", with, without)
	}
}
