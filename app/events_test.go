package app

import (
	"testing"
	"time"

	"nightjar/devices/onvif"
)

// TestEventsReachBusAndCatalogue runs demo mode (simulated cameras with
// events), triggers motion on one camera and expects the typed event on
// the bus and in the catalogue.
func TestEventsReachBusAndCatalogue(t *testing.T) {
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "debug", demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	events, stop := a.Bus.Subscribe("test", 16)
	defer stop()
	a.startEvents()
	cam := a.Demo.Cameras()[1]
	deadline := time.After(15 * time.Second)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	on := true
	for {
		select {
		case e := <-events:
			if e.Initial {
				continue // the states every camera sends on subscribing
			}
			if e.CameraID != "demo-2" || e.Kind != onvif.EventMotion || e.Initial {
				t.Fatalf("unexpected event %+v", e)
			}
			stored, err := a.DB.Events("demo-2", 10)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; len(stored) == 0 && i < 50; i++ {
				time.Sleep(20 * time.Millisecond)
				if stored, err = a.DB.Events("demo-2", 10); err != nil {
					t.Fatal(err)
				}
			}
			if len(stored) == 0 || stored[0].Kind != "motion" {
				t.Fatalf("catalogue has %+v", stored)
			}
			return
		case <-tick.C:
			// The watcher may not have subscribed yet: keep toggling.
			cam.TriggerMotion(on)
			on = !on
		case <-deadline:
			t.Fatal("no motion event within 15 s")
		}
	}
}
