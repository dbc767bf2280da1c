// Package when reads the times a person types, in one set of forms for the
// CLI and the Playback page: "now", an offset from now ("-10m",
// "-1h30m"), RFC 3339, "2006-01-02 15:04[:05]" or "2006-01-02" in a given
// zone, and a bare clock time ("15:04", "15:04:05"), which is today.
package when

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrEmpty is Parse's error for an empty or blank string; callers for
// which nothing typed means "unset" test for it.
var ErrEmpty = errors.New("no time given")

// Parse reads typed, relative to now, with local forms in loc. Spaces
// around it are ignored; an error quotes it as it was typed.
func Parse(typed string, now time.Time, loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return time.Time{}, ErrEmpty
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
	return time.Time{}, fmt.Errorf("cannot read the time %q; use 2006-01-02 15:04, RFC 3339, an offset like -10m, or now", typed)
}

// Span says a length of time for a sentence: "3 days", "1 day",
// "12 hours", "1 hour", else Go's form ("90m0s").
func Span(d time.Duration) string {
	plural := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d > 0 && d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day")
	case d > 0 && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	}
	return d.String()
}
