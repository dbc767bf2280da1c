package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering enforces DESIGN.md's dependency rule: player, devices and
// storage (and everything they pull in) never import Fyne, devices and
// storage never import each other, and the simulator never imports the
// client's ONVIF or RTSP code.
func TestLayering(t *testing.T) {
	rules := []struct {
		pkgs      string
		forbidden []string
	}{
		{"./player/...", []string{"fyne.io/", "nightjar/ui", "nightjar/app"}},
		{"./devices/...", []string{"fyne.io/", "nightjar/ui", "nightjar/app", "nightjar/storage"}},
		{"./storage/...", []string{"fyne.io/", "nightjar/ui", "nightjar/app", "nightjar/devices"}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", "-test", r.pkgs).CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "matched no packages") {
				continue
			}
			t.Fatalf("go list %s: %v\n%s", r.pkgs, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, bad := range r.forbidden {
				if strings.HasPrefix(dep, bad) {
					t.Errorf("%s depends on %s", r.pkgs, dep)
				}
			}
		}
	}
}

// TestCamsimIsIndependent keeps the simulator and the client apart, so a
// misreading of the ONVIF spec cannot hide in code both sides share.
func TestCamsimIsIndependent(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./devices/camsim/...").CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "no such file") {
			return
		}
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "nightjar/devices") && !strings.HasPrefix(dep, "nightjar/devices/camsim") {
			t.Errorf("camsim imports client code %s", dep)
		}
	}
}
