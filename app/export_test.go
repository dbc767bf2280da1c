package app

import (
	"bytes"
	"context"
	"encoding/json"
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

	"nightjar/devices/camsim"
	"nightjar/internal/zones"
)

// TestExportBundleRoundTrip records two camsim cameras, gives the first
// a privacy zone, and exports the same range from both with an
// export-only zone on the second. Then, with tools Nightjar did not
// write and with its own verify:
//   - the ssh-keygen command from VERIFY.txt, run through a shell, and
//     sha256sum -c both pass, and 'nightjar verify' says VERIFIED;
//   - ffprobe reads each MP4 as H.264 lasting the footage in the range
//     (within 0.5 s);
//   - both zones are burned in, and the second camera's own zones are
//     unchanged;
//   - one byte changed in a clip makes 'nightjar verify' fail, naming
//     the clip, and so does sha256sum.
func TestExportBundleRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("records two cameras for 30 s; runs without -short, as in make test")
	}
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 2, NoAuth: true})
	ids, stop := recordSim(t, a, sim, 2, 10*time.Second)
	t0 := segmentsOf(t, a, ids[0])[0].Start
	red := color.RGBA{220, 20, 30, 255}
	cam, err := a.DB.Camera(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	cam.Zones = []zones.Zone{{ID: "win", Name: "Window", Kind: zones.Permanent, Fill: zones.Fill{Color: red}, Points: zones.Rect(0.1, 0.1, 0.3, 0.3)}}
	if err := a.DB.PutCamera(cam); err != nil {
		t.Fatal(err)
	}
	a.masks().changed(ids[0])
	time.Sleep(time.Until(t0.Add(30 * time.Second)))
	stop()

	from, to := t0.Add(4*time.Second), t0.Add(24*time.Second)
	out := filepath.Join(t.TempDir(), "incident")
	bystander := zones.Zone{ID: "export-1", Name: "Bystander", Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(0.6, 0.5, 0.2, 0.3)}
	var progress []float64
	m, err := a.ExportBundle(context.Background(), exportRequest{Cameras: ids, From: from, To: to, Reason: "police request 4711",
		By: "guard", ExportZones: map[string][]zones.Zone{ids[1]: {bystander}}, Out: out,
		Progress: func(done float64) { progress = append(progress, done) }})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(progress); n == 0 || progress[n-1] < 0.99 {
		t.Errorf("progress went %v, want it to reach 1", progress)
	}
	if len(m.Cameras) != 2 || len(m.Cameras[0].Clips) != 1 || len(m.Cameras[1].Clips) != 1 || len(m.Cameras[0].Segments) == 0 {
		t.Fatalf("manifest cameras: %+v", m.Cameras)
	}

	// Standard tools, as VERIFY.txt tells a recipient to run them.
	verify, err := os.ReadFile(filepath.Join(out, "VERIFY.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var sshLine string
	for _, l := range strings.Split(string(verify), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "ssh-keygen -Y verify") {
			sshLine = l
			break
		}
	}
	if sshLine == "" {
		t.Fatalf("VERIFY.txt has no ssh-keygen line:\n%s", verify)
	}
	shell := func(cmd string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c := exec.CommandContext(ctx, "sh", "-c", cmd)
		c.Dir = out
		b, err := c.CombinedOutput()
		return string(b), err
	}
	if o, err := shell(sshLine); err != nil {
		t.Fatalf("%s: %v\n%s", sshLine, err, o)
	}
	if o, err := shell("sha256sum -c SHA256SUMS"); err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, o)
	}
	bin := nightjarBinary(t)
	nightjarVerify := func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		b, err := exec.CommandContext(ctx, bin, "verify", out, "--signer", m.Signer).CombinedOutput()
		return string(b), err
	}
	if o, err := nightjarVerify(); err != nil || !strings.HasPrefix(o, "VERIFIED") {
		t.Fatalf("nightjar verify: %v\n%s", err, o)
	}

	// Each clip lasts the footage present in the range.
	for _, c := range m.Cameras {
		var present time.Duration
		for _, s := range c.Present {
			present += s.To.Sub(s.From)
		}
		if present < 15*time.Second {
			t.Errorf("%s: only %v of footage in a 20 s range that was recorded throughout", c.Name, present)
		}
		if d := clipDuration(t, filepath.Join(out, c.Clips[0])); math.Abs(d-present.Seconds()) > 0.5 {
			t.Errorf("%s: the clip lasts %.2f s, the footage in the range %.2f s", c.Name, d, present.Seconds())
		}
	}
	// The zones are burned in: the camera's own on the first clip, the
	// export-only one on the second.
	inside := func(clip string, r image.Rectangle, want color.RGBA) {
		t.Helper()
		img := clipFrame(t, filepath.Join(out, clip), 5)
		b := img.Bounds()
		zr := image.Rect(b.Dx()*r.Min.X/100, b.Dy()*r.Min.Y/100, b.Dx()*r.Max.X/100, b.Dy()*r.Max.Y/100)
		for y := zr.Min.Y; y < zr.Max.Y; y++ {
			for x := zr.Min.X; x < zr.Max.X; x++ {
				c := img.RGBAAt(x, y)
				if math.Abs(float64(c.R)-float64(want.R)) > 10 || math.Abs(float64(c.G)-float64(want.G)) > 10 || math.Abs(float64(c.B)-float64(want.B)) > 10 {
					t.Fatalf("%s: pixel %d,%d of the zone is %v, want %v ±10", clip, x, y, c, want)
				}
			}
		}
	}
	inside(m.Cameras[0].Clips[0], image.Rect(10, 10, 40, 40), red)
	inside(m.Cameras[1].Clips[0], image.Rect(60, 50, 80, 80), color.RGBA{0, 0, 0, 255})
	if c, err := a.DB.Camera(ids[1]); err != nil || len(c.Zones) != 0 {
		t.Errorf("the export-only zone changed the camera's own zones: %v, %v", c.Zones, err)
	}
	if zs := m.Cameras[1].Masks.Zones; len(zs) != 1 || !zs[0].ExportOnly {
		t.Errorf("the manifest lists the second camera's zones as %+v, want the export-only one", zs)
	}

	// Tampering is caught by Nightjar and by sha256sum alike.
	clip := filepath.Join(out, m.Cameras[1].Clips[0])
	b, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(clip, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if o, err := nightjarVerify(); err == nil || !strings.Contains(o, m.Cameras[1].Clips[0]+": hash mismatch") {
		t.Errorf("nightjar verify of a changed clip: %v\n%s", err, o)
	}
	if o, err := shell("sha256sum -c SHA256SUMS"); err == nil {
		t.Errorf("sha256sum -c passed a changed clip:\n%s", o)
	}
}

