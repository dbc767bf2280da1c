package catalog

import (
	"testing"
	"time"
)

func TestErasuresNewestFirst(t *testing.T) {
	db := tempDB(t)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, reason := range []string{"first", "third", "second"} {
		at := t0.Add(time.Duration([]int{0, 2, 1}[i]) * time.Hour)
		e, err := db.PutErasure(Erasure{At: at, By: "ann", Reason: reason, Segments: i, Complete: true})
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == "" {
			t.Fatal("PutErasure gave no id")
		}
	}
	got, err := db.Erasures()
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range got {
		reasons = append(reasons, e.Reason)
	}
	if len(reasons) != 3 || reasons[0] != "third" || reasons[1] != "second" || reasons[2] != "first" {
		t.Fatalf("erasures = %v, want newest first: third second first", reasons)
	}
	if got[0].By != "ann" || !got[0].Complete {
		t.Fatalf("receipt fields lost: %+v", got[0])
	}
}
