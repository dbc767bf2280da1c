package onvif

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
)

func startSim(t *testing.T, cfg camsim.Config) *camsim.Sim {
	t.Helper()
	if cfg.MotionEvery == 0 {
		cfg.MotionEvery = -1
	}
	s, err := camsim.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestProbeGoodCredentials(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin"}
	res, err := c.Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Info.Manufacturer != "Nightjar" || !strings.HasPrefix(res.Info.Model, "Camsim") {
		t.Errorf("device info %+v", res.Info)
	}
	if res.Main != "main" || res.Sub != "sub" {
		t.Errorf("picked main %q sub %q", res.Main, res.Sub)
	}
	mainP, ok := res.Profile("main")
	if !ok {
		t.Fatalf("no main profile in %+v", res)
	}
	if mainP.Width != 1280 || mainP.Height != 720 || mainP.FPS != 25 || mainP.StreamURI != cam.StreamURI(camsim.Main) {
		t.Errorf("main profile %+v", mainP)
	}
	if res.SnapshotURI == "" || res.PTZ == nil || !res.PTZ.HomeSupported || !res.Services.PullPoint {
		t.Errorf("probe %+v", res)
	}
	if res.ClockOffset != 0 {
		t.Errorf("clock offset %v on an accurate clock", res.ClockOffset)
	}
}

func TestProbeWrongPassword(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	c := &Client{DeviceURL: s.Cameras()[0].DeviceURL(), Username: "admin", Password: "not-it"}
	_, err := c.Probe(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("want ErrUnauthorized, got %v", err)
	}
	if strings.Contains(err.Error(), "not-it") {
		t.Fatal("error contains the password")
	}
	if Hint(err) == "" {
		t.Fatal("no hint")
	}
}

// TestClockSkew24h: a camera 24 h off still authenticates, because the
// client measures the offset first.
func TestClockSkew24h(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1, ClockOffset: 24 * time.Hour})
	c := &Client{DeviceURL: s.Cameras()[0].DeviceURL(), Username: "admin", Password: "admin"}
	res, err := c.Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := res.ClockOffset - 24*time.Hour; d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("measured offset %v", res.ClockOffset)
	}
	// Without the offset the same camera refuses us: the fault says why.
	c2 := &Client{DeviceURL: c.DeviceURL, Username: "admin", Password: "admin"}
	_, err = c2.DeviceInformation(context.Background())
	if !errors.Is(err, ErrClockSkew) {
		t.Fatalf("unsynced client: want ErrClockSkew, got %v", err)
	}
}

func TestPickStreams(t *testing.T) {
	cases := []struct {
		ps        []Profile
		main, sub string
	}{
		{[]Profile{{Token: "a", Width: 640, Height: 360}, {Token: "b", Width: 1920, Height: 1080}, {Token: "c", Width: 176, Height: 144}}, "b", "a"},
		{[]Profile{{Token: "only", Width: 1280, Height: 720}}, "only", "only"},
		{[]Profile{{Token: "m", Width: 2560, Height: 1440}, {Token: "s1", Width: 1280, Height: 720}, {Token: "s2", Width: 352, Height: 288}}, "m", "s2"},
		{[]Profile{{Token: "m", Width: 1280, Height: 720}, {Token: "tiny", Width: 160, Height: 120}}, "m", "m"},
		{nil, "", ""},
	}
	for _, tc := range cases {
		m, s := PickStreams(tc.ps)
		if m != tc.main || s != tc.sub {
			t.Errorf("%+v: got %s/%s want %s/%s", tc.ps, m, s, tc.main, tc.sub)
		}
	}
}

