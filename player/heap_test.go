package player

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"nightjar/internal/testwait"
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
	testwait.Until(t, 5*time.Second, "a trim after the settle time", func() bool { return trims.Load() == 1 })

	h.remove() // one core left: a trim soon, the goroutine stays
	testwait.Until(t, 5*time.Second, "a trim after a core closed", func() bool { return trims.Load() == 2 })
	h.churned() // still running for the open core
	testwait.Until(t, 5*time.Second, "a trim while one core is open", func() bool { return trims.Load() == 3 })
	h.remove() // the last: trims at once and ends
	testwait.Until(t, 5*time.Second, "a trim when the last core closed", func() bool { return trims.Load() == 4 })
	testwait.Until(t, 5*time.Second, "the trimmer's goroutine to end", func() bool { return runtime.NumGoroutine() <= base })

	h.add() // a new core starts it again
	h.churned()
	testwait.Until(t, 5*time.Second, "a trim from a restarted trimmer", func() bool { return trims.Load() == 5 })
	h.remove()
	testwait.Until(t, 5*time.Second, "the restarted trimmer to end", func() bool { return runtime.NumGoroutine() <= base })
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
