package player

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"maps"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	mpv "github.com/gen2brain/go-mpv"

	"nightjar/internal/zones"
)

// State is a live player's connection state.
type State int32

const (
	StateConnecting State = iota
	StatePlaying
	StateReconnecting
	StateClosed
)

var stateNames = [...]string{"connecting", "playing", "reconnecting", "closed"}

// String names the state; a value outside the constants reads as
// "State(n)" instead of panicking.
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// LiveOptions configure a Live player.
type LiveOptions struct {
	// URL is the stream, with credentials injected by the caller. It is
	// never logged.
	URL string
	// MaxBackoff caps the reconnect delay. It defaults to 30 s; the delay
	// starts at 1 s and doubles.
	MaxBackoff time.Duration
	// Log receives state changes. It defaults to discarding.
	Log *slog.Logger
	// StallTimeout is how long without a frame counts as a stall, which
	// reconnects. It defaults to 4 s.
	StallTimeout time.Duration
	// ScaleThreads is how many threads scale each frame to the tile; 0
	// leaves it to mpv, one per core. A sub stream scales cheaply on
	// one, and each thread more holds about 0.7 MB of buffers.
	ScaleThreads int
	// Mask is painted over every frame from the first; see SetMask.
	Mask *zones.Mask
}

// Stats describe a live stream.
type Stats struct {
	Codec         string
	Width, Height int
	FPSIn         float64 // frames per second decoded (drawn or dropped), measured between Stats calls
	BitrateKbps   float64 // video bitrate as mpv estimates it
	LatencyMs     float64 // estimate: what mpv holds buffered ahead
	Dropped       int     // frames mpv dropped
}

// Live plays one live stream with low latency and reconnects on its own.
type Live struct {
	core  *Core
	opts  LiveOptions
	state atomic.Int32
	since atomic.Int64 // unix nanos of the last state change

	cancel context.CancelFunc
	wg     sync.WaitGroup

	statsMu sync.Mutex
	statsAt time.Time
	statsN  int64
	lastFPS float64

	// run's own: the last demuxer time seen and when it changed
	lastDemux   string
	lastArrival time.Time
}

// lowLatency are libmpv options for live camera streams: no cache, no
// audio, the low-latency profile, and hardware decoding where it exists
// (auto-copy falls back to software silently).
var lowLatency = CoreOptions{
	"profile":                "low-latency",
	"cache":                  "no",
	"demuxer-readahead-secs": "0",
	// Show each frame as soon as it is decoded instead of pacing it by its
	// timestamp: pacing keeps whatever delay the start-up had for good.
	"untimed":         "yes",
	"hwdec":           hwdec(),
	"rtsp-transport":  "tcp",
	"network-timeout": "5",
}

// hwdec turns on hardware decoding (copied back for the software
// renderer) only where a render device exists, so machines without one
// fall back to software without libva/vdpau probing noise.
func hwdec() string {
	if runtime.GOOS != "linux" {
		return "auto-copy"
	}
	if m, _ := filepath.Glob("/dev/dri/renderD*"); len(m) > 0 {
		return "auto-copy"
	}
	return "no"
}

// NewLive creates the player and starts connecting.
func NewLive(opts LiveOptions) (*Live, error) {
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 30 * time.Second
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.StallTimeout <= 0 {
		opts.StallTimeout = 4 * time.Second
	}
	copts := maps.Clone(lowLatency)
	if opts.ScaleThreads > 0 {
		copts["zimg-threads"] = strconv.Itoa(opts.ScaleThreads)
	}
	core, err := NewCore(copts)
	if err != nil {
		return nil, err
	}
	core.SetMask(opts.Mask)
	l := &Live{core: core, opts: opts}
	l.setState(StateConnecting)
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.wg.Add(1)
	go l.run(ctx)
	return l, nil
}

func (l *Live) setState(s State) {
	if State(l.state.Swap(int32(s))) != s {
		l.since.Store(time.Now().UnixNano())
		l.opts.Log.Debug("live state", "state", s)
	}
}

// State returns the connection state and when it began.
func (l *Live) State() (State, time.Time) {
	return State(l.state.Load()), time.Unix(0, l.since.Load())
}

// Frames signals when a new frame may be ready to Render. See
// Core.Frames: a caller with its own clock polls NewFrame instead.
func (l *Live) Frames() <-chan struct{} { return l.core.Frames() }

// NewFrame reports, without blocking, whether a frame waits to be drawn.
func (l *Live) NewFrame() bool { return l.core.HasNewFrame() }

// Render draws the latest frame into r of dst.
func (l *Live) Render(dst *image.RGBA, r image.Rectangle) error { return l.core.Render(dst, r) }

