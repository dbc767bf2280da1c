package player

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	mpv "github.com/gen2brain/go-mpv"

	"nightjar/internal/zones"
)

// ErrNoFootage is returned for a time no recording covers.
var ErrNoFootage = errors.New("no footage at that time")

// ErrSuperseded is what a Seek returns when a later Seek replaced it
// before it finished.
var ErrSuperseded = errors.New("seek superseded by a later one")

// Speed limits of playback.
const (
	MinSpeed = 1.0 / 8
	MaxSpeed = 16.0
)

// windowBefore and windowPieces bound the pieces loaded at once: the
// piece holding the playhead, one before it (so a step or a short jump
// back stays inside) and the rest ahead. Measured on the 2-core
// reference machine (load average 4 to 8 from other jobs), with 60 s
// 640x360 H.264 TS pieces over loopback HTTP and exact length=, from
// loadfile to the first frame:
//
//	pieces  1: 0.34-0.37 s    16: 0.54-0.60 s
//	pieces  4: 0.35-0.57 s    32: 0.61-0.78 s
//	pieces  8: 0.48-0.56 s    64: 1.1-1.6 s
//	                         128: 3.1-7.0 s
//
// (1280x720 at 2 Mb/s: 16 pieces 0.91 s, 32 pieces 1.0 s, 64 pieces
// 6.3 s.) mpv makes about 3 HTTP requests per piece at load, and a seek
// inside a loaded window took 0.16-0.33 s whatever its size. The cost
// turns upward after 32; 16 pieces (16 minutes) keeps a reload near
// half a second, which four synced tiles pay at once on two cores.
const (
	windowBefore = 1
	windowPieces = 16
)

// PlaybackOptions configure a Playback.
type PlaybackOptions struct {
	// Source says what footage exists. It is required.
	Source Source
	// Log receives loads, ends and errors. It defaults to discarding.
	Log *slog.Logger
	// SourceTimeout bounds each call to Source. It defaults to 5 s.
	SourceTimeout time.Duration
	// ScaleThreads is as in LiveOptions.
	ScaleThreads int
	// Mask is painted over every frame from the first; see SetMask.
	Mask *zones.Mask
}

// PlaybackStatus is what a Playback shows now.
type PlaybackStatus struct {
	// Position is the wall-clock time of the frame shown, or of the
	// moment asked for while loading or in a gap.
	Position time.Time
	Paused   bool
	Speed    float64
	// NoFootage says nothing is recorded at Position; Next is where the
	// next footage starts (zero if none).
	NoFootage bool
	Next      time.Time
	// Loading is true from a load until its first frame.
	Loading bool
	// Err is the last error, cleared by the next successful load.
	Err error
}

// Playback plays recorded footage through libmpv with software
// rendering, as Live does. Its methods are safe for concurrent use; a
// goroutine of its own owns mpv's timeline and the map to wall time.
//
// Draw it whenever NewFrame says so: libmpv's video output waits for
// each frame to be drawn (or for about 200 ms) before it goes on, so a
// seek on a player nobody draws takes that much longer (measured: 37 ms
// at p50 drawn, about 240 ms undrawn).
type Playback struct {
	core *Core
	opts PlaybackOptions
	reqs chan func()

	mu     sync.Mutex
	st     PlaybackStatus
	nudge  float64 // a group's small speed correction, 1 when none
	follow bool    // a synced group decides where to go after a run ends
	hold   bool    // a group holds mpv paused while it lines tiles up
	// frameLen is the footage's frame duration, 0 until known
	frameLen time.Duration
	shown    atomic.Bool // the frame shown changed since NewFrame last looked
	shownAt  time.Time   // when Position last changed, as seen (up to a poll late)

	cancel context.CancelFunc
	wg     sync.WaitGroup

	// the run goroutine's own
	tl       timeline
	loaded   bool
	pending  chan error    // the Seek waiting for its frame
	loadSeek time.Duration // where to seek once the file has loaded; -1 when done
	// the exact seek in flight, and mpv's frame duration
	seekTarget  time.Duration
	seekAttempt int
	seekBegun   bool // mpv has begun the seek in flight (its seek event came)
	frameDur    time.Duration
	atEnd       time.Time // when the window's end was last asked about, while waiting for more
	waitMore    bool
}

