package player

// The seek machinery of Playback: loading a window of a run, exact
// seeks (and their retries), gaps, and moving on at a window's end. All
// of it runs on the Playback's own goroutine.

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// seek loads or seeks to at; done gets the outcome when the frame is
// ready.
func (p *Playback) seek(ctx context.Context, at time.Time, done chan error) {
	p.finishSeek(ErrSuperseded)
	p.waitMore = false
	pieces, next, ok, err := p.ask(ctx, at)
	if err != nil {
		p.setErr(err)
		done <- err
		return
	}
	if !ok {
		p.showGap(at, next)
		done <- nil
		return
	}
	if t, in := p.tl.at(at); p.loaded && in && (sameWindow(p.tl.pieces, pieces) || grewOnly(p.tl.pieces, pieces)) {
		// A growing last piece only grew: what mpv has loaded still
		// holds at, and a reload would cost far more than this seek. The
		// growth is loaded at the window's end (checkEnd).
		p.pending = done
		p.mu.Lock()
		p.st.Position, p.st.NoFootage, p.st.Next, p.st.Loading = at, false, time.Time{}, true
		p.mu.Unlock()
		p.exactSeek(t, 0)
		return
	}
	p.pending = done
	if err := p.load(pieces, at); err != nil {
		p.finishSeek(err)
	}
}

// demuxerBackoffs are how far before the target the demuxer is sent
// when a seek landed late. FFmpeg's MPEG-TS seek over HTTP sometimes
// lands on the keyframe after the target instead of the one before
// (seen: frame 100 shown for a seek to 88 with 2 s GOPs, uncached); hr-seek
// then has nothing earlier to decode. Such a seek is repeated with mpv's
// hr-seek-demuxer-offset, first one GOP of a typical camera back, then
// more. A seek inside the cache is exact at once and pays nothing.
// hrSeekSlack is the rounding allowance of mpv's hr-seek: it keeps
// frames from 5 ms before the target (video.c, 0.35).
const hrSeekSlack = 5 * time.Millisecond

var demuxerBackoffs = []time.Duration{4 * time.Second, 12 * time.Second}

// exactSeek seeks mpv to show the frame on screen at timeline time t:
// mpv's hr-seek shows the first frame at or after its target less
// hrSeekSlack, so the target is moved back by a frame, less that and a
// millisecond, onto the frame whose display interval holds t. attempt counts retries after a late
// landing.
func (p *Playback) exactSeek(t time.Duration, attempt int) {
	p.seekTarget, p.seekAttempt, p.seekBegun = t, attempt, false
	target := t
	if fps, err := strconv.ParseFloat(p.core.Property("container-fps"), 64); err == nil && fps > 0 {
		p.frameDur = time.Duration(float64(time.Second) / fps)
		p.mu.Lock()
		p.frameLen = p.frameDur
		p.mu.Unlock()
	}
	if p.frameDur > hrSeekSlack+time.Millisecond {
		target = max(0, t-p.frameDur+hrSeekSlack+time.Millisecond)
	}
	back := time.Duration(0)
	if attempt > 0 {
		back = demuxerBackoffs[attempt-1]
	}
	p.core.SetProperty("hr-seek-demuxer-offset", seconds(back))
	if err := p.core.Command("seek", seconds(target), "absolute+exact"); err != nil {
		err = fmt.Errorf("seek in footage: %w", err)
		p.setErr(err)
		p.finishSeek(err)
	}
}

// seekEarly reports a restart at a position before the frame sought:
// one that belongs to something before the seek.
func (p *Playback) seekEarly() bool {
	v, err := strconv.ParseFloat(p.core.Property("time-pos"), 64)
	return err == nil && time.Duration(v*float64(time.Second)) < p.seekTarget-p.frameDur-2*hrSeekSlack
}

// seekLate reports a seek that landed after its frame, and seeks again
// from further back while retries remain.
func (p *Playback) seekLate() bool {
	if p.seekAttempt >= len(demuxerBackoffs) {
		return false
	}
	// Past the last keyframe a late seek lands at the end, with no frame
	// or with the old one.
	v, err := strconv.ParseFloat(p.core.Property("time-pos"), 64)
	pos := time.Duration(v * float64(time.Second))
	if err == nil && p.core.Property("video-params/dw") != "" && p.core.Property("eof-reached") != "yes" &&
		pos <= p.seekTarget+p.frameDur/2 {
		return false
	}
	p.opts.Log.Debug("seek landed late; seeking from further back", "target", p.seekTarget, "landed", pos)
	p.exactSeek(p.seekTarget, p.seekAttempt+1)
	return true
}

// ask calls the Source with its timeout.
func (p *Playback) ask(ctx context.Context, at time.Time) ([]Piece, time.Time, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.SourceTimeout)
	defer cancel()
	pieces, next, ok, err := p.opts.Source.Run(ctx, at)
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("find footage at %s: %w", at.Format(time.RFC3339), err)
	}
	if ok && len(pieces) == 0 {
		return nil, time.Time{}, false, fmt.Errorf("find footage at %s: source returned a run without pieces", at.Format(time.RFC3339))
	}
	return pieces, next, ok, nil
}

