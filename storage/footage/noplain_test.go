package footage

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// Serving and playing footage leaves no plaintext on disk: not in the data
// directory and not in TMPDIR, during playback and after.
func TestNoPlaintextOnDiskWhileAndAfterServing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // ffmpeg and ffprobe inherit it, and so does this process
	g := newRig(t)
	ffmpeg := tool(t, "ffmpeg")

	closed := g.closed(t, "cam1", t0, 12*time.Second)
	rec := g.record(t, "cam2", time.Now())
	rec.feed(4 * time.Second)
	rec.flush()
	open := g.openRow(t, "cam2")
	defer rec.r.Close()

	// 4 KB windows of known plaintext, from recording's own decryption.
	var windows [][]byte
	for _, row := range []catalog.Segment{closed} {
		p := g.plain(t, row)
		windows = append(windows, p[20*188:20*188+4096], p[len(p)/2:len(p)/2+4096])
	}
	growing := get(t, "GET", g.srv.URL(open), nil).body
	if len(growing) < 8192 {
		t.Fatalf("growing segment served %d bytes", len(growing))
	}
	windows = append(windows, growing[20*188:20*188+4096])
	for i, w := range windows {
		if bytes.Count(w, []byte{0xFF}) > len(w)/2 {
			t.Fatalf("window %d is mostly padding, not video", i)
		}
	}

	scan := func(when string) {
		t.Helper()
		for _, root := range []string{g.dir, tmp} {
			err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				for i, w := range windows {
					if bytes.Contains(b, w) {
						t.Errorf("%s: %s holds plaintext window %d", when, p, i)
					}
				}
				isAge := bytes.HasPrefix(b, []byte("age-encryption.org/v1\n"))
				if !isAge && (root == tmp || filepath.Base(p) != catalog.FileName) {
					t.Errorf("%s: %s (%d bytes) is not an age file", when, p, len(b))
				}
				return nil
			})
			if err != nil {
				t.Fatalf("%s: scan %s: %v", when, root, err)
			}
		}
	}

	// Play the closed segment at 4x in the background, decoding every
	// frame, and look at the disk while it plays.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr strings.Builder
	play := exec.CommandContext(ctx, ffmpeg, "-v", "error", "-readrate", "4", "-i", g.srv.URL(closed), "-f", "null", "-")
	play.Stderr = &stderr
	if err := play.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- play.Wait() }()
	scans := 0
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("ffmpeg: %v: %s", err, stderr.String())
			}
			running = false
		case <-time.After(500 * time.Millisecond):
			scan("while ffmpeg plays")
			scans++
		}
	}
	if scans == 0 {
		t.Errorf("ffmpeg finished before the disk was looked at while it played")
	}
	// The growing one too, while it is still being recorded.
	if _, frames, _ := probe(t, g.srv.URL(open)); frames != 4*fps {
		t.Errorf("ffprobe decoded %d frames of the growing segment, want %d", frames, 4*fps)
	}
	scan("after playing, while recording")
	rec.r.Close()
	if err := g.srv.Close(); err != nil {
		t.Fatal(err)
	}
	scan("after the server closed")
}