// playbackOptions are libmpv options for recorded footage: the normal
// cache, in memory only (decrypted footage never touches the disk),
// and exact seeks.
var playbackOptions = CoreOptions{
	"pause":                  "yes",
	"cache":                  "yes",
	"cache-on-disk":          "no",
	"cache-dir":              "", // demuxer-cache-dir from mpv 0.36; cache-on-disk=no is what keeps footage off the disk
	"demuxer-max-bytes":      "48MiB",
	"demuxer-max-back-bytes": "16MiB",
	"hr-seek":                "yes",
	// With frame dropping, mpv 0.35 announced a seek's restart with
	// time-pos at the target before that frame was shown (tests saw the
	// old frame after Seek returned).
	"hr-seek-framedrop": "no",
	"keep-open":         "yes",
	"hwdec":             hwdec(),
	"network-timeout":   "5",
}

// NewPlayback creates a player with nothing loaded; Seek loads footage.
func NewPlayback(opts PlaybackOptions) (*Playback, error) {
	if opts.Source == nil {
		return nil, errors.New("new playback: no footage source")
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.SourceTimeout <= 0 {
		opts.SourceTimeout = 5 * time.Second
	}
	copts := CoreOptions{}
	for k, v := range playbackOptions {
		copts[k] = v
	}
	if opts.ScaleThreads > 0 {
		copts["zimg-threads"] = strconv.Itoa(opts.ScaleThreads)
	}
	core, err := NewCore(copts)
	if err != nil {
		return nil, err
	}
	core.SetMask(opts.Mask)
	p := &Playback{core: core, opts: opts, reqs: make(chan func(), 16), nudge: 1, loadSeek: -1}
	p.st.Paused, p.st.Speed = true, 1
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.wg.Add(1)
	go p.run(ctx)
	return p, nil
}

// Status returns what the player shows now. It never calls into mpv.
func (p *Playback) Status() PlaybackStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

// NewFrame reports, without blocking, whether a frame waits to be drawn.
// Besides mpv's own signal it reports each change of the frame shown:
// after a paused seek mpv 0.35 raised no update on some players (seen
// on three of four synced tiles), which would leave a tile stale.
func (p *Playback) NewFrame() bool {
	fresh := p.core.HasNewFrame()
	return p.shown.Swap(false) || fresh
}

// Frames signals when a new frame may be ready; see Core.Frames.
func (p *Playback) Frames() <-chan struct{} { return p.core.Frames() }

// Render draws the frame shown into r of dst.
func (p *Playback) Render(dst *image.RGBA, r image.Rectangle) error { return p.core.Render(dst, r) }

// RenderBGR draws the frame shown into r of dst in B, G, R, X order.
func (p *Playback) RenderBGR(dst *image.RGBA, r image.Rectangle) error {
	return p.core.RenderBGR(dst, r)
}

// do runs f on the player's goroutine, or gives up with ctx.
func (p *Playback) do(ctx context.Context, f func()) error {
	select {
	case p.reqs <- f:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("playback busy: %w", ctx.Err())
	}
}

// Seek shows the frame at wall time at, exactly, and returns once it is
// ready to draw (or ctx ends). In a gap it shows nothing, and Status
// says NoFootage with the next footage; that is not an error.
func (p *Playback) Seek(ctx context.Context, at time.Time) error {
	done := make(chan error, 1)
	if err := p.do(ctx, func() { p.seek(ctx, at, done) }); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("seek to %s: %w", at.Format(time.RFC3339Nano), ctx.Err())
	}
}

// SetPaused pauses or resumes.
func (p *Playback) SetPaused(paused bool) {
	p.mu.Lock()
	p.st.Paused = paused
	p.mu.Unlock()
	p.applyPause()
}

// setHold pauses mpv on a group's behalf without changing the user's
// state: while a group lines its tiles up.
func (p *Playback) setHold(hold bool) {
	p.mu.Lock()
	p.hold = hold
	p.mu.Unlock()
	p.applyPause()
}

// applyPause tells mpv the pause state: the user's, or a group's hold.
func (p *Playback) applyPause() {
	p.mu.Lock()
	paused := p.st.Paused || p.hold
	p.mu.Unlock()
	p.core.SetProperty("pause", yesNo(paused))
}

// setFollow makes a group decide where the player goes after a run ends.
func (p *Playback) setFollow(follow bool) {
	p.mu.Lock()
	p.follow = follow
	p.mu.Unlock()
}

// positionChanged is the position and when it was seen to change to
// that: close to when that frame went on screen.
func (p *Playback) positionChanged() (time.Time, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st.Position, p.shownAt
}

// frameDuration is the footage's frame duration once known, else 40 ms.
func (p *Playback) frameDuration() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.frameLen > 0 {
		return p.frameLen
	}
	return 40 * time.Millisecond
}

