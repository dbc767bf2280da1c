package camsim

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// bandPixels decodes one frame of uri with ffmpeg and returns its name
// band (the top rows) as 8-bit grey.
func bandPixels(t *testing.T, uri string, w, h int) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, requireTool(t, "ffmpeg"), "-v", "error", "-rtsp_transport", "tcp", "-i", uri,
		"-frames:v", "1", "-vf", "crop="+itoa(w)+":"+itoa(h)+":0:0", "-f", "rawvideo", "-pix_fmt", "gray", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg %s: %v", uri, err)
	}
	if len(out) != w*h {
		t.Fatalf("got %d bytes, want %d", len(out), w*h)
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestCamerasAreToldApart decodes frames with ffmpeg: two cameras' name
// bands differ, the band carries dark text on grey, and one camera's band
// changes as its clock ticks.
func TestCamerasAreToldApart(t *testing.T) {
	s := startSim(t, Config{Cameras: 2, NoAuth: true})
	c1, c2 := s.Cameras()[0], s.Cameras()[1]
	for _, kind := range []string{Main, Sub} {
		sp := specs[kind]
		bh := 32
		if kind == Sub {
			bh = 16
		}
		a := bandPixels(t, c1.StreamURI(kind), sp.Width, bh)
		b := bandPixels(t, c2.StreamURI(kind), sp.Width, bh)
		if bytes.Equal(a, b) {
			t.Fatalf("%s: cameras 1 and 2 have the same band", kind)
		}
		dark := 0
		for _, v := range a {
			if v < 60 {
				dark++
			}
		}
		if dark < sp.Width*bh/100 {
			t.Fatalf("%s: band has %d dark (text) pixels", kind, dark)
		}
		time.Sleep(1100 * time.Millisecond)
		later := bandPixels(t, c1.StreamURI(kind), sp.Width, bh)
		if bytes.Equal(a, later) {
			t.Fatalf("%s: the clock in camera 1's band did not move", kind)
		}
	}
}

// TestLatencyMarker: the marker paints the band's right end white in the
// stream, and its send time is noted per stream.
func TestLatencyMarker(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	c := s.Cameras()[0]
	sp := specs[Sub]
	spot := func(band []byte) byte { return band[8*sp.Width+sp.Width-30] } // inside the marker, row 8
	before := spot(bandPixels(t, c.StreamURI(Sub), sp.Width, 16))
	if before > 160 {
		t.Fatalf("marker spot is %d before the marker is on", before)
	}
	c.SetMarker(true)
	time.Sleep(300 * time.Millisecond)
	sent := c.MarkerSent(Sub)
	if sent.IsZero() || time.Since(sent) > time.Second {
		t.Fatalf("marker send time %v", sent)
	}
	if v := spot(bandPixels(t, c.StreamURI(Sub), sp.Width, 16)); v < 220 {
		t.Fatalf("marker spot is %d with the marker on, want white", v)
	}
	c.SetMarker(false)
	time.Sleep(300 * time.Millisecond)
	if v := spot(bandPixels(t, c.StreamURI(Sub), sp.Width, 16)); v > 160 {
		t.Fatalf("marker spot is %d after the marker went off", v)
	}
}
