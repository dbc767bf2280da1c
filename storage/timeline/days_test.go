package timeline

import (
	"fmt"
	"sort"
	"testing"
	"time"
	_ "time/tzdata" // the zone below, on a machine without tzdata too

	"nightjar/storage/catalog"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// utcSeg is a closed segment of cam starting at the UTC time given.
func utcSeg(cam string, y int, m time.Month, d, h, min int, dur time.Duration) catalog.Segment {
	st := time.Date(y, m, d, h, min, 0, 0, time.UTC)
	return catalog.Segment{CameraID: cam, Start: st, Duration: dur, State: catalog.SegmentClosed, Codec: "h264",
		Width: 1280, Height: 720, Day: st.Format("2006-01-02"), File: fmt.Sprintf("%s/%d.ts.age", cam, st.Unix())}
}

// TestDayDST: in Berlin the clocks go forward on 2026-03-29 (02:00 CET
// becomes 03:00 CEST) and back on 2026-10-25 (03:00 CEST becomes 02:00
// CET). Those days are 23 and 25 hours long, and footage recorded at a
// UTC instant lands at its local hour, at the right distance from the
// day's start.
func TestDayDST(t *testing.T) {
	loc := berlin(t)
	db := openDB(t)
	for _, tc := range []struct {
		y     int
		m     time.Month
		d     int
		hours time.Duration
		// Footage at these UTC times (hour, minute), and where it must
		// show: its local clock time and its offset from the day's start.
		utcH, utcM int
		local      string
		into       time.Duration
	}{
		// 00:30 UTC is 01:30 CET, 1.5 h after midnight.
		{2026, 3, 29, 23, 0, 30, "01:30 CET", 90 * time.Minute},
		// 01:30 UTC is 03:30 CEST: 02:xx never happened, so it is 2.5 h
		// after midnight, not 3.5 h.
		{2026, 3, 29, 23, 1, 30, "03:30 CEST", 150 * time.Minute},
		// 00:30 UTC is the first 02:30 (CEST), 2.5 h after midnight
		// (22:00 UTC the day before).
		{2026, 10, 25, 25, 0, 30, "02:30 CEST", 150 * time.Minute},
		// 01:30 UTC is the second 02:30 (CET), an hour later.
		{2026, 10, 25, 25, 1, 30, "02:30 CET", 210 * time.Minute},
		// 22:30 UTC is 23:30 CET, the day's last half hour.
		{2026, 10, 25, 25, 22, 30, "23:30 CET", 24*time.Hour + 30*time.Minute},
		{2026, 11, 20, 24, 12, 0, "13:00 CET", 13 * time.Hour},
	} {
		from, to := Day(tc.y, tc.m, tc.d, loc)
		if got := to.Sub(from); got != tc.hours*time.Hour {
			t.Errorf("%d-%02d-%02d is %v long, want %d h", tc.y, tc.m, tc.d, got, tc.hours)
		}
		if from.In(loc).Hour() != 0 || from.In(loc).Day() != tc.d {
			t.Errorf("%d-%02d-%02d starts at %v", tc.y, tc.m, tc.d, from.In(loc))
		}
		cam := fmt.Sprintf("cam-%d-%d-%d-%d", tc.m, tc.d, tc.utcH, tc.utcM)
		s := utcSeg(cam, tc.y, tc.m, tc.d, tc.utcH, tc.utcM, 10*time.Minute)
		putSegs(t, db, s)
		tl, err := Build(db, cam, from, to)
		check(t, err)
		if len(tl.Runs) != 1 {
			t.Fatalf("%s: runs %+v", cam, tl.Runs)
		}
		r := tl.Runs[0]
		if got := r.From.In(loc).Format("15:04 MST"); got != tc.local {
			t.Errorf("%s: footage shows at %s local, want %s", cam, got, tc.local)
		}
		if got := r.From.Sub(from); got != tc.into {
			t.Errorf("%s: footage is %v into the day, want %v", cam, got, tc.into)
		}
	}
}

// countingSource counts the catalogue calls DaysWithFootage makes.
type countingSource struct {
	*catalog.DB
	next, segments int
}

func (c *countingSource) NextSegment(cam string, from, to time.Time) (catalog.Segment, bool, error) {
	c.next++
	return c.DB.NextSegment(cam, from, to)
}

func (c *countingSource) Segments(f catalog.SegmentFilter) ([]catalog.Segment, error) {
	c.segments++
	return c.DB.Segments(f)
}

func TestDaysWithFootage(t *testing.T) {
	loc := berlin(t)
	db := openDB(t)
	putSegs(t, db,
		// 23:50 CET on 28 Feb to 00:10 on 1 Mar: only 1 March of March.
		utcSeg("cam-a", 2026, 2, 28, 22, 50, 20*time.Minute),
		// 48 h from noon on the 10th: the 10th, 11th and 12th.
		utcSeg("cam-a", 2026, 3, 10, 11, 0, 48*time.Hour),
		// 23:30 UTC on the 28th is 00:30 CET on the 29th, the 23 h day.
		utcSeg("cam-a", 2026, 3, 28, 23, 30, 10*time.Minute),
		// 22:30 UTC on the 29th is 00:30 CEST on the 30th.
		utcSeg("cam-b", 2026, 3, 29, 22, 30, 10*time.Minute),
		// 23:50 CEST on the 31st into April: the 31st only.
		utcSeg("cam-b", 2026, 3, 31, 21, 50, 20*time.Minute),
		// ends exactly at local midnight of the 20th: the 19th only.
		utcSeg("cam-b", 2026, 3, 19, 22, 0, time.Hour),
		// another camera not asked for
		utcSeg("cam-c", 2026, 3, 5, 12, 0, time.Hour),
	)
	dmg := utcSeg("cam-a", 2026, 3, 7, 12, 0, time.Hour)
	dmg.State = catalog.SegmentDamaged
	putSegs(t, db, dmg)
	src := &countingSource{DB: db}
	days, err := DaysWithFootage(src, []string{"cam-a", "cam-b"}, 2026, 3, loc)
	check(t, err)
	var got []int
	for d, ok := range days {
		if ok {
			got = append(got, d)
		}
	}
	sort.Ints(got)
	if fmt.Sprint(got) != "[1 10 11 12 19 29 30 31]" {
		t.Fatalf("days %v, want [1 10 11 12 19 29 30 31]", got)
	}
	// One lookup per stretch of footage found, plus one per camera that
	// finds none; never a read of the whole month's rows.
	if src.segments != 0 || src.next > 4+3+2 {
		t.Fatalf("%d range queries and %d lookups, want none and at most 9", src.segments, src.next)
	}
}

// TestDaysWithFootageLookups: a camera recording every hour of ten days
// costs a lookup a day, not one a segment.
func TestDaysWithFootageLookups(t *testing.T) {
	db := openDB(t)
	for h := 0; h < 240; h++ {
		putSegs(t, db, utcSeg("cam-a", 2026, 3, 1, h, 0, time.Hour))
	}
	src := &countingSource{DB: db}
	days, err := DaysWithFootage(src, []string{"cam-a"}, 2026, 3, time.UTC)
	check(t, err)
	if len(days) != 10 || !days[1] || !days[10] || days[11] {
		t.Fatalf("days %v, want 1 to 10", days)
	}
	if src.next > 11 {
		t.Fatalf("%d lookups for 10 days of footage, want at most 11", src.next)
	}
}
