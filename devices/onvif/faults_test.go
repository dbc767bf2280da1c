package onvif

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"nightjar/devices/camsim"
)

// TestSimulatorFaults probes a camera under each simulator fault: every
// probe must end within a bound with a typed error, never a panic or a
// hang. The times are logged for the issue note.
func TestSimulatorFaults(t *testing.T) {
	cases := []struct {
		fault string
		want  error
	}{
		{camsim.FaultGarbage, nil}, // tolerated: the probe succeeds
		{camsim.FaultOversized, ErrTooLarge},
		{camsim.FaultSlow, ErrTimeout},
		{camsim.FaultMalformed, ErrMalformed},
		{camsim.FaultNotONVIF, ErrNotONVIF},
		{camsim.FaultReboot, ErrUnreachable},
	}
	for _, tc := range cases {
		t.Run(tc.fault, func(t *testing.T) {
			s := startSim(t, camsim.Config{Cameras: 1})
			cam := s.Cameras()[0]
			if err := cam.InjectFault(tc.fault, 30*time.Second); err != nil {
				t.Fatal(err)
			}
			c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin", Timeout: 2 * time.Second}
			start := time.Now()
			_, err := c.Probe(context.Background())
			took := time.Since(start)
			t.Logf("fault %s: %v after %v", tc.fault, err, took.Round(time.Millisecond))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
			} else if !errors.Is(err, tc.want) {
				t.Fatalf("want %v, got %v", tc.want, err)
			}
			if took > 3*time.Second {
				t.Fatalf("took %v, bound is the 2 s timeout plus slack", took)
			}
			if err != nil && Hint(err) == "" {
				t.Fatalf("no user hint for %v", err)
			}
		})
	}
}

// TestPlainWebServerIsNotACamera points the client at an ordinary web
// server that answers 200 to everything.
func TestPlainWebServerIsNotACamera(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":"ok","hello":"world"}`))
	})}
	go srv.Serve(ln)
	defer srv.Close()
	c := &Client{DeviceURL: "http://" + ln.Addr().String() + "/onvif/device_service", Username: "admin", Password: "admin"}
	if _, err := c.Probe(context.Background()); !errors.Is(err, ErrNotONVIF) {
		t.Fatalf("want ErrNotONVIF, got %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	c := &Client{DeviceURL: "http://" + addr + "/onvif/device_service"}
	start := time.Now()
	if _, err := c.Probe(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("want ErrUnreachable, got %v", err)
	}
	if time.Since(start) > 6*time.Second {
		t.Fatal("unreachable took too long")
	}
}
