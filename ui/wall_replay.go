package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"time"
)

// Instant replay on the live wall: P (or the tile menu) plays the selected
// camera from 30 s ago in its own tile, with a "REPLAY −00:30" badge;
// Esc or L goes back to live. The replay belongs to the stream, not the
// tile: it follows the camera when tiles are swapped or the wall is
// filled.
//
// The switch works as the main stream's does: the compositor keeps
// drawing the live picture until the replay has a frame to show, and
// back to live the live source, which never stopped, draws at once. No
// tile goes black on the way.

// ReplaySource is a LiveSource that plays recorded footage. A replay
// source that implements it has its badge say how far behind live it
// is, which stays −00:30 at 1× and grows when paused. Without it the
// badge says the distance the replay started at.
type ReplaySource interface {
	LiveSource
	// Behind is how far the frame on show is behind live now: the wall
	// clock minus the time the frame was recorded. It must not block; the
	// wall asks about 4 times a second.
	Behind() time.Duration
}

// replayAgo is how far back P starts a replay.
const replayAgo = 30 * time.Second

// replayOpenTimeout bounds the opening of a replay.
const replayOpenTimeout = 15 * time.Second

// noteFor is how long a message stays on a tile (a var for tests).
var noteFor = toastFor

// errWallClosed answers a replay that opened after the wall closed.
var errWallClosed = errors.New("the wall closed")

// tileReplay is one stream's instant replay, as the UI goroutine sees it.
type tileReplay struct {
	gen     int         // bumped by every start and stop: late answers of older ones are closed
	opening bool        // Replay was called and has not answered
	src     *replayTile // the replay on the tile, or nil while live
	// note is a message shown for a while in the replay badge's place
	// ("Replay failed: …"); noteSeq and noteTimer take it away.
	note      string
	noteSeq   int
	noteTimer *time.Timer
}

// replayTile guards a replay source for the wall: once closed it answers
// no frames and draws nothing, so the pump, which may still hold it for a
// tick, never calls a closed player. close waits for calls under way and
// calls the replay's close func exactly once.
type replayTile struct {
	ago     time.Duration
	mu      sync.RWMutex // guards closed and calls into src
	src     LiveSource
	closeFn func()
	closed  bool
}

func (r *replayTile) NewFrame() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return !r.closed && r.src.NewFrame()
}

func (r *replayTile) Render(dst *image.RGBA, rect image.Rectangle) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return nil
	}
	return r.src.Render(dst, rect)
}

// RenderBGR draws in X11's byte order, through the source's own
// RenderBGR when it has one.
func (r *replayTile) RenderBGR(dst *image.RGBA, rect image.Rectangle) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return nil
	}
	if b, ok := r.src.(bgrSource); ok {
		return b.RenderBGR(dst, rect)
	}
	err := r.src.Render(dst, rect)
	swapRB(dst, rect)
	return err
}

func (r *replayTile) State() (TileState, time.Time) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return TileConnecting, time.Time{}
	}
	return r.src.State()
}

func (r *replayTile) Stats() TileStats {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return TileStats{}
	}
	return r.src.Stats()
}

// behind is how far the replay is behind live: the source's own figure
// when it is a ReplaySource, else the distance it started at.
func (r *replayTile) behind() time.Duration {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if rs, ok := r.src.(ReplaySource); ok && !r.closed {
		return rs.Behind()
	}
	return r.ago
}

func (r *replayTile) close() {
	r.mu.Lock()
	was := r.closed
	r.closed = true
	r.mu.Unlock()
	if !was {
		r.closeFn()
	}
}

// replayBadge is the badge of a replay behind live by d: "REPLAY −00:30",
// to the nearest second, with hours when there are any.
func replayBadge(d time.Duration) string {
	s := int64((max(d, 0) + time.Second/2) / time.Second)
	if h := s / 3600; h > 0 {
		return fmt.Sprintf("REPLAY −%d:%02d:%02d", h, s/60%60, s%60)
	}
	return fmt.Sprintf("REPLAY −%02d:%02d", s/60, s%60)
}

// openedReplay is what Replay gave.
type openedReplay struct {
	src   LiveSource
	close func()
}

// ReplaySelected plays the selected camera from 30 s ago in its tile.
func (w *Wall) ReplaySelected() { w.startReplay(w.model.selected) }

