package camsim

import (
	"bufio"
	"context"
	"math/big"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"nightjar/internal/testwait"
)

// spotWatch decodes a stream with ffmpeg, a client we did not write, and
// keeps, per decoded frame, whether the marker spot is lit and the frame's
// presentation time as ffmpeg reads it from RTP.
type spotWatch struct {
	name   string
	mu     sync.Mutex
	lit    []bool // the marker spot is white
	pts    []time.Duration
	cancel context.CancelFunc
	done   chan struct{} // closed when ffmpeg has exited
}

var (
	timeBaseRE = regexp.MustCompile(`Parsed_showinfo.* config in time_base: (\d+)/(\d+)`)
	frameRE    = regexp.MustCompile(`Parsed_showinfo.* n: *\d+ pts: *(\d+) .* mean:\[(\d+) `)
)

// watchSpot starts ffmpeg on uri. ffmpeg's showinfo filter reports, per
// decoded frame, the mean brightness of the crop, the marker's 64×16 pixels
// at the right end of the band's first macroblock row, and its timestamp on
// the stream's timeline, from the RTP timestamps.
func watchSpot(t *testing.T, name, uri string) *spotWatch {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	w := &spotWatch{name: name, cancel: cancel, done: make(chan struct{})}
	cmd := exec.CommandContext(ctx, requireTool(t, "ffmpeg"), "-hide_banner", "-nostats", "-v", "info",
		"-rtsp_transport", "tcp", "-i", uri,
		"-copyts", "-fps_mode", "passthrough", "-an",
		"-vf", "crop=64:16:iw-64:0,showinfo", "-f", "null", "-")
	errp, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ffmpeg on %s: %v", name, err)
	}
	t.Cleanup(func() { cancel(); <-w.done })
	go func() {
		defer close(w.done)
		defer cmd.Wait() // killed by cancel: its exit status says nothing
		var num, den *big.Int
		sc := bufio.NewScanner(errp)
		for sc.Scan() {
			if m := timeBaseRE.FindStringSubmatch(sc.Text()); m != nil {
				num, _ = new(big.Int).SetString(m[1], 10)
				den, _ = new(big.Int).SetString(m[2], 10)
				continue
			}
			m := frameRE.FindStringSubmatch(sc.Text())
			if m == nil || num == nil || den == nil || den.Sign() == 0 {
				continue
			}
			pts, ok := new(big.Int).SetString(m[1], 10)
			mean, err := strconv.Atoi(m[2])
			if !ok || err != nil {
				continue
			}
			ns := pts.Mul(pts, num).Mul(pts, big.NewInt(1e9)).Quo(pts, den)
			w.mu.Lock()
			w.lit = append(w.lit, mean > 200)
			w.pts = append(w.pts, time.Duration(ns.Int64()))
			w.mu.Unlock()
		}
	}()
	return w
}

// frames is how many frames have been fully seen (pixels and time).
func (w *spotWatch) frames() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return min(len(w.lit), len(w.pts))
}

// marked returns the indexes of the frames with the spot lit.
func (w *spotWatch) marked() []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []int
	for i, l := range w.lit {
		if l {
			out = append(out, i)
		}
	}
	return out
}

// TestMarkerAtMarksOneFrameAtTheMoment: two cameras given the same moments
// each mark exactly one frame per moment on both streams, the frame due at
// or just after it, and MarkerSent says which. ffmpeg finds the marked
// frames and their distance on the stream's own timeline.
func TestMarkerAtMarksOneFrameAtTheMoment(t *testing.T) {
	s := startSim(t, Config{Cameras: 2, NoAuth: true})
	cams := s.Cameras()
	type stream struct {
		cam  *Camera
		kind string
		w    *spotWatch
		sent [2]time.Time
	}
	var streams []*stream
	for i, c := range cams {
		for _, kind := range []string{Main, Sub} {
			streams = append(streams, &stream{cam: c, kind: kind, w: watchSpot(t, "camera "+strconv.Itoa(i+1)+" "+kind, c.StreamURI(kind))})
		}
	}
	for _, st := range streams {
		testwait.Until(t, 30*time.Second, st.w.name+" decodes frames", func() bool { return st.w.frames() >= 5 })
	}
	// Two moments 1.5 s apart; the second is set once the first is sent.
	const apart = 1500 * time.Millisecond
	first := time.Now().Add(time.Second)
	moments := [2]time.Time{first, first.Add(apart)}
	for m, at := range moments {
		for _, c := range cams {
			c.SetMarkerAt(at)
		}
		for _, st := range streams {
			testwait.Until(t, 30*time.Second, st.w.name+" sends the marked frame", func() bool { return !st.cam.MarkerSent(st.kind).IsZero() })
			st.sent[m] = st.cam.MarkerSent(st.kind)
		}
	}
	// Half a second of frames after the second moment on every stream.
	for _, st := range streams {
		n := st.w.frames()
		testwait.Until(t, 30*time.Second, st.w.name+" decodes past the moment", func() bool { return st.w.frames() >= n+int(specs[st.kind].FPS)/2 })
		st.w.cancel()
		<-st.w.done
	}

	for _, st := range streams {
		interval := time.Second / time.Duration(specs[st.kind].FPS)
		for m, at := range moments {
			if d := st.sent[m].Sub(at); d < 0 || d >= interval {
				t.Errorf("%s: the frame marked for moment %d is due %v after it, want within [0, %v)", st.w.name, m, d, interval)
			}
		}
		lit := st.w.marked()
		if len(lit) != 2 || lit[1]-lit[0] < 2 {
			t.Errorf("%s: frames %v show the marker, want one frame for each of the two moments", st.w.name, lit)
			continue
		}
		st.w.mu.Lock()
		onStream := st.w.pts[lit[1]] - st.w.pts[lit[0]]
		st.w.mu.Unlock()
		// ffmpeg's distance between the marked frames is MarkerSent's, to
		// the 90 kHz tick and rounding, and one frame of the moments'.
		if d := onStream - st.sent[1].Sub(st.sent[0]); d.Abs() > time.Millisecond {
			t.Errorf("%s: ffmpeg sees the marked frames %v apart, MarkerSent %v", st.w.name, onStream, st.sent[1].Sub(st.sent[0]))
		}
		if d := onStream - apart; d.Abs() >= interval {
			t.Errorf("%s: ffmpeg sees the marked frames %v apart, the moments are %v apart: more than a frame off", st.w.name, onStream, apart)
		}
		t.Logf("%s: marked frames %v, %v apart on the stream, due %v and %v after the moments",
			st.w.name, lit, onStream, st.sent[0].Sub(moments[0]), st.sent[1].Sub(moments[1]))
	}
	// Both cameras mark each moment within one frame interval.
	for i, a := range streams {
		for _, b := range streams[i+1:] {
			if a.kind != b.kind {
				continue
			}
			interval := time.Second / time.Duration(specs[a.kind].FPS)
			for m := range moments {
				if d := a.sent[m].Sub(b.sent[m]).Abs(); d >= interval {
					t.Errorf("%s and %s marked moment %d %v apart, want within %v", a.w.name, b.w.name, m, d, interval)
				}
			}
		}
	}
}
