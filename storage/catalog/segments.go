package catalog

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketSegments = []byte("segments")
	bucketDayKeys  = []byte("daykeys")
)

// Segment states. A row is written as SegmentOpen before its file gets any
// data; Close makes it SegmentClosed, startup recovery SegmentRecovered, and
// a failed check SegmentDamaged.
const (
	SegmentOpen      = "open"
	SegmentClosed    = "closed"
	SegmentRecovered = "recovered"
	SegmentDamaged   = "damaged"
)

// Segment is one recorded file. It holds no key material.
type Segment struct {
	CameraID string        `json:"camera"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
	Day      string        `json:"day"`  // UTC day whose key encrypts the file, 2006-01-02
	File     string        `json:"file"` // relative to the recordings folder
	State    string        `json:"state"`
	Size     int64         `json:"size"`             // ciphertext bytes, set on close
	SHA256   string        `json:"sha256,omitempty"` // of the ciphertext, set on close
	Codec    string        `json:"codec,omitempty"`
	Width    int           `json:"width,omitempty"`
	Height   int           `json:"height,omitempty"`
	Trigger  string        `json:"trigger,omitempty"` // continuous, schedule, event, manual
	Problem  string        `json:"problem,omitempty"` // why it is damaged
}

// End is Start plus Duration.
func (s Segment) End() time.Time { return s.Start.Add(s.Duration) }

// segmentKey sorts by camera, then start time.
func segmentKey(cameraID string, start time.Time) []byte {
	k := make([]byte, 0, len(cameraID)+9)
	k = append(k, cameraID...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(start.UnixNano()))
}

// PutSegment inserts or replaces s, keyed by camera and start time.
func (db *DB) PutSegment(s Segment) error {
	if s.CameraID == "" || s.Start.IsZero() {
		return fmt.Errorf("put segment: camera and start are required")
	}
	v, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode segment: %w", err)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSegments)
		if err != nil {
			return err
		}
		return b.Put(segmentKey(s.CameraID, s.Start), v)
	})
}

// DeleteSegment removes the row of the segment of cameraID starting at start.
func (db *DB) DeleteSegment(cameraID string, start time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if b == nil {
			return nil
		}
		return b.Delete(segmentKey(cameraID, start))
	})
}

// SegmentFilter selects segments. Zero fields match everything.
type SegmentFilter struct {
	CameraID string
	From, To time.Time // segments overlapping [From, To)
	State    string
}

func (f SegmentFilter) match(s Segment) bool {
	if f.CameraID != "" && s.CameraID != f.CameraID {
		return false
	}
	if f.State != "" && s.State != f.State {
		return false
	}
	if !f.From.IsZero() && !s.End().After(f.From) && !(s.Duration == 0 && !s.Start.Before(f.From)) {
		return false
	}
	if !f.To.IsZero() && !s.Start.Before(f.To) {
		return false
	}
	return true
}

// Segments returns the matching segments sorted by start time, then camera.
func (db *DB) Segments(f SegmentFilter) ([]Segment, error) {
	var out []Segment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var k, v []byte
		prefix := []byte(nil)
		if f.CameraID != "" {
			prefix = append([]byte(f.CameraID), 0)
			k, v = c.Seek(prefix)
		} else {
			k, v = c.First()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var s Segment
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("decode segment %q: %w", k, err)
			}
			if f.match(s) {
				out = append(out, s)
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].CameraID < out[j].CameraID
	})
	return out, err
}

// PutDayKey stores the wrapped identity of a UTC day.
func (db *DB) PutDayKey(day string, wrapped []byte) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDayKeys)
		if err != nil {
			return err
		}
		return b.Put([]byte(day), wrapped)
	})
}

// DayKey returns the wrapped identity of day, or ErrNotFound.
func (db *DB) DayKey(day string) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDayKeys)
		if b == nil {
			return fmt.Errorf("day key %s: %w", day, ErrNotFound)
		}
		v := b.Get([]byte(day))
		if v == nil {
			return fmt.Errorf("day key %s: %w", day, ErrNotFound)
		}
		out = bytes.Clone(v)
		return nil
	})
	return out, err
}

// DeleteDayKey destroys the wrapped identity of day. bbolt reuses the freed
// page, and the wrapped key is useless without the keyring's master key.
func (db *DB) DeleteDayKey(day string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDayKeys)
		if b == nil {
			return nil
		}
		return b.Delete([]byte(day))
	})
}

// DayKeys lists the days that have an identity, oldest first.
func (db *DB) DayKeys() ([]string, error) {
	var out []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDayKeys)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}
