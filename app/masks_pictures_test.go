package app

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/player"
	"nightjar/storage/catalog"
)

// The zones of TestMasksInSnapshotsAndFrames, as `masks add` takes them.
const (
	testRect     = "0.55,0.3,0.3,0.4"
	testPixelate = "0.05,0.5,0.3,0.4"
)

// fillColour is a zone colour found nowhere in camsim's pictures or in
// Nightjar's chrome.
var fillColour = color.RGBA{0x12, 0x9a, 0x56, 0xff}

// TestMasksInSnapshotsAndFrames adds two zones with the CLI (a solid
// rectangle and a pixelated one), records a few seconds, and checks the
// full-resolution pictures pixel by pixel: the frame `recordings frame`
// writes, a snapshot of the main stream, and one of the sub stream,
// whose zone must cover the same part of the scene within 1 % of the
// frame.
func TestMasksInSnapshotsAndFrames(t *testing.T) {
	if testing.Short() {
		t.Skip("records 4 s with the real binary; runs without -short, as in make test")
	}
	bin := nightjarBinary(t)
	dir, outDir := t.TempDir(), t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	nj := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--data-dir", dir}, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("nightjar %v: %v\n%s", args, err, stderr.String())
		}
		raceFree(t, args[0], stderr.String())
		return stdout.String()
	}
	nj("masks", "add", "--camera", id, "--rect", testRect, "--name", "Neighbour's window", "--fill", "#129a56")
	nj("masks", "add", "--camera", id, "--rect", testPixelate, "--name", "Street", "--fill", "pixelate:16", "--kind", "liftable")
	nj("record", "--camera", id, "--duration", "4s")
	segs := recordingsList(t, bin, dir).Segments
	if len(segs) == 0 {
		t.Fatal("nothing recorded")
	}
	at := segs[0].Start.Add(2 * time.Second)
	out := filepath.Join(outDir, "frame.png")
	nj("recordings", "frame", "--camera", id, "--at", at.Format(time.RFC3339Nano), "--out", out)
	checkMasked(t, "recordings frame", readPNG(t, out))

	a, err := Open(globalFlags{dataDir: dir, logLevel: "info"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path, err := a.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	main := readPNG(t, path)
	checkMasked(t, "main-stream snapshot", main)

	cam, err := a.DB.Camera(id)
	if err != nil {
		t.Fatal(err)
	}
	subURL, err := a.streamURL(cam, cam.SubURI, "", "snapshot")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := player.Snapshot(ctx, subURL, a.masks().live(id))
	if err != nil {
		t.Fatal(err)
	}
	if sub.Bounds().Dx() >= main.Bounds().Dx() {
		t.Fatalf("the sub stream is %v, not smaller than the main stream's %v", sub.Bounds(), main.Bounds())
	}
	checkMasked(t, "sub-stream snapshot", sub)
	mb, sb := colourBounds(main, fillColour), colourBounds(sub, fillColour)
	for i, pair := range [][2]float64{
		{float64(mb.Min.X) / float64(main.Bounds().Dx()), float64(sb.Min.X) / float64(sub.Bounds().Dx())},
		{float64(mb.Max.X) / float64(main.Bounds().Dx()), float64(sb.Max.X) / float64(sub.Bounds().Dx())},
		{float64(mb.Min.Y) / float64(main.Bounds().Dy()), float64(sb.Min.Y) / float64(sub.Bounds().Dy())},
		{float64(mb.Max.Y) / float64(main.Bounds().Dy()), float64(sb.Max.Y) / float64(sub.Bounds().Dy())},
	} {
		if d := pair[0] - pair[1]; d > 0.01 || d < -0.01 {
			t.Errorf("edge %d of the zone lies at %.4f of the main stream but %.4f of the sub stream", i, pair[0], pair[1])
		}
	}
}

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// zoneRect is the pixels a normalized x,y,w,h covers in img, shrunk
// to the ones wholly inside.
func zoneRect(img *image.RGBA, x, y, w, h float64) image.Rectangle {
	W, H := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	ceil := func(v float64) int { return int(v + 0.999999) }
	return image.Rect(ceil(x*W), ceil(y*H), int((x+w)*W), int((y+h)*H))
}

// checkMasked checks a full-resolution picture: the solid zone is all
// fillColour; the pixelated zone is made of 16 px blocks, each one colour,
// and not all the same; outside the zones no pixel is fillColour.
func checkMasked(t *testing.T, what string, img *image.RGBA) {
	t.Helper()
	solid := zoneRect(img, 0.55, 0.3, 0.3, 0.4)
	for y := solid.Min.Y; y < solid.Max.Y; y++ {
		for x := solid.Min.X; x < solid.Max.X; x++ {
			if got := img.RGBAAt(x, y); got != fillColour {
				t.Fatalf("%s: pixel %d,%d inside the zone is %v, want the fill %v", what, x, y, got, fillColour)
			}
		}
	}
	pix := zoneRect(img, 0.05, 0.5, 0.3, 0.4)
	colours := map[color.RGBA]bool{}
	for by := (pix.Min.Y + 15) / 16 * 16; by+16 <= pix.Max.Y; by += 16 {
		for bx := (pix.Min.X + 15) / 16 * 16; bx+16 <= pix.Max.X; bx += 16 {
			c := img.RGBAAt(bx, by)
			colours[c] = true
			for y := by; y < by+16; y++ {
				for x := bx; x < bx+16; x++ {
					if img.RGBAAt(x, y) != c {
						t.Fatalf("%s: block at %d,%d is not one colour: %v at %d,%d, %v at its corner", what, bx, by, img.RGBAAt(x, y), x, y, c)
					}
				}
			}
		}
	}
	if len(colours) < 3 {
		t.Fatalf("%s: the pixelated zone has %d colours: a flat fill, not pixelation", what, len(colours))
	}
	outside := 0
	grown := solid.Inset(-2)
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if !image.Pt(x, y).In(grown) && img.RGBAAt(x, y) == fillColour {
				outside++
			}
		}
	}
	if outside > 0 {
		t.Fatalf("%s: %d fillColour pixels outside the zone", what, outside)
	}
}

// colourBounds is the bounding box of c's pixels in img.
func colourBounds(img *image.RGBA, c color.RGBA) image.Rectangle {
	var r image.Rectangle
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if img.RGBAAt(x, y) == c {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}
