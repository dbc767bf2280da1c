package ui

import (
	"time"
)

// The timeline's time arithmetic, free of Fyne so it can be tested on its
// own: the visible window, its zoom and pan, the mapping between x and
// wall-clock time, and the tick marks in local time, which stay right on
// days of 23 or 25 hours.

const (
	// minSpan and maxSpan bound the zoom: 10 s to 24 h across the
	// timeline. A day of 25 hours (autumn's daylight-saving change) may be
	// shown whole: see timeView.maxSpan.
	minSpan = 10 * time.Second
	maxSpan = 24 * time.Hour
)

// timeView is the stretch of time across the timeline's width.
type timeView struct {
	From time.Time
	Span time.Duration
	// Day, when not zero, is the length of the day on show; it lets the
	// zoom reach a whole 25-hour day.
	Day time.Duration
}

// To is the end of the view.
func (v timeView) To() time.Time { return v.From.Add(v.Span) }

// maxSpan is the widest the view may zoom out.
func (v timeView) maxSpan() time.Duration { return max(maxSpan, v.Day) }

// clampSpan bounds d to the zoom range.
func (v timeView) clampSpan(d time.Duration) time.Duration {
	return min(v.maxSpan(), max(minSpan, d))
}

// timeAt is the time at x on a timeline width wide.
func (v timeView) timeAt(x, width float64) time.Time {
	if width <= 0 {
		return v.From
	}
	return v.From.Add(time.Duration(x / width * float64(v.Span)))
}

// xAt is the x of t on a timeline width wide; outside 0..width when t is
// outside the view.
func (v timeView) xAt(t time.Time, width float64) float64 {
	if v.Span <= 0 {
		return 0
	}
	return float64(t.Sub(v.From)) / float64(v.Span) * width
}

// zoom scales the span by factor (< 1 zooms in), keeping anchor at the
// same x; the span stays within the zoom range.
func (v timeView) zoom(factor float64, anchor time.Time) timeView {
	span := v.clampSpan(time.Duration(float64(v.Span) * factor))
	frac := 0.0
	if v.Span > 0 {
		frac = float64(anchor.Sub(v.From)) / float64(v.Span)
	}
	v.From = anchor.Add(-time.Duration(frac * float64(span)))
	v.Span = span
	return v
}

// pan moves the view by dx pixels of a width-wide timeline: dragging
// right (dx > 0) shows earlier time.
func (v timeView) pan(dx, width float64) timeView {
	if width <= 0 {
		return v
	}
	v.From = v.From.Add(-time.Duration(dx / width * float64(v.Span)))
	return v
}

// centre puts t in the middle of the view.
func (v timeView) centre(t time.Time) timeView {
	v.From = t.Add(-v.Span / 2)
	return v
}

// follow keeps t in view while it plays: when t leaves the view, or comes
// within a tenth of its end, the view pages on so t sits at the first
// tenth.
func (v timeView) follow(t time.Time) timeView {
	lead := v.Span / 10
	if t.Before(v.From) || t.After(v.To().Add(-lead)) {
		v.From = t.Add(-lead)
	}
	return v
}

// dayOf is the local calendar day holding t: its start and its length
// (23, 24 or 25 hours).
func dayOf(t time.Time, loc *time.Location) (time.Time, time.Duration) {
	l := t.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	to := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
	return from, to.Sub(from)
}

// dayView shows the whole local day y-m-d.
func dayView(y int, m time.Month, d int, loc *time.Location) timeView {
	from := time.Date(y, m, d, 0, 0, 0, 0, loc)
	to := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	return timeView{From: from, Span: to.Sub(from), Day: to.Sub(from)}
}

// tick is one mark on the time ruler.
type tick struct {
	At    time.Time
	Label string
}

// tickSteps are the label spacings the ruler picks from.
var tickSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
}

// tickStep is the smallest step that leaves at least minGap pixels
// between labels on a width-wide timeline showing span.
func tickStep(span time.Duration, width, minGap float64) time.Duration {
	for _, s := range tickSteps {
		if width <= 0 || float64(s)/float64(span)*width >= minGap {
			return s
		}
	}
	return tickSteps[len(tickSteps)-1]
}

// ticks are the marks of the ruler between from and to at step, in local
// wall-clock time: a tick falls where the clock in loc shows a multiple
// of step since midnight. On the day clocks go forward the missing hour
// has no tick; on the day they go back the repeated hour has two, and a
// tick whose UTC offset differs from the tick before it names its zone
// ("03:00 CEST"), so the 23 or 25 hours read right. A tick at local
// midnight is labelled with the date.
func ticks(from, to time.Time, step time.Duration, loc *time.Location) []tick {
	if step <= 0 || !to.After(from) {
		return nil
	}
	// Candidates come every grain of real time; steps over an hour keep
	// the candidates whose local hour is a multiple of the step.
	grain := min(step, time.Hour)
	var out []tick
	t := alignLocal(from, grain, loc)
	_, prevOff := from.In(loc).Zone()
	for n := 0; !t.After(to) && n < 5000; n++ {
		l := t.In(loc)
		name, off := l.Zone()
		if sinceMidnight(l)%grain != 0 {
			// An offset change that is not a whole grain: align again.
			t = alignLocal(t, grain, loc)
			continue
		}
		if sinceMidnight(l)%step == 0 {
			out = append(out, tick{At: t, Label: tickLabel(l, step, name, off != prevOff)})
			prevOff = off
		}
		t = t.Add(grain)
	}
	return out
}

// sinceMidnight is the local clock reading of l as a duration.
func sinceMidnight(l time.Time) time.Duration {
	return time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute +
		time.Duration(l.Second())*time.Second + time.Duration(l.Nanosecond())
}

// alignLocal is the first instant at or after t whose local clock reading
// is a multiple of grain (at most an hour).
func alignLocal(t time.Time, grain time.Duration, loc *time.Location) time.Time {
	rem := sinceMidnight(t.In(loc)) % grain
	if rem == 0 {
		return t
	}
	return t.Add(grain - rem)
}

func tickLabel(l time.Time, step time.Duration, zone string, zoneChanged bool) string {
	var s string
	switch {
	case l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0:
		s = l.Format("Mon 2 Jan")
	case step < time.Minute:
		s = l.Format("15:04:05")
	default:
		s = l.Format("15:04")
	}
	if zoneChanged {
		s += " " + zone
	}
	return s
}
