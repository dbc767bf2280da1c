package recording

import (
	"fmt"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// hourly is n one-hour segments of cam of size bytes each, from start.
func hourly(cam string, start time.Time, n int, size int64) []catalog.Segment {
	var out []catalog.Segment
	for i := range n {
		s := start.Add(time.Duration(i) * time.Hour)
		out = append(out, catalog.Segment{CameraID: cam, Start: s, Duration: time.Hour, Day: DayOf(s),
			File: fmt.Sprintf("%s/%d", cam, i), State: catalog.SegmentClosed, Size: size})
	}
	return out
}

func TestPreviewRetention(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 30, 20, 0, time.UTC)
	day := 24 * time.Hour
	keep := func(d map[string]time.Duration) func(string) time.Duration {
		return func(c string) time.Duration { return d[c] }
	}
	// Two days of cam1 from 2026-11-25 01:00: the first hour ends 02:00
	// and is 7 days old at 2026-12-02 02:00, so the sweep after it, 02:01,
	// deletes it; the day from then (to 12-03 02:01) takes 24 hours.
	week := hourly("cam1", time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC), 48, 1000)
	// The last 24 h of two cameras, 1000 bytes an hour each.
	lastDay := append(hourly("cam1", now.Add(-day), 24, 1000), hourly("cam2", now.Add(-day), 24, 1000)...)
	open := catalog.Segment{CameraID: "cam3", Start: now.Add(-time.Minute), Day: DayOf(now), File: "cam3/open", State: catalog.SegmentOpen}

	type want struct {
		cam    string
		next   time.Time
		bytes  int64
		reason string
	}
	for _, tc := range []struct {
		name   string
		rows   []catalog.Segment
		p      Policy
		free   int64
		cams   []want
		fullAt time.Time
		limit  int64
	}{
		{
			name: "retention",
			rows: week, p: Policy{Retention: keep(map[string]time.Duration{"cam1": 7 * day}), Reserve: -1}, free: -1,
			cams:  []want{{"cam1", time.Date(2026, 12, 2, 2, 1, 0, 0, time.UTC), 24000, "retention"}},
			limit: -1,
		},
		{
			name: "kept forever",
			rows: week, p: Policy{Reserve: -1}, free: -1,
			cams:  []want{{"cam1", time.Time{}, 0, ""}},
			limit: -1,
		},
		{
			name: "overdue goes at the next sweep, protected never",
			rows: week, free: -1,
			p: Policy{Retention: keep(map[string]time.Duration{"cam1": 3 * day}), Reserve: -1,
				Protected: func(s catalog.Segment) bool { return s.File == "cam1/0" }},
			// Every hour ended more than 3 days ago: all 48 less the
			// protected first go at the next sweep.
			cams:  []want{{"cam1", time.Date(2026, 12, 2, 0, 31, 0, 0, time.UTC), 47000, "retention"}},
			limit: -1,
		},
		{
			name: "cap fills in a day",
			rows: append(lastDay, open), p: Policy{Cap: 96000, Reserve: -1}, free: -1,
			cams: []want{
				{"cam1", time.Date(2026, 12, 3, 0, 31, 0, 0, time.UTC), 24000, "disk cap"},
				{"cam2", time.Date(2026, 12, 3, 0, 31, 0, 0, time.UTC), 24000, "disk cap"},
				{"cam3", time.Time{}, 0, ""},
			},
			fullAt: time.Date(2026, 12, 3, 0, 31, 0, 0, time.UTC), limit: 96000,
		},
		{
			name: "retention keeps it under the cap",
			rows: lastDay, p: Policy{Retention: keep(map[string]time.Duration{"cam1": day, "cam2": day}), Cap: 96000, Reserve: -1}, free: -1,
			cams: []want{
				{"cam1", time.Date(2026, 12, 2, 1, 31, 0, 0, time.UTC), 24000, "retention"},
				{"cam2", time.Date(2026, 12, 2, 1, 31, 0, 0, time.UTC), 24000, "retention"},
			},
			limit: 96000,
		},
		{
			name: "reserve is nearer than the cap",
			rows: lastDay, p: Policy{Cap: 1 << 40, Reserve: 4000}, free: 28000,
			// 24000 bytes to go at 48000 a day: half a day.
			cams: []want{
				{"cam1", time.Date(2026, 12, 2, 12, 31, 0, 0, time.UTC), 24000, "disk reserve"},
				{"cam2", time.Date(2026, 12, 2, 12, 31, 0, 0, time.UTC), 24000, "disk reserve"},
			},
			fullAt: time.Date(2026, 12, 2, 12, 31, 0, 0, time.UTC), limit: 72000,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := PreviewRetention(tc.rows, tc.p, tc.free, now, time.Minute)
			if len(got.Cameras) != len(tc.cams) {
				t.Fatalf("cameras %+v, want %d", got.Cameras, len(tc.cams))
			}
			for i, w := range tc.cams {
				c := got.Cameras[i]
				if c.CameraID != w.cam || !c.NextAt.Equal(w.next) || c.NextBytes != w.bytes || c.Reason != w.reason {
					t.Errorf("camera %d: %s next %v, %d bytes, %q; want %s next %v, %d bytes, %q",
						i, c.CameraID, c.NextAt, c.NextBytes, c.Reason, w.cam, w.next, w.bytes, w.reason)
				}
			}
			if !got.Space.FullAt.Equal(tc.fullAt) || got.Space.Limit != tc.limit {
				t.Errorf("space %+v, want full at %v, limit %d", got.Space, tc.fullAt, tc.limit)
			}
		})
	}
}
