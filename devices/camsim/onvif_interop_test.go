package camsim

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestThirdPartyONVIFClient drives the simulator with the npm "onvif"
// package: connect, profiles, stream URI, ContinuousMove then Stop, a
// preset round trip and a pull-point motion event. 'make test' installs the
// package (npm ci in testdata/onvif-node).
func TestThirdPartyONVIFClient(t *testing.T) {
	node := requireTool(t, "node")
	dir, err := filepath.Abs("testdata/onvif-node")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "onvif")); err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") == "" {
			t.Skip("npm onvif not installed; run 'npm ci --prefix devices/camsim/testdata/onvif-node' or 'make test'")
		}
		t.Fatalf("npm onvif package missing in %s: %v", dir, err)
	}
	s := startSim(t, Config{Cameras: 1, User: "admin", Pass: "s3cret-pw"})
	cam := s.Cameras()[0]
	host, port, err := net.SplitHostPort(cam.httpAddr)
	if err != nil {
		t.Fatalf("camera address %q: %v", cam.httpAddr, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "interop.js"), host, port, "admin", "s3cret-pw")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Logf("node: %s", sc.Text())
			continue
		}
		step, _ := m["step"].(string)
		steps[step] = m
		switch step {
		case "error":
			t.Fatalf("npm onvif failed at %v: %v", m["at"], m["message"])
		case "subscribed":
			go func() {
				time.Sleep(500 * time.Millisecond)
				cam.TriggerMotion(true)
			}()
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node exited: %v (steps %v)", err, steps)
	}

	profiles, err := json.Marshal(field[any](t, steps, "connected", "profiles"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(profiles), `{"h":720,"token":"main","w":1280}`) || !strings.Contains(string(profiles), `{"h":360,"token":"sub","w":640}`) {
		t.Errorf("profiles seen by npm onvif: %s", profiles)
	}
	if uri := field[string](t, steps, "streamUri", "uri"); uri != cam.StreamURI(Main) {
		t.Errorf("stream URI %q, want %q", uri, cam.StreamURI(Main))
	}
	before := field[float64](t, steps, "moved", "before")
	after := field[float64](t, steps, "moved", "after")
	if after-before < 0.1 {
		t.Errorf("ContinuousMove for 0.6 s at 0.5 moved pan from %v to %v", before, after)
	}
	if st := field[string](t, steps, "moved", "moveStatus"); st != "IDLE" {
		t.Errorf("after Stop, MoveStatus is %q", st)
	}
	presetPan := field[float64](t, steps, "preset", "presetPan")
	pan := field[float64](t, steps, "preset", "pan")
	if math.Abs(presetPan-pan) > 0.01 {
		t.Errorf("GotoPreset went to pan %v, preset was saved at %v", pan, presetPan)
	}
	if topic := field[string](t, steps, "event", "topic"); !strings.Contains(topic, "Motion") {
		t.Errorf("event topic %q", topic)
	}
	if _, ok := steps["done"]; !ok {
		t.Errorf("script did not finish: %v", steps)
	}
}

// field returns the value the script reported under key at step, failing
// t when the step or key is missing or of another type: a missing figure
// must not read as zero.
func field[T any](t *testing.T, steps map[string]map[string]any, step, key string) T {
	t.Helper()
	v, ok := steps[step][key].(T)
	if !ok {
		t.Fatalf("script step %q has no %T %q: %v", step, v, key, steps[step])
	}
	return v
}
