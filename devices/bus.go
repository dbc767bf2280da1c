package devices

import (
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"nightjar/devices/onvif"
)

// CameraEvent is an ONVIF event from one camera.
type CameraEvent struct {
	CameraID string
	onvif.Event
}

// Bus is the in-process event bus: cameras publish, the catalogue, the
// recorder and the UI subscribe. Publishing never blocks; a subscriber
// that falls behind loses events. Losses are never silent: Dropped counts
// them, and the log gets a summary per subscriber at most every
// SummaryEvery, as mediamtx's errordumper batches stream errors.
type Bus struct {
	// Log receives the summaries of lost events. It defaults to
	// discarding.
	Log *slog.Logger
	// SummaryEvery is the period of the loss summaries: the first loss
	// starts a period, and at its end each subscriber that lost events
	// gets one line with the count and the last event it lost. It
	// defaults to 10 s.
	SummaryEvery time.Duration

	mu      sync.Mutex
	subs    map[int]*subscriber
	next    int
	lost    map[string]*loss // by subscriber name, since the last summary
	timer   *time.Timer      // the pending summary
	closed  bool
	dropped atomic.Int64
}

type subscriber struct {
	name string
	ch   chan CameraEvent
}

// loss is what one subscriber lost in a summary period.
type loss struct {
	n    int64
	last CameraEvent
}

// Subscribe returns a channel of events, buffered by buf, and a function
// that ends the subscription. name says who subscribes in the loss
// summaries.
func (b *Bus) Subscribe(name string, buf int) (<-chan CameraEvent, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[int]*subscriber{}
	}
	id := b.next
	b.next++
	s := &subscriber{name: name, ch: make(chan CameraEvent, buf)}
	b.subs[id] = s
	return s.ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if s, ok := b.subs[id]; ok {
			delete(b.subs, id)
			close(s.ch)
		}
	}
}

// Publish delivers e to every subscriber that has room, and counts the
// others' loss.
func (b *Bus) Publish(e CameraEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		select {
		case s.ch <- e:
		default:
			b.dropped.Add(1)
			b.countLossLocked(s.name, e)
		}
	}
}

func (b *Bus) countLossLocked(name string, e CameraEvent) {
	if b.lost == nil {
		b.lost = map[string]*loss{}
	}
	l := b.lost[name]
	if l == nil {
		l = &loss{}
		b.lost[name] = l
	}
	l.n++
	l.last = e
	if b.timer == nil && !b.closed {
		every := b.SummaryEvery
		if every <= 0 {
			every = 10 * time.Second
		}
		b.timer = time.AfterFunc(every, b.summarize)
	}
}

// summarize logs and clears the losses of the period that ends.
func (b *Bus) summarize() {
	b.mu.Lock()
	lost := b.lost
	b.lost, b.timer = nil, nil
	b.mu.Unlock()
	names := make([]string, 0, len(lost))
	for name := range lost {
		names = append(names, name)
	}
	sort.Strings(names)
	log := b.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, name := range names {
		l := lost[name]
		log.Warn(fmt.Sprintf("%d camera events lost: the subscriber fell behind", l.n),
			"subscriber", name, "lost", l.n, "last_camera", l.last.CameraID, "last_kind", l.last.Kind,
			"last_topic", l.last.Topic, "last_state", l.last.State, "last_initial", l.last.Initial)
	}
}

// Close logs the summary of any losses not yet summarised. Losses after
// Close are still counted by Dropped but no longer logged.
func (b *Bus) Close() error {
	b.mu.Lock()
	b.closed = true
	pending := b.timer != nil && b.timer.Stop()
	b.mu.Unlock()
	if pending {
		b.summarize()
	}
	return nil
}

// Dropped is how many deliveries were lost to full subscribers.
func (b *Bus) Dropped() int64 { return b.dropped.Load() }
