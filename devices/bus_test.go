package devices

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"nightjar/devices/onvif"
	"nightjar/internal/testwait"
)

func TestBusDeliversAndNeverBlocks(t *testing.T) {
	var b Bus
	fast, stopFast := b.Subscribe("fast", 10)
	slow, stopSlow := b.Subscribe("slow", 1)
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
	b.Close()
}

// TestBusSummarisesLosses: a subscriber that never drains loses every
// event past its buffer; the log says how many, per subscriber, once per
// period, and Close flushes a period that has not ended.
func TestBusSummarisesLosses(t *testing.T) {
	var out testwait.Buffer
	b := &Bus{Log: slog.New(slog.NewTextHandler(&out, nil)), SummaryEvery: 200 * time.Millisecond}
	_, stopStuck := b.Subscribe("stuck", 4)
	defer stopStuck()
	fast, stopFast := b.Subscribe("fast", 100)
	defer stopFast()
	for i := 0; i < 10; i++ {
		b.Publish(CameraEvent{CameraID: "door", Event: onvif.Event{Kind: onvif.EventMotion, State: i%2 == 0}})
	}
	if len(fast) != 10 {
		t.Fatalf("the subscriber with room got %d of 10", len(fast))
	}
	if out.String() != "" {
		t.Fatalf("summary before the period ended: %s", out.String())
	}
	testwait.Until(t, 5*time.Second, "the loss summary", func() bool { return out.String() != "" })
	got := out.String()
	// 10 published into a buffer of 4: 6 lost, the last an "off".
	for _, want := range []string{"subscriber=stuck", "lost=6", "last_camera=door", "last_state=false"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "subscriber=fast") {
		t.Errorf("summary names a subscriber that lost nothing:\n%s", got)
	}
	if n := strings.Count(got, "\n"); n != 1 {
		t.Errorf("%d summary lines for one period, want 1:\n%s", n, got)
	}

	// A second period: 3 more lost, cut short by Close.
	b.SummaryEvery = time.Hour
	for i := 0; i < 3; i++ {
		b.Publish(CameraEvent{CameraID: "yard", Event: onvif.Event{Kind: onvif.EventMotion, State: true}})
	}
	b.Close()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "lost=3") || !strings.Contains(lines[1], "last_camera=yard") {
		t.Fatalf("Close did not flush the second period's 3 losses:\n%s", out.String())
	}
	if b.Dropped() != 9 {
		t.Fatalf("Dropped = %d, want 9", b.Dropped())
	}
}
