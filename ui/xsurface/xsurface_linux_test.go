//go:build linux && cgo && !wayland

package xsurface

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"testing"
	"time"
)

func requireDisplay(t *testing.T) uintptr {
	t.Helper()
	root := uintptr(0)
	if os.Getenv("DISPLAY") != "" {
		root = rootWindow()
	}
	if root == 0 {
		if os.Getenv("NIGHTJAR_FULL_TEST") != "" {
			t.Fatal("NIGHTJAR_FULL_TEST is set but there is no X display")
		}
		t.Skip("needs an X display (make test runs it under Xvfb)")
	}
	return root
}

// newRetrying is New, tried for a few seconds: under 'make test' other
// packages' tests keep the X server busy, and opening a connection has
// failed there now and then.
func newRetrying(parent uintptr) (*Surface, error) {
	var err error
	for range 20 {
		var s *Surface
		if s, err = New(parent); err == nil {
			return s, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return nil, err
}

// grab reads the screen back through ImageMagick, a client we did not
// write.
func grab(t *testing.T) image.Image {
	t.Helper()
	out, err := exec.Command("import", "-window", "root", "png:-").Output()
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func rgbAt(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func fill(img *image.RGBA, r image.Rectangle, b, g, red uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = b, g, red
		}
	}
}

// TestSurfaceShowsPixels puts an image on a child window of the root
// window and reads the screen back: the bytes are B, G, R, a partial put
// changes only its rectangle, and a moved window keeps its pixels.
func TestSurfaceShowsPixels(t *testing.T) {
	root := requireDisplay(t)
	s, err := newRetrying(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := image.Rect(20, 30, 84, 78)
	img, err := s.Show(at)
	if err != nil {
		t.Fatal(err)
	}
	if img.Rect != image.Rect(0, 0, 64, 48) {
		t.Fatalf("image %v, want 64x48", img.Rect)
	}
	fill(img, image.Rect(0, 0, 32, 48), 0, 0, 255)  // red
	fill(img, image.Rect(32, 0, 64, 48), 255, 0, 0) // blue
	if err := s.Put(img.Rect); err != nil {
		t.Fatal(err)
	}
	if !s.Exposed() {
		t.Error("a newly mapped window reported no exposure")
	}
	shot := grab(t)
	if got := rgbAt(shot, 30, 40); got != [3]uint8{255, 0, 0} {
		t.Errorf("left half %v, want red", got)
	}
	if got := rgbAt(shot, 74, 40); got != [3]uint8{0, 0, 255} {
		t.Errorf("right half %v, want blue", got)
	}

	fill(img, image.Rect(0, 0, 8, 8), 0, 255, 0)
	fill(img, image.Rect(56, 40, 64, 48), 0, 255, 0) // drawn but not put
	if err := s.Put(image.Rect(0, 0, 8, 8)); err != nil {
		t.Fatal(err)
	}
	shot = grab(t)
	if got := rgbAt(shot, 22, 32); got != [3]uint8{0, 255, 0} {
		t.Errorf("partial put: %v, want green", got)
	}
	if got := rgbAt(shot, 80, 75); got != [3]uint8{0, 0, 255} {
		t.Errorf("outside the partial put: %v, want the old blue", got)
	}

	// Moving the window keeps its pixels: the X server moves them.
	if _, err := s.Show(at.Add(image.Pt(100, 0))); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(); err != nil {
		t.Fatal(err)
	}
	if got := rgbAt(grab(t), 130, 40); got != [3]uint8{255, 0, 0} {
		t.Errorf("after a move: %v, want red", got)
	}
	s.Hide()
	if s.Shown() {
		t.Error("Shown after Hide")
	}
}

// TestSurfaceBadParent fails cleanly, without Xlib ending the process.
func TestSurfaceBadParent(t *testing.T) {
	requireDisplay(t)
	if _, err := New(0); err == nil {
		t.Error("New(0) succeeded")
	}
	if _, err := New(0x7ffffff); err == nil {
		t.Error("New with a window that does not exist succeeded")
	}
}
