package camsim

import (
	"sync"
	"time"
)

// Outage is a stretch in which a stream sent no frame: a stall, a reboot
// or no session. LastSent is when the last frame before it went out, and
// Resumed when the first one after it did.
type Outage struct {
	LastSent, Resumed time.Time
}

// outageMin is the shortest pause the send log keeps: longer than any
// frame interval and the scheduler's hiccups, far shorter than a fault.
const outageMin = 200 * time.Millisecond

// maxOutages bounds the outages kept per stream; the oldest go first.
const maxOutages = 64

// sendLog notes, per stream kind, when frames went out, so a test can ask
// the simulator itself when it stopped sending and when it began again.
type sendLog struct {
	mu      sync.Mutex
	last    map[string]time.Time
	outages map[string][]Outage
}

// note records that a frame of kind went out at at.
func (l *sendLog) note(kind string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil {
		l.last, l.outages = map[string]time.Time{}, map[string][]Outage{}
	}
	if prev, ok := l.last[kind]; ok && at.Sub(prev) >= outageMin {
		o := append(l.outages[kind], Outage{LastSent: prev, Resumed: at})
		if len(o) > maxOutages {
			o = o[len(o)-maxOutages:]
		}
		l.outages[kind] = o
	}
	l.last[kind] = at
}

// Outages lists, oldest first, the pauses of at least min (and at least
// 200 ms) between two frames sent on a stream kind ("main" or "sub"):
// the simulator's own record of a Stall, a Reboot or a dropped session.
// A pause still going on is not listed until a frame ends it.
func (c *Camera) Outages(kind string, min time.Duration) []Outage {
	c.sends.mu.Lock()
	defer c.sends.mu.Unlock()
	var out []Outage
	for _, o := range c.sends.outages[kind] {
		if o.Resumed.Sub(o.LastSent) >= min {
			out = append(out, o)
		}
	}
	return out
}
