package app

import (
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
	"nightjar/storage/recording"
)

func TestRetentionLine(t *testing.T) {
	loc := time.FixedZone("here", 3600)
	now := time.Date(2026, 12, 1, 21, 15, 0, 0, loc)
	for _, tc := range []struct {
		c    recording.CameraRetention
		want string
	}{
		{recording.CameraRetention{Keep: 7 * 24 * time.Hour, NextAt: time.Date(2026, 12, 2, 2, 0, 0, 0, loc), NextBytes: 3_100_000_000, Reason: "retention"},
			"Camsim 1: footage older than 7 days; next deletion tonight 02:00, 3.1 GB"},
		{recording.CameraRetention{Keep: 36 * time.Hour, NextAt: now.Add(30 * time.Second), NextBytes: 2_500_000, Reason: "retention"},
			"Camsim 1: footage older than 36 hours; next deletion in a minute, 2.5 MB"},
		{recording.CameraRetention{NextAt: time.Date(2026, 12, 2, 9, 30, 0, 0, loc), NextBytes: 999, Reason: "disk cap"},
			"Camsim 1: footage kept until the disk cap or reserve needs the space; next deletion tomorrow 09:30 for the disk cap, 999 B"},
		{recording.CameraRetention{Keep: 24 * time.Hour, Protected: 1_000_000},
			"Camsim 1: footage older than 1 day; nothing to delete yet (1.0 MB kept by protected bookmarks)"},
		{recording.CameraRetention{Keep: 24 * time.Hour, NextAt: time.Date(2026, 12, 4, 8, 0, 0, 0, loc), Reason: "retention"},
			"Camsim 1: footage older than 1 day; next deletion Fri 08:00, 0 B"},
	} {
		if got := retentionLine("Camsim 1", tc.c, now); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

func TestPrintPlanNamesWhatGoes(t *testing.T) {
	t0 := time.Date(2026, 11, 17, 12, 0, 0, 0, time.UTC)
	p := recording.ErasePlan{
		Request:  recording.EraseRequest{CameraIDs: []string{"cam1"}, From: t0, To: t0.Add(48 * time.Hour)},
		Segments: make([]catalog.Segment, 3), Cameras: []string{"cam1"}, Bytes: 3_100_000_000, Duration: 3 * time.Minute,
		ErasedFrom: t0.Add(-time.Second), ErasedTo: t0.Add(48*time.Hour + time.Second),
		WholeDays: []string{"2026-11-18"}, ShredKeys: []string{"2026-11-18/cam1"},
		Bookmarks: []catalog.Bookmark{{ID: "bm1", CameraID: "cam1", From: t0, To: t0.Add(time.Minute), Note: "van at the gate", Protect: true}},
	}
	var b strings.Builder
	printPlan(&b, p, map[string]string{"cam1": "Front door"})
	out := b.String()
	t.Log("\n" + out)
	for _, want := range []string{"Front door (cam1)", "3 segments, 3m0s, 3.1 GB", "2026-11-18/cam1", `bm1 Front door (cam1)`, `"van at the gate" (protected)`} {
		if !strings.Contains(out, want) {
			t.Errorf("plan does not say %q", want)
		}
	}
}
