package player

import (
	"sync"
	"time"
)

// heapTrimmer hands the C heap's free pages back to the system while
// players run. glibc's malloc keeps what libmpv frees inside its arenas:
// the probing and buffering of stream start-up leaves tens of megabytes
// free but resident on a 16-tile wall, and glibc only returns memory at
// the top of an arena on its own. So a trim runs a moment after players
// start or stop, and every minute while any exist.
//
// Its goroutine runs only while a Core exists, so closing every player
// leaves no goroutine behind.
type heapTrimmer struct {
	mu    sync.Mutex
	cores int
	kick  chan struct{}
	stop  chan struct{}
	trim  func() // returns free memory to the system; nil where there is nothing to do
	// settle is how long after a kick the trim waits, so the players of a
	// whole wall starting together cost one trim.
	settle, every time.Duration
}

var cHeap = &heapTrimmer{trim: trimCHeap, settle: 2 * time.Second, every: time.Minute}

// add notes a new Core.
func (h *heapTrimmer) add() {
	if h.trim == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cores++
	if h.cores == 1 {
		h.kick = make(chan struct{}, 1)
		h.stop = make(chan struct{})
		go h.run(h.kick, h.stop)
	}
}

// remove notes a closed Core. The last one trims and ends the goroutine.
func (h *heapTrimmer) remove() {
	if h.trim == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cores--
	if h.cores == 0 {
		close(h.stop)
		return
	}
	h.kickLocked()
}

// churned asks for a trim soon: a player has finished starting, which
// frees its probing buffers.
func (h *heapTrimmer) churned() {
	if h.trim == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cores > 0 {
		h.kickLocked()
	}
}

func (h *heapTrimmer) kickLocked() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

func (h *heapTrimmer) run(kick, stop chan struct{}) {
	tick := time.NewTicker(h.every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			h.trim()
			return
		case <-tick.C:
		case <-kick:
			select {
			case <-stop:
				h.trim()
				return
			case <-time.After(h.settle):
			}
		}
		h.trim()
	}
}
