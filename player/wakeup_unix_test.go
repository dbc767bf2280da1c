//go:build unix

package player

import (
	"testing"
	"time"

	mpv "github.com/gen2brain/go-mpv"
)

// TestWaitEventUsesGoPoller checks that an idle wait happens in Go's
// poller (a pollable wakeup file) and ends with EventNone at its timeout,
// and that Close ends a wait in progress.
func TestWaitEventUsesGoPoller(t *testing.T) {
	c, err := NewCore(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.wake == nil {
		t.Fatal("no wakeup file: WaitEvent would block inside libmpv")
	}
	if err := c.wake.SetReadDeadline(time.Time{}); err != nil {
		t.Fatalf("wakeup file is not pollable: %v", err)
	}
	// Start-up events come first; then a wait must time out empty.
	timedOut := false
	for range 50 {
		if ev := c.WaitEvent(0.1); ev.EventID == mpv.EventNone {
			timedOut = true
			break
		}
	}
	if !timedOut {
		t.Fatal("an idle WaitEvent never timed out with EventNone")
	}
	done := make(chan struct{})
	go func() {
		for c.WaitEvent(30) != nil {
		}
		close(done)
	}()
	time.Sleep(100 * time.Millisecond)
	c.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("WaitEvent did not return after Close")
	}
}
