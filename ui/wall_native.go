package ui

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"

	"nightjar/ui/xsurface"
)

// nativeView puts the wall's video on an X11 surface (see xsurface) in
// place of the Fyne raster. The UI goroutine decides where the wall is
// and whether it may be shown (syncNative); the wall's frame pump
// draws (drawNative).
type nativeView struct {
	win      fyne.Window
	onShow   func() bool
	attempts int // failed tries to open the surface (UI goroutine)

	mu     sync.Mutex // guards the fields below
	surf   *xsurface.Surface
	place  image.Rectangle // the wall in the window, in pixels; empty: hidden
	active bool            // the surface shows the video (UI goroutine's view)
	over   *overlayImage
	overN  int // bumped with every new overlay

	failed bool // the surface is not to be opened (again)

	// the pump's own
	video *image.RGBA // the tiles without overlays, B, G, R, X
	putN  int         // the overlay last put
}

// nativeActive reports whether the X11 surface shows the video.
func (w *Wall) nativeActive() bool {
	n := w.native
	if n == nil {
		return false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.active
}

// syncNative runs on the UI goroutine: it opens the surface once the
// window exists, places it over the wall, repaints the overlay texts when
// they changed, and hands the video back to Fyne while a menu or dialog
// is open or the wall is not on show.
func (w *Wall) syncNative() {
	n := w.native
	if n == nil {
		return
	}
	n.mu.Lock()
	surf, failed := n.surf, n.failed
	n.mu.Unlock()
	if surf == nil {
		if failed || !w.openSurface() {
			return
		}
	}
	c := n.win.Canvas()
	size := w.Size()
	ok := n.onShow() && w.Visible() && c.Overlays().Top() == nil && size.Width > 0 && size.Height > 0
	var place image.Rectangle
	if ok {
		scale := c.Scale()
		abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(w)
		x, y := int(abs.X*scale+0.5), int(abs.Y*scale+0.5)
		place = image.Rect(x, y, x+int(size.Width*scale+0.5), y+int(size.Height*scale+0.5))
		if w.rend != nil && (w.overlayStale || n.over == nil || !n.over.img.Rect.Eq(image.Rectangle{Max: place.Size()})) {
			w.overlayStale = false
			over := paintOverlay(w.rend.overlayObjects(), place.Size(), scale)
			n.mu.Lock()
			n.over = over
			n.overN++
			n.mu.Unlock()
		}
	}
	n.mu.Lock()
	was := n.active
	n.place, n.active = place, ok
	n.mu.Unlock()
	if was != ok {
		// The raster and the Fyne overlays take over, or hand over.
		if w.rend != nil {
			if ok {
				w.rend.raster.Hide()
			} else {
				w.rend.raster.Show()
			}
		}
		w.pump.dirty.Store(true)
		w.Refresh()
	}
}

// openSurface makes the X11 surface once the window exists, and reports
// whether it did. A window that is not X11, or repeated failures, end the
// attempts for good. UI goroutine.
func (w *Wall) openSurface() bool {
	n := w.native
	var parent uintptr
	x11 := false
	if nw, ok := n.win.(driver.NativeWindow); ok {
		nw.RunNative(func(ctx any) {
			if x, ok := ctx.(driver.X11WindowContext); ok {
				parent, x11 = x.WindowHandle, true
			}
		})
	}
	if !x11 {
		w.log.Info("live wall draws through Fyne", "reason", "not an X11 window")
		n.release(true)
		return false
	}
	if parent == 0 {
		return false // not shown yet: try again on the next tick
	}
	s, err := xsurface.New(parent)
	if err != nil {
		// A busy X server can refuse a connection now and then; a display
		// without the surface fails the same way every time.
		if n.attempts++; n.attempts >= 5 {
			w.log.Info("live wall draws through Fyne", "reason", err)
			n.release(true)
		}
		return false
	}
	n.mu.Lock()
	n.surf = s
	n.mu.Unlock()
	w.log.Info("live wall draws to an X11 surface")
	return true
}

// drawNative draws the tiles with new frames to the surface and reports
// whether it did; false leaves the frame to the Fyne raster. It runs on
// the pump's goroutine.
func (w *Wall) drawNative() bool {
	n := w.native
	if n == nil {
		return false
	}
	n.mu.Lock()
	surf, place, active, over, overN := n.surf, n.place, n.active, n.over, n.overN
	n.mu.Unlock()
	if surf == nil {
		return false
	}
	if !active || place.Empty() {
		surf.Hide()
		return false
	}
	img, err := surf.Show(place)
	if err != nil {
		w.nativeFailed(err, true)
		return false
	}
	if n.video == nil || !n.video.Rect.Eq(img.Rect) {
		n.video = image.NewRGBA(img.Rect)
		n.putN = -1
	}
	drawn := w.comp.compose(n.video, true)
	if surf.Exposed() || n.putN != overN {
		n.putN = overN
		drawn = []image.Rectangle{img.Rect}
	}
	for _, r := range drawn {
		over.blendInto(img, n.video, r)
	}
	if len(drawn) > 0 {
		if err := surf.Put(drawn...); err != nil {
			// The window went with its parent: the app is closing.
			w.nativeFailed(err, false)
			return false
		}
	}
	return true
}

// nativeFailed gives up the surface and, with fallback, hands the video
// back to Fyne. The pump's goroutine.
func (w *Wall) nativeFailed(err error, fallback bool) {
	w.native.release(true)
	if !fallback {
		w.log.Debug("live wall: X11 surface gone", "err", err)
		return
	}
	w.log.Warn("live wall: X11 surface failed; drawing through Fyne", "err", err)
	w.pump.dirty.Store(true)
	toUI(func() {
		if w.rend != nil {
			w.rend.raster.Show()
		}
		w.Refresh()
	})
}

// closeNative frees the surface, after the pump has stopped.
func (w *Wall) closeNative() {
	if w.native != nil {
		w.native.release(false)
	}
}

// release takes the surface out of use and closes it; with failed, it is
// not opened again.
func (n *nativeView) release(failed bool) {
	n.mu.Lock()
	surf := n.surf
	n.surf, n.active = nil, false
	n.failed = n.failed || failed
	n.mu.Unlock()
	if surf != nil {
		surf.Close()
	}
}
