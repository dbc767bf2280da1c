package player

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Drift correction of synced tiles. Every groupTick the group compares
// each playing tile's position, taken when its frame last changed, with
// the playhead at that moment, smoothed over a few frames:
//   - off by more than resyncAfter (three frames), the tile is held
//     paused, seeked to a moment just ahead of the playhead (by more than
//     its last seek took) and let go when the playhead gets there; a tile
//     that reloaded a window, stalled or joined lands this way;
//   - off by more than nudgeAfter, its speed is nudged by up to
//     maxNudge, enough to take up the error in about nudgeOver;
//   - within nudgeAfter it plays at the group's speed.
//
// Tiles start together: a Seek holds every tile paused until all have
// their frame, then lets them go at once.
const (
	groupTick   = 40 * time.Millisecond
	resyncAfter = 120 * time.Millisecond
	nudgeAfter  = 8 * time.Millisecond
	maxNudge    = 0.1
	nudgeOver   = 500 * time.Millisecond
	// resyncLead is how far ahead of the playhead a resync seeks at
	// least, in footage time at 1x.
	resyncLead = 700 * time.Millisecond
)

// Group plays several Playbacks on one playhead: a synced layout. Seek,
// SetPaused, SetSpeed and Step apply to every tile; a tile with no
// footage at the playhead shows NoFootage with its Next and joins when
// the playhead reaches its footage. SetSynced(false) unlinks the tiles.
// Its methods are safe for concurrent use. Closing the group stops its
// correction; the Playbacks stay open and belong to the caller.
type Group struct {
	ps []*Playback

	mu         sync.Mutex
	synced     bool
	paused     bool
	speed      float64
	anchorWall time.Time // playhead at anchorAt
	anchorAt   time.Time
	busy       []bool      // a tile being lined up by the loop
	drift      []float64   // smoothed offset of each tile from the playhead, seconds
	sampled    []time.Time // when each tile's last sample was taken
	seekTook   []time.Duration

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewGroup links ps on one playhead, paused at the first tile's
// position.
func NewGroup(ps []*Playback) *Group {
	g := &Group{ps: ps, synced: true, paused: true, speed: 1,
		busy: make([]bool, len(ps)), drift: make([]float64, len(ps)), sampled: make([]time.Time, len(ps)), seekTook: make([]time.Duration, len(ps))}
	if len(ps) > 0 {
		g.anchorWall = ps[0].Status().Position
	}
	g.anchorAt = time.Now()
	for _, p := range ps {
		p.setFollow(true)
		p.SetPaused(true)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	g.wg.Add(1)
	go g.run(ctx)
	return g
}

// Position is the playhead.
func (g *Group) Position() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.playheadLocked(time.Now())
}

func (g *Group) playheadLocked(now time.Time) time.Time {
	if g.paused || !g.synced {
		if !g.synced && len(g.ps) > 0 {
			return g.ps[0].Status().Position
		}
		// Paused, the playhead is the frame on show, not where the clock
		// had run to: at 4× the shown frame trails the clock by a few
		// frames, and a frame step from the clock's time would go back.
		for _, p := range g.ps {
			if st := p.Status(); !st.NoFootage && !st.Loading && !st.Position.IsZero() {
				return st.Position
			}
		}
		return g.anchorWall
	}
	return g.anchorWall.Add(time.Duration(float64(now.Sub(g.anchorAt)) * g.speed))
}

// Paused reports whether the group is paused.
func (g *Group) Paused() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.paused
}

// Speed is the group's speed.
func (g *Group) Speed() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.speed
}

// Seek moves every tile to at, holds them until each shows its frame (or
// has no footage there), then plays them together unless paused.
func (g *Group) Seek(ctx context.Context, at time.Time) error {
	errs := make([]error, len(g.ps))
	var wg sync.WaitGroup
	for i, p := range g.ps {
		p.setHold(true)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.Seek(ctx, at)
		}()
	}
	wg.Wait()
	g.mu.Lock()
	g.anchorWall, g.anchorAt = at, time.Now()
	for i := range g.drift {
		g.drift[i] = 0
	}
	g.mu.Unlock()
	for _, p := range g.ps {
		p.setHold(false)
	}
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("seek tile %d: %w", i, err)
		}
	}
	return nil
}

// SetPaused pauses or resumes every tile.
func (g *Group) SetPaused(paused bool) {
	g.mu.Lock()
	now := time.Now()
	g.anchorWall, g.anchorAt = g.playheadLocked(now), now
	g.paused = paused
	g.mu.Unlock()
	for _, p := range g.ps {
		p.SetPaused(paused)
	}
}

// SetSpeed sets every tile's speed, clamped to 1/8 .. 16.
func (g *Group) SetSpeed(x float64) {
	x = clampSpeed(x)
	g.mu.Lock()
	now := time.Now()
	g.anchorWall, g.anchorAt = g.playheadLocked(now), now
	g.speed = x
	g.mu.Unlock()
	for _, p := range g.ps {
		p.SetSpeed(x)
	}
}