// TestExportLeavesNothingOnFailure: an export that cannot finish
// (cancelled, or from a segment changed on disk) leaves no bundle and no
// partial folder.
func TestExportLeavesNothingOnFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("records a camera; runs without -short, as in make test")
	}
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	ids, stop := recordSim(t, a, sim, 1, 4*time.Second)
	t0 := segmentsOf(t, a, ids[0])[0].Start
	time.Sleep(time.Until(t0.Add(6 * time.Second)))
	stop()
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, err := a.ExportBundle(ctx, exportRequest{Cameras: ids, From: t0, To: t0.Add(5 * time.Second), Out: filepath.Join(parent, "b"),
		Progress: func(done float64) {
			if done > 0 {
				cancel()
			}
		}})
	if err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	left, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("the cancelled export left %v", left)
	}
	// A segment changed on disk since it was catalogued: the export
	// refuses to claim the catalogue's hash for it, and names it.
	seg := segmentsOf(t, a, ids[0])[0]
	flipByte(t, a.recordingStore().Path(seg))
	_, err = a.ExportBundle(context.Background(), exportRequest{Cameras: ids, From: t0, To: t0.Add(5 * time.Second), Out: filepath.Join(parent, "c")})
	if err == nil || !strings.Contains(err.Error(), seg.File) || !strings.Contains(err.Error(), "does not match the catalogue") {
		t.Fatalf("export of a changed segment: %v", err)
	}
	if left, err := os.ReadDir(parent); err != nil || len(left) != 0 {
		t.Fatalf("the refused export left %v (%v)", left, err)
	}
}

func clipDuration(t *testing.T, file string) float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-of", "json", "-show_entries", "format=duration:stream=codec_name", file).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", file, err)
	}
	var p struct {
		Format  struct{ Duration string }
		Streams []struct {
			CodecName string `json:"codec_name"`
		}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Streams) != 1 || p.Streams[0].CodecName != "h264" {
		t.Fatalf("%s: streams %+v, want one H.264 stream", file, p.Streams)
	}
	d, err := strconv.ParseFloat(p.Format.Duration, 64)
	if err != nil {
		t.Fatalf("%s: duration %q: %v", file, p.Format.Duration, err)
	}
	return d
}

// clipFrame decodes the frame at sec seconds into a clip with ffmpeg.
func clipFrame(t *testing.T, file string, sec float64) *image.RGBA {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", file, "-ss", strconv.FormatFloat(sec, 'f', 2, 64),
		"-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg %s: %v", file, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(img.Bounds())
	for y := out.Rect.Min.Y; y < out.Rect.Max.Y; y++ {
		for x := out.Rect.Min.X; x < out.Rect.Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}
