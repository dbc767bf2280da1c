package ui

import (
	"fmt"
	"strings"
	"time"
)

// parseWhen reads a typed date and time in the forms the CLI takes:
// "now", an offset from now ("-10m", "-1h30m"), RFC 3339, or
// "2006-01-02 15:04[:05]" and "2006-01-02" in loc. A bare clock time
// ("15:04", "15:04:05") is today in loc.
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("type a date and time, e.g. 2026-03-29 14:30, -10m or now")
	}
	if strings.EqualFold(s, "now") {
		return now, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if c, err := time.Parse(layout, s); err == nil {
			l := now.In(loc)
			return time.Date(l.Year(), l.Month(), l.Day(), c.Hour(), c.Minute(), c.Second(), 0, loc), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read the time %q; use 2006-01-02 15:04, RFC 3339, an offset like -10m, or now", s)
}
