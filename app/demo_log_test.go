package app

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/internal/testwait"
)

// demoRunFor is how long TestE2EDemoLogsNoWarning runs the demo: the two
// minutes the issue asks for, which spans two retention sweeps and a dozen
// event long polls per camera. NIGHTJAR_DEMO_RUN (a Go duration) changes
// it; -short makes it 20 s.
func demoRunFor(t *testing.T) time.Duration {
	t.Helper()
	if s := os.Getenv("NIGHTJAR_DEMO_RUN"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("NIGHTJAR_DEMO_RUN=%q: %v", s, err)
		}
		return d
	}
	if testing.Short() {
		return 20 * time.Second
	}
	return 2 * time.Minute
}

// TestE2EDemoLogsNoWarning runs the real demo, as 'make run' does, and
// checks that its log holds no warning or error: a new user's first run
// must not look broken.
func TestE2EDemoLogsNoWarning(t *testing.T) {
	requireDisplay(t)
	dataDir := t.TempDir()
	cmd := exec.Command(nightjarBinary(t), "--demo", "--data-dir", dataDir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopApp(cmd) })
	logPath := filepath.Join(dataDir, "logs", "nightjar.log")
	readLog := func() string {
		b, err := os.ReadFile(logPath)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return string(b)
	}
	testwait.Until(t, 60*time.Second, "the demo wall to show every tile live", func() bool {
		return strings.Contains(readLog(), `msg="wall all tiles live"`)
	})
	run := demoRunFor(t)
	t.Logf("running the demo for %v", run)
	time.Sleep(run)
	stopApp(cmd)
	log := readLog()
	if !strings.Contains(log, `msg="nightjar stopped"`) {
		t.Fatalf("the demo did not stop cleanly; output:\n%s\nlog:\n%s", out.String(), log)
	}
	var bad []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
			bad = append(bad, line)
		}
	}
	if len(bad) > 0 {
		t.Fatalf("a %v demo logged %d warnings or errors:\n%s", run, len(bad), strings.Join(bad, "\n"))
	}
}
