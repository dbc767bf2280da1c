package player

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nightjar/internal/zones"
)

// makeSegments writes n TS segments of 3 s each (640×360, 25 fps, a
// keyframe every second), as a recorder's would be, and returns them as
// pieces: the second starts gap after the first ends.
func makeSegments(t *testing.T, gap time.Duration) []Piece {
	t.Helper()
	dir := t.TempDir()
	t0 := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	var out []Piece
	for i := range 2 {
		name := filepath.Join(dir, fmt.Sprintf("seg%d.ts", i))
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-f", "lavfi", "-i",
			fmt.Sprintf("testsrc2=size=640x360:rate=25,hue=h=%d", 90*i), "-t", "3",
			"-c:v", "libx264", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "25", "-f", "mpegts", name)
		b, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, b)
		}
		start := t0
		if i > 0 {
			start = out[0].End().Add(gap)
		}
		out = append(out, Piece{URL: name, Start: start, Length: 3 * time.Second})
	}
	return out
}

// decodeAt decodes the frame of an MP4 at t seconds with ffmpeg.
func decodeAt(t *testing.T, file string, at float64) *image.RGBA {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// -ss after -i: decode from the start and keep the frame at t, which
	// a fast seek near the end of a short TS can miss.
	out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", file, "-ss", strconv.FormatFloat(at, 'f', 3, 64),
		"-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg decode of %s at %.3f: %v", file, at, err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			rgba.Set(x, y, img.At(x, y))
		}
	}
	return rgba
}

// probe reads a stream field and the duration of file with ffprobe.
func probe(t *testing.T, file string) (frames int, dur float64, codec string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=nb_read_frames,codec_name:format=duration", "-of", "default=nw=1", file).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", file, err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue // the blank line after the last field
		}
		switch k {
		case "nb_read_frames":
			if frames, err = strconv.Atoi(v); err != nil {
				t.Fatalf("ffprobe frames %q: %v", v, err)
			}
		case "duration":
			if dur, err = strconv.ParseFloat(v, 64); err != nil {
				t.Fatalf("ffprobe duration %q: %v", v, err)
			}
		case "codec_name":
			codec = v
		}
	}
	return frames, dur, codec
}

func near(a, b uint8, tol int) bool { return math.Abs(float64(a)-float64(b)) <= float64(tol) }

