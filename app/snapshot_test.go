package app

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
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

// TestSnapshotTextIsLatin1 writes a camera name with characters from
// Latin-1, beyond it and a NUL into a PNG's tEXt chunk, and reads it back
// with ImageMagick, which prints a tEXt value's bytes as they are.
func TestSnapshotTextIsLatin1(t *testing.T) {
	identify, err := exec.LookPath("identify")
	if err != nil {
		t.Fatalf("ImageMagick's identify is required (packaging/install-deps.sh installs it): %v", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	const name = "Café Tür ½ — 北\x00x\nÿ"
	// By hand from the ISO 8859-1 table: é E9, ü FC, ½ BD, ÿ FF; the dash,
	// the CJK character and the NUL have no place in a tEXt value.
	want := []byte("Caf\xe9 T\xfcr \xbd ? ??x\n\xff")
	path := filepath.Join(t.TempDir(), "latin1.png")
	if err := os.WriteFile(path, withTextChunks(buf.Bytes(), [][2]string{{"Title", name}}), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(identify, "-regard-warnings", "-format", "%[Title]", path).Output()
	if err != nil {
		t.Fatalf("identify %s: %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("ImageMagick reads the title as % x, want % x", got, want)
	}
}
