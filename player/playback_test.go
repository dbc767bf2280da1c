package player

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

const pieceFrames = 250 // 10 s pieces in the tests

// TestPlaybackSeekShowsFrameForTime seeks into both pieces of a run,
// onto the boundary between them and back, and reads the frame number
// off the picture: it must be the frame for the time asked, and Status
// must name that frame's wall time. NewFrame must say there is a frame
// to draw after each (paused) seek, or a wall would keep the old one.
func TestPlaybackSeekShowsFrameForTime(t *testing.T) {
	fs := newFootageServer(t)
	src := &fakeSource{runs: [][]Piece{{fs.piece(t, 0, pieceFrames), fs.piece(t, pieceFrames, pieceFrames)}}}
	p := newTestPlayback(t, src)
	for _, want := range []int{88, 300, 250, 249, 437, 5, 499} {
		// Halfway through the frame's 40 ms: exact means that frame.
		at := wallOfFrame(want).Add(20 * time.Millisecond)
		mustSeek(t, p, at)
		waitNewFrame(t, p)
		got := shownFrame(t, p)
		st := p.Status()
		// Exact: the frame whose 40 ms on screen hold at (the issue asks
		// for "within one frame"; Playback promises that frame itself).
		if got != want {
			t.Errorf("seek to %s showed frame %d, want %d", rel(at), got, want)
		}
		if !st.Position.Equal(wallOfFrame(got)) {
			t.Errorf("seek to %s: position %s, but the frame shown (%d) is at %s", rel(at), rel(st.Position), got, rel(wallOfFrame(got)))
		}
		if st.NoFootage || st.Loading || st.Err != nil {
			t.Errorf("seek to %s: status %+v", rel(at), st)
		}
	}
}

// TestPlaybackGapAndNextRun seeks into a gap (nothing shown, the next
// footage named), then plays off the end of the first run and goes on
// at the start of the next.
func TestPlaybackGapAndNextRun(t *testing.T) {
	fs := newFootageServer(t)
	a := fs.piece(t, 0, pieceFrames)
	b := fs.piece(t, 2*pieceFrames, pieceFrames) // 10 s of gap between
	src := &fakeSource{runs: [][]Piece{{a}, {b}}}
	p := newTestPlayback(t, src)

	gapAt := a.End().Add(3 * time.Second)
	mustSeek(t, p, gapAt)
	st := p.Status()
	if !st.NoFootage || !st.Next.Equal(b.Start) || !st.Position.Equal(gapAt) {
		t.Fatalf("in the gap: status %+v, want NoFootage, Next %s, Position %s", st, rel(b.Start), rel(gapAt))
	}

	mustSeek(t, p, a.End().Add(-time.Second))
	if st := p.Status(); st.NoFootage {
		t.Fatalf("back in footage: status %+v", st)
	}
	p.SetPaused(false)
	st = waitStatus(t, p, 10*time.Second, "playing into the next run", func(st PlaybackStatus) bool {
		return !st.Loading && !st.Position.Before(b.Start)
	})
	if st.NoFootage {
		t.Fatalf("after the run's end: status %+v", st)
	}
	p.SetPaused(true)
	time.Sleep(100 * time.Millisecond)
	if got := shownFrame(t, p); got < 2*pieceFrames || got > 2*pieceFrames+50 {
		t.Fatalf("after the run's end the frame shown is %d, want the next run's first seconds (%d..%d)", got, 2*pieceFrames, 2*pieceFrames+50)
	}
}