// TestEncodeClipBurnsMasksAcrossAGap: a range over two segments with a
// gap between them becomes one H.264 clip of the footage back to back,
// with a solid zone and a pixelated zone burned into every frame and the
// rest of the picture left as it was.
func TestEncodeClipBurnsMasksAcrossAGap(t *testing.T) {
	pieces := makeSegments(t, 5*time.Second)
	from, to := pieces[0].Start.Add(time.Second), pieces[1].Start.Add(2*time.Second)
	red := color.RGBA{230, 20, 20, 255}
	solid := zones.Zone{ID: "s", Kind: zones.Permanent, Fill: zones.Fill{Color: red}, Points: zones.Rect(0.05, 0.1, 0.3, 0.4)}
	pix := zones.Zone{ID: "p", Kind: zones.Permanent, Fill: zones.Fill{Block: 16}, Points: zones.Rect(0.55, 0.5, 0.35, 0.4)}
	out := filepath.Join(t.TempDir(), "clip.mp4")
	var last time.Duration
	res, err := EncodeClip(context.Background(), ClipOptions{Pieces: pieces, From: from, To: to,
		Mask: zones.NewMask([]zones.Zone{solid, pix}), Out: out,
		Progress: func(done, total time.Duration) { last = done }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 640 || res.Height != 360 || res.Duration != 4*time.Second {
		t.Errorf("result %dx%d, %v; want 640x360, 4s", res.Width, res.Height, res.Duration)
	}
	want := []ClipSpan{{From: from, To: pieces[0].End(), Offset: 0}, {From: pieces[1].Start, To: to, Offset: 2 * time.Second}}
	if fmt.Sprint(res.Spans) != fmt.Sprint(want) {
		t.Errorf("spans %v, want %v", res.Spans, want)
	}
	if last != 4*time.Second {
		t.Errorf("last progress %v, want the whole 4 s", last)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the clip's mode: %v, %v; want 0600, the user's alone", st, err)
	}
	frames, dur, codec := probe(t, out)
	// 100 frames of footage; the encoder may keep the copy of the last
	// one that EncodeClip hands it to drop.
	if codec != "h264" || frames < 100 || frames > 101 || math.Abs(dur-4) > 0.1 {
		t.Errorf("clip: %s, %d frames, %.3f s; want h264, 100 frames, 4 s", codec, frames, dur)
	}
	// Frames from each span, against the original at the same moment.
	for _, tc := range []struct {
		clipAt float64
		piece  int
		at     float64
	}{{0.5, 0, 1.5}, {1.9, 0, 2.9}, {3.5, 1, 1.5}} {
		got := decodeAt(t, out, tc.clipAt)
		orig := decodeAt(t, pieces[tc.piece].URL, tc.at)
		sr := image.Rect(32, 36, 32+192, 36+144) // solid: 0.05,0.1 0.3×0.4 of 640×360
		pr := image.Rect(352, 180, 352+224, 180+144)
		for y := sr.Min.Y; y < sr.Max.Y; y++ {
			for x := sr.Min.X; x < sr.Max.X; x++ {
				if c := got.RGBAAt(x, y); !near(c.R, red.R, 10) || !near(c.G, red.G, 10) || !near(c.B, red.B, 10) {
					t.Fatalf("clip at %.1f s: pixel %d,%d of the solid zone is %v, want %v ±10", tc.clipAt, x, y, c, red)
				}
			}
		}
		// Pixelated: flat 16-px blocks (on the frame's 16-px grid),
		// unlike the original's detail.
		var spread, origSpread float64
		for by := (pr.Min.Y + 15) / 16 * 16; by+16 <= pr.Max.Y; by += 16 {
			for bx := pr.Min.X; bx+16 <= pr.Max.X; bx += 16 {
				spread += blockSpread(got, image.Rect(bx+2, by+2, bx+14, by+14))
				origSpread += blockSpread(orig, image.Rect(bx+2, by+2, bx+14, by+14))
			}
		}
		if spread > origSpread/4 {
			t.Errorf("clip at %.1f s: the pixelated zone keeps detail (spread %.0f, original %.0f)", tc.clipAt, spread, origSpread)
		}
		// Outside the zones the picture is the original's, give or take
		// the codec.
		outside := image.Rect(0, 0, 640, 30)
		if d := meanDiff(got, orig, outside); d > 12 {
			t.Errorf("clip at %.1f s: outside the zones it differs from the original by %.1f on average", tc.clipAt, d)
		}
	}
}

// blockSpread is the mean absolute deviation of r's green channel.
func blockSpread(img *image.RGBA, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sum += float64(img.RGBAAt(x, y).G)
			n++
		}
	}
	mean, dev := sum/n, 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dev += math.Abs(float64(img.RGBAAt(x, y).G) - mean)
		}
	}
	return dev / n
}

func meanDiff(a, b *image.RGBA, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ca, cb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			sum += math.Abs(float64(ca.R)-float64(cb.R)) + math.Abs(float64(ca.G)-float64(cb.G)) + math.Abs(float64(ca.B)-float64(cb.B))
			n += 3
		}
	}
	return sum / n
}

// TestEncodeClipCancelLeavesNoFile: a cancelled export stops and leaves
// no file behind.
func TestEncodeClipCancelLeavesNoFile(t *testing.T) {
	pieces := makeSegments(t, 0)
	out := filepath.Join(t.TempDir(), "clip.mp4")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := EncodeClip(ctx, ClipOptions{Pieces: pieces, From: pieces[0].Start, To: pieces[1].End(), Out: out,
		Progress: func(done, total time.Duration) {
			if done > 0 {
				cancel()
			}
		}})
	if err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("the cancelled export left %s (stat: %v)", out, err)
	}
}

// TestEncodeFailsOnABrokenFilterGraph: when the mask's filter graph does
// not load, mpv would go on and encode the footage unmasked; the export
// fails instead.
func TestEncodeFailsOnABrokenFilterGraph(t *testing.T) {
	pieces := makeSegments(t, 0)
	out := filepath.Join(t.TempDir(), "clip.mp4")
	settings := CoreOptions{"o": out, "of": "mp4", "ovc": "libx264", "vo": "lavc", "audio": "no",
		"vf": "lavfi=[[in]nosuchfilter[out]]"}
	err := encode(context.Background(), settings, []clipEntry{{url: pieces[0].URL, to: pieces[0].Length, length: pieces[0].Length}}, nil)
	if err == nil {
		t.Fatal("an encode with a broken filter graph succeeded")
	}
	t.Logf("error: %v", err)
}
