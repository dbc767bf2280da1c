package onvif

import (
	"context"
	"errors"
	"testing"
	"time"

	"nightjar/devices/camsim"
)

// TestDiscoverByDirectedProbe finds the simulator's cameras with a unicast
// probe to loopback; nothing is sent to multicast.
func TestDiscoverByDirectedProbe(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 3})
	d, err := s.StartDiscovery("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// The same target twice: answers are de-duplicated by endpoint.
	found, err := Discover(context.Background(), DiscoverOptions{Targets: []string{d.Addr(), d.Addr()}, Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 3 {
		t.Fatalf("found %d devices: %+v", len(found), found)
	}
	for i, f := range found {
		cam := s.Cameras()[i]
		if f.Name != cam.Name || f.XAddrs[0] != cam.DeviceURL() || f.Endpoint != "urn:uuid:"+cam.EndpointUUID() {
			t.Errorf("device %d: %+v", i, f)
		}
	}
}

func TestExpandTargets(t *testing.T) {
	got, err := expandTargets([]string{"10.1.2.0/30", "cam.local", "10.0.0.9:4000"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.1.2.0:3702", "10.1.2.1:3702", "10.1.2.2:3702", "10.1.2.3:3702", "cam.local:3702", "10.0.0.9:4000"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v", got)
		}
	}
	if _, err := expandTargets([]string{"10.0.0.0/8"}); err == nil {
		t.Fatal("a /8 sweep was accepted")
	}
}

func TestFactoryCredentials(t *testing.T) {
	for _, c := range [][2]string{{"admin", "admin"}, {"ADMIN", "12345"}, {"admin", ""}, {"root", "pass"}} {
		if !IsFactoryCredential(c[0], c[1]) {
			t.Errorf("%v not flagged", c)
		}
	}
	if IsFactoryCredential("admin", "c0rrect-h0rse") {
		t.Error("a strong password flagged")
	}
}

func TestSetPassword(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin"}
	ctx := context.Background()
	if err := c.SetPassword(ctx, "admin", "Str0ng&new<pw>"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeviceInformation(ctx); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("old password still accepted: %v", err)
	}
	c.Password = "Str0ng&new<pw>"
	if _, err := c.DeviceInformation(ctx); err != nil {
		t.Fatalf("new password refused: %v", err)
	}
}
