package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWaitLogSeesALateLine appends the line a bench waits for while it
// waits, and checks it gets the figure from it.
func TestWaitLogSeesALateLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nightjar.log")
	if err := os.WriteFile(path, []byte("time=x level=INFO msg=\"nightjar started\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return // the wait below then fails and says so
		}
		f.WriteString("time=y level=INFO msg=\"wall main stream shown\" after_ms=412\n")
		f.Close()
	}()
	m, err := waitLog(context.Background(), path, wallMainRE, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if string(m[1]) != "412" {
		t.Fatalf("figure %q, want 412", m[1])
	}
}

// TestWaitLogSaysWhatItMissed waits for a line that never comes: the
// result is an error naming it, not a figure.
func TestWaitLogSaysWhatItMissed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nightjar.log")
	if err := os.WriteFile(path, []byte("time=x level=INFO msg=\"wall all tiles live\" after_ms=900\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := waitLog(context.Background(), path, wallMainRE, 300*time.Millisecond)
	if err == nil {
		t.Fatalf("got figure %q from a log without the line", m)
	}
	if !strings.Contains(err.Error(), "wall main stream shown") {
		t.Fatalf("error %q does not name the line it waited for", err)
	}
}
