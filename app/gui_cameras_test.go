package app

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/devices/onvif"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
	"nightjar/ui"
)

// openTestApp opens an App on a temp data dir, without the keyring.
func openTestApp(t *testing.T) *App {
	t.Helper()
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "debug"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestCheckCameraSaysWhy checks that a camera that is not online comes
// back with the reason and a hint, not a bare status.
func TestCheckCameraSaysWhy(t *testing.T) {
	a := openTestApp(t)
	s := startCamsim(t, camsim.Config{Cameras: 1})
	dead := closedPort(t)
	cams := []catalog.Camera{
		{ID: "rtsp-dead", Name: "RTSP dead", MainURI: "rtsp://" + dead + "/main"},
		{ID: "onvif-dead", Name: "ONVIF dead", DeviceURL: "http://" + dead + "/onvif/device_service", Username: "admin"},
		{ID: "wrong-pass", Name: "Wrong pass", DeviceURL: s.Cameras()[0].DeviceURL(), Username: "admin"},
		{ID: "good", Name: "Good", DeviceURL: s.Cameras()[0].DeviceURL(), Username: "admin"},
	}
	for _, c := range cams {
		if err := a.DB.PutCamera(c); err != nil {
			t.Fatal(err)
		}
	}
	// Passwords as the demo keeps them, in memory, so no keyring is needed.
	a.demoPass = map[string]string{"onvif-dead": "admin", "wrong-pass": "not-it", "good": "admin"}
	svc := &guiServices{a}
	for _, tc := range []struct {
		id       string
		status   ui.CameraStatus
		sentinel error
		inMsg    string
	}{
		{"rtsp-dead", ui.StatusOffline, onvif.ErrUnreachable, dead},
		{"onvif-dead", ui.StatusOffline, onvif.ErrUnreachable, dead},
		{"wrong-pass", ui.StatusAuthFailed, onvif.ErrUnauthorized, ""},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		st, err := svc.CheckCamera(ctx, tc.id)
		cancel()
		if st != tc.status {
			t.Errorf("%s: status %q, want %q", tc.id, st, tc.status)
		}
		if !errors.Is(err, tc.sentinel) {
			t.Errorf("%s: error %v, want one that is %v", tc.id, err, tc.sentinel)
			continue
		}
		if !strings.Contains(err.Error(), tc.inMsg) {
			t.Errorf("%s: error %q does not name %q", tc.id, err, tc.inMsg)
		}
		if h := svc.ErrorHint(err); h != onvif.Hint(tc.sentinel) {
			t.Errorf("%s: hint %q, want %q", tc.id, h, onvif.Hint(tc.sentinel))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if st, err := svc.CheckCamera(ctx, "good"); st != ui.StatusOnline || err != nil {
		t.Errorf("working camera: %q, %v", st, err)
	}
}

// TestOpenMainFailureIsNotTheSubStream gives a camera a main stream that
// cannot start and checks that the wall is not handed the sub stream in
// its place, which it would then report as the main stream on screen.
func TestOpenMainFailureIsNotTheSubStream(t *testing.T) {
	a := openTestApp(t)
	s := startCamsim(t, camsim.Config{Cameras: 1})
	cam := catalog.Camera{ID: "cam", Name: "Door", Username: "admin",
		SubURI:  s.Cameras()[0].StreamURI(camsim.Sub),
		MainURI: "rtsp://127.0.0.1:1/%zz", // cannot be parsed, so no player starts
	}
	if err := a.DB.PutCamera(cam); err != nil {
		t.Fatal(err)
	}
	a.demoPass = map[string]string{"cam": "admin"}
	streams := a.openLiveStreams(context.Background())
	if len(streams) != 1 || streams[0].OpenMain == nil {
		t.Fatalf("want one stream with a main stream, got %+v", streams)
	}
	sub := streams[0].Source
	testwait.Until(t, 20*time.Second, "the sub stream to play", func() bool {
		st, _ := sub.State()
		return st == ui.TilePlaying
	})
	m, closeMain := streams[0].OpenMain()
	defer closeMain()
	if m == sub {
		t.Fatal("OpenMain returned the sub stream as the main one")
	}
	if st, _ := m.State(); st == ui.TilePlaying {
		t.Fatal("a main stream that could not start reports playing")
	}
	if m.NewFrame() {
		t.Fatal("a main stream that could not start offers a frame")
	}
}
