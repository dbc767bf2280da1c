package timeline

import (
	"fmt"
	"sort"
	"time"

	"nightjar/storage/catalog"
)

// MaxGap is the longest pause between two segments inside one run.
const MaxGap = time.Second

// DefaultMotionCap is how long motion switched on, and never off, is taken
// to last after its last report: the app's motion expiry (an ONVIF sync
// re-reports motion that is on every 20 s, plus a long poll and slack for
// slow calls), so the timeline ends motion where event recording does.
const DefaultMotionCap = 45 * time.Second

// Source is the part of the catalogue a timeline is built from.
type Source interface {
	Segments(catalog.SegmentFilter) ([]catalog.Segment, error)
	// SegmentBefore is the segment starting last before t; it finds the
	// one being written, which has no duration yet.
	SegmentBefore(cameraID string, t time.Time) (catalog.Segment, bool, error)
	// NextSegment is the earliest playable segment overlapping [from, to).
	NextSegment(cameraID string, from, to time.Time) (catalog.Segment, bool, error)
	EventsIn(catalog.EventFilter) ([]catalog.Event, error)
	Bookmarks(catalog.BookmarkFilter) ([]catalog.Bookmark, error)
}

// Span is the time from From up to, not including, To.
type Span struct {
	From, To time.Time
}

// Contains reports whether at lies in the span.
func (s Span) Contains(at time.Time) bool { return !at.Before(s.From) && at.Before(s.To) }

// Duration is To less From.
func (s Span) Duration() time.Duration { return s.To.Sub(s.From) }

// Damaged is a segment that failed its check and is never played.
type Damaged struct {
	Span
	Problem string
	Segment catalog.Segment
}

// Run is contiguous playable footage.
type Run struct {
	From, To time.Time
	Segments []catalog.Segment
	// Growing is set when the last segment is being written: To is the
	// builder's clock, and more footage follows.
	Growing bool
}

// Timeline is one camera's footage, motion and bookmarks in [From, To).
type Timeline struct {
	CameraID  string
	From, To  time.Time
	Runs      []Run
	Gaps      []Span
	Damaged   []Damaged
	Motion    []Span // clipped to the window
	Bookmarks []catalog.Bookmark

	motionStarts []time.Time // starts of motion inside the window, unclipped
}

// Builder builds timelines. The zero Builder is ready to use.
type Builder struct {
	// Now is the clock that ends the segment being written. It defaults
	// to time.Now.
	Now func() time.Time
	// MotionCap ends motion that was never switched off; it defaults to
	// DefaultMotionCap.
	MotionCap time.Duration
}

// Build is Builder{}.Build.
func Build(src Source, cameraID string, from, to time.Time) (Timeline, error) {
	return Builder{}.Build(src, cameraID, from, to)
}

func (b Builder) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b Builder) motionCap() time.Duration {
	if b.MotionCap > 0 {
		return b.MotionCap
	}
	return DefaultMotionCap
}

// Build reads cameraID's rows for [from, to) from src and builds its
// timeline.
func (b Builder) Build(src Source, cameraID string, from, to time.Time) (Timeline, error) {
	t := Timeline{CameraID: cameraID, From: from, To: to}
	if cameraID == "" || !from.Before(to) {
		return t, fmt.Errorf("timeline needs a camera and a window that ends after it starts (%v to %v)", from, to)
	}
	rows, err := src.Segments(catalog.SegmentFilter{CameraID: cameraID, From: from, To: to})
	if err != nil {
		return t, fmt.Errorf("read segments of %s: %w", cameraID, err)
	}
	// The segment being written may have started before from; a range
	// query does not see it, since it has no duration yet.
	if prev, ok, err := src.SegmentBefore(cameraID, from); err != nil {
		return t, fmt.Errorf("read the segment of %s before %v: %w", cameraID, from, err)
	} else if ok && prev.State == catalog.SegmentOpen && prev.Duration == 0 {
		rows = append([]catalog.Segment{prev}, rows...)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Start.Before(rows[j].Start) })
	t.runsOf(rows, b.now())

	evs, err := src.EventsIn(catalog.EventFilter{CameraID: cameraID, Kind: "motion", From: from.Add(-b.motionCap()), To: to})
	if err != nil {
		return t, fmt.Errorf("read motion events of %s: %w", cameraID, err)
	}
	t.motionOf(evs, b.motionCap())

	if t.Bookmarks, err = src.Bookmarks(catalog.BookmarkFilter{CameraID: cameraID, From: from, To: to}); err != nil {
		return t, fmt.Errorf("read bookmarks of %s: %w", cameraID, err)
	}
	return t, nil
}

