package player

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test footage: MPEG-TS segments encoded by ffmpeg (a tool we did not
// write) as the recorder writes them: H.264 without B-frames, a fixed
// GOP, and PTS on the wall clock (90 kHz ticks of the Unix time, modulo
// 2^33). Every frame carries its own number as a barcode of white blocks
// along the top, so a test reads which frame the screen shows from the
// pixels alone; the number counts from the footage's base time, so frame
// n is the frame for base + n/fps.

const (
	testFPS    = 25
	testGOP    = 50 // frames between keyframes: 2 s
	codeBits   = 18 // frame numbers up to 262143: almost 3 h at 25 fps
	codeBlock  = 32 // pixels per barcode block
	testWidth  = 640
	testHeight = 360
)

// testBase is the wall-clock time of frame 0 in test footage.
var testBase = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// frameAt is the number of the frame shown at wall time at.
func frameAt(at time.Time) int {
	return int(at.Sub(testBase) / (time.Second / testFPS))
}

// wallOfFrame is the wall time of frame n.
func wallOfFrame(n int) time.Time {
	return testBase.Add(time.Duration(n) * time.Second / testFPS)
}

// tsTicks is the 90 kHz PTS of a wall time, as the recorder writes it.
func tsTicks(t time.Time) int64 { return (t.UnixNano() / 100000 * 9) % (1 << 33) }

// footageCache keeps encoded segments across the tests of one run, keyed
// by first frame and length.
var footageCache struct {
	sync.Mutex
	dir   string
	files map[string]string
}

// makeSegment encodes frames [first, first+n) of the test footage into a
// TS file and returns its path.
func makeSegment(t testing.TB, first, n int) string {
	t.Helper()
	footageCache.Lock()
	defer footageCache.Unlock()
	key := fmt.Sprintf("%d-%d", first, n)
	if p, ok := footageCache.files[key]; ok {
		return p
	}
	if footageCache.dir == "" {
		d, err := os.MkdirTemp("", "nightjar-player-footage-")
		if err != nil {
			t.Fatalf("footage dir: %v", err)
		}
		footageCache.dir, footageCache.files = d, map[string]string{}
	}
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatalf("ffmpeg is required for player tests (run packaging/install-deps.sh): %v", err)
	}
	var vf []string
	vf = append(vf, fmt.Sprintf("drawbox=x=0:y=0:w=%d:h=%d:color=black:t=fill", codeBits*codeBlock, codeBlock))
	for i := 0; i < codeBits; i++ {
		vf = append(vf, fmt.Sprintf("drawbox=x=%d:y=0:w=%d:h=%d:color=white:t=fill:enable='mod(floor((n+%d)/%d),2)'",
			i*codeBlock, codeBlock, codeBlock, first, 1<<i))
	}
	out := filepath.Join(footageCache.dir, key+".ts")
	offset := float64(tsTicks(wallOfFrame(first))) / 90000
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffmpeg, "-v", "error", "-y",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=%d", testWidth, testHeight, testFPS),
		"-frames:v", fmt.Sprint(n), "-vf", strings.Join(vf, ","),
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-bf", "0",
		"-g", fmt.Sprint(testGOP), "-keyint_min", fmt.Sprint(testGOP), "-sc_threshold", "0",
		"-muxdelay", "0", "-muxpreload", "0", "-output_ts_offset", fmt.Sprintf("%.6f", offset),
		"-f", "mpegts", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	footageCache.files[key] = out
	return out
}

// readCode decodes the frame number painted into the top-left of img, an
// image of the whole frame at any size. ok is false when a block is
// neither clearly white nor clearly black.
func readCode(img *image.RGBA) (n int, ok bool) {
	b := img.Bounds()
	sx := float64(b.Dx()) / testWidth
	sy := float64(b.Dy()) / testHeight
	for i := 0; i < codeBits; i++ {
		x := b.Min.X + int((float64(i*codeBlock)+codeBlock/2)*sx)
		y := b.Min.Y + int(codeBlock/2*sy)
		p := img.RGBAAt(x, y)
		l := (int(p.R) + int(p.G) + int(p.B)) / 3
		switch {
		case l > 170:
			n |= 1 << i
		case l < 85:
		default:
			return 0, false
		}
	}
	return n, true
}

