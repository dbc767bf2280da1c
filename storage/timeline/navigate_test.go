package timeline

import (
	"testing"

	"nightjar/storage/catalog"
)

func TestNavigate(t *testing.T) {
	db := openDB(t)
	putSegs(t, db, seg(0, 60), seg(60, 120), seg(130, 190), seg(190, 250, "damaged"), seg(300, 360))
	for _, e := range []catalog.Event{motion(20, "a", true), motion(30, "a", false), motion(140, "a", true), motion(150, "a", false)} {
		check(t, db.PutEvent(e))
	}
	for _, b := range []catalog.Bookmark{{CameraID: "cam-a", From: sec(40), To: sec(45)}, {CameraID: "cam-a", From: sec(310), To: sec(320)}} {
		_, err := db.PutBookmark(b)
		check(t, err)
	}
	tl, err := Build(db, "cam-a", sec(0), sec(600))
	check(t, err)
	if got := runs(tl.Runs); got != "0-120[2] 130-190[1] 300-360[1]" {
		t.Fatalf("runs %q", got)
	}
	if got := spans(tl.Gaps); got != "120-130 250-300" {
		t.Fatalf("gaps %q", got)
	}
	for _, tc := range []struct {
		at         float64
		run        string // RunAt
		footage    string // NextFootage
		next, prev map[Kind]string
	}{
		{at: 0, run: "0-120[2]", footage: "0",
			next: map[Kind]string{KindEvent: "20", KindBookmark: "40", KindGap: "120", KindFootage: "130"},
			prev: map[Kind]string{}},
		{at: 120, footage: "130", // a run's end is outside it
			next: map[Kind]string{KindEvent: "140", KindBookmark: "310", KindGap: "250", KindFootage: "130"},
			prev: map[Kind]string{KindEvent: "20", KindBookmark: "40", KindFootage: "0"}},
		{at: 140, run: "130-190[1]", footage: "140",
			next: map[Kind]string{KindBookmark: "310", KindGap: "250", KindFootage: "300"},
			prev: map[Kind]string{KindEvent: "20", KindBookmark: "40", KindGap: "120", KindFootage: "130"}},
		{at: 200, footage: "300", // damaged is not footage
			next: map[Kind]string{KindBookmark: "310", KindGap: "250", KindFootage: "300"},
			prev: map[Kind]string{KindEvent: "140", KindBookmark: "40", KindGap: "120", KindFootage: "130"}},
		{at: 500,
			next: map[Kind]string{},
			prev: map[Kind]string{KindEvent: "140", KindBookmark: "310", KindGap: "250", KindFootage: "300"}},
	} {
		at := sec(tc.at)
		r, ok := tl.RunAt(at)
		if got := runs([]Run{r}); (ok && got != tc.run) || (!ok && tc.run != "") {
			t.Errorf("RunAt(%v) = %q %v, want %q", tc.at, got, ok, tc.run)
		}
		f, ok := tl.NextFootage(at)
		if (ok && secs(f) != tc.footage) || (!ok && tc.footage != "") {
			t.Errorf("NextFootage(%v) = %v %v, want %q", tc.at, secs(f), ok, tc.footage)
		}
		for _, k := range []Kind{KindEvent, KindBookmark, KindGap, KindFootage} {
			n, ok := tl.Next(k, at)
			if want := tc.next[k]; (ok && secs(n) != want) || (!ok && want != "") {
				t.Errorf("Next(%d, %v) = %v %v, want %q", k, tc.at, secs(n), ok, want)
			}
			p, ok := tl.Prev(k, at)
			if want := tc.prev[k]; (ok && secs(p) != want) || (!ok && want != "") {
				t.Errorf("Prev(%d, %v) = %v %v, want %q", k, tc.at, secs(p), ok, want)
			}
		}
	}
}
