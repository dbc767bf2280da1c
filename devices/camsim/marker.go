package camsim

import (
	"sync"
	"time"
)

// The latency marker: on request a camera paints the right end of its
// name-and-clock band white, as I_PCM macroblocks in the very next frame,
// and notes when that frame went out. A viewer that watches that spot can
// time glass-to-glass latency from the simulator's send to its display.

// markerMbs is how many macroblocks, at the right end of the band's first
// row, the marker covers.
const markerMbs = 4

var markerFg = [3]uint8{235, 128, 128} // video white

type markerState struct {
	mu   sync.Mutex
	on   bool
	sent map[string]time.Time // stream kind -> when the first marked frame went out
}

// SetMarker turns the latency marker on or off. Turning it on clears the
// send times, which MarkerSent then reports per stream.
func (c *Camera) SetMarker(on bool) {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	if on && !c.marker.on {
		c.marker.sent = map[string]time.Time{}
	}
	c.marker.on = on
}

// MarkerSent is when the first frame with the marker went out on a stream
// kind since SetMarker(true), or zero.
func (c *Camera) MarkerSent(kind string) time.Time {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	return c.marker.sent[kind]
}

func (c *Camera) markerOn() bool {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	return c.marker.on
}

// noteMarkerSent records the first marked frame of a stream kind.
func (c *Camera) noteMarkerSent(kind string, at time.Time) {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	if c.marker.on && c.marker.sent != nil && c.marker.sent[kind].IsZero() {
		c.marker.sent[kind] = at
	}
}

// paintMarker fills the marker's macroblocks in cur.
func (p *bandPainter) paintMarker() {
	ySize, cSize := p.w*p.h, p.w*p.h/4
	x0 := p.w - markerMbs*16
	for y := 0; y < 16 && y < p.h; y++ {
		for x := x0; x < p.w; x++ {
			p.cur[y*p.w+x] = markerFg[0]
		}
	}
	for y := 0; y < 8; y++ {
		for x := x0 / 2; x < p.w/2; x++ {
			p.cur[ySize+y*p.w/2+x] = markerFg[1]
			p.cur[ySize+cSize+y*p.w/2+x] = markerFg[2]
		}
	}
}
