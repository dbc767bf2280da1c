package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

var t0 = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// sec is t0 plus s seconds.
func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// openDB is a catalogue in a temp dir.
func openDB(t *testing.T) *catalog.DB {
	t.Helper()
	db, err := catalog.Open(t.TempDir(), catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seg is a closed 720p H.264 segment of cam-a from second from to second
// to; "open" makes it the segment being written (no duration), "damaged"
// a damaged one, "h265" and "360p" change its stream.
func seg(from, to float64, flags ...string) catalog.Segment {
	s := catalog.Segment{CameraID: "cam-a", Start: sec(from), Duration: sec(to).Sub(sec(from)), State: catalog.SegmentClosed,
		Codec: "h264", Width: 1280, Height: 720, File: fmt.Sprintf("cam-a/%v.ts.age", from), Day: "2026-11-20"}
	for _, f := range flags {
		switch f {
		case "open":
			s.State, s.Duration = catalog.SegmentOpen, 0
		case "damaged":
			s.State, s.Problem = catalog.SegmentDamaged, "ciphertext does not match its hash"
		case "h265":
			s.Codec = "h265"
		case "360p":
			s.Width, s.Height = 640, 360
		}
	}
	return s
}

func putSegs(t *testing.T, db *catalog.DB, rows ...catalog.Segment) {
	t.Helper()
	for _, s := range rows {
		check(t, db.PutSegment(s))
	}
}

// secs writes an instant as seconds after t0.
func secs(at time.Time) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", at.Sub(t0).Seconds()), ".0")
}

// spans writes spans as "from-to" in seconds after t0.
func spans(ss []Span) string {
	var out []string
	for _, s := range ss {
		out = append(out, secs(s.From)+"-"+secs(s.To))
	}
	return strings.Join(out, " ")
}

// runs writes runs as spans, with "g" after a growing one and the count of
// segments in brackets.
func runs(rs []Run) string {
	var out []string
	for _, r := range rs {
		s := fmt.Sprintf("%s-%s[%d]", secs(r.From), secs(r.To), len(r.Segments))
		if r.Growing {
			s += "g"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func damaged(ds []Damaged) string {
	var out []Span
	for _, d := range ds {
		if d.Problem == "" {
			out = append(out, Span{})
			continue
		}
		out = append(out, d.Span)
	}
	return spans(out)
}