// startReplay opens stream i's replay off the UI goroutine, saying
// "Opening replay…" meanwhile, and swaps it in once it opens. A replay
// that is opening or playing already is left as it is.
func (w *Wall) startReplay(i int) {
	if w.playback || i < 0 || i >= len(w.streams) || w.closed() {
		return
	}
	s := w.streams[i]
	rp := &w.replays[i]
	if s.Replay == nil {
		w.tileNote(i, "No replay: nothing is recorded")
		return
	}
	if rp.opening || rp.src != nil {
		return
	}
	rp.gen++
	gen := rp.gen
	rp.opening = true
	w.clearNote(i)
	w.texts[i].replay = "Opening replay…"
	w.overlaysChanged()
	runAsync(replayOpenTimeout, func(ctx context.Context) (openedReplay, error) {
		src, closeFn, err := s.Replay(ctx, replayAgo)
		if err == nil && (src == nil || closeFn == nil) {
			if closeFn != nil {
				closeFn()
			}
			return openedReplay{}, errors.New("the replay has no picture")
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return openedReplay{}, fmt.Errorf("the footage did not open within %v", replayOpenTimeout)
		}
		if err != nil {
			return openedReplay{}, err
		}
		select {
		case <-w.stop: // the wall closed meanwhile: nobody will show it
			closeFn()
			return openedReplay{}, errWallClosed
		default:
		}
		return openedReplay{src, closeFn}, nil
	}, func(o openedReplay, err error) {
		if w.closed() || rp.gen != gen {
			// Back to live, or the wall closed, while it opened.
			if err == nil {
				go o.close()
			}
			return
		}
		rp.opening = false
		if err != nil {
			w.texts[i].replay = ""
			w.tileNote(i, "Replay failed: "+err.Error())
			w.Toast("Replay of " + s.Name + " failed: " + err.Error() + ". Check that the camera records (the REC mark, or the Cameras page), then press P again.")
			return
		}
		rp.src = &replayTile{ago: replayAgo, src: o.src, closeFn: o.close}
		w.comp.setReplay(i, rp.src)
		w.pump.dirty.Store(true)
		w.updateOverlays()
	})
}

// BackToLiveSelected takes the selected camera's tile back to live if it
// shows a replay or opens one, and reports whether it did.
func (w *Wall) BackToLiveSelected() bool { return w.stopReplay(w.model.selected) }

// Replaying reports whether stream i shows or opens a replay.
func (w *Wall) Replaying(i int) bool {
	return i >= 0 && i < len(w.replays) && (w.replays[i].opening || w.replays[i].src != nil)
}

// ReplayText is what stream i's replay badge says, or "", for tests.
func (w *Wall) ReplayText(i int) string { return w.texts[i].replay }

// stopReplay takes stream i back to live and reports whether the stream
// had a replay.
func (w *Wall) stopReplay(i int) bool {
	if !w.Replaying(i) {
		return false
	}
	w.dropReplay(i)
	w.texts[i].replay = ""
	w.pump.dirty.Store(true)
	w.overlaysChanged()
	w.updateOverlays()
	return true
}

// dropReplay takes stream i's replay off its tile, if it has one, and
// closes it in the background (a player can take a while to close); a
// replay still opening is closed when it opens. UI goroutine.
func (w *Wall) dropReplay(i int) {
	rp := &w.replays[i]
	rp.gen++
	rp.opening = false
	src := rp.src
	if src == nil {
		return
	}
	rp.src = nil
	w.comp.clearReplay(i)
	w.closing.Add(1)
	go func() {
		defer w.closing.Done()
		src.close()
	}()
}

// closeReplays closes every replay, for Close, and waits a while for
// their close funcs to return. UI goroutine.
func (w *Wall) closeReplays() {
	for i := range w.replays {
		if t := w.replays[i].noteTimer; t != nil {
			t.Stop()
		}
		w.dropReplay(i)
	}
	done := make(chan struct{})
	go func() {
		w.closing.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		w.log.Warn("live wall: a replay is still closing")
	}
}

// tileNote shows msg in stream i's replay badge for a while.
func (w *Wall) tileNote(i int, msg string) {
	rp := &w.replays[i]
	rp.noteSeq++
	seq := rp.noteSeq
	rp.note = msg
	w.texts[i].replay = msg
	w.overlaysChanged()
	if rp.noteTimer != nil {
		rp.noteTimer.Stop()
	}
	rp.noteTimer = time.AfterFunc(noteFor, func() {
		if w.closed() {
			return
		}
		toUI(func() {
			if rp.noteSeq == seq {
				w.clearNote(i)
				w.overlaysChanged()
			}
		})
	})
}

// clearNote takes stream i's note away.
func (w *Wall) clearNote(i int) {
	rp := &w.replays[i]
	rp.noteSeq++
	if rp.note != "" && w.texts[i].replay == rp.note {
		w.texts[i].replay = ""
	}
	rp.note = ""
}

// replayText is what stream i's replay badge says after the overlay
// sample ts: a sample taken before the replay was swapped in or out says
// nothing about it.
func (w *Wall) replayText(i int, ts tileSample) string {
	rp := &w.replays[i]
	switch {
	case rp.src != nil && ts.replay == rp.src && ts.replayOn:
		return replayBadge(ts.behind)
	case rp.opening || rp.src != nil:
		return "Opening replay…"
	}
	return rp.note
}
