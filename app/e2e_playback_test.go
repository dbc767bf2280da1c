package app

import (
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
)

// The Playback page's colours (ui/timeline.go): a recorded run, and the
// lane where there is none.
var (
	laneRun = [3]uint8{0x2e, 0xa0, 0x5a}
)

// lane is one camera's lane on the timeline as a screenshot shows it: the
// row through its middle and the recorded stretches on that row.
type lane struct {
	y    int
	runs [][2]int // x ranges of run colour
}

// lanesOf finds the timeline's lanes below top: rows where the run colour
// covers at least 20 pixels, grouped into bands, each read along its middle.
func lanesOf(img *image.RGBA, top int) []lane {
	b := img.Bounds()
	isRun := func(x, y int) bool {
		p := img.RGBAAt(x, y)
		return absDiff(p.R, laneRun[0]) <= 6 && absDiff(p.G, laneRun[1]) <= 6 && absDiff(p.B, laneRun[2]) <= 6
	}
	rows := runs(b.Dy()-top, 3, func(i int) bool {
		n := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if isRun(x, top+i) {
				n++
			}
		}
		return n >= 20
	})
	var out []lane
	for _, r := range rows {
		y := top + (r[0]+r[1])/2
		// A playhead or a tick line crossing a run must not split it:
		// stretches apart by less than 4 px are one.
		var rs [][2]int
		for _, s := range runs(b.Dx(), 2, func(x int) bool { return isRun(x, y) }) {
			if n := len(rs); n > 0 && s[0]-rs[n-1][1] < 4 {
				rs[n-1][1] = s[1]
				continue
			}
			rs = append(rs, s)
		}
		out = append(out, lane{y: y, runs: rs})
	}
	return out
}

// pressUntilTimelineMoves presses key n times, each time waiting until
// the ruler and lanes (the band below the screen's middle) change, and
// pressing it again if they do not: on a loaded machine a key sent while
// the app is busy can be lost, as it would be for a person, who would
// press again.
func pressUntilTimelineMoves(t *testing.T, key string, n int) {
	t.Helper()
	prev := screenshot(t)
	band := image.Rect(0, prev.Bounds().Dy()/2-40, prev.Bounds().Dx(), prev.Bounds().Dy()/2+100)
	for done, tries := 0, 0; done < n; tries++ {
		if tries == 3*n {
			t.Fatalf("%d presses of %s moved the timeline %d times, want %d", tries, key, done, n)
		}
		xdo(t, "key", key)
		for wait := time.Now().Add(6 * time.Second); time.Now().Before(wait); {
			time.Sleep(150 * time.Millisecond)
			shot := screenshot(t)
			if changedPixels(prev, shot, band) > 0 {
				prev = shot
				done++
				break
			}
		}
	}
}

