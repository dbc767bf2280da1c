package app

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSnapshotPNGWithMetadata(t *testing.T) {
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "info", demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path, err := a.Snapshot(ctx, "demo-2")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a valid PNG: %v", err)
	}
	if img.Bounds().Dx() != 1280 || img.Bounds().Dy() != 720 {
		t.Fatalf("snapshot %v, want the main stream's 1280x720", img.Bounds())
	}
	if !bytes.Contains(b, []byte("tEXtTitle\x00Camsim 2")) || !bytes.Contains(b, []byte("Creation Time\x00")) {
		t.Fatal("PNG lacks the camera name or time")
	}
	if !strings.HasPrefix(path, a.DataDir) {
		t.Fatalf("saved outside the data dir: %s", path)
	}
}
