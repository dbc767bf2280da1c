package ui

import (
	"sync/atomic"
	"time"
)

// refreshInterval is the wall's repaint period while no stream's rate is
// known: 25 Hz, the fastest stream.
const refreshInterval = 40 * time.Millisecond

// overlayInterval is how often the tiles' texts are brought up to date.
const overlayInterval = 250 * time.Millisecond

// framePump is the wall's clock. It polls the shown players for new
// frames, has the wall repainted when any arrived (at a rate a little
// above the fastest visible stream, so no frame is skipped and none is
// painted twice), and has the overlays refreshed at about 4 Hz. It runs
// on its own goroutine and reaches the UI only through toUI (fyne.Do).
type framePump struct {
	comp  *compositor
	dirty atomic.Bool // a repaint is due whatever the players say
	stop  <-chan struct{}
	done  chan struct{}
	// drawNative draws to the X11 surface and reports whether it did; nil
	// without one. With one, toUI runs on every tick, to keep the
	// surface placed over the wall.
	drawNative func() bool
	// sample reads the overlays' figures, on the pump's goroutine.
	sample func() overlaySample
	// toUI runs on the UI goroutine after a tick with something to show;
	// over is nil when the overlays are not due.
	toUI func(repaint bool, over *overlaySample)
}

// pollFrames marks the shown sources that have a new frame and reports
// whether any has. Polling on the wall's clock, rather than hearing from
// every player on every frame, keeps the Go runtime from being woken from
// idle hundreds of times a second.
func (p *framePump) pollFrames() bool {
	any := false
	for _, src := range p.comp.viewSources() {
		if src.NewFrame() {
			p.comp.freshFlag(src).Store(true)
			any = true
		}
	}
	return any
}

func (p *framePump) run() {
	defer close(p.done)
	interval := refreshInterval
	t := time.NewTicker(interval)
	defer t.Stop()
	lastOverlay, lastTune := time.Now(), time.Now()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			frames := p.pollFrames()
			repaint := p.dirty.Swap(false) || frames
			overlays := now.Sub(lastOverlay) >= overlayInterval
			if overlays {
				lastOverlay = now
			}
			if p.drawNative != nil && p.drawNative() {
				repaint = false
			}
			var over *overlaySample
			if overlays {
				s := p.sample()
				over = &s
			}
			if repaint || overlays || p.drawNative != nil {
				toUI(func() { p.toUI(repaint, over) })
			}
			if now.Sub(lastTune) >= 2*time.Second {
				lastTune = now
				p.comp.refreshSubWidths()
				if d := p.paintInterval(); d != interval {
					interval = d
					t.Reset(d)
				}
			}
		}
	}
}

// paintInterval is 1/(1.1 × the fastest shown stream's fps), within
// 33–100 ms; refreshInterval while no rate is known.
func (p *framePump) paintInterval() time.Duration {
	fps := 0.0
	for _, s := range p.comp.shownSources() {
		fps = max(fps, s.Stats().FPS)
	}
	if fps < 1 {
		return refreshInterval
	}
	d := time.Duration(float64(time.Second) / (fps * 1.1))
	return min(100*time.Millisecond, max(33*time.Millisecond, d))
}