// SetSpeed sets the playback speed, clamped to 1/8 .. 16.
func (p *Playback) SetSpeed(x float64) {
	x = clampSpeed(x)
	p.mu.Lock()
	p.st.Speed = x
	p.mu.Unlock()
	p.applySpeed()
}

func clampSpeed(x float64) float64 {
	if x != x || x < MinSpeed { // NaN too
		return MinSpeed
	}
	return min(x, MaxSpeed)
}

// setNudge sets a group's correction factor on top of the speed.
func (p *Playback) setNudge(f float64) {
	p.mu.Lock()
	changed := p.nudge != f
	p.nudge = f
	p.mu.Unlock()
	if changed {
		p.applySpeed()
	}
}

func (p *Playback) applySpeed() {
	p.mu.Lock()
	s := p.st.Speed * p.nudge
	p.mu.Unlock()
	p.core.SetProperty("speed", strconv.FormatFloat(s, 'f', 4, 64))
}

// FrameStep shows the next frame and pauses.
func (p *Playback) FrameStep() { p.step("frame-step") }

// FrameBackStep shows the previous frame and pauses. mpv seeks back to a
// keyframe and decodes forward for it, so it is slower than FrameStep.
func (p *Playback) FrameBackStep() { p.step("frame-back-step") }

func (p *Playback) step(cmd string) {
	p.mu.Lock()
	p.st.Paused = true
	loaded := !p.st.NoFootage
	p.mu.Unlock()
	if loaded {
		p.core.Command(cmd)
	}
}

// Close stops the player and frees libmpv.
func (p *Playback) Close() {
	p.cancel()
	p.core.Close()
	p.wg.Wait()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// run owns the timeline: it applies requests, follows mpv's events,
// tracks the position and moves on at the end of a window.
func (p *Playback) run(ctx context.Context) {
	defer p.wg.Done()
	defer p.finishSeek(ErrClosed)
	for ctx.Err() == nil {
		select {
		case f := <-p.reqs:
			f()
			continue
		default:
		}
		ev := p.core.WaitEvent(0.02)
		if ev == nil {
			return
		}
		switch ev.EventID {
		case mpv.EventShutdown:
			return
		case mpv.EventFileLoaded:
			if p.loadSeek >= 0 {
				p.exactSeek(p.loadSeek, 0)
				p.loadSeek = -1
			}
		case mpv.EventSeek:
			p.seekBegun = true
		case mpv.EventPlaybackRestart:
			if p.pending != nil && (!p.seekBegun || p.seekEarly()) {
				// The restart of the file's start, or of an earlier seek:
				// ours is still to come.
				break
			}
			p.mu.Lock()
			p.st.Loading = false
			p.mu.Unlock()
			// keep-open paused mpv at the end of the last window, and a
			// reload may land after that: the user's state wins.
			p.applyPause()
			if p.pending != nil && p.seekLate() {
				break // seeking again from further back
			}
			p.trackPosition()
			p.shown.Store(true)
			p.finishSeek(nil)
		case mpv.EventEnd:
			if ef := ev.EndFile(); ef.Reason == mpv.EndFileError {
				err := fmt.Errorf("play footage: %w", ef.Error)
				p.opts.Log.Warn("playback load failed", "error", ef.Error)
				p.loaded = false
				p.setErr(err)
				p.finishSeek(err)
			}
		}
		if p.loaded {
			p.trackPosition()
			p.checkEnd(ctx)
		} else {
			p.playThroughGap(ctx)
		}
	}
}

func (p *Playback) setErr(err error) {
	p.mu.Lock()
	p.st.Err, p.st.Loading = err, false
	p.mu.Unlock()
}

func (p *Playback) finishSeek(err error) {
	if p.pending != nil {
		p.pending <- err
		p.pending = nil
	}
}

// trackPosition maps mpv's time-pos, the time of the frame shown, to
// the wall clock.
func (p *Playback) trackPosition() {
	v, err := strconv.ParseFloat(p.core.Property("time-pos"), 64)
	if err != nil {
		return
	}
	w := p.tl.wall(time.Duration(v * float64(time.Second)))
	p.mu.Lock()
	if !p.st.Loading && !p.st.Position.Equal(w) {
		p.st.Position, p.shownAt = w, time.Now()
		p.shown.Store(true)
	}
	p.mu.Unlock()
}

// SetMask changes the privacy zones painted over the footage's frames,
// from the next frame drawn: a lifted zone is left out, and put back when
// the lift ends.
func (p *Playback) SetMask(m *zones.Mask) { p.core.SetMask(m) }
