package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"nightjar/devices/onvif"
	"nightjar/player"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
	"nightjar/ui"
)

// maxWallTiles is the largest wall layout, 4×4.
const maxWallTiles = 16

// openLiveStreams starts a live player on the sub stream of each of the
// first cameras, with credentials injected at connect time: the demo's
// known ones, or the password from the keyring. It runs before the window
// opens, so no keyring call blocks the UI.
func (a *App) openLiveStreams(ctx context.Context) []ui.LiveStream {
	cams, err := a.DB.Cameras()
	if err != nil {
		a.Log.Error("list cameras for the wall", "err", err)
		return nil
	}
	var out []ui.LiveStream
	for _, c := range cams {
		if len(out) == maxWallTiles {
			break
		}
		pass := ""
		if c.Username != "" {
			if pass, err = a.cameraPassword(ctx, c.ID); err != nil {
				a.Log.Warn("no password for camera", "camera", c.ID, "err", err)
			}
		}
		log := a.Log.With("component", "live", "camera", c.ID)
		sub := c.SubURI
		if sub == "" {
			sub = c.MainURI
		}
		src, err := a.openLive(c, sub, pass, c.SubURI != "", log)
		if err != nil {
			log.Error("start live player", "err", err)
			continue
		}
		a.onClose("live "+c.ID, func() error { src.Close(); return nil })
		id := c.ID
		ls := ui.LiveStream{ID: c.ID, Name: c.Name, Source: src, FactoryPassword: c.FactoryPassword,
			Snapshot:  func(ctx context.Context) (string, error) { return a.Snapshot(ctx, id) },
			Recording: func() bool { return a.recorders != nil && a.recorders.Recording(id) },
			ToggleRecord: func(context.Context) (bool, error) {
				if a.recorders == nil {
					return false, fmt.Errorf("recording is unavailable: %v", a.recordErr)
				}
				return a.recorders.ToggleManual(id)
			},
			Replay: a.replayOf(c.ID)}
		if c.MainURI != "" && c.MainURI != sub {
			cam := c
			ls.OpenMain = func() (ui.LiveSource, func()) {
				m, err := a.openLive(cam, cam.MainURI, pass, false, log.With("stream", "main"))
				if err != nil {
					log.Error("start main stream", "err", err)
					return noMainStream{time.Now()}, func() {}
				}
				return m, m.Close
			}
		}
		if c.PTZ && c.DeviceURL != "" {
			p := newPTZControl(c, pass, log.With("component", "ptz"))
			a.onClose("ptz "+c.ID, func() error { p.close(); return nil })
			ls.PTZ = p
		}
		out = append(out, ls)
	}
	return out
}

// noMainStream stands in for a main stream that could not start. It never
// plays, so the wall keeps showing the sub stream, and reports no main
// stream on screen, until the tile is made small and large again.
type noMainStream struct{ since time.Time }

func (noMainStream) NewFrame() bool                            { return false }
func (noMainStream) Render(*image.RGBA, image.Rectangle) error { return nil }
func (n noMainStream) State() (ui.TileState, time.Time)        { return ui.TileReconnecting, n.since }
func (noMainStream) Stats() ui.TileStats                       { return ui.TileStats{} }

// liveSource adapts player.Live to the wall. Its picture carries every
// privacy zone of its camera, kept current by the mask hub.
type liveSource struct {
	*player.Live
	detach func()
}

// Close detaches the player from the mask hub and closes it.
func (s *liveSource) Close() {
	s.detach()
	s.Live.Close()
}

// openLive starts a player on uri, one of cam's streams, with cam's
// credentials added (see streamURL). A sub stream scales on one thread; a
// main stream, which fills the wall, on one per core.
func (a *App) openLive(cam catalog.Camera, uri, pass string, sub bool, log *slog.Logger) (*liveSource, error) {
	full, err := a.streamURL(cam, uri, pass, "live")
	if err != nil {
		return nil, err
	}
	opts := player.LiveOptions{URL: full, Log: log, Mask: a.masks().live(cam.ID)}
	if sub {
		opts.ScaleThreads = 1
	}
	l, err := player.NewLive(opts)
	if err != nil {
		return nil, err
	}
	return &liveSource{Live: l, detach: a.masks().attach(cam.ID, l, false)}, nil
}

func (s *liveSource) Render(dst *image.RGBA, r image.Rectangle) error { return s.Live.Render(dst, r) }

func (s *liveSource) State() (ui.TileState, time.Time) {
	st, since := s.Live.State()
	switch st {
	case player.StatePlaying:
		return ui.TilePlaying, since
	case player.StateReconnecting, player.StateClosed:
		return ui.TileReconnecting, since
	}
	return ui.TileConnecting, since
}

func (s *liveSource) Stats() ui.TileStats {
	st := s.Live.Stats()
	return ui.TileStats{Codec: st.Codec, Width: st.Width, Height: st.Height, FPS: st.FPSIn, BitrateKbps: st.BitrateKbps, LatencyMs: st.LatencyMs}
}

