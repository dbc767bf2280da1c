package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// segmentsFullScan is Segments as it was before the index: it decodes
// every row of the camera (of every camera, without one) and filters
// them. It is the benchmarks' baseline.
func segmentsFullScan(db *DB, f SegmentFilter) ([]Segment, error) {
	var out []Segment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSegments)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var prefix []byte
		k, v := c.First()
		if f.CameraID != "" {
			prefix = append([]byte(f.CameraID), 0)
			k, v = c.Seek(prefix)
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var s Segment
			if err := json.Unmarshal(v, &s); err != nil {
				return err
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

// BenchmarkSegments compares the full scan with the indexed query, side by
// side, on a week of minute segments from 16 cameras (161,280 rows): one
// camera's hour, as playback asks, and every camera's last hour, as the
// Settings page asks.
func BenchmarkSegments(b *testing.B) {
	db, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const cams, days = 16, 7
	for i := range cams {
		putSegments(b, db, minuteSegments(fmt.Sprintf("cam-%02d", i), segT0, days*24*60))
	}
	end := segT0.Add(days * 24 * time.Hour)
	for _, q := range []struct {
		name string
		f    SegmentFilter
		want int
	}{
		{"camera-hour", SegmentFilter{CameraID: "cam-07", From: segT0.Add(80 * time.Hour), To: segT0.Add(81 * time.Hour)}, 60},
		{"all-cameras-last-hour", SegmentFilter{From: end.Add(-time.Hour)}, cams * 60},
	} {
		for _, impl := range []struct {
			name string
			fn   func(*DB, SegmentFilter) ([]Segment, error)
		}{
			{"fullscan", segmentsFullScan},
			{"indexed", (*DB).Segments},
		} {
			b.Run(q.name+"/"+impl.name, func(b *testing.B) {
				for b.Loop() {
					got, err := impl.fn(db, q.f)
					if err != nil {
						b.Fatal(err)
					}
					if len(got) != q.want {
						b.Fatalf("%d segments, want %d", len(got), q.want)
					}
				}
			})
		}
	}
}
