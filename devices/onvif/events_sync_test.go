package onvif

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/testwait"
)

// TestWatchEventsResendsStates: a camera sends motion only when it
// changes, so WatchEvents asks for the states again every SyncEvery. While
// motion stays on, its "on" must come back as an Initialized state within
// SyncEvery plus one Wait, again and again; once it is off, the states say
// off.
func TestWatchEventsResendsStates(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin", Timeout: 2 * time.Second}
	const syncEvery, wait = time.Second, time.Second
	// The promise, plus 1 s for the calls on a loaded machine.
	const within = syncEvery + wait + time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type arrival struct {
		at time.Time
		Event
	}
	var mu sync.Mutex
	var got []arrival
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.WatchEvents(ctx, WatchOptions{Wait: wait, SyncEvery: syncEvery}, func(e Event) {
			mu.Lock()
			got = append(got, arrival{time.Now(), e})
			mu.Unlock()
		})
	}()
	states := func(from time.Time, state bool) []time.Time {
		mu.Lock()
		defer mu.Unlock()
		var out []time.Time
		for _, a := range got {
			if a.Initial && a.Kind == EventMotion && a.State == state && a.Topic == camsim.TopicMotionAlarm && !a.at.Before(from) {
				out = append(out, a.at)
			}
		}
		return out
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(states(time.Time{}, false)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no initial state within 10 s of subscribing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cam.TriggerMotion(true)
	on := time.Now()
	time.Sleep(5 * time.Second)
	confirmed := states(on, true)
	if len(confirmed) < 2 {
		t.Fatalf("motion on for 5 s was re-sent %d times, want at least 2 (every %v + %v)", len(confirmed), syncEvery, wait)
	}
	prev := on
	for _, at := range append(confirmed, time.Now()) {
		if gap := at.Sub(prev); gap > within {
			t.Errorf("motion on went %v without being re-sent, promise %v", gap.Round(time.Millisecond), within)
		}
		prev = at
	}
	cam.TriggerMotion(false)
	off := time.Now()
	time.Sleep(within)
	if n := len(states(off, false)); n == 0 {
		t.Errorf("no off state re-sent within %v of motion ending", within)
	}
	if n := len(states(off.Add(wait), true)); n != 0 {
		t.Errorf("%d on states re-sent after motion ended", n)
	}
	cancel()
	<-done
}

// TestWatchEventsWithoutSync: a camera that refuses SetSynchronizationPoint
// keeps its subscription: WatchEvents says so once and goes on pulling,
// without subscribing again, and changes still arrive.
func TestWatchEventsWithoutSync(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	if err := cam.InjectFault(camsim.FaultNoSync, 0); err != nil {
		t.Fatal(err)
	}
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin", Timeout: 2 * time.Second}
	var logs testwait.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var got []Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.WatchEvents(ctx, WatchOptions{Wait: time.Second, SyncEvery: time.Second, Log: slog.New(slog.NewTextHandler(&logs, nil))}, func(e Event) {
			mu.Lock()
			got = append(got, e)
			mu.Unlock()
		})
	}()
	time.Sleep(4 * time.Second) // several sync periods
	cam.TriggerMotion(true)
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		var initial, changed int
		for _, e := range got {
			if e.Initial {
				initial++
			} else if e.State {
				changed++
			}
		}
		mu.Unlock()
		if changed > 0 {
			// Only the two states of the one subscription.
			if initial != 2 {
				t.Errorf("%d Initialized states, want the 2 of a single subscription", initial)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no motion change within 10 s; log:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	log := logs.String()
	if n := strings.Count(log, "does not send event states again"); n != 1 {
		t.Errorf("the refusal is logged %d times, want once:\n%s", n, log)
	}
	if strings.Contains(log, "subscription failed") {
		t.Errorf("a refused sync made it subscribe again:\n%s", log)
	}
}