// ptzControl runs one camera's PTZ commands in order on its own
// goroutine, so the UI never waits for the network: queueing a command
// never blocks, and a command queued after close is dropped, not sent.
type ptzControl struct {
	c       *onvif.Client
	profile string
	log     *slog.Logger
	wake    chan struct{} // a command waits; capacity 1
	done    chan struct{}

	mu     sync.Mutex // guards the fields below
	queue  []ptzCmd
	closed bool
}

type ptzCmd struct {
	f    func(context.Context)
	move bool // a newer move replaces it
}

// ptzQueueMax bounds the commands waiting for a camera that does not
// answer; moves give way first.
const ptzQueueMax = 16

func newPTZControl(cam catalog.Camera, pass string, log *slog.Logger) *ptzControl {
	c := &onvif.Client{DeviceURL: cam.DeviceURL, Username: cam.Username, Password: pass}
	c.SetClockOffset(cam.ClockOffset)
	p := &ptzControl{c: c, profile: cam.MainProfile, log: log, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *ptzControl) run() {
	defer close(p.done)
	for {
		p.mu.Lock()
		if len(p.queue) == 0 {
			closed := p.closed
			p.mu.Unlock()
			if closed {
				return
			}
			<-p.wake
			continue
		}
		cmd := p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		cmd.f(ctx)
		cancel()
	}
}

// send queues f without blocking. A move replaces a move still waiting
// (the newest velocity is the one that matters); a full queue drops a
// waiting move, or else the new command, and says so.
func (p *ptzControl) send(f func(context.Context), move bool) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.enqueueLocked(ptzCmd{f: f, move: move})
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *ptzControl) enqueueLocked(cmd ptzCmd) {
	if cmd.move {
		if n := len(p.queue); n > 0 && p.queue[n-1].move {
			p.queue[n-1] = cmd
			return
		}
	}
	if len(p.queue) >= ptzQueueMax {
		for i, c := range p.queue {
			if c.move {
				p.queue = append(p.queue[:i], p.queue[i+1:]...)
				break
			}
		}
	}
	if len(p.queue) >= ptzQueueMax {
		p.log.Error("PTZ queue full: the camera does not answer; command dropped")
		return
	}
	p.queue = append(p.queue, cmd)
}

func (p *ptzControl) logErr(what string, err error) {
	if err != nil {
		p.log.Warn("PTZ "+what+" failed", "err", err)
	}
}

// moveTimeout makes the camera stop by itself if Nightjar dies mid-move.
const moveTimeout = 10 * time.Second

func (p *ptzControl) Move(pan, tilt, zoom float64) {
	p.send(func(ctx context.Context) {
		p.logErr("move", p.c.ContinuousMove(ctx, p.profile, pan, tilt, zoom, moveTimeout))
	}, true)
}

func (p *ptzControl) Stop() {
	p.send(func(ctx context.Context) { p.logErr("stop", p.c.Stop(ctx, p.profile)) }, false)
}

func (p *ptzControl) Home() {
	p.send(func(ctx context.Context) { p.logErr("home", p.c.GotoHome(ctx, p.profile)) }, false)
}

// Nightjar's numbered presets are the camera presets named "1" to "9".
func (p *ptzControl) presetToken(ctx context.Context, n int) (string, error) {
	ps, err := p.c.Presets(ctx, p.profile)
	if err != nil {
		return "", err
	}
	for _, pr := range ps {
		if pr.Name == strconv.Itoa(n) {
			return pr.Token, nil
		}
	}
	return "", nil
}

func (p *ptzControl) GotoPreset(n int) {
	p.send(func(ctx context.Context) {
		tok, err := p.presetToken(ctx, n)
		if err == nil && tok == "" {
			return // no such preset yet
		}
		if err == nil {
			err = p.c.GotoPreset(ctx, p.profile, tok)
		}
		p.logErr("goto preset", err)
	}, false)
}

func (p *ptzControl) SetPreset(n int) {
	p.send(func(ctx context.Context) {
		tok, err := p.presetToken(ctx, n)
		if err == nil {
			_, err = p.c.SetPreset(ctx, p.profile, strconv.Itoa(n), tok)
		}
		p.logErr("set preset", err)
	}, false)
}

// close sends a last stop, runs what is queued and ends the goroutine.
// Commands sent afterwards (a pad's late stop timer) are dropped.
func (p *ptzControl) close() {
	p.Stop()
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
	<-p.done
}

// cameraPassword returns a camera's password: the simulator's in demo
// mode, otherwise the keyring entry under the camera's id.
func (a *App) cameraPassword(ctx context.Context, id string) (string, error) {
	if pass, ok := a.demoPassword(id); ok {
		return pass, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	pass, err := a.Secrets.Get(ctx, keyringKey(id))
	if errors.Is(err, secrets.ErrNotFound) {
		return "", nil
	}
	return pass, err
}

// demoPassword returns a demo camera's password, kept in memory only so a
// demo never writes into the user's keyring.
func (a *App) demoPassword(id string) (string, bool) {
	a.demoMu.Lock()
	defer a.demoMu.Unlock()
	p, ok := a.demoPass[id]
	return p, ok
}