// Step pauses and steps every tile by frames (negative: back). One
// frame either way is mpv's frame step (frame-back-step seeks); more is
// an exact seek of the group by that many frames of the first tile with
// footage. The playhead becomes that tile's position once it has moved,
// waiting at most a second for it.
func (g *Group) Step(frames int) {
	g.SetPaused(true)
	var lead *Playback
	var before time.Time
	for _, p := range g.ps {
		if st := p.Status(); !st.NoFootage && lead == nil {
			lead, before = p, st.Position
		}
	}
	if lead == nil || frames == 0 {
		return
	}
	if frames < -1 || frames > 1 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		g.Seek(ctx, before.Add(time.Duration(frames)*lead.frameDuration()))
		return
	}
	for _, p := range g.ps {
		if frames > 0 {
			p.FrameStep()
		} else {
			p.FrameBackStep()
		}
	}
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) && lead.Status().Position.Equal(before) {
		time.Sleep(5 * time.Millisecond)
	}
	g.mu.Lock()
	g.anchorWall, g.anchorAt = lead.Status().Position, time.Now()
	g.mu.Unlock()
}

// SetSynced links (true) or unlinks the tiles. Unlinked, each tile plays
// on by itself and goes on at its own next footage after a run; linking
// again seeks every tile to the first tile's position.
func (g *Group) SetSynced(synced bool) {
	g.mu.Lock()
	was := g.synced
	var at time.Time
	if !synced && was {
		g.anchorWall, g.anchorAt = g.playheadLocked(time.Now()), time.Now()
	}
	g.synced = synced
	if synced && !was && len(g.ps) > 0 {
		at = g.ps[0].Status().Position
	}
	g.mu.Unlock()
	for _, p := range g.ps {
		p.setFollow(synced)
		p.setNudge(1)
	}
	if !at.IsZero() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		g.Seek(ctx, at)
	}
}

// Close stops the group's correction. It does not close the Playbacks.
func (g *Group) Close() {
	g.cancel()
	g.wg.Wait()
}

func (g *Group) run(ctx context.Context) {
	defer g.wg.Done()
	tick := time.NewTicker(groupTick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		g.correct(ctx)
	}
}

// correct runs one round of drift correction.
func (g *Group) correct(ctx context.Context) {
	g.mu.Lock()
	if !g.synced {
		g.mu.Unlock()
		return
	}
	now := time.Now()
	ph, paused, speed := g.playheadLocked(now), g.paused, g.speed
	g.mu.Unlock()
	for i, p := range g.ps {
		g.mu.Lock()
		busy := g.busy[i]
		g.mu.Unlock()
		if busy {
			continue
		}
		st := p.Status()
		switch {
		case paused || st.Loading:
			continue
		case st.NoFootage:
			if !st.Next.IsZero() && !ph.Before(st.Next) {
				g.lineUp(ctx, i, speed)
			}
			continue
		}
		// The offset is taken when the tile's frame last changed: then
		// its frame's time was the tile's clock. Only a new change is
		// a new sample.
		// A tile whose frame has not changed for a while (held, or
		// stalled) is compared as it stands now instead.
		pos, seenAt := p.positionChanged()
		fd := p.frameDuration()
		g.mu.Lock()
		var d float64
		switch age := now.Sub(seenAt); {
		case age <= 2*fd:
			d = pos.Sub(g.playheadLocked(seenAt)).Seconds()
			if !seenAt.Equal(g.sampled[i]) {
				g.sampled[i] = seenAt
				g.drift[i] = 0.7*g.drift[i] + 0.3*d
			}
		case age > resyncAfter:
			d = pos.Add(fd).Sub(ph).Seconds()
		}
		sm := g.drift[i]
		g.mu.Unlock()
		switch {
		case abs(d) > resyncAfter.Seconds() && abs(sm) > resyncAfter.Seconds()/2:
			g.lineUp(ctx, i, speed)
		case abs(sm) > nudgeAfter.Seconds():
			f := 1 - sm/nudgeOver.Seconds()
			p.setNudge(min(1+maxNudge, max(1-maxNudge, f)))
		default:
			p.setNudge(1)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// lineUp holds tile i, seeks it just ahead of the playhead and lets it
// go when the playhead arrives there, in a goroutine of its own.
func (g *Group) lineUp(ctx context.Context, i int, speed float64) {
	g.mu.Lock()
	g.busy[i] = true
	g.drift[i] = 0
	lead := max(resyncLead, g.seekTook[i]*3/2)
	target := g.playheadLocked(time.Now()).Add(time.Duration(float64(lead) * speed))
	g.mu.Unlock()
	p := g.ps[i]
	p.setNudge(1)
	p.setHold(true)
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer func() {
			p.setHold(false)
			g.mu.Lock()
			g.busy[i] = false
			g.mu.Unlock()
		}()
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		start := time.Now()
		if err := p.Seek(sctx, target); err != nil {
			return
		}
		g.mu.Lock()
		g.seekTook[i] = time.Since(start)
		g.mu.Unlock()
		for {
			g.mu.Lock()
			ph, synced := g.playheadLocked(time.Now()), g.synced
			g.mu.Unlock()
			if !synced || !ph.Before(target) || ctx.Err() != nil {
				return
			}
			time.Sleep(min(target.Sub(ph), 5*time.Millisecond))
		}
	}()
}
