package evidence

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkVerify checks a bundle of 64 MiB of video, so its MB/s compare
// with `sha256sum` over the same files (both read from the page cache).
func BenchmarkVerify(b *testing.B) {
	const size = 64 << 20
	dir := filepath.Join(b.TempDir(), "bundle")
	if err := os.Mkdir(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	m := sampleManifest()
	m.Cameras = m.Cameras[1:]
	writeFile(b, filepath.Join(dir, "cam2.mp4"), noise(b, 5, size))
	if err := Seal(context.Background(), dir, m, newKey(b), testPrincipal); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	for b.Loop() {
		if r := Verify(context.Background(), dir, ""); !r.OK {
			b.Fatal(r.Problems)
		}
	}
}
