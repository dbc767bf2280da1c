package camsim

import (
	"context"
	"encoding/json"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func startSim(t *testing.T, cfg Config) *Sim {
	t.Helper()
	if cfg.MotionEvery == 0 {
		cfg.MotionEvery = -1
	}
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is required (packaging/install-deps.sh installs it): %v", name, err)
	}
	return p
}

func withCreds(t *testing.T, uri, user, pass string) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("parse %q: %v", uri, err)
	}
	u.User = url.UserPassword(user, pass)
	return u.String()
}

type probeStream struct {
	CodecName    string `json:"codec_name"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	RFrameRate   string `json:"r_frame_rate"`
	AvgFrameRate string `json:"avg_frame_rate"`
}

func ffprobe(t *testing.T, uri, transport string) (probeStream, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, requireTool(t, "ffprobe"), "-v", "error", "-rtsp_transport", transport,
		"-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,r_frame_rate,avg_frame_rate",
		"-of", "json", uri).Output()
	if err != nil {
		return probeStream{}, err
	}
	var res struct{ Streams []probeStream }
	if err := json.Unmarshal(out, &res); err != nil || len(res.Streams) != 1 {
		return probeStream{}, err
	}
	return res.Streams[0], nil
}

// TestFFprobeReadsEveryStream has ffprobe, a client we did not write, read
// both streams of every camera over TCP and UDP with digest auth.
func TestFFprobeReadsEveryStream(t *testing.T) {
	s := startSim(t, Config{Cameras: 2})
	want := map[string]probeStream{
		Main: {CodecName: "h264", Width: 1280, Height: 720, RFrameRate: "25/1"},
		Sub:  {CodecName: "h264", Width: 640, Height: 360, RFrameRate: "15/1"},
	}
	var wg sync.WaitGroup
	for _, cam := range s.Cameras() {
		for kind, w := range want {
			for _, transport := range []string{"tcp", "udp"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got, err := ffprobe(t, withCreds(t, cam.StreamURI(kind), "admin", "admin"), transport)
					if err != nil {
						t.Errorf("%s %s over %s: %v", cam.Name, kind, transport, err)
						return
					}
					if got.CodecName != w.CodecName || got.Width != w.Width || got.Height != w.Height || got.RFrameRate != w.RFrameRate {
						t.Errorf("%s %s over %s: got %+v, want %+v", cam.Name, kind, transport, got, w)
					}
				}()
			}
		}
	}
	wg.Wait()
}

func TestRTSPRejectsWrongPassword(t *testing.T) {
	s := startSim(t, Config{Cameras: 1})
	cam := s.Cameras()[0]
	if _, err := ffprobe(t, withCreds(t, cam.StreamURI(Main), "admin", "wrong"), "tcp"); err == nil {
		t.Fatal("ffprobe read the stream with a wrong password")
	}
	if _, err := ffprobe(t, cam.StreamURI(Main), "tcp"); err == nil {
		t.Fatal("ffprobe read the stream without credentials")
	}
}

// TestLoopTimestampsMonotonic reads the sub stream across more than three
// clip loops (2 s each) and checks that every packet's time goes up by one
// frame.
func TestLoopTimestampsMonotonic(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, requireTool(t, "ffprobe"), "-v", "error", "-rtsp_transport", "tcp",
		"-read_intervals", "%+7", "-select_streams", "v:0", "-show_entries", "packet=pts,flags", "-of", "csv=p=0",
		s.Cameras()[0].StreamURI(Sub)).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var pts []int64
	keys := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if f[0] == "" {
			continue
		}
		if f[0] == "N/A" && len(pts) == 0 {
			continue // ffmpeg has no time base until the first RTCP sender report
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			t.Fatalf("bad line %q", line)
		}
		pts = append(pts, v)
		if len(f) > 1 && strings.Contains(f[1], "K") {
			keys++
		}
	}
	// 15 fps over ≥ 6 s is ≥ 90 frames: more than 3 loops of 30 frames.
	if len(pts) < 90 {
		t.Fatalf("only %d packets in 7 s", len(pts))
	}
	step := pts[1] - pts[0]
	if step <= 0 {
		t.Fatalf("first step %d", step)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i]-pts[i-1] != step {
			t.Fatalf("packet %d: pts %d after %d, want step %d (loop at %d frames)", i, pts[i], pts[i-1], step, 30)
		}
	}
	if keys < 6 {
		t.Fatalf("only %d keyframes in %d packets: GOP should be 15", keys, len(pts))
	}
}
