package timeline

import (
	"testing"
	"time"

	"nightjar/storage/catalog"
)

func TestBuildRunsGapsDamage(t *testing.T) {
	for _, tc := range []struct {
		name               string
		rows               []catalog.Segment
		from, to, now      float64
		runs, gaps, damage string
	}{
		{name: "contiguous", rows: []catalog.Segment{seg(0, 60), seg(60, 120), seg(120, 180)}, to: 600, now: 900,
			runs: "0-180[3]"},
		{name: "a pause of 1 s stays in the run", rows: []catalog.Segment{seg(0, 60), seg(61, 120)}, to: 600, now: 900,
			runs: "0-120[2]"},
		{name: "a pause over 1 s is a gap", rows: []catalog.Segment{seg(0, 60), seg(61.5, 120), seg(130, 190)}, to: 600, now: 900,
			runs: "0-60[1] 61.5-120[1] 130-190[1]", gaps: "60-61.5 120-130"},
		{name: "damage splits a run and is no gap", rows: []catalog.Segment{seg(0, 60), seg(60, 120, "damaged"), seg(120, 180)}, to: 600, now: 900,
			runs: "0-60[1] 120-180[1]", damage: "60-120"},
		{name: "a gap before damage", rows: []catalog.Segment{seg(0, 60), seg(70, 120, "damaged")}, to: 600, now: 900,
			runs: "0-60[1]", gaps: "60-70", damage: "70-120"},
		{name: "codec change", rows: []catalog.Segment{seg(0, 60), seg(60, 120, "h265"), seg(120, 180, "h265")}, to: 600, now: 900,
			runs: "0-60[1] 60-180[2]"},
		{name: "size change", rows: []catalog.Segment{seg(0, 60), seg(60, 120, "360p")}, to: 600, now: 900,
			runs: "0-60[1] 60-120[1]"},
		{name: "growing ends at now", rows: []catalog.Segment{seg(0, 60), seg(60, 0, "open")}, to: 600, now: 100,
			runs: "0-100[2]g"},
		{name: "growing is clamped to the window", rows: []catalog.Segment{seg(0, 60), seg(60, 0, "open")}, to: 90, now: 500,
			runs: "0-90[2]g"},
		{name: "growing that started before the window", rows: []catalog.Segment{seg(0, 60), seg(60, 0, "open")}, from: 70, to: 100, now: 95,
			runs: "60-95[1]g"},
		{name: "a crash's open row ends where footage follows", rows: []catalog.Segment{seg(0, 0, "open"), seg(30, 60)}, to: 600, now: 900,
			runs: "0-30[1]g 30-60[1]"},
		{name: "window cuts whole segments in", rows: []catalog.Segment{seg(0, 60), seg(60, 120), seg(200, 260)}, from: 90, to: 100, now: 900,
			runs: "60-120[1]"},
		{name: "nothing", to: 600, now: 900},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			putSegs(t, db, tc.rows...)
			// Another camera's footage never shows.
			other := seg(0, 600)
			other.CameraID = "cam-b"
			putSegs(t, db, other)
			b := Builder{Now: func() time.Time { return sec(tc.now) }}
			tl, err := b.Build(db, "cam-a", sec(tc.from), sec(tc.to))
			check(t, err)
			if got := runs(tl.Runs); got != tc.runs {
				t.Errorf("runs %q, want %q", got, tc.runs)
			}
			if got := spans(tl.Gaps); got != tc.gaps {
				t.Errorf("gaps %q, want %q", got, tc.gaps)
			}
			if got := damaged(tl.Damaged); got != tc.damage {
				t.Errorf("damaged %q, want %q", got, tc.damage)
			}
		})
	}
}

func TestBuildRejectsBadWindow(t *testing.T) {
	db := openDB(t)
	for _, w := range [][2]time.Time{{sec(10), sec(10)}, {sec(10), sec(5)}} {
		if _, err := Build(db, "cam-a", w[0], w[1]); err == nil {
			t.Errorf("window %v to %v accepted", w[0], w[1])
		}
	}
	if _, err := Build(db, "", sec(0), sec(10)); err == nil {
		t.Error("no camera accepted")
	}
}

