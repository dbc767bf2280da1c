package player

import (
	"context"
	"image"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	mpv "github.com/gen2brain/go-mpv"
)

// State is a live player's connection state.
type State int32

const (
	StateConnecting State = iota
	StatePlaying
	StateReconnecting
	StateClosed
)

func (s State) String() string {
	return [...]string{"connecting", "playing", "reconnecting", "closed"}[s]
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
}

// Live plays one live stream with low latency and reconnects on its own.
type Live struct {
	core  *Core
	opts  LiveOptions
	state atomic.Int32
	since atomic.Int64 // unix nanos of the last state change

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// lowLatency are libmpv options for live camera streams: no cache, no
// audio, the low-latency profile, and hardware decoding where it exists
// (auto-copy falls back to software silently).
var lowLatency = CoreOptions{
	"profile":                "low-latency",
	"cache":                  "no",
	"demuxer-readahead-secs": "0",
	"hwdec":                  hwdec(),
	"rtsp-transport":         "tcp",
	"network-timeout":        "5",
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
	core, err := NewCore(lowLatency)
	if err != nil {
		return nil, err
	}
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

// Frames signals when a new frame may be ready to Render.
func (l *Live) Frames() <-chan struct{} { return l.core.Frames() }

// Render draws the latest frame into r of dst.
func (l *Live) Render(dst *image.RGBA, r image.Rectangle) error { return l.core.Render(dst, r) }

// run loads the stream and reloads it with backoff whenever it ends.
func (l *Live) run(ctx context.Context) {
	defer l.wg.Done()
	backoff := time.Second
	load := func() { l.core.Command("loadfile", l.opts.URL) }
	load()
	var retry <-chan time.Time
	for ctx.Err() == nil {
		ev := l.core.WaitEvent(0.25)
		if ev == nil {
			return
		}
		switch ev.EventID {
		case mpv.EventPlaybackRestart, mpv.EventVideoReconfig:
			if l.core.Property("video-params/w") != "" {
				l.setState(StatePlaying)
				backoff = time.Second
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
			load()
		default:
		}
	}
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
