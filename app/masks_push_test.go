package app

import (
	"context"
	"image/color"
	"math"
	"strings"
	"testing"

	"nightjar/devices/camsim"
	"nightjar/internal/zones"
)

func pushTestCamera(t *testing.T, zs []zones.Zone) (*App, *camsim.Camera, string) {
	t.Helper()
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 1, User: "admin", Pass: "pw"})
	cam, err := a.AddCamera(context.Background(), AddRequest{Address: s.Cameras()[0].DeviceURL(), User: "admin", Pass: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	forgetAtCleanup(t, a, cam.ID)
	rec, err := a.DB.Camera(cam.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Zones = zs
	if err := a.DB.PutCamera(rec); err != nil {
		t.Fatal(err)
	}
	return a, s.Cameras()[0], cam.ID
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

func TestPushZonesToCamsim(t *testing.T) {
	zs := []zones.Zone{
		{ID: "z1", Name: "Door", Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(0, 0, 0.25, 0.5)},
		{ID: "z2", Name: "Window", Kind: zones.Permanent, Fill: zones.Fill{Block: 8}, Points: []zones.Point{{X: 0.5, Y: 0.5}, {X: 1, Y: 0.5}, {X: 0.75, Y: 1}}},
	}
	a, sim, id := pushTestCamera(t, zs)
	ctx := context.Background()
	ms, err := a.maskSupport(ctx, id)
	if err != nil || !ms.Supported || ms.MaxMasks != 4 || ms.MaxPoints != 8 || !ms.Pixelate {
		t.Fatalf("support %+v, %v", ms, err)
	}
	for range 2 { // the second push replaces the first
		if _, err := a.pushZones(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	res, err := a.pushZones(ctx, id)
	if err != nil || res.Pushed != 2 || res.Removed != 2 {
		t.Fatalf("push %+v, %v", res, err)
	}
	got := sim.Masks()
	if len(got) != 2 || len(got[0].Points) != 4 || got[0].Type != "Color" || got[1].Type != "Pixelated" {
		t.Fatalf("camera holds %+v", got)
	}
	// Zone (0,0) top-left is ONVIF (-1, 1); (0.25, 0.5) is (-0.5, 0).
	p0, p2 := got[0].Points[0], got[0].Points[2]
	if !near(p0.X, -1) || !near(p0.Y, 1) || !near(p2.X, -0.5) || !near(p2.Y, 0) {
		t.Fatalf("door corners %+v %+v, want (-1,1) and (-0.5,0)", p0, p2)
	}
	if w := got[1].Points[2]; !near(w.X, 0.5) || !near(w.Y, -1) {
		t.Fatalf("window bottom point %+v, want (0.5,-1)", w)
	}
	if !got[0].HasColor || got[0].ColorX > 20 {
		t.Fatalf("door colour %+v, want black", got[0])
	}
}

func TestPushZonesTooManyPoints(t *testing.T) {
	var ps []zones.Point
	for i := range 12 {
		a := 2 * math.Pi * float64(i) / 12
		ps = append(ps, zones.Point{X: 0.5 + 0.3*math.Cos(a), Y: 0.5 + 0.3*math.Sin(a)})
	}
	zs := []zones.Zone{
		{ID: "z1", Name: "Door", Kind: zones.Permanent, Fill: zones.Fill{Color: color.RGBA{255, 0, 0, 255}}, Points: zones.Rect(0, 0, 0.25, 0.5)},
		{ID: "z2", Name: "Window", Kind: zones.Permanent, Fill: zones.Black, Points: ps},
	}
	a, sim, id := pushTestCamera(t, zs)
	_, err := a.pushZones(context.Background(), id)
	want := `zone "Window" has 12 points; this camera takes at most 8 per mask`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	if n := len(sim.Masks()); n != 0 {
		t.Fatalf("%d masks pushed, want none", n)
	}
}
