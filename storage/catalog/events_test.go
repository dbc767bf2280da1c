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