// TestE2EPlaybackTimelinePlaysAndSyncs records four cameras with an
// outage in the middle, then drives the Playback page as a guard would:
// the timeline shows two runs with a gap between on every camera, a
// click on the second run plays it, and the four cameras play side by
// side on one playhead.
func TestE2EPlaybackTimelinePlaysAndSyncs(t *testing.T) {
	requireDisplay(t)
	sim, err := camsim.Start(camsim.Config{Cameras: 4, NoAuth: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	dir := t.TempDir()
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		addSimCamera(t, db, sim, i, catalog.RecordContinuous)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // registered first, so it runs after the app stopped
		if t.Failed() {
			b, err := os.ReadFile(filepath.Join(dir, "logs", "nightjar.log"))
			if err != nil {
				t.Logf("read the app's log: %v", err)
				return
			}
			t.Logf("the app's log:\n%s", lastLines(string(b), 60))
		}
	})
	_, out := startApp(t, "--data-dir", dir, "--log-level", "debug")
	waitForWall(t, 4, 60*time.Second, out)

	// About 25 s of footage, a 10 s outage of every camera, then footage
	// again once ingest has reconnected (its retries come at 1, 3, 7 and
	// 15 s) and a few seconds more.
	time.Sleep(25 * time.Second)
	outage := time.Now()
	for _, c := range sim.Cameras() {
		c.Stall(10 * time.Second)
	}
	time.Sleep(40 * time.Second)

	xdo(t, "key", "ctrl+p")
	time.Sleep(2 * time.Second)
	for _, k := range []string{"2", "3", "4"} { // tick the other cameras
		xdo(t, "key", k)
	}
	// Type a moment in the first run, then zoom in about it, so that
	// the ten-second gap is wide on screen.
	xdo(t, "key", "t")
	time.Sleep(500 * time.Millisecond)
	xdo(t, "type", outage.Add(-15*time.Second).Local().Format("2006-01-02 15:04:05"))
	xdo(t, "key", "Return")
	xdo(t, "mousemove", "10", "10") // off the timeline, whose hover shows thumbnails
	time.Sleep(3 * time.Second)
	// 0.8 of the span each: an hour becomes about 4 minutes.
	pressUntilTimelineMoves(t, "plus", 12)
	var lanes, before []lane
	var shot *image.RGBA
	deadline := time.Now().Add(20 * time.Second)
	for {
		shot = screenshot(t)
		lanes = lanesOf(shot, shot.Bounds().Dy()/2)
		ok := len(lanes) == 4
		for _, l := range lanes {
			ok = ok && len(l.runs) == 2
		}
		// The zoom keys may still be on their way: measure once two
		// screenshots in a row agree.
		if ok && fmt.Sprint(lanes) == fmt.Sprint(before) {
			break
		}
		before = lanes
		if time.Now().After(deadline) {
			p := saveArtifact(t, "playback-timeline.png", shot)
			t.Fatalf("want 4 lanes each with two runs and a gap, the screen shows %+v (%s)", lanes, p)
		}
		time.Sleep(500 * time.Millisecond)
	}
	saveArtifact(t, "playback-timeline.png", shot)
	for i, l := range lanes {
		gap := l.runs[1][0] - l.runs[0][1]
		// The lane shows about 4 minutes; the outage is at least 10 s
		// of it.
		if gap < 20 {
			t.Errorf("lane %d: the gap is %d px wide, want a visible gap: %+v", i+1, gap, l.runs)
		}
	}

	// A click on the first run plays from there.
	first := lanes[0].runs[0]
	x := first[0] + (first[1]-first[0])/3
	xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(lanes[0].y), "click", "1")
	tiles := playbackTiles(t, lanes[0].y)
	time.Sleep(2 * time.Second)
	a := screenshot(t)
	time.Sleep(1500 * time.Millisecond)
	b := screenshot(t)
	saveArtifact(t, "playback-synced-a.png", a)
	saveArtifact(t, "playback-synced-b.png", b)
	for i, r := range tiles {
		if n := distinctColours(crop(b, r), 50); n < 10 {
			t.Errorf("tile %d: only %d colours: no picture (%v)", i+1, n, r)
		}
		if d := changedPixels(a, b, r); d < r.Dx()*r.Dy()/200 {
			t.Errorf("tile %d: only %d pixels changed in 1.5 s: not playing (%v)", i+1, d, r)
		}
	}
}

// playbackTiles finds the Playback page's four tiles: the lit area above
// the timeline and right of the side panel, split into a 2×2 grid.
func playbackTiles(t *testing.T, laneY int) []image.Rectangle {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		shot := screenshot(t)
		b := shot.Bounds()
		area := image.Rect(b.Dx()/4, 0, b.Max.X, laneY-40)
		cols := runs(area.Dx(), 40, func(i int) bool {
			n := 0
			for y := area.Min.Y; y < area.Max.Y; y++ {
				if lit(shot, area.Min.X+i, y) {
					n++
				}
			}
			return n*3 > area.Dy()
		})
		rows := runs(area.Dy(), 40, func(i int) bool {
			n := 0
			for x := area.Min.X; x < area.Max.X; x++ {
				if lit(shot, x, area.Min.Y+i) {
					n++
				}
			}
			return n*3 > area.Dx()
		})
		if len(cols) == 2 && len(rows) == 2 {
			var out []image.Rectangle
			for _, r := range rows {
				for _, c := range cols {
					out = append(out, image.Rect(area.Min.X+c[0], area.Min.Y+r[0], area.Min.X+c[1], area.Min.Y+r[1]))
				}
			}
			return out
		}
		if time.Now().After(deadline) {
			p := saveArtifact(t, "playback-tiles.png", shot)
			t.Fatalf("want four playing tiles in a 2×2 grid above the timeline, found columns %v rows %v (%s)", cols, rows, p)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
