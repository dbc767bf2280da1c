package app

import (
	"testing"
	"time"

	"nightjar/internal/testwait"
)

// TestPreRollChangesWhileRecorderRuns changes a camera's record settings,
// as the Recording dialog does, again and again while its recorder takes
// frames into the pre-roll ring (run with -race: the pre-roll was written
// under no lock the ring reads it under). The last pre-roll set must then
// be what the next event's footage starts with.
func TestPreRollChangesWhileRecorderRuns(t *testing.T) {
	t.Parallel()
	g := startEventRig(t, time.Second, nil)
	cam, err := g.a.DB.Camera(g.id)
	if err != nil {
		t.Fatal(err)
	}
	const want = 6 * time.Second
	for i := 0; i < 40; i++ {
		cam.Record.PreRoll = []time.Duration{time.Second, 3 * time.Second}[i%2]
		if i == 39 {
			cam.Record.PreRoll = want
		}
		g.r.apply(cam)
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(want + 2*time.Second) // the longer ring fills
	on := g.motionOn(t)
	g.cam.TriggerMotion(false)
	testwait.Until(t, evPost+10*time.Second, "the post-roll to stop recording", func() bool { return !g.r.Recording(g.id) })
	rows := g.segments(t)
	if len(rows) != 1 {
		t.Fatalf("want one segment, got %+v", rows)
	}
	// The ring starts on the keyframe (camsim: one a second) that covers
	// the pre-roll; the event reaches the recorder a little after "on".
	lead := on.Sub(rows[0].Start)
	if lead < want-time.Second || lead > want+2*time.Second {
		t.Errorf("footage starts %v before the motion; the pre-roll set last is %v (1 s margin below, a GOP and 1 s above)", lead.Round(time.Millisecond), want)
	}
}
