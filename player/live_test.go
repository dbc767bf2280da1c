package player

import (
	"image"
	"net/url"
	"runtime"
	"testing"
	"time"

	"nightjar/devices/camsim"
)

func waitState(t *testing.T, l *Live, want State, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < within {
		if s, _ := l.State(); s == want {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s, _ := l.State()
	t.Fatalf("state %v after %v, want %v", s, within, want)
	return 0
}

// TestLiveAgainstSimulator plays a simulated camera's sub stream, renders
// frames, survives the camera dropping the session and closes cleanly.
func TestLiveAgainstSimulator(t *testing.T) {
	base := runtime.NumGoroutine()
	sim, err := camsim.Start(camsim.Config{Cameras: 1, MotionEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	cam := sim.Cameras()[0]
	u, err := url.Parse(cam.StreamURI(camsim.Sub))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("admin", "admin")
	l, err := NewLive(LiveOptions{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, l, StatePlaying, 10*time.Second)

	img := image.NewRGBA(image.Rect(0, 0, 320, 180))
	frames := 0
	deadline := time.After(5 * time.Second)
	for frames < 10 {
		select {
		case <-l.Frames():
			if err := l.Render(img, img.Bounds()); err != nil {
				t.Fatal(err)
			}
			frames++
		case <-deadline:
			t.Fatalf("only %d frames in 5 s", frames)
		}
	}
	if brightPixels(img, img.Bounds()) < 320*180/4 {
		t.Fatal("rendered frame is dark")
	}

	// Keep rendering, as the wall does, then read the stats.
	stopRender := make(chan struct{})
	go func() {
		buf := image.NewRGBA(image.Rect(0, 0, 320, 180))
		for {
			select {
			case <-stopRender:
				return
			case <-l.Frames():
				l.Render(buf, buf.Bounds())
			}
		}
	}()
	defer close(stopRender)
	time.Sleep(time.Second)
	l.Stats() // opens the measuring window
	time.Sleep(2 * time.Second)
	st := l.Stats()
	if st.Width != 640 || st.Height != 360 || st.Codec == "" || st.FPSIn < 10 || st.FPSIn > 20 {
		t.Fatalf("stats %+v, want 640x360 at about 15 fps", st)
	}

	// The camera stalls without closing: detected within 5 s.
	cam.Stall(0)
	start := time.Now()
	waitState(t, l, StateReconnecting, 10*time.Second)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("stall detected after %v, want ≤ 5 s", d)
	}
	cam.Resume()
	waitState(t, l, StatePlaying, 10*time.Second)

	// The camera drops the session: the player reconnects within 5 s.
	cam.DropSessions()
	waitState(t, l, StateReconnecting, 10*time.Second)
	if d := waitState(t, l, StatePlaying, 10*time.Second); d > 5*time.Second {
		t.Fatalf("recovered after %v, want ≤ 5 s", d)
	}

	l.Close()
	sim.Close()
	deadlineG := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadlineG) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+2 {
		t.Fatalf("goroutines: %d before, %d after Close", base, n)
	}
}
