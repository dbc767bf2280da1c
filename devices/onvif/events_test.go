package onvif

import (
	"context"
	"sync"
	"testing"
	"time"

	"nightjar/devices/camsim"
)

// TestWatchEventsSurvivesReboot watches a camera's motion events, reboots
// the camera (which forgets subscriptions) and checks events flow again.
func TestWatchEventsSurvivesReboot(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin", Timeout: 2 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var got []Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.WatchEvents(ctx, WatchOptions{TTL: 6 * time.Second, Wait: 1 * time.Second}, func(e Event) {
			mu.Lock()
			got = append(got, e)
			mu.Unlock()
		})
	}()
	waitFor := func(what string, cond func([]Event) bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			ok := cond(got)
			mu.Unlock()
			if ok {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%s: events %+v", what, got)
	}
	changedMotion := func(state bool, after int) func([]Event) bool {
		return func(es []Event) bool {
			for _, e := range es[min(after, len(es)):] {
				if e.Kind == EventMotion && !e.Initial && e.State == state {
					return true
				}
			}
			return false
		}
	}
	waitFor("initial state", func(es []Event) bool { return len(es) >= 2 && es[0].Initial })
	cam.TriggerMotion(true)
	waitFor("motion start", changedMotion(true, 0))
	// Let the subscription outlive its first TTL: renewal must work.
	time.Sleep(7 * time.Second)
	mu.Lock()
	n := len(got)
	mu.Unlock()
	cam.TriggerMotion(false)
	waitFor("motion stop after renewal", changedMotion(false, n))

	cam.Reboot(time.Second)
	time.Sleep(1500 * time.Millisecond)
	mu.Lock()
	n = len(got)
	mu.Unlock()
	// Keep triggering until the resubscribed watcher sees one.
	stop := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
				cam.TriggerMotion(i%2 == 0)
			}
		}
	}()
	waitFor("motion after reboot", func(es []Event) bool {
		return changedMotion(true, n)(es) || changedMotion(false, n)(es)
	})
	close(stop)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("WatchEvents did not return after cancel")
	}
}

// TestPullWaitsOutALongPoll pulls from a camera that has nothing to say
// for longer than a plain call's timeout: the camera answers with no
// events at the end of the wait, and that is not an error.
func TestPullWaitsOutALongPoll(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	c := &Client{DeviceURL: s.Cameras()[0].DeviceURL(), Username: "admin", Password: "admin"}
	ctx := context.Background()
	pp, err := c.Subscribe(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pp.Unsubscribe(context.Background()) })
	// The first pull returns the properties' starting state at once.
	if evs, err := pp.Pull(ctx, time.Second, 50); err != nil || len(evs) == 0 {
		t.Fatalf("first pull: %d events, %v; want the starting state", len(evs), err)
	}
	// Longer than the 10 s that once cut every quiet long poll off.
	const wait = 11 * time.Second
	start := time.Now()
	evs, err := pp.Pull(ctx, wait, 50)
	if err != nil {
		t.Fatalf("quiet long poll of %v failed after %v: %v", wait, time.Since(start).Round(time.Millisecond), err)
	}
	if len(evs) != 0 {
		t.Fatalf("quiet camera sent %+v", evs)
	}
}
