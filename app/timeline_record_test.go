package app

import (
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
	"nightjar/storage/timeline"
)

// boundaryMargin is added to the timeline's 1 s promise: RTSP delivery
// and scheduling on a loaded 2-core machine under the race detector.
const boundaryMargin = 250 * time.Millisecond

// TestTimelineOfARecordingWithADrop records a camsim camera for three
// minutes with the real keyring, stops its video for 10 s in the middle,
// and builds the timeline from the catalogue: exactly two runs and one
// gap, and each edge of the gap within 1 s of when camsim itself stopped
// and resumed sending (its send log, not anything the recorder noted).
//
// The drop is a Stall: the camera keeps its RTSP server but sends no
// frame, so ingest's stall timeout ends the session and the next one
// gets the first frames after the drop. A Reboot would move the gap's end
// to ingest's reconnect backoff, which is not what this test measures.
func TestTimelineOfARecordingWithADrop(t *testing.T) {
	if testing.Short() {
		t.Skip("records for 3 minutes; runs without -short, as in make test")
	}
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	cam := sim.Cameras()[0]
	id := addSimCamera(t, a.DB, sim, 0, catalog.RecordContinuous)
	began := time.Now()
	r, err := a.startRecorders(recordingOptions{SegmentLength: 30 * time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			r.close()
		}
	})
	time.Sleep(85 * time.Second)
	cam.Stall(10 * time.Second)
	time.Sleep(95 * time.Second)

	// While it records, the last run is the growing segment, ending now.
	before := time.Now()
	live, err := timeline.Build(a.DB, id, began.Add(-time.Minute), before.Add(time.Minute))
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(live.Runs); n == 0 || !live.Runs[n-1].Growing || live.Runs[n-1].To.Before(before) || live.Runs[n-1].To.After(after) {
		t.Fatalf("while recording, the last run is not the growing segment ending now: %+v", live.Runs)
	}
	r.close()
	stopped = true
	end := time.Now()

	outs := cam.Outages(camsim.Main, 5*time.Second)
	if len(outs) != 1 {
		t.Fatalf("camsim's send log has %d outages of the main stream, want the one stall: %+v", len(outs), outs)
	}
	drop := outs[0]
	t.Logf("camsim sent no frame from %v to %v (%v)", drop.LastSent.Format("15:04:05.000"), drop.Resumed.Format("15:04:05.000"), drop.Resumed.Sub(drop.LastSent).Round(time.Millisecond))

	tl, err := timeline.Build(a.DB, id, began.Add(-time.Minute), end.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Runs) != 2 || len(tl.Gaps) != 1 || len(tl.Damaged) != 0 {
		t.Fatalf("want two runs and one gap, got runs %+v, gaps %+v, damaged %+v", tl.Runs, tl.Gaps, tl.Damaged)
	}
	for _, run := range tl.Runs {
		if run.Growing {
			t.Errorf("a run is still growing after the recorder closed: %+v", run)
		}
	}
	g := tl.Gaps[0]
	t.Logf("timeline gap from %v to %v (%v)", g.From.Format("15:04:05.000"), g.To.Format("15:04:05.000"), g.Duration().Round(time.Millisecond))
	limit := time.Second + boundaryMargin
	if d := g.From.Sub(drop.LastSent).Abs(); d > limit {
		t.Errorf("the gap starts %v from camsim's last frame before the drop, want within %v", d, limit)
	}
	if d := g.To.Sub(drop.Resumed).Abs(); d > limit {
		t.Errorf("the gap ends %v from camsim's first frame after the drop, want within %v", d, limit)
	}
	if !tl.Runs[0].To.Equal(g.From) || !tl.Runs[1].From.Equal(g.To) {
		t.Errorf("runs %v–%v and %v–%v do not meet the gap %v–%v", tl.Runs[0].From, tl.Runs[0].To, tl.Runs[1].From, tl.Runs[1].To, g.From, g.To)
	}
}
