package ui

import (
	"image"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// LiveSource is a playing camera stream the wall can draw: player.Live
// satisfies it.
type LiveSource interface {
	// Frames signals that a new frame may be ready.
	Frames() <-chan struct{}
	// Render draws the latest frame into r of dst.
	Render(dst *image.RGBA, r image.Rectangle) error
	// Playing reports whether frames are flowing.
	Playing() bool
}

// LiveStream is one tile's camera.
type LiveStream struct {
	Name   string
	Source LiveSource
}

// refreshInterval is the wall's repaint period: 25 Hz, the fastest stream.
const refreshInterval = 40 * time.Millisecond

// wall shows several live streams in a grid. Every tile renders straight
// into its rectangle of one composed image (a canvas.Raster), and the wall
// repaints at most once per refreshInterval, however many frames arrive:
// frames are dropped, never queued. A tile whose stream stops keeps its
// last frame instead of going black.
type wall struct {
	streams []LiveStream
	raster  *canvas.Raster
	labels  []*widget.Label

	mu  sync.Mutex
	buf *image.RGBA

	dirty atomic.Bool
	stop  chan struct{}
	once  sync.Once
}

func newWall(streams []LiveStream) *wall {
	w := &wall{streams: streams, stop: make(chan struct{})}
	w.raster = canvas.NewRaster(w.generate)
	w.raster.ScaleMode = canvas.ImageScalePixels
	for _, s := range streams {
		l := widget.NewLabelWithStyle(s.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Importance = widget.HighImportance
		w.labels = append(w.labels, l)
	}
	for _, s := range streams {
		go w.watch(s.Source)
	}
	go w.repaint()
	return w
}

// grid returns the columns and rows for n tiles: 1, 2×2, 3×3, 4×4.
func grid(n int) (cols, rows int) {
	cols = int(math.Ceil(math.Sqrt(float64(max(n, 1)))))
	rows = (max(n, 1) + cols - 1) / cols
	return cols, rows
}

// tileRect is tile i's rectangle in a w×h wall, with a 2-unit gap.
func tileRect(i, n, w, h int) image.Rectangle {
	cols, rows := grid(n)
	const gap = 2
	tw, th := (w-gap*(cols-1))/cols, (h-gap*(rows-1))/rows
	x, y := (i%cols)*(tw+gap), (i/cols)*(th+gap)
	return image.Rect(x, y, x+tw, y+th)
}

// generate is the raster's painter, called on the paint thread with the
// wall's size in pixels.
func (w *wall) generate(pw, ph int) image.Image {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf == nil || w.buf.Bounds().Dx() != pw || w.buf.Bounds().Dy() != ph {
		w.buf = image.NewRGBA(image.Rect(0, 0, pw, ph))
	}
	for i, s := range w.streams {
		if !s.Source.Playing() {
			continue // keep the last frame: a stale tile is never black
		}
		s.Source.Render(w.buf, tileRect(i, len(w.streams), pw, ph))
	}
	return w.buf
}

func (w *wall) watch(src LiveSource) {
	for {
		select {
		case <-w.stop:
			return
		case <-src.Frames():
			w.dirty.Store(true)
		}
	}
}

func (w *wall) repaint() {
	t := time.NewTicker(refreshInterval)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			if w.dirty.Swap(false) {
				fyne.Do(w.raster.Refresh)
			}
		}
	}
}

// Close stops the wall's goroutines. The streams belong to the caller.
func (w *wall) Close() { w.once.Do(func() { close(w.stop) }) }

// object is the wall with its name overlays.
func (w *wall) object() fyne.CanvasObject {
	overlay := container.New(&wallLayout{n: len(w.streams)})
	for _, l := range w.labels {
		overlay.Add(container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameShadow)), l))
	}
	return container.NewStack(w.raster, overlay)
}

// wallLayout puts each name label at the top left of its tile.
type wallLayout struct{ n int }

func (l *wallLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for i, o := range objs {
		r := tileRect(i, l.n, int(size.Width), int(size.Height))
		o.Resize(o.MinSize())
		o.Move(fyne.NewPos(float32(r.Min.X)+6, float32(r.Min.Y)+6))
	}
}

func (l *wallLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(320, 180) }
