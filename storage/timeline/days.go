package timeline

import (
	"fmt"
	"time"

	"nightjar/storage/catalog"
)

// Day returns the instants that bound the local calendar day y-m-d in loc:
// its first midnight and the next day's. A day with a daylight-saving
// change is 23 or 25 hours long.
func Day(y int, m time.Month, d int, loc *time.Location) (from, to time.Time) {
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// DaysWithFootage is Builder{}.DaysWithFootage.
func DaysWithFootage(src Source, cameraIDs []string, y int, m time.Month, loc *time.Location) (map[int]bool, error) {
	return Builder{}.DaysWithFootage(src, cameraIDs, y, m, loc)
}

// DaysWithFootage returns the days of month y-m, in loc, on which any of
// the cameras has playable footage. Per camera it asks the catalogue for
// the next footage from the start of the month, marks the local days that
// footage covers and asks again from the following midnight: at most one
// indexed lookup per day with footage, plus one, whatever the footage.
func (b Builder) DaysWithFootage(src Source, cameraIDs []string, y int, m time.Month, loc *time.Location) (map[int]bool, error) {
	monthFrom, _ := Day(y, m, 1, loc)
	monthTo, _ := Day(y, m+1, 1, loc)
	days := map[int]bool{}
	for _, cam := range cameraIDs {
		for at := monthFrom; at.Before(monthTo); {
			s, ok, err := src.NextSegment(cam, at, monthTo)
			if err != nil {
				return days, fmt.Errorf("find footage of %s after %v: %w", cam, at, err)
			}
			if !ok {
				break
			}
			end := s.End()
			if s.State == catalog.SegmentOpen && s.Duration == 0 {
				end = earlier(later(b.now(), s.Start), monthTo)
			}
			// Both ends lie in the month: at is in it, and the end is
			// clamped to its last instant.
			first := later(s.Start, at).In(loc)
			last := earlier(end, monthTo).Add(-1).In(loc)
			if last.Before(first) {
				last = first // a segment with no duration marks its start
			}
			for d := first.Day(); d <= last.Day(); d++ {
				days[d] = true
			}
			_, next := Day(y, m, last.Day(), loc)
			if !next.After(at) {
				break // cannot happen: last is at or after at; never loop
			}
			at = next
		}
	}
	return days, nil
}
