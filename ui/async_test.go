package ui

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"nightjar/internal/uithread"
)

// TestRunAsyncRealRoute runs runAsync as the app does, not inline: the
// work runs off the UI goroutine with a deadline, runAsync returns before
// the work ends, and the result arrives on the UI goroutine.
func TestRunAsyncRealRoute(t *testing.T) {
	loop := newUILoop(t)
	uithread.Enable()
	t.Cleanup(uithread.Disable)
	uithread.Mark() // the test goroutine is the UI goroutine
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	time.AfterFunc(time.Second, free) // a runAsync that waits must not hang the test
	var workDone atomic.Bool
	var deadline time.Time
	var got string
	calls := 0
	runAsync(3*time.Second, func(ctx context.Context) (string, error) {
		uithread.Check("work") // must not count: off the UI goroutine
		deadline, _ = ctx.Deadline()
		<-release
		workDone.Store(true)
		return "row", errors.New("partial")
	}, func(v string, err error) {
		uithread.Check("done") // must count: on the UI goroutine
		calls++
		got = v + ":" + err.Error()
	})
	if workDone.Load() {
		t.Fatal("runAsync waited for the work")
	}
	free()
	loop.until(t, 5*time.Second, "the result", func() bool { return calls > 0 })
	if got != "row:partial" || calls != 1 {
		t.Fatalf("done got %q in %d calls", got, calls)
	}
	if time.Until(deadline) > 3*time.Second || deadline.IsZero() {
		t.Errorf("work's deadline %v is not within the 3 s timeout", deadline)
	}
	v := uithread.Violations()
	if len(v) != 1 || v[0][:4] != "done" {
		t.Fatalf("calls on the UI goroutine %q, want only done's", v)
	}
}

// TestRunAsyncThroughFyneDo takes fyne.Do itself (no test hook): the
// result is delivered once.
func TestRunAsyncThroughFyneDo(t *testing.T) {
	test.NewTempApp(t)
	uiHook.Store(nil)
	runInline = false
	t.Cleanup(func() { uiHook.Store(&dropUI); runInline = true })
	got := make(chan int, 2)
	runAsync(time.Second, func(context.Context) (int, error) { return 7, nil }, func(v int, _ error) { got <- v })
	select {
	case v := <-got:
		if v != 7 {
			t.Fatalf("done got %d", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("fyne.Do never delivered the result")
	}
}
