package camsim

import (
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

func TestDropEveryClosesSessions(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	cam := s.Cameras()[0]
	cam.DropEvery(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	err := exec.CommandContext(ctx, requireTool(t, "ffmpeg"), "-v", "error", "-rtsp_transport", "tcp", "-i", cam.StreamURI(Sub),
		"-t", "15", "-f", "null", "-").Run()
	if d := time.Since(start); d > 8*time.Second {
		t.Fatalf("ffmpeg read for %v (err %v): the session was not dropped", d, err)
	}
}
