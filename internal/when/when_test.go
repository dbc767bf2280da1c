package when

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on machines without a zone database
)

func TestParse(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 29, 14, 0, 0, 0, loc)
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"now", now},
		{"NOW", now},
		{"-10m", now.Add(-10 * time.Minute)},
		{"-1h30m", now.Add(-90 * time.Minute)},
		{"2026-03-29 01:30", time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)},    // CET
		{"2026-03-29 03:30", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},    // CEST
		{"2026-03-28 12:00:05", time.Date(2026, 3, 28, 11, 0, 5, 0, time.UTC)}, // CET
		{"2026-03-29T10:00:00Z", time.Date(2026, 3, 29, 10, 0, 0, 0, time.UTC)},
		{"2026-03-29", time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC)},
		{"09:15", time.Date(2026, 3, 29, 7, 15, 0, 0, time.UTC)},
	} {
		got, err := Parse(c.in, now, loc)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("Parse(%q) = %v, want %v", c.in, got.UTC(), c.want)
		}
	}
	for _, bad := range []string{"", "the day before", "2026-13-01 10:00", "25:00"} {
		if _, err := Parse(bad, now, loc); err == nil {
			t.Errorf("Parse(%q) gave no error", bad)
		}
	}
}

// TestParseEmpty: nothing typed is ErrEmpty, which the CLI reads as unset.
func TestParseEmpty(t *testing.T) {
	for _, s := range []string{"", "  "} {
		if _, err := Parse(s, time.Now(), time.UTC); !errors.Is(err, ErrEmpty) {
			t.Errorf("Parse(%q): %v, want ErrEmpty", s, err)
		}
	}
}

func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		72 * time.Hour: "3 days", 24 * time.Hour: "1 day", time.Hour: "1 hour", 12 * time.Hour: "12 hours", 90 * time.Minute: "1h30m0s",
	} {
		if got := Span(d); got != want {
			t.Errorf("Span(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestDayWords(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, loc) // a Wednesday
	for typed, want := range map[string]time.Time{
		"tuesday 13:00":      time.Date(2026, 12, 1, 13, 0, 0, 0, loc),
		"last Tue 13:00":     time.Date(2026, 12, 1, 13, 0, 0, 0, loc),
		"wednesday 09:30":    time.Date(2026, 11, 25, 9, 30, 0, 0, loc),
		"thu":                time.Date(2026, 11, 26, 0, 0, 0, 0, loc),
		"yesterday 18:00:05": time.Date(2026, 12, 1, 18, 0, 5, 0, loc),
		"today 08:00":        time.Date(2026, 12, 2, 8, 0, 0, 0, loc),
	} {
		got, err := Parse(typed, now, loc)
		if err != nil || !got.Equal(want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", typed, got, err, want)
		}
	}
	for _, bad := range []string{"tuesday noon", "last", "someday 13:00", "tue 13:00 extra"} {
		if _, err := Parse(bad, now, loc); err == nil {
			t.Errorf("Parse(%q) took it", bad)
		}
	}
}