// footageServer serves files over HTTP on loopback, as storage/footage
// does (Range requests through http.ServeContent).
type footageServer struct {
	srv *httptest.Server
	mu  sync.Mutex
	// files maps a URL path to a file
	files map[string]string
	hits  map[string]int
}

func newFootageServer(t testing.TB) *footageServer {
	t.Helper()
	fs := &footageServer{files: map[string]string{}, hits: map[string]int{}}
	fs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		p, ok := fs.files[r.URL.Path]
		fs.hits[r.URL.Path]++
		fs.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.ServeContent(w, r, "seg.ts", st.ModTime(), f)
	}))
	t.Cleanup(fs.srv.Close)
	return fs
}

// add serves file at path and returns its URL.
func (fs *footageServer) add(path, file string) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.files[path] = file
	return fs.srv.URL + path
}

// piece makes and serves a segment of n frames from frame first.
func (fs *footageServer) piece(t testing.TB, first, n int) Piece {
	t.Helper()
	f := makeSegment(t, first, n)
	u := fs.add(fmt.Sprintf("/tok/seg/cam,1;x/%d.ts", first), f)
	return Piece{URL: u, Start: wallOfFrame(first), Length: time.Duration(n) * time.Second / testFPS}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if footageCache.dir != "" {
		os.RemoveAll(footageCache.dir)
	}
	os.Exit(code)
}

// fakeSource is a Source over fixed runs, as the app's timeline would
// answer. grow, when set, may change the runs before each answer.
type fakeSource struct {
	mu   sync.Mutex
	runs [][]Piece
	asks []time.Time
	grow func(runs [][]Piece, at time.Time)
}

func (s *fakeSource) Run(ctx context.Context, at time.Time) ([]Piece, time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asks = append(s.asks, at)
	if s.grow != nil {
		s.grow(s.runs, at)
	}
	var next time.Time
	for _, r := range s.runs {
		if !at.Before(r[0].Start) && at.Before(r[len(r)-1].End()) {
			return append([]Piece(nil), r...), time.Time{}, true, nil
		}
		if r[0].Start.After(at) && (next.IsZero() || r[0].Start.Before(next)) {
			next = r[0].Start
		}
	}
	return nil, next, false, nil
}

func (s *fakeSource) asked() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.asks...)
}

// newTestPlayback makes a Playback over src, closed at the test's end.
func newTestPlayback(t testing.TB, src Source) *Playback {
	t.Helper()
	opts := PlaybackOptions{Source: src}
	if os.Getenv("PLAYBACK_DEBUG") != "" {
		opts.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	p, err := NewPlayback(opts)
	if err != nil {
		t.Fatalf("new playback: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// mustSeek seeks and fails the test on an error.
func mustSeek(t testing.TB, p *Playback, at time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := p.Seek(ctx, at); err != nil {
		t.Fatalf("seek to %v: %v", at.Sub(testBase), err)
	}
}

// shownFrame renders what p shows now at full size and reads its frame
// number, waiting up to 5 s for a readable frame.
func shownFrame(t testing.TB, p *Playback) int {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, testWidth, testHeight))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		p.NewFrame()
		if err := p.Render(img, img.Bounds()); err != nil {
			t.Fatalf("render: %v", err)
		}
		if n, ok := readCode(img); ok {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no readable frame within 5 s")
	return 0
}

// waitStatus polls p until cond holds, failing after within.
func waitStatus(t testing.TB, p *Playback, within time.Duration, what string, cond func(PlaybackStatus) bool) PlaybackStatus {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		st := p.Status()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; status %+v", what, within, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rel is a wall time as seconds after testBase, for messages.
func rel(w time.Time) string { return fmt.Sprintf("base+%.3fs", w.Sub(testBase).Seconds()) }