// motion is a motion event of cam-a at second s from source src.
func motion(s float64, src string, on bool) catalog.Event {
	return catalog.Event{CameraID: "cam-a", Time: sec(s), Kind: "motion", Topic: "tns1:RuleEngine/CellMotionDetector/Motion", Source: src, State: on}
}

func TestBuildMotion(t *testing.T) {
	for _, tc := range []struct {
		name     string
		evs      []catalog.Event
		from, to float64
		want     string
		starts   string // what Next(KindEvent) visits from the window's start
	}{
		{name: "on then off", evs: []catalog.Event{motion(10, "a", true), motion(20, "a", false)}, to: 600,
			want: "10-20", starts: "10"},
		{name: "two sources overlap", evs: []catalog.Event{motion(10, "a", true), motion(15, "b", true), motion(18, "a", false), motion(25, "b", false)}, to: 600,
			want: "10-25", starts: "10"},
		{name: "never off: capped after the last report", evs: []catalog.Event{motion(10, "a", true), motion(40, "a", true), motion(300, "a", true), motion(310, "a", false)}, to: 600,
			want: "10-100 300-310", starts: "10 300"},
		{name: "an off with no on", evs: []catalog.Event{motion(10, "a", false)}, to: 600},
		{name: "began before the window", evs: []catalog.Event{motion(80, "a", true), motion(120, "a", false), motion(130, "a", true), motion(140, "a", false)}, from: 100, to: 600,
			want: "100-120 130-140", starts: "130"},
		{name: "runs past the window", evs: []catalog.Event{motion(10, "a", true), motion(50, "a", false)}, to: 30,
			want: "10-30", starts: "10"},
		{name: "another kind is no motion", evs: []catalog.Event{{CameraID: "cam-a", Time: sec(10), Kind: "tamper", State: true}}, to: 600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			for _, e := range tc.evs {
				check(t, db.PutEvent(e))
			}
			check(t, db.PutEvent(catalog.Event{CameraID: "cam-b", Time: sec(5), Kind: "motion", State: true}))
			tl, err := Builder{MotionCap: time.Minute}.Build(db, "cam-a", sec(tc.from), sec(tc.to))
			check(t, err)
			if got := spans(tl.Motion); got != tc.want {
				t.Errorf("motion %q, want %q", got, tc.want)
			}
			var starts []Span
			for at := sec(tc.from).Add(-1); ; { // a start at the window's start counts
				next, ok := tl.Next(KindEvent, at)
				if !ok {
					break
				}
				starts, at = append(starts, Span{From: next, To: next}), next
			}
			got := ""
			for i, s := range starts {
				if i > 0 {
					got += " "
				}
				got += secs(s.From)
			}
			if got != tc.starts {
				t.Errorf("event starts %q, want %q", got, tc.starts)
			}
			// Motion cut off by the window's start is not an event to go to.
			if p, ok := tl.Prev(KindEvent, sec(tc.from)); ok {
				t.Errorf("an event start at %s, before the window", secs(p))
			}
		})
	}
}

func TestBuildBookmarks(t *testing.T) {
	db := openDB(t)
	for _, b := range []catalog.Bookmark{
		{CameraID: "cam-a", From: sec(50), To: sec(60), Note: "in"},
		{CameraID: "cam-a", From: sec(700), To: sec(760), Note: "after"},
		{CameraID: "cam-b", From: sec(50), To: sec(60), Note: "other camera"},
	} {
		_, err := db.PutBookmark(b)
		check(t, err)
	}
	tl, err := Build(db, "cam-a", sec(0), sec(600))
	check(t, err)
	if len(tl.Bookmarks) != 1 || tl.Bookmarks[0].Note != "in" {
		t.Fatalf("bookmarks %+v, want only the one in the window", tl.Bookmarks)
	}
}