// TestPlaybackFrameStep steps one frame forward and back, also across
// the boundary between two pieces.
func TestPlaybackFrameStep(t *testing.T) {
	fs := newFootageServer(t)
	src := &fakeSource{runs: [][]Piece{{fs.piece(t, 0, pieceFrames), fs.piece(t, pieceFrames, pieceFrames)}}}
	p := newTestPlayback(t, src)
	for _, start := range []int{120, pieceFrames - 1} {
		mustSeek(t, p, wallOfFrame(start))
		base := shownFrame(t, p)
		if base != start {
			t.Fatalf("seek showed frame %d, want %d", base, start)
		}
		p.FrameStep()
		waitFrame(t, p, base+1, "frame step")
		p.FrameBackStep()
		waitFrame(t, p, base, "frame back step")
		p.FrameBackStep()
		waitFrame(t, p, base-1, "second frame back step")
		if st := p.Status(); !st.Paused || !st.Position.Equal(wallOfFrame(base-1)) {
			t.Fatalf("after stepping: status %+v, want paused at %s", st, rel(wallOfFrame(base-1)))
		}
	}
}

// waitFrame waits up to 5 s for the picture to show frame want, and
// fails if it shows another one that long.
func waitFrame(t testing.TB, p *Playback, want int, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	got := -1
	for time.Now().Before(deadline) {
		if got = shownFrame(t, p); got == want {
			// It stays there: a step moves by exactly one.
			time.Sleep(200 * time.Millisecond)
			if got = shownFrame(t, p); got == want {
				return
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: frame %d shown, want %d", what, got, want)
}

// TestPlaybackSpeed plays at 2x and checks the footage advances at twice
// the wall clock (a 20 % margin for a loaded machine), and that speeds
// are clamped to 1/8 .. 16.
func TestPlaybackSpeed(t *testing.T) {
	fs := newFootageServer(t)
	src := &fakeSource{runs: [][]Piece{{fs.piece(t, 0, pieceFrames), fs.piece(t, pieceFrames, pieceFrames)}}}
	p := newTestPlayback(t, src)
	mustSeek(t, p, wallOfFrame(25))
	p.SetSpeed(2)
	p.SetPaused(false)
	time.Sleep(500 * time.Millisecond) // past start-up
	f0, t0 := shownFrame(t, p), time.Now()
	time.Sleep(3 * time.Second)
	f1, t1 := shownFrame(t, p), time.Now()
	ratio := float64(f1-f0) / testFPS / t1.Sub(t0).Seconds()
	if ratio < 1.6 || ratio > 2.4 {
		t.Fatalf("at 2x the footage advanced %.2f s per second (frames %d -> %d in %v)", ratio, f0, f1, t1.Sub(t0))
	}
	for _, tc := range []struct{ set, want float64 }{{100, 16}, {0.01, 0.125}, {0.5, 0.5}, {16, 16}} {
		p.SetSpeed(tc.set)
		got, err := strconv.ParseFloat(p.core.Property("speed"), 64)
		if err != nil {
			t.Fatalf("mpv speed: %v", err)
		}
		if got != tc.want || p.Status().Speed != tc.want {
			t.Errorf("SetSpeed(%v): mpv speed %v, status %v, want %v", tc.set, got, p.Status().Speed, tc.want)
		}
	}
}

// TestPlaybackGrowingPiece plays a run whose last piece is still being
// recorded: the Source first reports 4 s of it, then the whole 10 s.
// Playback reaching the 4 s asks again and keeps going.
func TestPlaybackGrowingPiece(t *testing.T) {
	fs := newFootageServer(t)
	full := fs.piece(t, 0, pieceFrames)
	short := full
	short.Length = 4 * time.Second
	src := &fakeSource{runs: [][]Piece{{short}}}
	src.grow = func(runs [][]Piece, at time.Time) {
		if !at.Before(short.End()) {
			runs[0][0] = full // more was flushed by the time playback got there
		}
	}
	p := newTestPlayback(t, src)
	mustSeek(t, p, short.End().Add(-time.Second))
	p.SetPaused(false)
	waitStatus(t, p, 10*time.Second, "playing past the first known length", func(st PlaybackStatus) bool {
		return st.Position.After(short.End().Add(time.Second))
	})
	p.SetPaused(true)
	time.Sleep(100 * time.Millisecond)
	if got := shownFrame(t, p); got <= frameAt(short.End()) {
		t.Fatalf("frame %d shown, want past %d", got, frameAt(short.End()))
	}
	asked := false
	for _, a := range src.asked() {
		asked = asked || a.Equal(short.End())
	}
	if !asked {
		t.Fatalf("the source was not asked again at the growing piece's end; asks %v", src.asked())
	}
}

// TestPlaybackSourceError reports the Source's error from Seek and in
// Status.
func TestPlaybackSourceError(t *testing.T) {
	boom := errors.New("catalogue unreadable")
	p := newTestPlayback(t, errSource{boom})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Seek(ctx, testBase); !errors.Is(err, boom) {
		t.Fatalf("seek = %v, want the source's error", err)
	}
	if st := p.Status(); !errors.Is(st.Err, boom) {
		t.Fatalf("status %+v, want the source's error", st)
	}
}

type errSource struct{ err error }

func (s errSource) Run(context.Context, time.Time) ([]Piece, time.Time, bool, error) {
	return nil, time.Time{}, false, s.err
}

// TestPlaybackPlaysFromRunStart seeks to a run's very first frame and
// plays: the frame shown moves on. Playing in the gap before a run goes
// on at the run.
func TestPlaybackPlaysFromRunStart(t *testing.T) {
	fs := newFootageServer(t)
	src := &fakeSource{runs: [][]Piece{{fs.piece(t, 0, pieceFrames)}}}
	p := newTestPlayback(t, src)
	mustSeek(t, p, testBase)
	if got := shownFrame(t, p); got != 0 {
		t.Fatalf("seek to the run's start shows frame %d", got)
	}
	p.SetPaused(false)
	waitStatus(t, p, 5*time.Second, "playing from the start", func(st PlaybackStatus) bool {
		return st.Position.After(testBase.Add(time.Second))
	})
	// While playing, a seek into the gap before the run goes on at the
	// run's start and plays from there.
	mustSeek(t, p, testBase.Add(-500*time.Millisecond))
	waitStatus(t, p, 5*time.Second, "playing on from the start", func(st PlaybackStatus) bool {
		return !st.NoFootage && st.Position.After(testBase.Add(time.Second))
	})
}

// waitNewFrame fails unless NewFrame reports a frame within a second.
func waitNewFrame(t *testing.T, p *Playback) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); !p.NewFrame(); {
		if time.Now().After(deadline) {
			t.Fatal("NewFrame reported nothing within 1 s of a seek")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTimelineMap checks the wall-clock map of a window with a piece of
// odd length, and the EDL text mpv gets for URLs with its separators.
func TestTimelineMap(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ps := []Piece{
		{URL: "http://h/a,b;c.ts", Start: t0, Length: 59500 * time.Millisecond},
		{URL: "http://h/%41.ts", Start: t0.Add(time.Minute), Length: time.Minute}, // a 0.5 s hole between
	}
	tl := newTimeline(ps)
	for _, tc := range []struct {
		t    time.Duration
		wall time.Time
	}{
		{0, t0},
		{59 * time.Second, t0.Add(59 * time.Second)},
		{59500 * time.Millisecond, t0.Add(time.Minute)},
		{90 * time.Second, t0.Add(90500 * time.Millisecond)},
	} {
		if got := tl.wall(tc.t); !got.Equal(tc.wall) {
			t.Errorf("wall(%v) = %v, want %v", tc.t, got, tc.wall)
		}
		if back, ok := tl.at(tc.wall); !ok || back != tc.t {
			t.Errorf("at(%v) = %v %v, want %v", tc.wall, back, ok, tc.t)
		}
	}
	if _, ok := tl.at(t0.Add(59750 * time.Millisecond)); ok {
		t.Error("a time in the hole between pieces maps into the window")
	}
	want := "edl://%17%http://h/a,b;c.ts,length=59.500000;%15%http://h/%41.ts,length=60.000000"
	if got := edlURL(ps); got != want {
		t.Errorf("edlURL = %q, want %q", got, want)
	}
}
