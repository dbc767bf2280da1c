package catalog

import (
	"testing"
	"time"
)

func TestSegmentBeforeAndNext(t *testing.T) {
	db, _ := openTemp(t)
	rows := append(minuteSegments("cam-a", segT0, 3), minuteSegments("cam-b", segT0, 3)...)
	rows[1].State, rows[1].Problem = SegmentDamaged, "flipped bit"
	open := Segment{CameraID: "cam-a", Start: segT0.Add(10 * time.Minute), Day: "2026-11-20", File: "a/open", State: SegmentOpen}
	putSegments(t, db, append(rows, open))

	for _, tc := range []struct {
		cam  string
		at   time.Time
		want time.Time // zero: none
	}{
		{"cam-a", segT0, time.Time{}},
		{"cam-a", segT0.Add(time.Second), segT0},
		{"cam-a", segT0.Add(20 * time.Minute), open.Start}, // the open row, which a range query after its start misses
		{"cam-b", segT0.Add(time.Hour), segT0.Add(2 * time.Minute)},
		{"cam-c", segT0.Add(time.Hour), time.Time{}},
	} {
		s, ok, err := db.SegmentBefore(tc.cam, tc.at)
		check(t, err)
		if ok != !tc.want.IsZero() || (ok && (s.CameraID != tc.cam || !s.Start.Equal(tc.want))) {
			t.Errorf("SegmentBefore(%s, %v) = %v %v, want %v", tc.cam, tc.at, s.Start, ok, tc.want)
		}
	}
	for _, tc := range []struct {
		cam      string
		from, to time.Time
		want     time.Time
	}{
		{"cam-a", segT0.Add(30 * time.Second), segT0.Add(time.Hour), segT0},                 // overlaps the first
		{"cam-a", segT0.Add(time.Minute), segT0.Add(time.Hour), segT0.Add(2 * time.Minute)}, // skips the damaged one
		{"cam-a", segT0.Add(3 * time.Minute), segT0.Add(10 * time.Minute), time.Time{}},
		{"cam-a", segT0.Add(3 * time.Minute), segT0.Add(11 * time.Minute), open.Start},
		{"cam-b", segT0.Add(-time.Hour), segT0, time.Time{}},
	} {
		s, ok, err := db.NextSegment(tc.cam, tc.from, tc.to)
		check(t, err)
		if ok != !tc.want.IsZero() || (ok && (s.CameraID != tc.cam || !s.Start.Equal(tc.want))) {
			t.Errorf("NextSegment(%s, %v, %v) = %v %v, want %v", tc.cam, tc.from, tc.to, s.Start, ok, tc.want)
		}
	}
}

// TestNextSegmentReadsFewRows: with a day of minute segments, finding the
// first footage of an hour reads the row a span before it and the one
// found, not the day.
func TestNextSegmentReadsFewRows(t *testing.T) {
	db, _ := openTemp(t)
	putSegments(t, db, minuteSegments("cam-a", segT0, 24*60))
	before := db.rowsRead.Load()
	s, ok, err := db.NextSegment("cam-a", segT0.Add(5*time.Hour), segT0.Add(48*time.Hour))
	check(t, err)
	if !ok || !s.Start.Equal(segT0.Add(5*time.Hour)) {
		t.Fatalf("found %v %v", s.Start, ok)
	}
	if read := db.rowsRead.Load() - before; read > 2 {
		t.Fatalf("read %d rows, want at most 2", read)
	}
}
