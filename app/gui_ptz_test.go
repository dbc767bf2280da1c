package app

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
)

// TestPTZCommandsAfterCloseAreDropped moves a simulated PTZ camera, closes
// its control as the app does at shutdown, and then sends what a pad's
// late stop timer would: the commands are dropped (they used to be a send
// on a closed channel, a panic) and the camera was stopped by close.
func TestPTZCommandsAfterCloseAreDropped(t *testing.T) {
	s := startCamsim(t, camsim.Config{Cameras: 1, User: "op", Pass: "ptz-test-pw"})
	sc := s.Cameras()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := ProbeCamera(ctx, sc.DeviceURL(), "op", "ptz-test-pw")
	if err != nil {
		t.Fatalf("probe the simulated camera: %v", err)
	}
	cam := catalog.Camera{Username: "op"}
	fillFromProbe(&cam, res)
	if !cam.PTZ {
		t.Fatal("the simulated camera has no PTZ")
	}
	p := newPTZControl(cam, "ptz-test-pw", slog.New(slog.NewTextHandler(io.Discard, nil)))
	// pan reads the simulator's own head; a camera without a head fails
	// the test rather than reading as "holds still".
	pan := func() float64 {
		t.Helper()
		p, _, _, ok := sc.Position()
		if !ok {
			t.Fatal("the simulated camera reports no PTZ position")
		}
		return p
	}
	pan0 := pan()
	p.Move(1, 0, 0)
	testwait.Until(t, 10*time.Second, "the camera pans", func() bool {
		return pan() != pan0
	})
	p.close()
	p.Stop()
	p.Move(1, 0, 0)
	p.Home()
	// close sent a stop: the camera holds its position. The simulator
	// moves at its own speed; 300 ms shows whether it still pans.
	a := pan()
	time.Sleep(300 * time.Millisecond)
	if b := pan(); b != a {
		t.Fatalf("camera still pans after close: %v then %v", a, b)
	}
}

// TestPTZQueueNeverBlocks: a camera that does not answer fills the queue;
// moves collapse into the newest, and a full queue drops commands instead
// of making the caller (the UI goroutine) wait.
func TestPTZQueueNeverBlocks(t *testing.T) {
	p := &ptzControl{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var ran []string
	cmd := func(name string) func(context.Context) { return func(context.Context) { ran = append(ran, name) } }
	p.enqueueLocked(ptzCmd{f: cmd("move1"), move: true})
	p.enqueueLocked(ptzCmd{f: cmd("move2"), move: true})
	if len(p.queue) != 1 {
		t.Fatalf("two waiting moves make %d commands, want 1", len(p.queue))
	}
	p.enqueueLocked(ptzCmd{f: cmd("stop")})
	for range 2 * ptzQueueMax {
		p.enqueueLocked(ptzCmd{f: cmd("preset")})
	}
	if len(p.queue) != ptzQueueMax {
		t.Fatalf("queue holds %d, want at most %d", len(p.queue), ptzQueueMax)
	}
	for _, c := range p.queue {
		c.f(context.Background())
	}
	if ran[0] != "stop" {
		t.Fatalf("a full queue kept %q first, want the stop (the waiting move gives way)", ran[0])
	}
}
