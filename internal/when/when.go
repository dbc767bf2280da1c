// Package when reads the times a person types, in one set of forms for the
// CLI and the Playback page: "now", an offset from now ("-10m",
// "-1h30m"), RFC 3339, "2006-01-02 15:04[:05]" or "2006-01-02" in a given
// zone, a bare clock time ("15:04", "15:04:05"), which is today, and a
// day word with an optional clock time: "today 13:00", "yesterday",
// "tuesday 13:00" or "last tue 13:00" (the most recent Tuesday before
// today).
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
	if t, ok := dayWord(s, now, loc); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("cannot read the time %q; use 2006-01-02 15:04, RFC 3339, an offset like -10m, tuesday 13:00, or now", typed)
}

// dayWord reads "[last] DAY [CLOCK]", DAY being today, yesterday or a
// weekday (full or three letters), CLOCK 15:04[:05] (midnight when left
// out).
func dayWord(s string, now time.Time, loc *time.Location) (time.Time, bool) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) > 0 && f[0] == "last" {
		f = f[1:]
	}
	if len(f) == 0 || len(f) > 2 {
		return time.Time{}, false
	}
	l := now.In(loc)
	back := -1
	switch f[0] {
	case "today":
		back = 0
	case "yesterday":
		back = 1
	default:
		for d := time.Sunday; d <= time.Saturday; d++ {
			name := strings.ToLower(d.String())
			if f[0] == name || f[0] == name[:3] {
				back = (int(l.Weekday()) - int(d) + 7) % 7
				if back == 0 {
					back = 7
				}
			}
		}
	}
	if back < 0 {
		return time.Time{}, false
	}
	var h, m, sec int
	if len(f) == 2 {
		c, err := time.Parse("15:04:05", f[1])
		if err != nil {
			if c, err = time.Parse("15:04", f[1]); err != nil {
				return time.Time{}, false
			}
		}
		h, m, sec = c.Hour(), c.Minute(), c.Second()
	}
	return time.Date(l.Year(), l.Month(), l.Day()-back, h, m, sec, 0, loc), true
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