// RenderBGR draws the latest frame into r of dst in B, G, R, X byte order.
func (l *Live) RenderBGR(dst *image.RGBA, r image.Rectangle) error { return l.core.RenderBGR(dst, r) }

// run loads the stream and reloads it with backoff whenever it ends.
func (l *Live) run(ctx context.Context) {
	defer l.wg.Done()
	backoff := time.Second
	load := func() { l.core.Command("loadfile", l.opts.URL) }
	load()
	var retry, pace <-chan time.Time
	const settle = 2 * time.Second
	for ctx.Err() == nil {
		ev := l.core.WaitEvent(0.25)
		if ev == nil {
			return
		}
		switch ev.EventID {
		case mpv.EventPlaybackRestart, mpv.EventVideoReconfig:
			if l.core.Property("video-params/w") != "" {
				if !l.Playing() {
					cHeap.churned() // start-up's buffers are free now
				}
				l.setState(StatePlaying)
				backoff = time.Second
				pace = time.After(settle)
			}
		case mpv.EventEnd:
			if ctx.Err() != nil {
				return
			}
			l.setState(StateReconnecting)
			retry = time.After(backoff)
			backoff = min(2*backoff, l.opts.MaxBackoff)
		case mpv.EventShutdown:
			return
		}
		select {
		case <-retry:
			retry = nil
			l.core.SetProperty("untimed", "yes")
			load()
		case <-pace:
			pace = nil
			l.core.SetProperty("untimed", "no")
		default:
		}
		l.trackArrival()
		if l.stalled() {
			// Connected but silent: treat it as a drop and reconnect.
			l.opts.Log.Info("stream stalled; reconnecting", "silent_for", l.opts.StallTimeout)
			l.setState(StateReconnecting)
			l.core.Command("stop")
			retry = time.After(backoff)
			backoff = min(2*backoff, l.opts.MaxBackoff)
		}
	}
}

// trackArrival notes when the demuxer last received data: the network
// side, whether or not anyone renders.
func (l *Live) trackArrival() {
	t := l.core.Property("demuxer-cache-time")
	if t != "" && t != l.lastDemux {
		l.lastDemux = t
		l.lastArrival = time.Now()
	}
}

// stalled reports a playing stream that has received nothing for the
// stall timeout.
func (l *Live) stalled() bool {
	if State(l.state.Load()) != StatePlaying {
		return false
	}
	ref := time.Unix(0, l.since.Load())
	if l.lastArrival.After(ref) {
		ref = l.lastArrival
	}
	return time.Since(ref) > l.opts.StallTimeout
}

// Stats returns the stream's current figures.
func (l *Live) Stats() Stats {
	c := l.core
	s := Stats{Codec: c.Property("video-codec")}
	fmt.Sscan(c.Property("video-params/w"), &s.Width)
	fmt.Sscan(c.Property("video-params/h"), &s.Height)
	fmt.Sscan(c.Property("video-bitrate"), &s.BitrateKbps)
	s.BitrateKbps /= 1000
	var cache float64
	if _, err := fmt.Sscan(c.Property("demuxer-cache-duration"), &cache); err == nil {
		s.LatencyMs = cache * 1000
	}
	fmt.Sscan(c.Property("frame-drop-count"), &s.Dropped)
	// Frames per second since the last call: the new frames mpv
	// announced plus those it dropped because nobody drew them in time, so
	// a wall that draws a 25 fps stream at 16 Hz still learns it is 25.
	now, n := time.Now(), c.updates.Load()+int64(s.Dropped)
	l.statsMu.Lock()
	if dt := now.Sub(l.statsAt).Seconds(); !l.statsAt.IsZero() && dt <= 0.2 {
		s.FPSIn = l.lastFPS // too soon for a new measurement
	} else {
		if !l.statsAt.IsZero() {
			s.FPSIn = max(0, float64(n-l.statsN)/dt) // the drop count restarts with each connection
		}
		l.statsAt, l.statsN, l.lastFPS = now, n, s.FPSIn
	}
	l.statsMu.Unlock()
	s.LatencyMs += 1000 / max(s.FPSIn, 1) // plus the frame being decoded
	return s
}

// Close stops the player and frees libmpv. It returns when the player's
// goroutine has ended.
func (l *Live) Close() {
	l.cancel()
	l.core.Close()
	l.wg.Wait()
	l.setState(StateClosed)
}

// Playing reports whether the stream is connected and decoding.
func (l *Live) Playing() bool { return State(l.state.Load()) == StatePlaying }

// SetMask changes the privacy zones painted over the stream's frames,
// from the next frame drawn.
func (l *Live) SetMask(m *zones.Mask) { l.core.SetMask(m) }
