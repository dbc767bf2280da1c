package catalog

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketEvents   = []byte("events")
	metaEventCount = []byte("events_n")
)

// MaxEvents bounds the stored camera events; the oldest go first.
const MaxEvents = 20000

// Event is a stored camera event.
type Event struct {
	CameraID string    `json:"camera"`
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"`
	Topic    string    `json:"topic"`
	Source   string    `json:"source,omitempty"`
	State    bool      `json:"state"`
}

// eventKey sorts newest first: the inverted time, then the camera.
func eventKey(e Event) []byte {
	k := make([]byte, 8, 8+len(e.CameraID))
	binary.BigEndian.PutUint64(k, math.MaxUint64-uint64(e.Time.UnixNano()))
	return append(k, e.CameraID...)
}

// PutEvent stores e and trims the oldest beyond MaxEvents.
func (db *DB) PutEvent(e Event) error {
	v, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketEvents)
		if err != nil {
			return err
		}
		key := eventKey(e)
		meta := tx.Bucket(bucketMeta)
		n := uint64(0)
		if v := meta.Get(metaEventCount); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		if b.Get(key) == nil {
			n++
		}
		if err := b.Put(key, v); err != nil {
			return err
		}
		// Trim the oldest (the last keys) down to the limit.
		c := b.Cursor()
		for k, _ := c.Last(); k != nil && n > uint64(db.maxEvents()); k, _ = c.Last() {
			if err := b.Delete(k); err != nil {
				return err
			}
			n--
		}
		var cnt [8]byte
		binary.BigEndian.PutUint64(cnt[:], n)
		return meta.Put(metaEventCount, cnt[:])
	})
}

func (db *DB) maxEvents() int {
	if db.eventLimit > 0 {
		return db.eventLimit
	}
	return MaxEvents
}

// Events returns up to limit events, newest first; cameraID "" means all.
func (db *DB) Events(cameraID string, limit int) ([]Event, error) {
	var out []Event
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var e Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode event: %w", err)
			}
			if cameraID == "" || e.CameraID == cameraID {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

// EventFilter selects events for EventsIn. Zero fields match everything,
// except that From and To bound the time.
type EventFilter struct {
	CameraID string
	Kind     string
	From, To time.Time // events at From or later and before To
}

// EventsIn returns the events f matches, oldest first. Events are keyed by
// time, so it reads only the rows in [From, To), of every camera: at most
// MaxEvents rows, however long the range.
func (db *DB) EventsIn(f EventFilter) ([]Event, error) {
	var out []Event
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		k, v := c.First()
		if !f.To.IsZero() {
			// Newest first: the first key at or before To.
			k, v = c.Seek(binary.BigEndian.AppendUint64(nil, math.MaxUint64-uint64(f.To.UnixNano())))
		}
		for ; k != nil; k, v = c.Next() {
			db.eventsRead.Add(1)
			if len(k) < 8 {
				return fmt.Errorf("event key %q: %w", k, ErrCorrupt)
			}
			at := int64(math.MaxUint64 - binary.BigEndian.Uint64(k[:8]))
			if !f.To.IsZero() && at >= f.To.UnixNano() {
				continue
			}
			if !f.From.IsZero() && at < f.From.UnixNano() {
				break
			}
			var e Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode event: %w", err)
			}
			if (f.CameraID == "" || e.CameraID == f.CameraID) && (f.Kind == "" || e.Kind == f.Kind) {
				out = append(out, e)
			}
		}
		return nil
	})
	slices.Reverse(out)
	return out, err
}
