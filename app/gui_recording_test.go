package app

import (
	"testing"
	"time"

	"nightjar/storage/catalog"
	"nightjar/ui"
)

func TestRecordFormRoundTrip(t *testing.T) {
	f := ui.RecordForm{Mode: ui.ModeScheduled, Stream: "sub", Retention: 14 * 24 * time.Hour, PreRoll: 5 * time.Second,
		PostRoll: 30 * time.Second, FromHour: 18, ToHour: 23}
	f.Days[1], f.Days[5] = true, true
	r := recordSettingsOf(f)
	if r.Mode != catalog.RecordScheduled || r.Retention != 14*24*time.Hour || r.Stream != "sub" {
		t.Fatalf("settings %+v", r)
	}
	mon := time.Date(2026, 11, 23, 18, 30, 0, 0, time.Local) // a Monday
	if !r.Scheduled(mon) || r.Scheduled(mon.Add(5*time.Hour)) || r.Scheduled(mon.Add(24*time.Hour)) {
		t.Errorf("schedule: Mon 18:30 %v, Mon 23:30 %v, Tue 18:30 %v", r.Scheduled(mon), r.Scheduled(mon.Add(5*time.Hour)), r.Scheduled(mon.Add(24*time.Hour)))
	}
	if back := recordFormOf(r); back != f {
		t.Errorf("round trip: %+v != %+v", back, f)
	}
	if recordSettingsOf(ui.RecordForm{Mode: ui.ModeOff, Stream: "main"}).Mode != catalog.RecordOff {
		t.Error("off does not map to the catalogue's off")
	}
}

func TestRecordingRate(t *testing.T) {
	rows := []catalog.Segment{
		{CameraID: "a", Size: 250_000, Duration: time.Second},
		{CameraID: "a", Size: 250_000, Duration: time.Second},
		{CameraID: "b", Size: 1_000_000, Duration: time.Second}, // not recording now
	}
	got := recordingRate(rows, func(id string) bool { return id == "a" })
	if want := 250_000.0 * 86400; got != want {
		t.Fatalf("rate %v, want %v", got, want)
	}
}
