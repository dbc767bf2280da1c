package camsim

import (
	"bufio"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// subPTS reads the sub stream's packet times (90 kHz) for secs seconds
// with ffprobe.
func subPTS(t *testing.T, uri string, secs int) ([]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(secs+20)*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, requireTool(t, "ffprobe"), "-v", "error", "-rtsp_transport", "tcp",
		"-read_intervals", "%+"+strconv.Itoa(secs), "-select_streams", "v:0", "-show_entries", "packet=pts", "-of", "csv=p=0", uri).Output()
	var pts []int64
	for _, l := range strings.Fields(string(out)) {
		if v, err := strconv.ParseInt(strings.Trim(l, ","), 10, 64); err == nil {
			pts = append(pts, v)
		}
	}
	return pts, err
}

func TestStallKeepsSessionButStopsVideo(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	cam := s.Cameras()[0]
	go func() {
		time.Sleep(1500 * time.Millisecond)
		cam.Stall(2 * time.Second)
	}()
	var readersDuringStall atomic.Int32
	go func() {
		time.Sleep(2500 * time.Millisecond)
		readersDuringStall.Store(int32(cam.Readers()))
	}()
	pts, err := subPTS(t, cam.StreamURI(Sub), 5)
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	if n := readersDuringStall.Load(); n != 1 {
		t.Fatalf("session closed during stall: %d readers", n)
	}
	var maxGap int64
	for i := 1; i < len(pts); i++ {
		maxGap = max(maxGap, pts[i]-pts[i-1])
	}
	if maxGap < 90000*3/2 {
		t.Fatalf("no gap of ≥ 1.5 s in %d packets (largest %d ticks)", len(pts), maxGap)
	}
}

// TestDropEveryClosesSessions reads the sub stream with ffmpeg until it
// has frames, then turns on the drops: ffmpeg, asked for 15 s, must stop
// within the 1 s drop interval plus a margin for it to notice (3 s).
func TestDropEveryClosesSessions(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	cam := s.Cameras()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, requireTool(t, "ffmpeg"), "-v", "error", "-rtsp_transport", "tcp", "-i", cam.StreamURI(Sub),
		"-t", "15", "-map", "0:v", "-f", "framecrc", "-")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ffmpeg: %v", err)
	}
	frames := make(chan int, 1024)
	go func() {
		defer close(frames)
		sc := bufio.NewScanner(out)
		for n := 0; sc.Scan(); {
			if !strings.HasPrefix(sc.Text(), "#") {
				n++
				frames <- n
			}
		}
	}()
	select {
	case _, ok := <-frames:
		if !ok {
			cmd.Wait()
			t.Fatalf("ffmpeg read no frame before it ended: %s", stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("no frame from the camera in 30 s")
	}
	cam.DropEvery(time.Second)
	dropped := time.Now()
	for range frames {
	}
	err = cmd.Wait()
	d := time.Since(dropped)
	t.Logf("ffmpeg ended %v after the drops began", d)
	if d > 4*time.Second {
		t.Fatalf("ffmpeg read on for %v after drops began (err %v): the session was not dropped", d, err)
	}
	if n := cam.Readers(); n != 0 {
		t.Errorf("%d sessions still open after the drop", n)
	}
}
