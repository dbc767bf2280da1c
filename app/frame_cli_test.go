package app

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
)

// TestRecordingsFrameCLI records a camsim camera twice with the real
// binary, 4 s apart, while camsim marks one frame of the first recording,
// then asks 'nightjar recordings frame' for frames, with TMPDIR pointed at
// a fresh directory:
//   - at the marked frame's capture time (or one frame either side) the
//     PNG is the main stream's full 1280x720 and shows the marker, and
//     five frames before it does not;
//   - a time in the gap exits non-zero naming where the footage before
//     ends and the next starts, as the catalogue says;
//   - nothing but age files and the catalogue's own is left in the data
//     directory, and nothing at all in TMPDIR.
func TestRecordingsFrameCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("records twice for 6 s with the real binary; runs without -short, as in make test")
	}
	bin := nightjarBinary(t)
	dir, tmp, outDir := t.TempDir(), t.TempDir(), t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	cam := sim.Cameras()[0]
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	nj := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--data-dir", dir}, args...)...)
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		return cmd
	}
	record := func() {
		t.Helper()
		out, err := nj("record", "--camera", id, "--duration", "6s").CombinedOutput()
		if err != nil {
			t.Fatalf("record: %v\n%s", err, out)
		}
		raceFree(t, "record", string(out))
	}
	first := nj("record", "--camera", id, "--duration", "6s")
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	sent := markAll(t, []*camsim.Camera{cam}, time.Now().Add(500*time.Millisecond))[0]
	if err := first.Wait(); err != nil {
		t.Fatalf("record: %v\n%s", err, firstOut.String())
	}
	raceFree(t, "record", firstOut.String())
	time.Sleep(4 * time.Second)
	record()

	got := recordingsList(t, bin, dir)
	if len(got.Segments) != 2 {
		t.Fatalf("want two segments, one per recording, got %+v", got.Segments)
	}
	a, b := got.Segments[0], got.Segments[1]
	if sent.Before(a.Start) || !sent.Before(a.End()) {
		t.Fatalf("camsim marked %s, outside the first recording %s to %s", sent.Format("15:04:05.000"), a.Start.Format("15:04:05.000"), a.End().Format("15:04:05.000"))
	}

	frame := func(at time.Time) (image.Image, string, error) {
		out := filepath.Join(outDir, at.Format("150405.000")+".png")
		cmd := nj("recordings", "frame", "--camera", id, "--at", at.Format(time.RFC3339Nano), "--out", out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			raceFree(t, "recordings frame", stderr.String())
			return nil, stderr.String(), err
		}
		raceFree(t, "recordings frame", stderr.String())
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatalf("the frame at %s is not a PNG: %v", at.Format("15:04:05.000"), err)
		}
		return img, stderr.String(), nil
	}
	marked := func(at time.Time) bool {
		t.Helper()
		img, stderr, err := frame(at)
		if err != nil {
			t.Fatalf("recordings frame at %s: %v\n%s", at.Format("15:04:05.000"), err, stderr)
		}
		if img.Bounds().Dx() != 1280 || img.Bounds().Dy() != 720 {
			t.Errorf("the frame at %s is %v, want the main stream's 1280x720", at.Format("15:04:05.000"), img.Bounds())
		}
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		return markerWhite(rgba, rgba.Bounds())
	}
	// A time in the gap names the footage around it.
	mid := a.End().Add(b.Start.Sub(a.End()) / 2)
	_, stderr, err := frame(mid)
	if err == nil {
		t.Fatalf("recordings frame in the gap at %s succeeded", mid.Format("15:04:05.000"))
	}
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatalf("recordings frame in the gap: %v", err)
	}
	for _, want := range []string{
		"the footage before ends at " + a.End().Local().Format("2006-01-02 15:04:05"),
		"the next starts at " + b.Start.Local().Format("2006-01-02 15:04:05"),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("recordings frame in the gap says %q, want it to name %q", strings.TrimSpace(stderr), want)
		}
	}

	// Decoding leaves no plaintext behind: checked here, and again after
	// the frames below (deferred, as a known bug may skip them).
	plain := plainWindow(t, bin, dir, a)
	checkDisk := func() {
		if left := filesUnder(t, tmp); len(left) != 0 {
			t.Errorf("TMPDIR holds %v after recording and decoding", left)
		}
		for _, f := range filesUnder(t, dir) {
			checkNoPlain(t, filepath.Join(dir, f), plain)
		}
	}
	checkDisk()
	defer checkDisk()

	// The frame at camsim's marked moment (last: a known player bug
	// skips the rest, see marked).
	if marked(sent.Add(-5 * frameLen)) {
		t.Errorf("the frame five frames before camsim's marked one shows the marker")
	}
	hit := false
	for _, off := range []time.Duration{0, -frameLen, frameLen} {
		if marked(sent.Add(off)) {
			t.Logf("the frame %v from camsim's marked one shows the marker", off)
			hit = true
			break
		}
	}
	if !hit {
		// How far off is it? For the report, not the verdict.
		for n := 2; n <= 6; n++ {
			if off := time.Duration(n) * frameLen; marked(sent.Add(off)) {
				t.Logf("the marker shows in the frame %v after camsim's marked one", off)
				break
			}
		}
		t.Errorf("no frame within one frame of camsim's marked one (%s) shows the marker", sent.Format("15:04:05.000"))
	}
}
