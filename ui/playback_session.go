package ui

import (
	"sync"
	"sync/atomic"
	"time"
)

// sessionDriver hands the page's commands to a playback session on a
// goroutine of its own, in order, so a player that waits never blocks the
// UI goroutine. Seeks are coalesced: while one runs, only the newest
// waiting seek is kept, so a scrub does not queue up hundreds. In widget
// tests (runInline) commands run at once.
type sessionDriver struct {
	sess PlaybackSession

	mu      sync.Mutex
	queue   []func(PlaybackSession)
	seek    *time.Time // the newest seek not yet run
	wake    chan struct{}
	done    chan struct{} // closed when the session is closed
	inline  bool
	closing atomic.Bool // no more commands
	closed  atomic.Bool // the session's Close has returned
}

func newSessionDriver(sess PlaybackSession) *sessionDriver {
	d := &sessionDriver{sess: sess, wake: make(chan struct{}, 1), done: make(chan struct{}), inline: runInline}
	if d.inline {
		close(d.done)
		return d
	}
	go d.run()
	return d
}

// do runs f on the session, after the commands before it.
func (d *sessionDriver) do(f func(PlaybackSession)) {
	if d.closing.Load() {
		return
	}
	if d.inline {
		f(d.sess)
		return
	}
	d.mu.Lock()
	d.queue = append(d.queue, f)
	d.mu.Unlock()
	d.poke()
}

// seekTo asks for a seek to at, replacing a seek still waiting.
func (d *sessionDriver) seekTo(at time.Time) {
	if d.closing.Load() {
		return
	}
	if d.inline {
		d.sess.Seek(at)
		return
	}
	d.mu.Lock()
	if d.seek != nil {
		*d.seek = at
		d.mu.Unlock()
		return
	}
	p := new(time.Time)
	*p = at
	d.seek = p
	d.queue = append(d.queue, func(s PlaybackSession) {
		d.mu.Lock()
		at := *p
		if d.seek == p {
			d.seek = nil
		}
		d.mu.Unlock()
		s.Seek(at)
	})
	d.mu.Unlock()
	d.poke()
}

func (d *sessionDriver) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *sessionDriver) run() {
	defer close(d.done)
	for {
		d.mu.Lock()
		var f func(PlaybackSession)
		if len(d.queue) > 0 {
			f = d.queue[0]
			d.queue = d.queue[1:]
		}
		d.mu.Unlock()
		if f != nil {
			f(d.sess)
			if d.closed.Load() {
				return
			}
			continue
		}
		<-d.wake
	}
}

// close drops the waiting commands and, once the poller has stopped
// reading the session, closes it on the driver's goroutine after the
// command that may be running.
func (d *sessionDriver) close(p *poller) {
	if d.closing.Swap(true) {
		return
	}
	p.halt()
	if d.inline {
		d.sess.Close()
		return
	}
	d.mu.Lock()
	d.queue, d.seek = nil, nil
	d.mu.Unlock()
	go func() {
		if p != nil {
			<-p.exited
		}
		d.mu.Lock()
		d.queue = append(d.queue, func(s PlaybackSession) {
			s.Close()
			d.closed.Store(true)
		})
		d.mu.Unlock()
		d.poke()
	}()
}

// playbackSnapshot is what the poller read from the session.
type playbackSnapshot struct {
	pos    time.Time
	paused bool
	speed  float64
	tiles  []PlaybackTileStatus
}

// readSnapshot reads the session's readers. It runs off the UI goroutine.
func readSnapshot(s PlaybackSession, n int) playbackSnapshot {
	snap := playbackSnapshot{pos: s.Position(), paused: s.Paused(), speed: s.Speed(), tiles: make([]PlaybackTileStatus, n)}
	for i := range snap.tiles {
		snap.tiles[i] = s.TileStatus(i)
	}
	return snap
}

// pollEvery is the playhead's update interval: about 12 Hz, smooth to the
// eye and cheap on software GL.
const pollEvery = 80 * time.Millisecond

// poller reads the session on its own clock and hands each reading to the
// UI goroutine, dropping readings while one is still waiting there.
type poller struct {
	stop    chan struct{}
	exited  chan struct{} // closed when the goroutine no longer reads
	pending atomic.Bool
}

func startPoller(s PlaybackSession, n int, apply func(playbackSnapshot)) *poller {
	p := &poller{stop: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(p.exited)
		t := time.NewTicker(pollEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				if p.pending.Load() {
					continue
				}
				snap := readSnapshot(s, n)
				p.pending.Store(true)
				toUI(func() {
					p.pending.Store(false)
					select {
					case <-p.stop:
					default:
						apply(snap)
					}
				})
			}
		}
	}()
	return p
}

func (p *poller) halt() {
	if p != nil {
		select {
		case <-p.stop:
		default:
			close(p.stop)
		}
	}
}

// stopped reports whether the poller has been halted (or is nil).
func (p *poller) stopped() bool {
	if p == nil {
		return true
	}
	select {
	case <-p.stop:
		return true
	default:
		return false
	}
}
