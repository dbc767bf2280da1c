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
	// bucketSegSpans holds, per camera, the longest duration of any of its
	// segments (8 bytes, big-endian nanoseconds). A range query starts that
	// far before its From, the earliest an overlapping segment can start.
	bucketSegSpans = []byte("segspans")
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
	Day      string        `json:"day"` // UTC day of Start, 2006-01-02, bound into the file
	// Key names the day key that encrypts the file: "2006-01-02/<camera>"
	// for segments written since keys are per camera and day. Empty means
	// the day's shared key, named Day, which older segments use; see KeyID.
	Key     string `json:"key,omitempty"`
	File    string `json:"file"` // relative to the recordings folder
	State   string `json:"state"`
	Size    int64  `json:"size"`             // ciphertext bytes, set on close
	SHA256  string `json:"sha256,omitempty"` // of the ciphertext, set on close
	Codec   string `json:"codec,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	Trigger string `json:"trigger,omitempty"` // continuous, schedule, event, manual
	Problem string `json:"problem,omitempty"` // why it is damaged
}

// KeyID is the name of the day key that encrypts the file: Key, or Day
// for a segment from before per-camera keys.
func (s Segment) KeyID() string {
	if s.Key != "" {
		return s.Key
	}
	return s.Day
}

// End is Start plus Duration.
func (s Segment) End() time.Time { return s.Start.Add(s.Duration) }

// segmentKey sorts by camera, then start time: the camera ID, a 0 byte and
// the start as big-endian Unix nanoseconds. It is the index by camera and
// time: a range query seeks to its first key and stops past its last.
func segmentKey(cameraID string, start time.Time) []byte {
	k := make([]byte, 0, len(cameraID)+9)
	k = append(k, cameraID...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(max(0, start.UnixNano())))
}

// PutSegment inserts or replaces s, keyed by camera and start time.
func (db *DB) PutSegment(s Segment) error {
	if s.CameraID == "" || s.Start.IsZero() {
		return fmt.Errorf("put segment: camera and start are required")
	}
	return db.bolt.Update(func(tx *bolt.Tx) error { return putSegment(tx, s) })
}

func putSegment(tx *bolt.Tx, s Segment) error {
	v, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode segment: %w", err)
	}
	b, err := tx.CreateBucketIfNotExists(bucketSegments)
	if err != nil {
		return err
	}
	if err := b.Put(segmentKey(s.CameraID, s.Start), v); err != nil {
		return err
	}
	return growSpan(tx, s.CameraID, s.Duration)
}

// growSpan records d as cameraID's longest segment if it is longer than
// any before. Deleting a segment does not shrink it: a span too long only
// costs a query a few more rows.
func growSpan(tx *bolt.Tx, cameraID string, d time.Duration) error {
	b, err := tx.CreateBucketIfNotExists(bucketSegSpans)
	if err != nil {
		return err
	}
	if d <= spanOf(b, cameraID) {
		return nil
	}
	return b.Put([]byte(cameraID), binary.BigEndian.AppendUint64(nil, uint64(d)))
}

// spanOf is cameraID's longest segment duration in b, 0 when unknown.
func spanOf(b *bolt.Bucket, cameraID string) time.Duration {
	if b == nil {
		return 0
	}
	if v := b.Get([]byte(cameraID)); len(v) == 8 {
		return time.Duration(binary.BigEndian.Uint64(v))
	}
	return 0
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
// It reads only the rows of the filter's camera (of each camera, without
// one) that start between From less that camera's longest segment and To:
// a query for an hour of one camera touches that hour's rows, however much
// footage the catalogue holds. State is checked on the rows read.
func (db *DB) Segments(f SegmentFilter) ([]Segment, error) {
	var out []Segment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if b == nil {
			return nil
		}
		spans := tx.Bucket(bucketSegSpans)
		c := b.Cursor()
		if f.CameraID != "" {
			return db.scanCamera(c, spans, []byte(f.CameraID), f, &out)
		}
		for k, _ := c.First(); k != nil; {
			i := bytes.IndexByte(k, 0)
			if i < 0 {
				return fmt.Errorf("segment key %q has no camera: %w", k, ErrCorrupt)
			}
			cam := bytes.Clone(k[:i])
			if err := db.scanCamera(c, spans, cam, f, &out); err != nil {
				return err
			}
			k, _ = c.Seek(append(cam, 1)) // the next camera's first key
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

// scanCamera appends cam's segments that match f, reading only the rows in
// f's time range widened by cam's span.
func (db *DB) scanCamera(c *bolt.Cursor, spans *bolt.Bucket, cam []byte, f SegmentFilter, out *[]Segment) error {
	prefix := append(bytes.Clone(cam), 0)
	first := prefix
	if !f.From.IsZero() {
		first = segmentKey(string(cam), f.From.Add(-spanOf(spans, string(cam))))
	}
	var stop []byte
	if !f.To.IsZero() {
		stop = segmentKey(string(cam), f.To)
	}
	for k, v := c.Seek(first); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if stop != nil && bytes.Compare(k, stop) >= 0 {
			break
		}
		db.rowsRead.Add(1)
		var s Segment
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode segment %q: %w", k, err)
		}
		if f.match(s) {
			*out = append(*out, s)
		}
	}
	return nil
}

// migrateSegSpans builds every camera's span from its rows, for a
// catalogue written before spans existed (schema 1).
func migrateSegSpans(tx *bolt.Tx) error {
	b := tx.Bucket(bucketSegments)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		var s Segment
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode segment %q: %w", k, err)
		}
		return growSpan(tx, s.CameraID, s.Duration)
	})
}

// PutDayKey stores a wrapped day identity under its key id: a UTC day
// (the shared key of older segments) or a day and camera, "2006-01-02/cam".
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
