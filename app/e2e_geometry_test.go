package app

import (
	"fmt"
	"image"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The wall's geometry as the screen shows it, not as the ui package
// computes it: the wall is the X11 child window the video goes to (as
// xwininfo, an X client we did not write, lists it), and the tiles are
// found in a screenshot of it.

// wallWindow returns the screen rectangle of the largest nameless child
// window that xwininfo lists: the wall's video surface.
func wallWindow(t *testing.T) (image.Rectangle, bool) {
	t.Helper()
	tree, err := exec.Command("xwininfo", "-root", "-tree").Output()
	if err != nil {
		t.Fatalf("xwininfo: %v", err)
	}
	var best image.Rectangle
	for _, line := range strings.Split(string(tree), "\n") {
		if !strings.Contains(line, "(has no name)") {
			continue
		}
		// "0x… (has no name): ()  896x751+196+44  +196+44": the size and
		// the position relative to the parent, then the absolute position.
		f := strings.Fields(line[strings.Index(line, ")")+1:])
		if len(f) < 3 {
			continue
		}
		var w, h, rx, ry, x, y int
		if _, err := fmt.Sscanf(f[len(f)-2], "%dx%d+%d+%d", &w, &h, &rx, &ry); err != nil {
			continue
		}
		if _, err := fmt.Sscanf(f[len(f)-1], "+%d+%d", &x, &y); err != nil {
			continue
		}
		if r := image.Rect(x, y, x+w, y+h); w*h > best.Dx()*best.Dy() && w > 200 && h > 150 {
			best = r
		}
	}
	return best, !best.Empty()
}

// wallLayout is what a screenshot shows of the wall: the pictures (the
// video inside each tile, without letterbox bars) and the cells the grid
// gives each tile, in reading order.
type wallLayout struct {
	wall     image.Rectangle
	pictures []image.Rectangle
	cells    []image.Rectangle
}

// lit reports whether a pixel belongs to a picture rather than to a black
// bar, a gap or an empty tile (dark grey, 28,30,34).
func lit(img *image.RGBA, x, y int) bool {
	p := img.RGBAAt(x, y)
	return max(p.R, p.G, p.B) > 48
}

// runs returns the stretches [a, b) of 0..n where on holds, longer than min.
func runs(n, min int, on func(i int) bool) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= n; i++ {
		if i < n && on(i) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= min {
			out = append(out, [2]int{start, i})
		}
		start = -1
	}
	return out
}

// layoutOf finds the pictures in shot within wall: the columns and rows of
// the wall that are mostly lit. Between two pictures the cell border lies
// half-way across the dark run (gap and letterbox bars) that parts them.
func layoutOf(shot *image.RGBA, wall image.Rectangle) wallLayout {
	share := func(n, of int) bool { return n*2 > of }
	cols := runs(wall.Dx(), 20, func(i int) bool {
		n := 0
		for y := wall.Min.Y; y < wall.Max.Y; y++ {
			if lit(shot, wall.Min.X+i, y) {
				n++
			}
		}
		// Letterbox bars and a row of empty tiles may leave a column lit
		// for only a third of its height.
		return n*4 > wall.Dy()
	})
	rows := runs(wall.Dy(), 20, func(i int) bool {
		n := 0
		for x := wall.Min.X; x < wall.Max.X; x++ {
			if lit(shot, x, wall.Min.Y+i) {
				n++
			}
		}
		return share(n, wall.Dx())
	})
	edges := func(rs [][2]int, lo, size int) []int {
		e := []int{lo}
		for i := 1; i < len(rs); i++ {
			e = append(e, lo+(rs[i-1][1]+rs[i][0])/2)
		}
		return append(e, lo+size)
	}
	xe, ye := edges(cols, wall.Min.X, wall.Dx()), edges(rows, wall.Min.Y, wall.Dy())
	l := wallLayout{wall: wall}
	for j, r := range rows {
		for i, c := range cols {
			l.pictures = append(l.pictures, image.Rect(wall.Min.X+c[0], wall.Min.Y+r[0], wall.Min.X+c[1], wall.Min.Y+r[1]))
			l.cells = append(l.cells, image.Rect(xe[i], ye[j], xe[i+1], ye[j+1]))
		}
	}
	return l
}

// waitForWall waits until the wall's surface shows at least n pictures and
// returns the layout and the screenshot it was read from.
func waitForWall(t *testing.T, n int, within time.Duration, out fmt.Stringer) (wallLayout, *image.RGBA) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		shot := screenshot(t)
		if wall, ok := wallWindow(t); ok {
			if l := layoutOf(shot, wall); len(l.pictures) >= n && allTilesPictured(shot, l.samples()) {
				return l, shot
			}
		}
		if time.Now().After(deadline) {
			p := saveArtifact(t, "wall-timeout.png", shot)
			t.Fatalf("no wall of %d pictures on an X11 surface after %v (%s); output:\n%s", n, within, p, out)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// samples returns the middle of each picture, away from labels and edges.
func (l wallLayout) samples() []image.Rectangle {
	var out []image.Rectangle
	for _, r := range l.pictures {
		out = append(out, image.Rect(r.Min.X+r.Dx()/5, r.Min.Y+r.Dy()/5, r.Max.X-r.Dx()/5, r.Max.Y-r.Dy()/5))
	}
	return out
}

// centre is the middle of r.
func centre(r image.Rectangle) image.Point {
	return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}