// sameWindow reports whether every piece of the loaded window is still
// in the run, unchanged (a growing piece changes its length).
func sameWindow(window, run []Piece) bool {
	have := map[string]Piece{}
	for _, p := range run {
		have[p.URL] = p
	}
	for _, w := range window {
		if r, ok := have[w.URL]; !ok || r != w {
			return false
		}
	}
	return true
}

// grewOnly reports whether the run holds the loaded window unchanged
// but for its last piece, which is longer now: a segment being recorded.
func grewOnly(window, run []Piece) bool {
	if len(window) == 0 {
		return false
	}
	last := window[len(window)-1]
	have := map[string]Piece{}
	for _, p := range run {
		have[p.URL] = p
	}
	r, ok := have[last.URL]
	if !ok || !r.Start.Equal(last.Start) || r.Length <= last.Length {
		return false
	}
	return sameWindow(window[:len(window)-1], run)
}

// beyond reports whether the run has footage past the loaded window's
// end: a later piece, or the last piece grown.
func beyond(window, run []Piece) bool {
	end := window[len(window)-1].End()
	for _, p := range run {
		if p.End().After(end) {
			return true
		}
	}
	return false
}

// showGap stops mpv and reports no footage at at.
func (p *Playback) showGap(at, next time.Time) {
	p.core.Command("stop")
	p.loaded = false
	p.tl = timeline{}
	p.mu.Lock()
	p.st.Position, p.st.NoFootage, p.st.Next, p.st.Loading, p.st.Err = at, true, next, false, nil
	p.mu.Unlock()
}

// load plays the window of pieces around at, starting exactly at at.
func (p *Playback) load(run []Piece, at time.Time) error {
	i := 0
	for i+1 < len(run) && !at.Before(run[i+1].Start) {
		i++
	}
	from := max(0, i-windowBefore)
	to := min(len(run), from+windowPieces)
	p.tl = newTimeline(append([]Piece(nil), run[from:to]...))
	t, ok := p.tl.at(at)
	if !ok {
		t = 0 // at lies before the run's first frame: start there
		at = p.tl.pieces[0].Start
	}
	p.mu.Lock()
	p.st.Position, p.st.NoFootage, p.st.Next, p.st.Loading, p.st.Err = at, false, time.Time{}, true, nil
	p.mu.Unlock()
	p.opts.Log.Debug("playback load", "pieces", len(p.tl.pieces), "at", at)
	// mpv's start option lands on a keyframe inside an EDL timeline
	// (0.35, hr-seek=yes: frame 100 shown for 88), so the file loads from
	// its start and an exact seek goes in when it has loaded, before the
	// first frame is decoded.
	p.loadSeek = t
	p.applyPause()
	if err := p.core.Command("loadfile", edlURL(p.tl.pieces)); err != nil {
		return p.loadFailed(err)
	}
	p.loaded = true
	return nil
}

func (p *Playback) loadFailed(err error) error {
	err = fmt.Errorf("load footage: %w", err)
	p.loaded = false
	p.setErr(err)
	return err
}

// checkEnd moves on when mpv has played to the end of the window: to
// the rest of the run, to footage that grew meanwhile, or, unless a
// group leads, to the next footage after a gap. At the end of all
// footage it asks again every second, for a segment still being
// recorded.
func (p *Playback) checkEnd(ctx context.Context) {
	if p.core.Property("eof-reached") != "yes" {
		p.waitMore = false
		return
	}
	if p.waitMore && time.Since(p.atEnd) < time.Second {
		return
	}
	p.mu.Lock()
	paused := p.st.Paused
	p.mu.Unlock()
	if paused {
		return // mpv pauses itself at the end (keep-open); a user pause waits for play
	}
	end := p.tl.pieces[len(p.tl.pieces)-1].End()
	pieces, next, ok, err := p.ask(ctx, end)
	p.atEnd = time.Now()
	switch {
	case err != nil:
		p.setErr(err)
		p.waitMore = true
	case ok && !beyond(p.tl.pieces, pieces):
		p.waitMore = true // a growing piece that has not grown yet
	case ok:
		// On at the exact frame after the window, in the user's pause
		// state: a growing piece is loaded again with what it holds now.
		p.waitMore = false
		p.load(pieces, end)
	case next.IsZero():
		p.waitMore = true // the end of all footage, for now
	default:
		// A gap: playThroughGap goes on at next unless a group leads.
		p.waitMore = false
		p.showGap(end, next)
	}
}

// playThroughGap goes on at the next footage when the player is told to
// play in a gap, unless a group leads.
func (p *Playback) playThroughGap(ctx context.Context) {
	p.mu.Lock()
	st, lead := p.st, p.follow || p.hold
	p.mu.Unlock()
	if !st.NoFootage || st.Paused || lead || st.Next.IsZero() {
		return
	}
	pieces, _, ok, err := p.ask(ctx, st.Next)
	if err != nil || !ok {
		p.mu.Lock()
		p.st.Next = time.Time{} // nothing to go on to after all
		if err != nil {
			p.st.Err = err
		}
		p.mu.Unlock()
		return
	}
	p.opts.Log.Debug("playing in a gap; going on at the next footage", "next", st.Next)
	p.load(pieces, st.Next)
}
