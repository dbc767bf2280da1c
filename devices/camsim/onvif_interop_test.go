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
	dir, _ := filepath.Abs("testdata/onvif-node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "onvif")); err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") == "" {
			t.Skip("npm onvif not installed; run 'npm ci --prefix devices/camsim/testdata/onvif-node' or 'make test'")
		}
		t.Fatalf("npm onvif package missing in %s: %v", dir, err)
	}
	s := startSim(t, Config{Cameras: 1, User: "admin", Pass: "s3cret-pw"})
	cam := s.Cameras()[0]
	host, port, _ := net.SplitHostPort(cam.httpAddr)

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

	profiles, _ := json.Marshal(steps["connected"]["profiles"])
	if !strings.Contains(string(profiles), `{"h":720,"token":"main","w":1280}`) || !strings.Contains(string(profiles), `{"h":360,"token":"sub","w":640}`) {
		t.Errorf("profiles seen by npm onvif: %s", profiles)
	}
	if uri, _ := steps["streamUri"]["uri"].(string); uri != cam.StreamURI(Main) {
		t.Errorf("stream URI %q, want %q", uri, cam.StreamURI(Main))
	}
	before, _ := steps["moved"]["before"].(float64)
	after, _ := steps["moved"]["after"].(float64)
	if after-before < 0.1 {
		t.Errorf("ContinuousMove for 0.6 s at 0.5 moved pan from %v to %v", before, after)
	}
	if st, _ := steps["moved"]["moveStatus"].(string); st != "IDLE" {
		t.Errorf("after Stop, MoveStatus is %q", st)
	}
	presetPan, _ := steps["preset"]["presetPan"].(float64)
	pan, _ := steps["preset"]["pan"].(float64)
	if math.Abs(presetPan-pan) > 0.01 {
		t.Errorf("GotoPreset went to pan %v, preset was saved at %v", pan, presetPan)
	}
	if topic, _ := steps["event"]["topic"].(string); !strings.Contains(topic, "Motion") {
		t.Errorf("event topic %q", topic)
	}
	if _, ok := steps["done"]; !ok {
		t.Errorf("script did not finish: %v", steps)
	}
}
