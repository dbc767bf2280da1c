package catalog

import (
	"testing"
	"time"
)

func TestEventsNewestFirstAndBounded(t *testing.T) {
	db, _ := openTemp(t)
	db.eventLimit = 5
	base := time.Unix(1_800_000_000, 0)
	for i := 0; i < 8; i++ {
		cam := "a"
		if i%2 == 1 {
			cam = "b"
		}
		if err := db.PutEvent(Event{CameraID: cam, Time: base.Add(time.Duration(i) * time.Second), Kind: "motion", State: i%2 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Events("", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 {
		t.Fatalf("kept %d events, limit 5", len(all))
	}
	for i := 1; i < len(all); i++ {
		if !all[i].Time.Before(all[i-1].Time) {
			t.Fatalf("not newest first: %v then %v", all[i-1].Time, all[i].Time)
		}
	}
	if !all[0].Time.Equal(base.Add(7 * time.Second)) {
		t.Fatalf("newest is %v", all[0].Time)
	}
	onlyA, err := db.Events("a", 100)
	check(t, err)
	if len(onlyA) == 0 {
		t.Fatal("no events of camera a")
	}
	for _, e := range onlyA {
		if e.CameraID != "a" {
			t.Fatal("filter leaked")
		}
	}
	if two, err := db.Events("", 2); err != nil || len(two) != 2 {
		t.Fatal("limit ignored")
	}
}

func TestEventsInRangeOldestFirst(t *testing.T) {
	db, _ := openTemp(t)
	base := time.Unix(1_800_000_000, 0)
	// An hour of events, one a second, alternating cameras and kinds.
	for i := 0; i < 3600; i++ {
		e := Event{CameraID: []string{"a", "b"}[i%2], Time: base.Add(time.Duration(i) * time.Second),
			Kind: []string{"motion", "motion", "tamper"}[i%3], State: i%4 < 2}
		check(t, db.PutEvent(e))
	}
	for _, tc := range []struct {
		f          EventFilter
		first, end int // the seconds of the first and after the last event wanted
		step       int
		rows       int64 // the events stored in the range
	}{
		{EventFilter{From: base.Add(100 * time.Second), To: base.Add(110 * time.Second)}, 100, 110, 1, 10},
		{EventFilter{CameraID: "a", From: base.Add(100 * time.Second), To: base.Add(110 * time.Second)}, 100, 110, 2, 10},
		{EventFilter{Kind: "tamper", From: base, To: base.Add(30 * time.Second)}, 2, 30, 3, 30},
		{EventFilter{From: base.Add(3590 * time.Second)}, 3590, 3600, 1, 10},
		{EventFilter{To: base.Add(5 * time.Second)}, 0, 5, 1, 5},
	} {
		before := db.eventsRead.Load()
		got, err := db.EventsIn(tc.f)
		check(t, err)
		read := db.eventsRead.Load() - before
		var want []int
		for i := tc.first; i < tc.end; i += tc.step {
			want = append(want, i)
		}
		if len(got) != len(want) {
			t.Fatalf("%+v: %d events, want %d", tc.f, len(got), len(want))
		}
		for i, e := range got {
			if !e.Time.Equal(base.Add(time.Duration(want[i]) * time.Second)) {
				t.Fatalf("%+v: event %d at %v, want second %d", tc.f, i, e.Time, want[i])
			}
		}
		// Only the range's rows are read, whatever the filter drops, plus
		// at most the key at To and the one before From that ends the scan.
		if read > tc.rows+2 {
			t.Errorf("%+v: read %d rows for a range holding %d", tc.f, read, tc.rows)
		}
	}
}
