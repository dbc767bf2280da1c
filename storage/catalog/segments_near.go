package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SegmentBefore returns cameraID's segment that starts last before t, of
// any state. It reads one row. A segment still being written has no
// duration in the catalogue, so a range query starting after its start
// misses it; this finds it.
func (db *DB) SegmentBefore(cameraID string, t time.Time) (Segment, bool, error) {
	var s Segment
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if b == nil {
			return nil
		}
		prefix := append([]byte(cameraID), 0)
		c := b.Cursor()
		k, v := c.Seek(segmentKey(cameraID, t))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		if k == nil || !bytes.HasPrefix(k, prefix) {
			return nil
		}
		db.rowsRead.Add(1)
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode segment %q: %w", k, err)
		}
		found = true
		return nil
	})
	return s, found, err
}

// NextSegment returns cameraID's earliest-starting segment that overlaps
// [from, to) and is not damaged. It reads the rows from from less the
// camera's longest segment up to the one it returns, so a calendar can ask
// "any footage this day?" for a month of days cheaply.
func (db *DB) NextSegment(cameraID string, from, to time.Time) (Segment, bool, error) {
	var out Segment
	found := false
	f := SegmentFilter{CameraID: cameraID, From: from, To: to}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if b == nil {
			return nil
		}
		prefix := append([]byte(cameraID), 0)
		stop := segmentKey(cameraID, to)
		c := b.Cursor()
		first := segmentKey(cameraID, from.Add(-spanOf(tx.Bucket(bucketSegSpans), cameraID)))
		for k, v := c.Seek(first); k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, stop) < 0; k, v = c.Next() {
			db.rowsRead.Add(1)
			var s Segment
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("decode segment %q: %w", k, err)
			}
			if s.State != SegmentDamaged && f.match(s) {
				out, found = s, true
				return nil
			}
		}
		return nil
	})
	return out, found, err
}
