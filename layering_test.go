package main

import (
	"fmt"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The layers of DESIGN.md, named by what a package's import path puts it
// in. fyne stands for every fyne.io module.
const (
	lMain     = "main"
	lApp      = "app"
	lUI       = "ui"
	lPlayer   = "player"
	lDevices  = "devices" // the client: ONVIF, ingest, the device bus
	lCamsim   = "camsim"  // the simulated cameras
	lStorage  = "storage"
	lInternal = "internal"
	lAssets   = "assets"
	lFyne     = "fyne"
)

// layerOf names pkg's layer: "" for the standard library and third-party
// modules other than Fyne, "unknown" for a nightjar package no rule covers.
func layerOf(pkg string) string {
	under := func(root string) bool { return pkg == root || strings.HasPrefix(pkg, root+"/") }
	switch {
	case strings.HasPrefix(pkg, "fyne.io/"):
		return lFyne
	case pkg == "nightjar":
		return lMain
	case under("nightjar/app"):
		return lApp
	case under("nightjar/ui"):
		return lUI
	case under("nightjar/player"):
		return lPlayer
	case under("nightjar/devices/camsim"):
		return lCamsim
	case under("nightjar/devices"):
		return lDevices
	case under("nightjar/storage"):
		return lStorage
	case under("nightjar/internal"):
		return lInternal
	case under("nightjar/assets"):
		return lAssets
	case under("nightjar"):
		return "unknown"
	}
	return ""
}

// mayImport is DESIGN.md's layering as direct imports: app → ui →
// {player, devices, storage}; ui imports none of player, devices or
// storage; devices and storage never import each other; player imports
// neither; only ui, main and assets import Fyne; camsim imports no client
// devices code and the client no camsim; internal/ leaf packages import no
// nightjar package. A layer may always import itself, except internal.
var mayImport = map[string][]string{
	lMain:     {lApp, lInternal, lAssets, lFyne}, // internal: localefix, which must run before Fyne's init
	lApp:      {lUI, lPlayer, lDevices, lCamsim, lStorage, lInternal, lAssets},
	lUI:       {lInternal, lAssets, lFyne},
	lPlayer:   {lInternal, lAssets},
	lDevices:  {lInternal, lAssets},
	lCamsim:   {lInternal, lAssets},
	lStorage:  {lInternal, lAssets},
	lInternal: {},
	lAssets:   {lFyne},
}

// testMayImport is what a layer's tests may import besides mayImport: the
// simulated cameras, for the layers that talk to cameras.
var testMayImport = map[string][]string{
	lMain:    {lCamsim},
	lPlayer:  {lCamsim},
	lDevices: {lCamsim},
}

// noFyne are the layers that must build and test without Fyne anywhere in
// their dependencies, so they run without a display.
var noFyne = []string{lPlayer, lDevices, lCamsim, lStorage, lInternal}

// listed is one package as go list reports it: its own import path (the
// package a test variant is for), whether it is test code, its direct
// imports and all its dependencies.
type listed struct {
	Path    string
	Test    bool
	Imports []string
	Deps    []string
}

// violations checks pkgs against the rules and returns one line per
// broken rule.
func violations(pkgs []listed) []string {
	var out []string
	for _, p := range pkgs {
		from := layerOf(p.Path)
		what := p.Path
		if p.Test {
			what += " (tests)"
		}
		if from == "unknown" || from == "" {
			out = append(out, fmt.Sprintf("%s is in no layer of DESIGN.md: give it a rule", what))
			continue
		}
		allowed := mayImport[from]
		if p.Test {
			allowed = append(slices.Clone(allowed), testMayImport[from]...)
		}
		for _, imp := range p.Imports {
			to := layerOf(imp)
			if to == "" || (to == from && from != lInternal) || slices.Contains(allowed, to) {
				continue
			}
			out = append(out, fmt.Sprintf("%s imports %s: %s may not import %s", what, imp, from, to))
		}
		if slices.Contains(noFyne, from) {
			for _, d := range p.Deps {
				if layerOf(d) == lFyne {
					out = append(out, fmt.Sprintf("%s depends on %s: %s must build without Fyne", what, d, from))
					break
				}
			}
		}
	}
	return out
}

// listPackages runs go list over the module, test variants included.
func listPackages(t *testing.T) []listed {
	t.Helper()
	out, err := exec.Command("go", "list", "-test", "-f",
		"{{.ImportPath}}\t{{.ForTest}}\t{{join .Imports \",\"}}\t{{join .Deps \",\"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	// A test variant is named "p [p.test]", its external tests
	// "p_test [p.test]"; packages rebuilt for a test carry the same suffix.
	base := func(s string) string { s, _, _ = strings.Cut(s, " "); return s }
	var pkgs []listed
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("go list line %q has %d fields", line, len(f))
		}
		path, forTest := base(f[0]), f[1]
		if strings.HasSuffix(path, ".test") {
			continue // the generated test main
		}
		p := listed{Path: path, Test: forTest != ""}
		if p.Test {
			p.Path = forTest
		}
		for _, imp := range strings.Split(f[2], ",") {
			if imp != "" {
				p.Imports = append(p.Imports, base(imp))
			}
		}
		for _, d := range strings.Split(f[3], ",") {
			if d != "" {
				p.Deps = append(p.Deps, base(d))
			}
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestLayering enforces DESIGN.md's dependency rules on every package of
// the module and its tests.
func TestLayering(t *testing.T) {
	pkgs := listPackages(t)
	// The rules must have something to bite on: every layer has packages,
	// and the lower layers have tests.
	seen := map[string]bool{}
	tested := map[string]bool{}
	for _, p := range pkgs {
		seen[layerOf(p.Path)] = true
		if p.Test {
			tested[layerOf(p.Path)] = true
		}
	}
	for l := range mayImport {
		if !seen[l] {
			t.Errorf("go list found no package in layer %s", l)
		}
	}
	for _, l := range []string{lApp, lUI, lPlayer, lDevices, lCamsim, lStorage} {
		if !tested[l] {
			t.Errorf("go list found no tests in layer %s", l)
		}
	}
	bad := violations(pkgs)
	sort.Strings(bad)
	for _, v := range slices.Compact(bad) {
		t.Error(v)
	}
}

// TestLayeringRulesBite feeds the checker imports DESIGN.md forbids, one at
// a time, and some it allows.
func TestLayeringRulesBite(t *testing.T) {
	cases := []struct {
		from, imp string
		test      bool
		ok        bool
	}{
		{"nightjar/devices/ingest", "nightjar/storage/logging", false, false},
		{"nightjar/devices/onvif", "nightjar/storage/recording", true, false},
		{"nightjar/storage/recording", "nightjar/devices/ingest", false, false},
		{"nightjar/storage/recording", "nightjar/devices/camsim", true, false},
		{"nightjar/player", "nightjar/devices/onvif", false, false},
		{"nightjar/player", "nightjar/storage/catalog", false, false},
		{"nightjar/player", "nightjar/devices/camsim", false, false},
		{"nightjar/ui", "nightjar/player", false, false},
		{"nightjar/ui", "nightjar/devices", false, false},
		{"nightjar/ui", "nightjar/storage/catalog", false, false},
		{"nightjar/ui", "nightjar/devices/camsim", true, false},
		{"nightjar/ui", "nightjar/app", false, false},
		{"nightjar/app", "fyne.io/fyne/v2", false, false},
		{"nightjar/player", "fyne.io/fyne/v2", false, false},
		{"nightjar/storage/catalog", "fyne.io/fyne/v2/test", true, false},
		{"nightjar/devices/camsim", "nightjar/devices/onvif", false, false},
		{"nightjar/devices/camsim", "nightjar/devices/onvif", true, false},
		{"nightjar/devices/camsim", "nightjar/storage/logging", false, false},
		{"nightjar/devices/onvif", "nightjar/devices/camsim", false, false},
		{"nightjar/devices/ingest", "nightjar/app", false, false},
		{"nightjar/internal/testwait", "nightjar/storage/logging", false, false},
		{"nightjar/internal/testwait", "nightjar/internal/redact", false, false},
		{"nightjar/assets", "nightjar/ui", false, false},
		{"nightjar/newthing", "fmt", false, false},

		{"nightjar", "nightjar/app", false, true},
		{"nightjar/app", "nightjar/ui", false, true},
		{"nightjar/app", "nightjar/devices/camsim", false, true},
		{"nightjar/ui", "fyne.io/fyne/v2", false, true},
		{"nightjar/ui", "nightjar/ui/xsurface", false, true},
		{"nightjar/ui", "nightjar/internal/testwait", true, true},
		{"nightjar/devices/ingest", "nightjar/internal/redact", false, true},
		{"nightjar/devices", "nightjar/devices/onvif", false, true},
		{"nightjar/devices/onvif", "nightjar/devices/camsim", true, true},
		{"nightjar/player", "nightjar/devices/camsim", true, true},
		{"nightjar/devices/camsim", "nightjar/assets", false, true},
		{"nightjar/storage/recording", "nightjar/storage/catalog", false, true},
		{"nightjar/storage/recording", "nightjar/assets", true, true},
		{"nightjar/internal/testwait", "testing", false, true},
	}
	for _, c := range cases {
		p := listed{Path: c.from, Test: c.test, Imports: []string{c.imp}}
		if layerOf(c.imp) == lFyne {
			p.Deps = []string{c.imp}
		}
		got := violations([]listed{p})
		if c.ok && len(got) > 0 {
			t.Errorf("%s → %s (test %v) is allowed, but: %v", c.from, c.imp, c.test, got)
		}
		if !c.ok && len(got) == 0 {
			t.Errorf("%s → %s (test %v) is forbidden, but passed", c.from, c.imp, c.test)
		}
	}
	// Fyne reached through a third-party module still counts.
	p := listed{Path: "nightjar/storage/catalog", Imports: []string{"example.com/widgets"}, Deps: []string{"example.com/widgets", "fyne.io/fyne/v2"}}
	if len(violations([]listed{p})) == 0 {
		t.Error("storage depending on Fyne through a third-party module passed")
	}
}
