package app

import (
	"context"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"sync"
	"time"
)

// seekResult is one bench of seeks.
type seekResult struct {
	first    time.Duration // the first seek of a new session, which loads the run
	firstOn  int
	lat      []time.Duration
	onTarget int // seeks whose every tile shows the frame at the target
	// missed counts seeks after which a tile's new frame never came.
	missed, firstMissed int
}

// benchSeeks opens a playback session of ids, as the Playback page does,
// and times n random seeks from the call to every tile's new frame
// rendered.
func benchSeeks(fo *benchFootage, ids []string, n int, rng *rand.Rand, stderr io.Writer) (seekResult, error) {
	s, err := fo.a.openPlaybackSession(ids)
	if err != nil {
		return seekResult{}, err
	}
	defer s.Close()
	var tiles []frameSource
	for _, t := range s.Tiles() {
		tiles = append(tiles, t)
	}
	pl := startPoller(tiles)
	defer pl.stop()
	target := func() time.Time {
		span := fo.length() - time.Second
		return fo.from.Add(500*time.Millisecond + time.Duration(rng.Int64N(int64(span))))
	}
	var res seekResult
	at := target()
	d, on, missed, err := timeSeek(s, pl, at)
	if err != nil {
		return res, fmt.Errorf("first seek: %w", err)
	}
	res.first, res.firstOn, res.firstMissed = d, b2i(on), len(missed)
	noteMissed(stderr, s, 0, at, missed)
	for i := range n {
		time.Sleep(150 * time.Millisecond) // a guard's next click
		at := target()
		d, on, missed, err := timeSeek(s, pl, at)
		if err != nil {
			return res, fmt.Errorf("seek %d: %w", i+1, err)
		}
		res.onTarget += b2i(on)
		noteMissed(stderr, s, i+1, at, missed)
		if len(missed) > 0 {
			res.missed++ // no latency: the screen would keep the old frame
			continue
		}
		res.lat = append(res.lat, d)
	}
	return res, nil
}

// firstCells are the timed cells of the first seek: its one time, or
// none when a tile's new frame never came.
func (r seekResult) firstCells() string {
	if r.firstMissed > 0 {
		return "0\t-\t-\t-"
	}
	return fmt.Sprintf("1\t%s\t%s\t%s", ms(r.first), ms(r.first), ms(r.first))
}

func (r seekResult) firstTail() string {
	return fmt.Sprintf("%d/1\t%d/1", 1-b2i(r.firstMissed > 0), r.firstOn)
}

// tail is the counts of n seeks: those with every new frame drawn, and
// those landing at the target.
func (r seekResult) tail(n int) string {
	return fmt.Sprintf("%d/%d\t%d/%d", n-r.missed, n, r.onTarget, n)
}

// noteMissed says on stderr which tiles' new frames never came after
// seek i (0 the first), and where each player says it is.
func noteMissed(stderr io.Writer, s *playbackSession, i int, at time.Time, tiles []int) {
	for _, t := range tiles {
		st := s.TileStatus(t)
		fmt.Fprintf(stderr, "seek %d of %d cameras to %s: tile %d flagged no new frame within %v; its position %s\n",
			i, len(s.players), at.Format("15:04:05.000"), t+1, frameWait, st.Position.Format("15:04:05.000"))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// poller renders every tile's new frames as soon as they come, each
// tile polled every millisecond on a goroutine of its own, and notes when
// it rendered each. A tile must be drawn while its seek runs: libmpv
// holds a new frame until the caller draws it, a paused player's seek
// reports done only after that (or after mpv stops waiting), and a frame
// mpv stopped waiting for is never flagged new. One goroutine per tile
// keeps a tile whose player is busy in a blocking mpv call from holding
// up another's frame.
type poller struct {
	tiles []frameSource
	quit  chan struct{}
	wg    sync.WaitGroup

	mu    sync.Mutex
	drawn [][]time.Time // per tile, when each frame was rendered
	err   error
}

func startPoller(tiles []frameSource) *poller {
	p := &poller{tiles: tiles, quit: make(chan struct{}), drawn: make([][]time.Time, len(tiles))}
	for i := range tiles {
		p.wg.Add(1)
		go p.run(i)
	}
	return p
}

func (p *poller) run(i int) {
	defer p.wg.Done()
	img := image.NewRGBA(image.Rect(0, 0, benchTileW, benchTileH))
	t := p.tiles[i]
	for {
		select {
		case <-p.quit:
			return
		case <-time.After(time.Millisecond):
		}
		if !t.NewFrame() {
			continue
		}
		err := t.Render(img, img.Bounds())
		now := time.Now()
		p.mu.Lock()
		if err != nil && p.err == nil {
			p.err = fmt.Errorf("render tile %d: %w", i+1, err)
		}
		p.drawn[i] = append(p.drawn[i], now)
		p.mu.Unlock()
	}
}

func (p *poller) stop() { close(p.quit); p.wg.Wait() }

// frameAfter is when tile i's new frame of a seek begun at t0 and
// reported done at ret was rendered: the last render in (t0, ret], or
// the first after ret; false while there is none.
func (p *poller) frameAfter(i int, t0, ret time.Time) (time.Time, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var at time.Time
	for _, d := range p.drawn[i] {
		if d.After(t0) && (!d.After(ret) || at.IsZero()) {
			at = d
		}
	}
	return at, !at.IsZero(), p.err
}

// frameWait is how long after a seek reports done its tiles' new frames
// are waited for; one not drawn by then was never flagged new.
const frameWait = 3 * time.Second

// timeSeek seeks the session to at and waits until every tile has
// rendered its new frame: the time from the call to the last render. on
// says every tile's position is then within one frame (40 ms) of at;
// missed lists the tiles whose new frame never came.
func timeSeek(s *playbackSession, pl *poller, at time.Time) (d time.Duration, on bool, missed []int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), seekTimeout)
	defer cancel()
	t0 := time.Now()
	if err := s.group.Seek(ctx, at); err != nil {
		return 0, false, nil, err
	}
	ret := time.Now()
	var last time.Time
	for i := range pl.tiles {
		for {
			d, ok, err := pl.frameAfter(i, t0, ret)
			if err != nil {
				return 0, false, nil, err
			}
			if ok {
				last = maxTime(last, d)
				break
			}
			if time.Since(ret) > frameWait {
				missed = append(missed, i)
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	on = true
	for i := range pl.tiles {
		st := s.TileStatus(i)
		if st.NoFootage || st.Position.Sub(at).Abs() > 40*time.Millisecond {
			on = false
		}
	}
	return last.Sub(t0), on, missed, nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
