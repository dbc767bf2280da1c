package ui

import (
	"testing"
	"time"
)

// uiLoop makes the test goroutine the one UI goroutine: what the code
// hands to the UI (toUI) queues here and runs only when the test pumps
// the loop, while runAsync's work runs on real goroutines. Fyne's test
// driver would run it on whichever goroutine called fyne.Do.
type uiLoop struct{ q chan func() }

func newUILoop(t *testing.T) *uiLoop {
	t.Helper()
	l := &uiLoop{q: make(chan func(), 4096)}
	post := func(f func()) { l.q <- f }
	uiHook.Store(&post)
	runInline = false
	t.Cleanup(func() {
		uiHook.Store(&dropUI)
		runInline = true
	})
	return l
}

// until runs queued UI work until cond holds, and fails the test after
// timeout. cond runs on the test goroutine, between UI work.
func (l *uiLoop) until(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		select {
		case f := <-l.q:
			f()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