func TestPTZMovePresetsHome(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin"}
	ctx := context.Background()
	if _, err := c.SyncClock(ctx); err != nil {
		t.Fatal(err)
	}
	p0 := simPan(t, cam)
	if err := c.ContinuousMove(ctx, "main", 0.5, 0, 0, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if st, err := c.Status(ctx, "main"); err != nil || !st.Moving {
		t.Fatalf("status while moving: %+v %v", st, err)
	}
	if err := c.Stop(ctx, "main"); err != nil {
		t.Fatal(err)
	}
	st := status(t, c)
	if st.Moving || st.Pan-p0 < 0.1 {
		t.Fatalf("after stop: %+v (started at %v)", st, p0)
	}
	samePan(t, cam, st.Pan)
	tok, err := c.SetPreset(ctx, "main", "gate", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AbsoluteMove(ctx, "main", -0.9, 0.2, 0.1); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, c)
	if err := c.MoveBy(ctx, "main", 0.2, 0, 0); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, c)
	if pan := simPan(t, cam); math.Abs(pan-(-0.7)) > 0.02 {
		t.Fatalf("MoveBy: pan %v, want -0.7", pan)
	}
	if err := c.GotoPreset(ctx, "main", tok); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, c)
	if pan := simPan(t, cam); math.Abs(pan-st.Pan) > 0.01 {
		t.Fatalf("GotoPreset: pan %v, preset at %v", pan, st.Pan)
	}
	presets, err := c.Presets(ctx, "main")
	if err != nil {
		t.Fatal(err)
	}
	if len(presets) != 1 || presets[0].Name != "gate" {
		t.Fatalf("presets %+v", presets)
	}
	if err := c.RemovePreset(ctx, "main", tok); err != nil {
		t.Fatal(err)
	}
	if err := c.GotoPreset(ctx, "main", tok); err == nil {
		t.Fatal("GotoPreset to a removed preset succeeded")
	}
	if err := c.SetHome(ctx, "main"); err != nil {
		t.Fatal(err)
	}
	// Away from home first, so going home has somewhere to come back from.
	if err := c.AbsoluteMove(ctx, "main", 0.9, 0, 0); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, c)
	if pan := simPan(t, cam); math.Abs(pan-0.9) > 0.01 {
		t.Fatalf("AbsoluteMove to 0.9: the head is at %v", pan)
	}
	if err := c.GotoHome(ctx, "main"); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, c)
	if pan := simPan(t, cam); math.Abs(pan-st.Pan) > 0.01 {
		t.Fatalf("home: pan %v, home set at %v", pan, st.Pan)
	}
	samePan(t, cam, status(t, c).Pan)
}

// status reads the main profile's PTZ status, failing t on error.
func status(t *testing.T, c *Client) PTZStatus {
	t.Helper()
	st, err := c.Status(context.Background(), "main")
	if err != nil {
		t.Fatalf("PTZ status: %v", err)
	}
	return st
}

// simPan is where the simulated head really points, read from camsim
// rather than through the client under test.
func simPan(t *testing.T, cam *camsim.Camera) float64 {
	t.Helper()
	pan, _, _, ok := cam.Position()
	if !ok {
		t.Fatal("camera has no PTZ head")
	}
	return pan
}

// samePan checks the client's reading of the pan agrees with camsim's.
func samePan(t *testing.T, cam *camsim.Camera, got float64) {
	t.Helper()
	if want := simPan(t, cam); math.Abs(got-want) > 0.01 {
		t.Errorf("client reads pan %v, the head is at %v", got, want)
	}
}

func waitIdle(t *testing.T, c *Client) {
	t.Helper()
	time.Sleep(150 * time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		st, err := c.Status(context.Background(), "main")
		if err == nil && !st.Moving && !st.Zooming {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("head still moving after 10 s")
}

func TestNoPTZCamera(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1, NoPTZ: []int{0}})
	c := &Client{DeviceURL: s.Cameras()[0].DeviceURL(), Username: "admin", Password: "admin"}
	res, err := c.Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.PTZ != nil {
		t.Fatal("PTZ reported on a fixed camera")
	}
	if err := c.Stop(context.Background(), "main"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("PTZ call on fixed camera: %v", err)
	}
}
