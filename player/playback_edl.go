package player

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Piece is one recorded segment as playback sees it: where to fetch it,
// the wall-clock time of its first frame, and its exact length from the
// catalogue.
type Piece struct {
	URL    string
	Start  time.Time
	Length time.Duration
}

// End is the wall-clock time just after the piece's last frame.
func (p Piece) End() time.Time { return p.Start.Add(p.Length) }

// Source says what footage exists; the app implements it over
// storage/timeline and the footage server.
type Source interface {
	// Run returns the pieces of the contiguous run holding at, in time
	// order, or, when at is in a gap, ok=false and the start of the next
	// footage (zero if none).
	Run(ctx context.Context, at time.Time) (pieces []Piece, next time.Time, ok bool, err error)
}

// edlURL is the mpv timeline playing pieces back to back. Each URL is
// given in mpv's length-prefixed form (%bytes%text), so commas,
// semicolons and percent signs in it need no escaping; length= is the
// piece's exact length, so mpv neither probes for it nor trusts the TS's
// own estimate. mpv counts each piece from its own first timestamp, so
// timeline time t in piece i is Start_i + (t - the lengths before i).
func edlURL(pieces []Piece) string {
	var b strings.Builder
	b.WriteString("edl://")
	for i, p := range pieces {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%%%d%%%s,length=%s", len(p.URL), p.URL, seconds(p.Length))
	}
	return b.String()
}

// seconds formats d for mpv, to the microsecond.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 6, 64)
}

// timeline maps between a loaded window of pieces and the wall clock.
type timeline struct {
	pieces []Piece
	offs   []time.Duration // timeline time where each piece starts
	length time.Duration
}

func newTimeline(pieces []Piece) timeline {
	tl := timeline{pieces: pieces, offs: make([]time.Duration, len(pieces))}
	for i, p := range pieces {
		tl.offs[i] = tl.length
		tl.length += p.Length
	}
	return tl
}

// wall is the wall-clock time of timeline time t.
func (tl timeline) wall(t time.Duration) time.Time {
	if len(tl.pieces) == 0 {
		return time.Time{}
	}
	i := tl.index(t)
	return tl.pieces[i].Start.Add(t - tl.offs[i])
}

// index is the piece holding timeline time t (the last for t past the end).
func (tl timeline) index(t time.Duration) int {
	i := 0
	for i+1 < len(tl.pieces) && t >= tl.offs[i+1] {
		i++
	}
	return i
}

// at is the timeline time of wall-clock time w, and whether a piece of
// the window holds w.
func (tl timeline) at(w time.Time) (time.Duration, bool) {
	for i, p := range tl.pieces {
		if !w.Before(p.Start) && w.Before(p.End()) {
			return tl.offs[i] + w.Sub(p.Start), true
		}
	}
	return 0, false
}
