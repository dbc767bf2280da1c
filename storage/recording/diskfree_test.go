package recording

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// dfAvail asks df, a tool we did not write, for the bytes available on
// path's filesystem.
func dfAvail(t *testing.T, path string) int64 {
	t.Helper()
	out, err := exec.Command("df", "--output=avail", "-B1", path).Output()
	if err != nil {
		t.Fatalf("df %s: %v", path, err)
	}
	lines := strings.Fields(string(out))
	n, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		t.Fatalf("df %s said %q: %v", path, out, err)
	}
	return n
}

// TestFreeSpaceBeforeFirstSegment asks for free space and sweeps before
// the recordings folder exists, as a fresh install's first sweep does.
func TestFreeSpaceBeforeFirstSegment(t *testing.T) {
	fx := newFixture(t)
	if _, err := os.Stat(fx.store.Dir); !os.IsNotExist(err) {
		t.Fatalf("recordings folder exists before any segment: %v", err)
	}
	before := dfAvail(t, fx.dir)
	free, err := fx.store.FreeBytes()
	after := dfAvail(t, fx.dir)
	if err != nil {
		t.Fatalf("free space before the first segment: %v", err)
	}
	// Other processes share the disk: the figure must lie between df's
	// readings taken either side, give or take 64 MiB of their writes.
	const slack = 64 << 20
	if lo, hi := min(before, after)-slack, max(before, after)+slack; free < lo || free > hi {
		t.Fatalf("free space %d, df said %d then %d", free, before, after)
	}
	if _, err := fx.store.Sweep(context.Background(), Policy{}); err != nil {
		t.Fatalf("sweep before the first segment: %v", err)
	}
}
