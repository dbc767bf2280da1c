package app

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBenchPlaybackPrintsEveryFigure runs 'bench playback' small (one
// camera, 5 s of footage, 2 seeks) and checks its output has every row
// of every table, each with as many cells as its header and every figure
// a finite number. It times nothing: the figures are for people.
func TestBenchPlaybackPrintsEveryFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("records and plays footage for about a minute; runs without -short, as in make test")
	}
	if _, err := exec.LookPath("mpv"); err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") == "" {
			t.Skipf("no mpv for the baseline (%v); 'make test' has it", err)
		}
		t.Fatalf("mpv required: %v", err)
	}
	var out, errOut bytes.Buffer
	if code := benchPlayback([]string{"--cameras", "1", "--record", "5s", "--seeks", "2"}, &out, &errOut); code != exitOK {
		t.Fatalf("bench playback exited %d: %s\n%s", code, errOut.String(), out.String())
	}
	t.Logf("output:\n%s", out.String())
	lines := strings.Split(out.String(), "\n")
	tables := []struct {
		header string
		rows   []string
	}{
		{"seek  ", []string{
			"1 camera, first seek (loads the run)",
			"1 camera",
			"1 synced cameras, first seek (loads the run)",
			"1 synced cameras, all showing the new frame",
		}},
		{"playback  ", []string{"baseline: 1 × mpv", "nightjar: 1 synced players"}},
		{"speed  ", []string{"1x", "2x", "4x", "8x", "16x"}},
		{"thumbnails  ", []string{"every "}},
	}
	for _, tb := range tables {
		h := lineStarting(lines, tb.header)
		if h < 0 {
			t.Errorf("no table with the header %q", tb.header)
			continue
		}
		want := len(benchCells(lines[h]))
		for i, label := range tb.rows {
			if h+1+i >= len(lines) || !strings.HasPrefix(lines[h+1+i], label) {
				t.Errorf("table %q: row %d is not %q", tb.header, i+1, label)
				continue
			}
			cells := benchCells(lines[h+1+i])
			if len(cells) != want {
				t.Errorf("row %q has %d cells, its header %d: %q", label, len(cells), want, cells)
			}
			for _, c := range cells[1:] {
				if !benchFigure(c) {
					t.Errorf("row %q: cell %q is not a figure", label, c)
				}
			}
		}
	}
	// The seek rows count the seeks asked for.
	if i := lineStarting(lines, "1 camera  "); i < 0 || !regexp.MustCompile(`\d+/2 +\d+/2$`).MatchString(lines[i]) {
		t.Errorf("the 1-camera seek row does not count 2 seeks: %q", lines[max(i, 0)])
	}
	for _, line := range []string{"highest speed held: ", "On screen add the wall's", "rounds: "} {
		if lineStarting(lines, line) < 0 {
			t.Errorf("no line starting %q", line)
		}
	}
	if m := regexp.MustCompile(`at 16x it rendered (\S+) frames/s`).FindStringSubmatch(out.String()); m == nil || !benchFigure(m[1]) {
		t.Errorf("no frame rate at 16x: %v", m)
	}
	// The baseline's plaintext is gone from the tmpfs.
	if left, err := filepath.Glob(benchTmpfs + "/nightjar-bench-plain-*"); err != nil || len(left) > 0 {
		t.Errorf("plaintext left on %s: %v %v", benchTmpfs, left, err)
	}
}

func lineStarting(lines []string, prefix string) int {
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return i
		}
	}
	return -1
}

// benchCells splits a tabwriter line (cells padded by 2 or more spaces).
func benchCells(line string) []string {
	return regexp.MustCompile(` {2,}`).Split(strings.TrimSpace(line), -1)
}

// benchFigure reports whether a cell is a figure: a finite number with
// an optional unit, a count "a/b", a range "a–b", yes/no, or "-" for a
// figure that row does not have.
func benchFigure(c string) bool {
	if c == "-" || c == "yes" || c == "no" {
		return true
	}
	finite := func(s string) bool {
		v, err := strconv.ParseFloat(s, 64)
		return err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	for _, sep := range []string{"/", "–"} {
		if a, b, ok := strings.Cut(c, sep); ok {
			return finite(a) && finite(b)
		}
	}
	for _, unit := range []string{" ms", " s", " %", "×"} {
		if s, ok := strings.CutSuffix(c, unit); ok {
			return finite(s)
		}
	}
	return finite(c)
}
