package ingest

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v5"
	"github.com/bluenviron/gortsplib/v5/pkg/base"
	"github.com/bluenviron/gortsplib/v5/pkg/description"
	"github.com/bluenviron/gortsplib/v5/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"

	"nightjar/internal/testwait"
)

// testCamera serves one RTSP stream with H.265 video, AAC audio and G.711
// audio, like an IP camera with a microphone.
type testCamera struct {
	srv   *gortsplib.Server
	st    *gortsplib.ServerStream
	video *description.Media
	aac   *description.Media
	g711  *description.Media
}

func (c *testCamera) OnDescribe(*gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	return &base.Response{StatusCode: base.StatusOK}, c.st, nil
}

func (c *testCamera) OnSetup(*gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	return &base.Response{StatusCode: base.StatusOK}, c.st, nil
}

func (c *testCamera) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}

var (
	// 320×240 parameter sets from an x265 encode.
	testVPS = mustHex("40010c01ffff0408000003009e0800000300003c959809")
	testSPS = mustHex("4201010408000003009e0800000300003c90014101e2cb2b349265780b7020200040000003004000000303c2")
	testPPS = mustHex("4401c172860c4624")
	aacCfg  = &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 16000, ChannelCount: 1}
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func startTestCamera(t *testing.T, addr string) *testCamera {
	t.Helper()
	c := &testCamera{
		video: &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{&format.H265{PayloadTyp: 96, VPS: testVPS, SPS: testSPS, PPS: testPPS}}},
		aac: &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{&format.MPEG4Audio{
			PayloadTyp: 97, Config: aacCfg, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3}}},
		g711: &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{&format.G711{PayloadTyp: 0, MULaw: true, SampleRate: 8000, ChannelCount: 1}}},
	}
	c.srv = &gortsplib.Server{Handler: c, RTSPAddress: addr}
	if err := c.srv.Start(); err != nil {
		t.Fatal(err)
	}
	c.st = &gortsplib.ServerStream{Server: c.srv, Desc: &description.Session{Medias: []*description.Media{c.video, c.g711, c.aac}}}
	if err := c.st.Initialize(); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *testCamera) close() {
	c.st.Close()
	c.srv.Close()
}

// send streams 15 fps video (an IDR every 15 frames) and AAC until stop.
func (c *testCamera) send(t *testing.T, stop <-chan struct{}) {
	venc, err1 := c.video.Formats[0].(*format.H265).CreateEncoder()
	aenc, err2 := c.aac.Formats[0].(*format.MPEG4Audio).CreateEncoder()
	genc, err3 := c.g711.Formats[0].(*format.G711).CreateEncoder()
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Errorf("test camera encoders: %v", err)
		return
	}
	// write sends one medium's packets; false ends the stream. Writes fail
	// once the camera is closed, which is fine after stop.
	write := func(m *description.Media, pkts []*rtp.Packet, err error, ts uint32) bool {
		if err == nil {
			for _, p := range pkts {
				p.Timestamp = ts
				if err = c.st.WritePacketRTP(m, p); err != nil {
					break
				}
			}
		}
		if err != nil {
			select {
			case <-stop:
			default:
				t.Errorf("test camera: send %s: %v", m.Type, err)
			}
			return false
		}
		return true
	}
	tick := time.NewTicker(time.Second / 15)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		typ := byte(1) // TRAIL_R
		if i%15 == 0 {
			typ = 19 // IDR_W_RADL
		}
		au := [][]byte{{typ << 1, 0x01, 0x80, byte(i), byte(i >> 8)}}
		pkts, err := venc.Encode(au)
		if !write(c.video, pkts, err, uint32(i*6000)) { // 90 kHz
			return
		}
		pkts, err = aenc.Encode([][]byte{{0x21, byte(i)}})
		if !write(c.aac, pkts, err, uint32(i*1066)) {
			return
		}
		pkts, err = genc.Encode(make([]byte, 533))
		if !write(c.g711, pkts, err, uint32(i*533)) {
			return
		}
	}
}

type recorded struct {
	mu     sync.Mutex
	tracks [][]Track
	frames []Frame
	stops  int
}

func (r *recorded) SessionStart(t []Track) {
	r.mu.Lock()
	r.tracks = append(r.tracks, t)
	r.mu.Unlock()
}
func (r *recorded) SessionFrame(f Frame) { r.mu.Lock(); r.frames = append(r.frames, f); r.mu.Unlock() }
func (r *recorded) SessionStop(error)    { r.mu.Lock(); r.stops++; r.mu.Unlock() }

func (r *recorded) snapshot() ([][]Track, []Frame, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]Track(nil), r.tracks...), append([]Frame(nil), r.frames...), r.stops
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestIngestH265AndAACAndReconnect reads H.265 and AAC with no decoding,
// skips G.711, and starts a new session after the camera comes back.
func TestIngestH265AndAACAndReconnect(t *testing.T) {
	addr := freeAddr(t)
	cam := startTestCamera(t, addr)
	stop := make(chan struct{})
	go cam.send(t, stop)

	rec := &recorded{}
	c := &Client{URL: "rtsp://" + addr + "/cam", Handler: rec}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	testwait.Until(t, 10*time.Second, "more than 40 frames", func() bool { _, f, _ := rec.snapshot(); return len(f) > 40 })
	tracks, frames, _ := rec.snapshot()
	if len(tracks) != 1 || len(tracks[0]) != 2 || tracks[0][0].Codec != "h265" || tracks[0][1].Codec != "aac" {
		t.Fatalf("tracks %+v: want h265 and aac, G.711 skipped", tracks)
	}
	if tr := tracks[0][0]; tr.Width != 320 || tr.Height != 240 {
		t.Errorf("size from the SPS: %dx%d", tr.Width, tr.Height)
	}
	if p := tracks[0][0].Params; len(p) != 3 || !bytes.Equal(p[0], testVPS) || !bytes.Equal(p[1], testSPS) || !bytes.Equal(p[2], testPPS) {
		t.Errorf("parameter sets %x", p)
	}
	var lastV time.Duration = -1
	video, audio := 0, 0
	for _, f := range frames {
		switch f.Track {
		case 0:
			video++
			if f.PTS <= lastV {
				t.Fatalf("video PTS not increasing: %v after %v", f.PTS, lastV)
			}
			lastV = f.PTS
			if len(f.AU) != 1 || len(f.AU[0]) != 5 {
				t.Fatalf("video AU %x changed in transit", f.AU)
			}
		case 1:
			audio++
			if len(f.AU) != 1 || f.AU[0][0] != 0x21 {
				t.Fatalf("AAC AU %x", f.AU)
			}
		}
	}
	if video < 15 || audio < 15 {
		t.Fatalf("%d video and %d audio frames", video, audio)
	}

	// The camera goes away and comes back on the same address.
	close(stop)
	cam.close()
	testwait.Until(t, 10*time.Second, "the session to end", func() bool { _, _, s := rec.snapshot(); return s == 1 })
	cam = startTestCamera(t, addr)
	defer cam.close()
	stop2 := make(chan struct{})
	defer close(stop2)
	go cam.send(t, stop2)
	testwait.Until(t, 10*time.Second, "a second session", func() bool { tr, _, _ := rec.snapshot(); return len(tr) == 2 })
	if c.Sessions() != 2 {
		t.Errorf("sessions %d, want 2", c.Sessions())
	}
}
