package logging

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRotatingFileRotatesAndKeeps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nightjar.log")
	r, err := OpenRotating(path)
	if err != nil {
		t.Fatal(err)
	}
	r.MaxBytes, r.Keep = 100, 2
	line := bytes.Repeat([]byte("x"), 39)
	line = append(line, '\n')
	for i := 0; i < 20; i++ {
		if _, err := r.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatalf("expected %s: %v", name, err)
		}
		if st.Size() > 100 {
			t.Fatalf("%s is %d bytes, over MaxBytes", name, st.Size())
		}
	}
	if _, err := os.Stat(path + ".3"); !os.IsNotExist(err) {
		t.Fatalf("kept more than Keep files: %v", err)
	}
	if _, err := r.Write(line); err == nil {
		t.Fatal("write after close succeeded")
	}
}

func TestLoggerRedactsURLs(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, 0)
	log.Info("connect rtsp://admin:hunter2@cam/live", "url", "rtsp://admin:p%40ss@cam/live", "err", fmt.Errorf("dial http://u:topsecret@h/x: refused").Error())
	out := buf.String()
	for _, secret := range []string{"hunter2", "p%40ss", "topsecret"} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q in log line %q", secret, out)
		}
	}
	if !strings.Contains(out, "admin:xxxxx@cam") {
		t.Fatalf("expected redacted URL in %q", out)
	}
}

func TestParseLevel(t *testing.T) {
	for _, s := range []string{"debug", "INFO", "warn", "error"} {
		if _, err := ParseLevel(s); err != nil {
			t.Errorf("ParseLevel(%q): %v", s, err)
		}
	}
	if _, err := ParseLevel("loud"); err == nil {
		t.Error("ParseLevel accepted a bad level")
	}
}
