package app

import (
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/zones"
	"nightjar/storage/catalog"
)

// The zone of TestE2EMasksHoldOnTheWall, normalized x, y, w, h.
var wallZone = [4]float64{0.55, 0.3, 0.3, 0.4}

// checkWallZone checks what the screen shows of a 16:9 picture whose
// left, right and bottom edges pic gives (the picture's top is camsim's
// dark band, which the layout finder cannot see): the zone is a fillColour
// box where the zone maps, within 2 px, filled wholly, and no other
// pixel of the screen is fillColour.
func checkWallZone(t *testing.T, what string, shot *image.RGBA, pic image.Rectangle) {
	t.Helper()
	if msg := wallZoneProblem(t, what, shot, pic); msg != "" {
		t.Fatal(msg)
	}
}

// wallZoneProblem is checkWallZone's verdict: "" when the zone holds, else
// what is wrong (with the screenshot saved).
func wallZoneProblem(t *testing.T, what string, shot *image.RGBA, pic image.Rectangle) string {
	t.Helper()
	w := float64(pic.Dx())
	h := w * 9 / 16
	top := float64(pic.Max.Y) - h
	want := image.Rect(pic.Min.X+int(wallZone[0]*w+0.5), int(top+wallZone[1]*h+0.5),
		pic.Min.X+int((wallZone[0]+wallZone[2])*w+0.5), int(top+(wallZone[1]+wallZone[3])*h+0.5))
	got := image.Rectangle{}
	for y := shot.Rect.Min.Y; y < shot.Rect.Max.Y; y++ {
		for x := shot.Rect.Min.X; x < shot.Rect.Max.X; x++ {
			if shot.RGBAAt(x, y) == fillColour {
				got = got.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	near := func(a, b int) bool { return a-b <= 2 && b-a <= 2 }
	if !near(got.Min.X, want.Min.X) || !near(got.Min.Y, want.Min.Y) || !near(got.Max.X, want.Max.X) || !near(got.Max.Y, want.Max.Y) {
		p := saveArtifact(t, "masks-"+strings.ReplaceAll(what, " ", "-")+".png", shot)
		return fmt.Sprintf("%s: the fill colour covers %v of the screen, want the zone at %v (picture %v; %s)", what, got, want, pic, p)
	}
	inner := got.Inset(1)
	for y := inner.Min.Y; y < inner.Max.Y; y++ {
		for x := inner.Min.X; x < inner.Max.X; x++ {
			if c := shot.RGBAAt(x, y); c != fillColour {
				p := saveArtifact(t, "masks-hole.png", shot)
				return fmt.Sprintf("%s: pixel %d,%d inside the zone shows %v (%s)", what, x, y, c, p)
			}
		}
	}
	// The picture around the zone still shows the scene.
	left := image.Rect(pic.Min.X+pic.Dx()/20, got.Min.Y, got.Min.X-4, got.Max.Y)
	if n := distinctColours(crop(shot, left), 50); n < 10 {
		return fmt.Sprintf("%s: the picture left of the zone has only %d colours", what, n)
	}
	return ""
}

// TestE2EMasksHoldOnTheWall puts a fillColour zone on one of two cameras
// and checks the screen as a person sees it: the zone holds on the
// wall's sub stream, on the main stream once the tile fills the wall,
// and in a second wall window; the other camera shows no fillColour.
func TestE2EMasksHoldOnTheWall(t *testing.T) {
	requireDisplay(t)
	sim, err := camsim.Start(camsim.Config{Cameras: 2, NoAuth: true, MotionEvery: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	dir := t.TempDir()
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	addSimCamera(t, db, sim, 1, catalog.RecordOff)
	cam, err := db.Camera(id)
	if err != nil {
		t.Fatal(err)
	}
	cam.Zones = []zones.Zone{{ID: "z1", Name: "Window", Kind: zones.Permanent, Fill: zones.Fill{Color: fillColour},
		Points: zones.Rect(wallZone[0], wallZone[1], wallZone[2], wallZone[3])}}
	if err := db.PutCamera(cam); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, out := startApp(t, "--data-dir", dir, "--log-level", "debug")
	// Zones hold from a stream's first frame, so the first screenshot
	// with every tile pictured is checked.
	l, shot := waitForWall(t, 2, 60*time.Second, out)
	checkWallZone(t, "sub stream", shot, l.pictures[0])

	// Fill the wall with the masked camera: its main stream.
	c := centre(l.pictures[0])
	xdo(t, "mousemove", fmt.Sprint(c.X), fmt.Sprint(c.Y), "click", "1")
	time.Sleep(600 * time.Millisecond)
	xdo(t, "key", "Return")
	logPath := filepath.Join(dir, "logs", "nightjar.log")
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(logPath)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "wall main stream shown") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the main stream did not show within 30 s; log:\n%s", lastLines(string(b), 30))
		}
		time.Sleep(300 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	full, fullShot := waitForWall(t, 1, 10*time.Second, out)
	if full.pictures[0].Dx() < l.pictures[0].Dx()*3/2 {
		t.Fatalf("the filled tile is %v, no larger than the tile %v", full.pictures[0], l.pictures[0])
	}
	checkWallZone(t, "main stream filling the wall", fullShot, full.pictures[0])
	xdo(t, "key", "Escape")
	time.Sleep(time.Second)

	// A second wall window, for another monitor.
	xdo(t, "key", "ctrl+n")
	var second image.Rectangle
	last := "no wall seen"
	deadline = time.Now().Add(20 * time.Second)
	for {
		info, err := exec.Command("xwininfo", "-name", "Nightjar wall").Output()
		if err == nil {
			var x, y, w, h int
			for _, line := range strings.Split(string(info), "\n") {
				f := strings.TrimSpace(line)
				fmt.Sscanf(f, "Absolute upper-left X: %d", &x)
				fmt.Sscanf(f, "Absolute upper-left Y: %d", &y)
				fmt.Sscanf(f, "Width: %d", &w)
				fmt.Sscanf(f, "Height: %d", &h)
			}
			second = image.Rect(x, y, x+w, y+h)
			if w > 200 {
				shot := screenshot(t)
				// The new window's wall settles over a few frames: the
				// verdict is the first one that holds, or the last.
				if sl := layoutOf(shot, second); len(sl.pictures) >= 2 && allTilesPictured(shot, sl.samples()) {
					if last = wallZoneProblem(t, "second window", shot, sl.pictures[0]); last == "" {
						break
					}
				}
			}
		}
		if time.Now().After(deadline) {
			p := saveArtifact(t, "masks-second-window.png", screenshot(t))
			t.Fatalf("the zone does not hold in a second wall window within 20 s (window %v, %s): %s", second, p, last)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
