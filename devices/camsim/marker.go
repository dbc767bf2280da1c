package camsim

import (
	"sync"
	"time"
)

// The latency marker: on request a camera paints the right end of its
// name-and-clock band white, as I_PCM macroblocks in the very next frame,
// and notes when that frame went out. A viewer that watches that spot can
// time glass-to-glass latency from the simulator's send to its display.
//
// The moment marker (SetMarkerAt) paints the same spot into exactly one
// frame per stream: the first frame sent at or after a chosen moment. The
// frame after it is unmarked again, so a player that seeks to the moment
// shows the marker only if it lands on that very frame.

// markerMbs is how many macroblocks, at the right end of the band's first
// row, the marker covers.
const markerMbs = 4

var markerFg = [3]uint8{235, 128, 128} // video white

type markerState struct {
	mu   sync.Mutex
	on   bool
	sent map[string]time.Time // stream kind -> when the first marked frame went out
	// at is SetMarkerAt's moment, zero when none is set; atDone holds the
	// stream kinds that have sent its frame.
	at     time.Time
	atDone map[string]bool
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
// kind since SetMarker(true), or zero. After SetMarkerAt it is the capture
// time of the frame marked for that moment (see SetMarkerAt), or zero
// until that frame is sent.
func (c *Camera) MarkerSent(kind string) time.Time {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	return c.marker.sent[kind]
}

// SetMarkerAt paints the marker into one frame of every stream of the
// camera: the first frame whose capture time is at or after t, and no other.
// A frame's capture time is its place on the stream's timeline, the host's
// wall clock when it was due: its RTP timestamp advances by exactly the
// interval between capture times, and a feeder running late on a loaded
// machine sends the frame a little later but does not move it. The camera's
// clock offset does not apply. So cameras given the same t each mark the
// frame due within one frame interval after t. A stream that is down or
// stalled when the frame is due marks the first frame it sends afterwards,
// and a t already past marks the next frame. A stream whose clips cannot
// carry the name band (none of the embedded ones) marks nothing. A later
// call replaces a moment and clears what MarkerSent reports.
func (c *Camera) SetMarkerAt(t time.Time) {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	c.marker.at, c.marker.atDone, c.marker.sent = t, map[string]bool{}, map[string]time.Time{}
}

// markAt reports whether a frame of kind due at capture is the one
// SetMarkerAt asked for, and if so counts it as sent.
func (c *Camera) markAt(kind string, capture time.Time) bool {
	c.marker.mu.Lock()
	defer c.marker.mu.Unlock()
	if c.marker.at.IsZero() || c.marker.atDone[kind] || capture.Before(c.marker.at) {
		return false
	}
	c.marker.atDone[kind] = true
	c.marker.sent[kind] = capture
	return true
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
