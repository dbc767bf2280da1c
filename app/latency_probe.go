package app

import (
	"fmt"
	"image"
	"io"
	"sync"
	"time"
)

// markerSpot is where camsim's latency marker shows in a picture drawn
// into r: 97 % across and 6/360 down the 16:9 video that r letterboxes.
// That is inside the marker on both the main and the sub stream.
func markerSpot(r image.Rectangle) image.Point {
	vw, vh := r.Dx(), r.Dy()
	if vw*9 > vh*16 {
		vw = vh * 16 / 9
	} else {
		vh = vw * 9 / 16
	}
	vx, vy := r.Min.X+(r.Dx()-vw)/2, r.Min.Y+(r.Dy()-vh)/2
	return image.Pt(vx+vw*97/100, vy+vh*6/360)
}

// markerProbe notes each time the marker spot turns white. The wall calls
// it from its paint path (NIGHTJAR_MARKER_PROBE, for 'bench latency'), and
// the bench's baseline player from its render loop.
type markerProbe struct {
	mu    sync.Mutex
	white bool
	shown []time.Time
	out   io.Writer // when set, each time is appended as unix nanoseconds
}

func (p *markerProbe) check(img *image.RGBA, r image.Rectangle) {
	pt := markerSpot(r)
	if !pt.In(img.Bounds()) {
		return
	}
	c := img.RGBAAt(pt.X, pt.Y)
	white := c.R > 200 && c.G > 200 && c.B > 200
	p.mu.Lock()
	defer p.mu.Unlock()
	if white && !p.white {
		now := time.Now()
		p.shown = append(p.shown, now)
		if p.out != nil {
			fmt.Fprintln(p.out, now.UnixNano())
		}
	}
	p.white = white
}

func (p *markerProbe) times() []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Time(nil), p.shown...)
}