// runsOf splits rows, sorted by start, into runs, gaps and damage.
func (t *Timeline) runsOf(rows []catalog.Segment, now time.Time) {
	var cur *Run
	var last catalog.Segment
	var lastEnd time.Time // the end of the latest footage, damaged or not
	flush := func() {
		if cur != nil {
			t.Runs = append(t.Runs, *cur)
			cur = nil
		}
	}
	for i, s := range rows {
		end := s.End()
		growing := s.State == catalog.SegmentOpen
		if growing && s.Duration == 0 {
			end = now
			if t.To.Before(end) {
				end = t.To
			}
			if i+1 < len(rows) && rows[i+1].Start.Before(end) {
				end = rows[i+1].Start // a leftover of a crash, with footage after it
			}
			if end.Before(s.Start) {
				end = s.Start
			}
		}
		if !lastEnd.IsZero() && s.Start.Sub(lastEnd) > MaxGap {
			flush()
			t.Gaps = append(t.Gaps, Span{From: lastEnd, To: s.Start})
		}
		if s.State == catalog.SegmentDamaged {
			flush()
			t.Damaged = append(t.Damaged, Damaged{Span: Span{From: s.Start, To: end}, Problem: s.Problem, Segment: s})
		} else {
			if cur != nil && (cur.Growing || s.Codec != last.Codec || s.Width != last.Width || s.Height != last.Height) {
				flush()
			}
			if cur == nil {
				cur = &Run{From: s.Start, To: end}
			}
			cur.Segments = append(cur.Segments, s)
			cur.To = later(cur.To, end)
			cur.Growing = growing
			last = s
		}
		lastEnd = later(lastEnd, end)
	}
	flush()
}

// motionOf turns motion on/off events, oldest first, into spans: motion is
// on while any of the camera's sources (topic and source item) is on, and
// a source's on lasts until its off or capAfter after its last report.
func (t *Timeline) motionOf(evs []catalog.Event, capAfter time.Duration) {
	on := map[string]time.Time{} // source -> its last on report
	var start time.Time
	// expire ends the sources whose cap passed before at, and the motion
	// span when none is left.
	expire := func(at time.Time) {
		for len(on) > 0 {
			var src string
			var first time.Time
			for k, seen := range on {
				if first.IsZero() || seen.Before(first) {
					src, first = k, seen
				}
			}
			if end := first.Add(capAfter); end.Before(at) {
				delete(on, src)
				if len(on) == 0 {
					t.addMotion(start, end)
				}
				continue
			}
			return
		}
	}
	for _, e := range evs {
		expire(e.Time)
		src := e.Topic + "\x00" + e.Source
		if e.State {
			if len(on) == 0 {
				start = e.Time
			}
			on[src] = e.Time
		} else if _, was := on[src]; was {
			delete(on, src)
			if len(on) == 0 {
				t.addMotion(start, e.Time)
			}
		}
	}
	expire(t.To.Add(capAfter + 1))
}

// addMotion adds the motion span [from, to), clipped to the window.
func (t *Timeline) addMotion(from, to time.Time) {
	if !to.After(t.From) || !from.Before(t.To) {
		return
	}
	if !from.Before(t.From) {
		t.motionStarts = append(t.motionStarts, from)
	}
	t.Motion = append(t.Motion, Span{From: later(from, t.From), To: earlier(to, t.To)})
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
