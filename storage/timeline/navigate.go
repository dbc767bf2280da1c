package timeline

import (
	"sort"
	"time"
)

// Kind is what Next and Prev jump to.
type Kind int

// The kinds of places Next and Prev find.
const (
	KindEvent    Kind = iota + 1 // the start of motion
	KindBookmark                 // the start of a bookmark
	KindGap                      // the start of a gap
	KindFootage                  // the start of a run
)

// RunAt returns the run holding at.
func (t Timeline) RunAt(at time.Time) (Run, bool) {
	i := sort.Search(len(t.Runs), func(i int) bool { return t.Runs[i].To.After(at) })
	if i < len(t.Runs) && !at.Before(t.Runs[i].From) {
		return t.Runs[i], true
	}
	return Run{}, false
}

// NextFootage returns at when footage holds it, or else the start of the
// next run.
func (t Timeline) NextFootage(at time.Time) (time.Time, bool) {
	if _, ok := t.RunAt(at); ok {
		return at, true
	}
	return t.Next(KindFootage, at)
}

// Next returns the first place of kind after at.
func (t Timeline) Next(kind Kind, at time.Time) (time.Time, bool) {
	ps := t.places(kind)
	i := sort.Search(len(ps), func(i int) bool { return ps[i].After(at) })
	if i < len(ps) {
		return ps[i], true
	}
	return time.Time{}, false
}

// Prev returns the last place of kind before at.
func (t Timeline) Prev(kind Kind, at time.Time) (time.Time, bool) {
	ps := t.places(kind)
	i := sort.Search(len(ps), func(i int) bool { return !ps[i].Before(at) })
	if i > 0 {
		return ps[i-1], true
	}
	return time.Time{}, false
}

// places lists the starts of kind, in time order.
func (t Timeline) places(kind Kind) []time.Time {
	var out []time.Time
	switch kind {
	case KindEvent:
		out = append(out, t.motionStarts...)
	case KindBookmark:
		for _, b := range t.Bookmarks {
			out = append(out, b.From)
		}
	case KindGap:
		for _, g := range t.Gaps {
			out = append(out, g.From)
		}
	case KindFootage:
		for _, r := range t.Runs {
			out = append(out, r.From)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}
