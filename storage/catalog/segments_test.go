package catalog

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var segT0 = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// putSegments stores rows in one transaction, as many PutSegment calls
// would, but without a commit per row.
func putSegments(t testing.TB, db *DB, rows []Segment) {
	t.Helper()
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, s := range rows {
			if err := putSegment(tx, s); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// minuteSegments is n back-to-back 60 s segments of cam from start.
func minuteSegments(cam string, start time.Time, n int) []Segment {
	out := make([]Segment, n)
	for i := range out {
		st := start.Add(time.Duration(i) * time.Minute)
		out[i] = Segment{CameraID: cam, Start: st, Duration: time.Minute, Day: st.Format("2006-01-02"),
			File: fmt.Sprintf("%s/%d.ts.age", cam, i), State: SegmentClosed, Size: 1000}
	}
	return out
}

// overlaps is the filter's promise, written out here: a segment is in
// [from, to) when it starts before to and ends after from; one still
// open (no duration yet) when it starts at or after from. Zero bounds are
// open.
func overlaps(s Segment, cam string, from, to time.Time) bool {
	if cam != "" && s.CameraID != cam {
		return false
	}
	if !to.IsZero() && !s.Start.Before(to) {
		return false
	}
	if from.IsZero() {
		return true
	}
	if s.Duration == 0 {
		return !s.Start.Before(from)
	}
	return s.Start.Add(s.Duration).After(from)
}

func segmentIDs(rows []Segment) []string {
	out := make([]string, len(rows))
	for i, s := range rows {
		out[i] = s.CameraID + "@" + s.Start.Format(time.RFC3339Nano)
	}
	return out
}

// TestSegmentRangeQueries checks indexed range queries against the
// promise above, on rows that include a segment far longer than the
// others, an open one and a damaged one.
func TestSegmentRangeQueries(t *testing.T) {
	db, _ := openTemp(t)
	var all []Segment
	all = append(all, minuteSegments("cam-a", segT0, 180)...)
	all = append(all, minuteSegments("cam-b", segT0.Add(30*time.Second), 180)...)
	long := Segment{CameraID: "cam-c", Start: segT0.Add(-time.Hour), Duration: 2 * time.Hour, Day: "2026-11-20", File: "c/long", State: SegmentRecovered}
	open := Segment{CameraID: "cam-c", Start: segT0.Add(90 * time.Minute), Day: "2026-11-20", File: "c/open", State: SegmentOpen}
	damaged := Segment{CameraID: "cam-a", Start: segT0.Add(-5 * time.Minute), Duration: 4 * time.Minute, Day: "2026-11-20", File: "a/bad", State: SegmentDamaged}
	putSegments(t, db, all)
	// The odd ones through the public call.
	for _, s := range []Segment{long, open, damaged} {
		if err := db.PutSegment(s); err != nil {
			t.Fatal(err)
		}
	}
	all = append(all, long, open, damaged)
	want := func(cam string, from, to time.Time) []Segment {
		var out []Segment
		for _, s := range all {
			if overlaps(s, cam, from, to) {
				out = append(out, s)
			}
		}
		slices.SortStableFunc(out, func(a, b Segment) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return compareStrings(a.CameraID, b.CameraID)
		})
		return out
	}
	check := func(name string, f SegmentFilter) {
		t.Helper()
		got, err := db.Segments(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g, w := segmentIDs(got), segmentIDs(want(f.CameraID, f.From, f.To)); !slices.Equal(g, w) {
			t.Fatalf("%s: got %d segments %v\nwant %d %v", name, len(g), g, len(w), w)
		}
	}
	// Edges by hand: a bound on a segment's end or start, inside the long
	// segment, and the open one.
	check("to at a start", SegmentFilter{CameraID: "cam-a", From: segT0, To: segT0.Add(time.Minute)})
	check("from at an end", SegmentFilter{CameraID: "cam-a", From: segT0.Add(time.Minute), To: segT0.Add(2 * time.Minute)})
	check("inside the long one", SegmentFilter{CameraID: "cam-c", From: segT0.Add(50 * time.Minute), To: segT0.Add(51 * time.Minute)})
	check("all cameras inside the long one", SegmentFilter{From: segT0.Add(50 * time.Minute), To: segT0.Add(51 * time.Minute)})
	check("the open one", SegmentFilter{CameraID: "cam-c", From: segT0.Add(89 * time.Minute)})
	check("no bounds", SegmentFilter{})
	check("before everything", SegmentFilter{To: segT0.Add(-2 * time.Hour)})
	check("unknown camera", SegmentFilter{CameraID: "cam-z", From: segT0})
	if got, err := db.Segments(SegmentFilter{State: SegmentDamaged}); err != nil || len(got) != 1 || got[0].File != "a/bad" {
		t.Fatalf("damaged rows: %v, %v", segmentIDs(got), err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cams := []string{"", "cam-a", "cam-b", "cam-c"}
	for i := range 300 {
		from := segT0.Add(time.Duration(rng.IntN(5*3600)-3600) * time.Second)
		to := from.Add(time.Duration(rng.IntN(3*3600)) * time.Second)
		f := SegmentFilter{CameraID: cams[rng.IntN(len(cams))], From: from, To: to}
		switch rng.IntN(4) {
		case 0:
			f.From = time.Time{}
		case 1:
			f.To = time.Time{}
		}
		check(fmt.Sprintf("random %d %+v", i, f), f)
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestSegmentQueryReadsOnlyItsRange counts the rows an hour's query
// decodes in a catalogue of many hours: only those of that hour, plus the
// one segment before it that could reach into it.
func TestSegmentQueryReadsOnlyItsRange(t *testing.T) {
	db, _ := openTemp(t)
	const hours = 48
	for _, cam := range []string{"cam-a", "cam-b", "cam-c"} {
		putSegments(t, db, minuteSegments(cam, segT0, hours*60))
	}
	from := segT0.Add(24 * time.Hour)
	to := from.Add(time.Hour)
	for _, tc := range []struct {
		f        SegmentFilter
		cams     int
		wantRows int
	}{
		{SegmentFilter{CameraID: "cam-b", From: from, To: to}, 1, 60},
		{SegmentFilter{From: from, To: to}, 3, 180},
	} {
		before := db.rowsRead.Load()
		got, err := db.Segments(tc.f)
		if err != nil {
			t.Fatal(err)
		}
		read := db.rowsRead.Load() - before
		if len(got) != tc.wantRows {
			t.Fatalf("%+v: %d segments, want %d", tc.f, len(got), tc.wantRows)
		}
		// Each camera's hour is 60 rows; the one starting a span (60 s)
		// before From is read and dropped.
		if limit := int64(tc.cams * 61); read > limit {
			t.Fatalf("%+v read %d rows of %d, want at most %d", tc.f, read, 3*hours*60, limit)
		}
	}
}

// TestMigrationBuildsSpans writes a catalogue as schema 1 did, with no
// spans, and checks that opening it migrates: a query inside a long
// segment that started long before finds it.
func TestMigrationBuildsSpans(t *testing.T) {
	dir := t.TempDir()
	long := Segment{CameraID: "cam-c", Start: segT0, Duration: 3 * time.Hour, Day: "2026-11-20", File: "c/long", State: SegmentClosed}
	rows := append(minuteSegments("cam-a", segT0, 10), long)
	old, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("schema"), []byte{1}); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bucketCameras); err != nil {
			return err
		}
		b, err := tx.CreateBucket(bucketSegments)
		if err != nil {
			return err
		}
		for _, s := range rows {
			v, err := json.Marshal(s)
			if err != nil {
				return err
			}
			// Schema 1's key: camera, a 0 byte, big-endian Unix nanoseconds.
			k := binary.BigEndian.AppendUint64(append([]byte(s.CameraID), 0), uint64(s.Start.UnixNano()))
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("open a schema 1 catalogue: %v", err)
	}
	defer db.Close()
	got, err := db.Segments(SegmentFilter{CameraID: "cam-c", From: segT0.Add(2 * time.Hour), To: segT0.Add(2*time.Hour + time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].File != "c/long" {
		t.Fatalf("inside the long segment after migration: %v, want c/long", segmentIDs(got))
	}
	got, err = db.Segments(SegmentFilter{CameraID: "cam-a"})
	if err != nil || len(got) != 10 {
		t.Fatalf("cam-a after migration: %d rows, %v; want 10", len(got), err)
	}
	var schema []byte
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		schema = append(schema, tx.Bucket(bucketMeta).Get([]byte("schema"))...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(schema) != 1 || schema[0] != 2 {
		t.Fatalf("schema after migration %v, want [2]", schema)
	}
}
