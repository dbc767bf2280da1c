package player

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestHeapTrimmerTrimsAfterSettlingAndEndsWithTheLastCore(t *testing.T) {
	base := runtime.NumGoroutine()
	var trims atomic.Int32
	h := &heapTrimmer{trim: func() { trims.Add(1) }, settle: 300 * time.Millisecond, every: time.Hour}
	h.add()
	h.add()
	h.churned()
	time.Sleep(100 * time.Millisecond)
	if n := trims.Load(); n != 0 {
		t.Fatalf("trimmed %d times before the start-up settled", n)
	}
	waitFor(t, func() bool { return trims.Load() == 1 }, "a trim after the settle time")

	h.remove() // one core left: a trim soon, the goroutine stays
	waitFor(t, func() bool { return trims.Load() == 2 }, "a trim after a core closed")
	h.churned() // still running for the open core
	waitFor(t, func() bool { return trims.Load() == 3 }, "a trim while one core is open")
	h.remove() // the last: trims at once and ends
	waitFor(t, func() bool { return trims.Load() == 4 }, "a trim when the last core closed")
	waitFor(t, func() bool { return runtime.NumGoroutine() <= base }, "the trimmer's goroutine to end")

	h.add() // a new core starts it again
	h.churned()
	waitFor(t, func() bool { return trims.Load() == 5 }, "a trim from a restarted trimmer")
	h.remove()
	waitFor(t, func() bool { return runtime.NumGoroutine() <= base }, "the restarted trimmer to end")
}

func TestHeapTrimmerWithoutATrimDoesNothing(t *testing.T) {
	base := runtime.NumGoroutine()
	h := &heapTrimmer{settle: time.Millisecond, every: time.Millisecond}
	h.add()
	h.churned()
	h.remove()
	if n := runtime.NumGoroutine(); n > base {
		t.Fatalf("%d goroutines, want at most %d", n, base)
	}
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
