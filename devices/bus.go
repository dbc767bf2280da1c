package devices

import (
	"sync"
	"sync/atomic"

	"nightjar/devices/onvif"
)

// CameraEvent is an ONVIF event from one camera.
type CameraEvent struct {
	CameraID string
	onvif.Event
}

// Bus is the in-process event bus: cameras publish, the catalogue, the
// recorder and the UI subscribe. Publishing never blocks; a subscriber
// that falls behind loses events, which Dropped counts.
type Bus struct {
	mu      sync.Mutex
	subs    map[int]chan CameraEvent
	next    int
	dropped atomic.Int64
}

// Subscribe returns a channel of events, buffered by buf, and a function
// that ends the subscription.
func (b *Bus) Subscribe(buf int) (<-chan CameraEvent, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[int]chan CameraEvent{}
	}
	id := b.next
	b.next++
	ch := make(chan CameraEvent, buf)
	b.subs[id] = ch
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if c, ok := b.subs[id]; ok {
			delete(b.subs, id)
			close(c)
		}
	}
}

// Publish delivers e to every subscriber that has room.
func (b *Bus) Publish(e CameraEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- e:
		default:
			b.dropped.Add(1)
		}
	}
}

// Dropped is how many deliveries were lost to full subscribers.
func (b *Bus) Dropped() int64 { return b.dropped.Load() }
