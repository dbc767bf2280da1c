package devices

import (
	"testing"

	"nightjar/devices/onvif"
)

func TestBusDeliversAndNeverBlocks(t *testing.T) {
	var b Bus
	fast, stopFast := b.Subscribe(10)
	slow, stopSlow := b.Subscribe(1)
	for i := 0; i < 3; i++ {
		b.Publish(CameraEvent{CameraID: "c1", Event: onvif.Event{Kind: onvif.EventMotion, State: i%2 == 0}})
	}
	if len(fast) != 3 || len(slow) != 1 {
		t.Fatalf("fast has %d, slow %d", len(fast), len(slow))
	}
	if b.Dropped() != 2 {
		t.Fatalf("dropped %d", b.Dropped())
	}
	stopSlow()
	stopSlow() // twice is fine
	if _, ok := <-slow; !ok {
		t.Fatal("buffered event lost on unsubscribe")
	}
	if _, ok := <-slow; ok {
		t.Fatal("channel not closed")
	}
	b.Publish(CameraEvent{CameraID: "c2"})
	if len(fast) != 4 {
		t.Fatal("remaining subscriber missed an event")
	}
	stopFast()
}
