package player

import (
	"context"
	"image"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// makeClip encodes a short test clip with ffmpeg, a tool we did not write.
func makeClip(t *testing.T) string {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatalf("ffmpeg is required for player tests (run packaging/install-deps.sh): %v", err)
	}
	out := filepath.Join(t.TempDir(), "clip.mp4")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
		"-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-bf", "0", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	return out
}

func TestCoreRendersNonBlackFrame(t *testing.T) {
	clip := makeClip(t)
	c, err := NewCore(CoreOptions{"pause": "yes"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Command("loadfile", clip); err != nil {
		t.Fatalf("loadfile: %v", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 200, 120))
	tile := image.Rect(20, 10, 180, 100) // render into a sub-rectangle
	deadline := time.Now().Add(10 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatal("no frame rendered within 10 s")
		}
		// The event loop a player runs: it learns the video's size.
		if c.WaitEvent(0.1) == nil {
			t.Fatal("the core closed")
		}
		if !c.HasNewFrame() {
			continue
		}
		if err := c.Render(img, tile); err != nil {
			t.Fatal(err)
		}
		if bright := brightPixels(img, tile); bright > tile.Dx()*tile.Dy()/4 {
			break
		}
	}
	// Outside the tile nothing was drawn: Pix there is still all zero.
	if img.RGBAAt(5, 5).A != 0 || img.RGBAAt(190, 110).A != 0 {
		t.Fatal("render wrote outside its rectangle")
	}
	// Inside the tile every pixel is opaque (the rgb0 alpha fix).
	for y := tile.Min.Y; y < tile.Max.Y; y++ {
		for x := tile.Min.X; x < tile.Max.X; x++ {
			if img.RGBAAt(x, y).A != 0xff {
				t.Fatalf("pixel %d,%d not opaque", x, y)
			}
		}
	}
	if w := c.Property("width"); w != "320" {
		t.Fatalf("width property = %q, want 320", w)
	}
}

func brightPixels(img *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			if int(p.R)+int(p.G)+int(p.B) > 90 {
				n++
			}
		}
	}
	return n
}

func TestCoreCloseTwiceAndAfterClose(t *testing.T) {
	c, err := NewCore(nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for c.WaitEvent(10) != nil {
		}
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	c.Close()
	c.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("WaitEvent did not return after Close")
	}
	if err := c.Command("stop"); err != ErrClosed {
		t.Fatalf("Command after Close = %v, want ErrClosed", err)
	}
	if err := c.Render(image.NewRGBA(image.Rect(0, 0, 4, 4)), image.Rect(0, 0, 4, 4)); err != ErrClosed {
		t.Fatalf("Render after Close = %v", err)
	}
}

func TestCoreLoadsNoBuiltinScripts(t *testing.T) {
	c, err := NewCore(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	known := 0
	for _, k := range builtinScripts {
		v := c.Property(k)
		if v == "" {
			continue // this libmpv has no such script
		}
		known++
		if v != "no" {
			t.Errorf("%s = %q, want no", k, v)
		}
	}
	if known == 0 {
		t.Fatal("libmpv knows none of the built-in script options; the list is out of date")
	}
}
