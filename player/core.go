package player

import (
	"errors"
	"fmt"
	"image"
	"os"
	"sync"
	"sync/atomic"
	"time"

	mpv "github.com/gen2brain/go-mpv"

	"nightjar/internal/zones"
)

// ErrClosed is returned by calls on a closed Core.
var ErrClosed = errors.New("player is closed")

// Core is one libmpv instance with a software render context. Its methods
// are safe for concurrent use.
type Core struct {
	mu     sync.Mutex
	m      *mpv.Mpv
	rc     *mpv.RenderContext
	closed bool
	waits  sync.WaitGroup // WaitEvent calls in flight; Close waits for them
	// wake is mpv's wakeup pipe, where the platform has one: WaitEvent
	// waits on it in Go's poller instead of blocking inside libmpv.
	wake *os.File

	// frames is signalled (without blocking) whenever mpv has a new
	// frame, once Frames has been called.
	frames    chan struct{}
	frameOnce sync.Once
	// updates counts new frames: mpv's signals once Frames has been
	// called, the HasNewFrame polls that found one before that.
	updates  atomic.Int64
	callback atomic.Bool

	// mask is painted over every frame this Core renders (SetMask).
	mask atomic.Pointer[zones.Mask]
	// dims is the video's display size, dw<<32 | dh: read by WaitEvent
	// when mpv reports a video reconfiguration, which it does before it
	// queues the first frame of a new size, or set by a still that knows
	// its size. Render never reads a property itself: a property read
	// waits for mpv's core, which is busy for long stretches while a
	// stream opens or seeks.
	dims atomic.Uint64
}

// CoreOptions are libmpv options applied before initialisation, as
// name=value pairs. Later entries override earlier ones.
type CoreOptions map[string]string

// builtinScripts are the options that load libmpv's built-in scripts,
// across versions (0.35 has the first three). They load even with
// load-scripts=no, each in a Lua state on a thread of its own, the stats
// and console ones with a libass renderer: almost 4 MB per player that a
// tile never shows.
var builtinScripts = []string{
	"load-stats-overlay", "load-osd-console", "load-auto-profiles", "load-console",
	"load-select", "load-commands", "load-context-menu", "load-positioning",
}

// NewCore creates and initialises an mpv instance that renders through the
// software render API. Audio is off unless opts turn it on.
func NewCore(opts CoreOptions) (*Core, error) {
	m := mpv.New()
	if m == nil {
		return nil, errors.New("create mpv instance: libmpv returned nothing")
	}
	base := CoreOptions{
		"vo":                     "libmpv",
		"ao":                     "null",
		"aid":                    "no",
		"terminal":               "no",
		"msg-level":              "all=no",
		"input-default-bindings": "no",
		"idle":                   "yes",
		"osc":                    "no",
		"config":                 "no",
		"load-scripts":           "no",
		"ytdl":                   "no",
		// mpv stretches each frame over exactly the rectangle render
		// hands it; render fits that rectangle to the video's aspect
		// itself, so it knows where the frame lies and the privacy
		// zones land on the right pixels.
		"keepaspect": "no",
	}
	for k, v := range opts {
		base[k] = v
	}
	for k, v := range base {
		if err := m.SetOptionString(k, v); err != nil {
			m.TerminateDestroy()
			return nil, fmt.Errorf("set mpv option %s=%s: %w", k, v, err)
		}
	}
	for _, k := range builtinScripts {
		// A libmpv without this script has no option for it.
		if err := m.SetOptionString(k, "no"); err != nil && !errors.Is(err, mpv.ErrOptionNotFound) {
			m.TerminateDestroy()
			return nil, fmt.Errorf("set mpv option %s=no: %w", k, err)
		}
	}
	if err := m.Initialize(); err != nil {
		m.TerminateDestroy()
		return nil, fmt.Errorf("initialise mpv: %w", err)
	}
	rc, err := m.NewRenderContextSW()
	if err != nil {
		m.TerminateDestroy()
		return nil, fmt.Errorf("create mpv software render context: %w", err)
	}
	c := &Core{m: m, rc: rc, frames: make(chan struct{}, 1), wake: wakeupFile(m.WakeupPipe())}
	cHeap.add()
	return c, nil
}

// Frames returns a channel that receives a value when a new frame may be
// ready. Signals coalesce: a slow reader sees one, not a queue.
//
// The first call registers mpv's update callback, a call from mpv's
// thread into Go for every frame. A caller that draws on its own clock
// polls HasNewFrame instead and saves those: each one wakes the Go
// runtime from idle, and on a 16-tile wall they added up to a tenth of a
// core.
func (c *Core) Frames() <-chan struct{} {
	c.frameOnce.Do(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			return
		}
		c.callback.Store(true)
		c.rc.SetUpdateCallback(func() {
			c.updates.Add(1)
			select {
			case c.frames <- struct{}{}:
			default:
			}
		})
	})
	return c.frames
}

// Command runs an mpv command such as {"loadfile", url}.
func (c *Core) Command(args ...string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	return c.m.Command(args)
}

// SetProperty sets an mpv property from a string.
func (c *Core) SetProperty(name, value string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	return c.m.SetPropertyString(name, value)
}

// Property returns an mpv property as a string, or "" when it is unset.
func (c *Core) Property(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ""
	}
	return c.m.GetPropertyString(name)
}

// WaitEvent waits up to timeout seconds for the next mpv event and returns
// an EventNone one when none came. It does not hold the Core's lock while
// waiting.
//
// Where mpv has a wakeup pipe (Unix), the wait happens in Go's poller and
// the calls into libmpv never block. A cgo call that blocks for more than
// 10 ms makes the Go runtime's monitor thread wake every 20 µs; with one
// waiting player per tile that cost a tenth of a core on a 16-tile wall.
func (c *Core) WaitEvent(timeout float64) *mpv.Event {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.waits.Add(1)
	m, wake := c.m, c.wake
	c.mu.Unlock()
	defer c.waits.Done()
	if wake == nil {
		return c.noteEvent(m, m.WaitEvent(timeout))
	}
	deadline := time.Now().Add(time.Duration(timeout * float64(time.Second)))
	var buf [64]byte
	for {
		ev := m.WaitEvent(0)
		if ev.EventID != mpv.EventNone || c.isClosed() || !time.Now().Before(deadline) {
			return c.noteEvent(m, ev)
		}
		// mpv writes a byte for every new event, and for Wakeup, so an
		// event that arrived since the call above ends the read at once.
		wake.SetReadDeadline(deadline)
		wake.Read(buf[:])
	}
}

// noteEvent keeps the display size up to date from a video
// reconfiguration event, on the caller's goroutine (the player's event
// loop), and returns ev.
func (c *Core) noteEvent(m *mpv.Mpv, ev *mpv.Event) *mpv.Event {
	if ev != nil && ev.EventID == mpv.EventVideoReconfig {
		var w, h int
		fmt.Sscan(m.GetPropertyString("video-params/dw"), &w)
		fmt.Sscan(m.GetPropertyString("video-params/dh"), &h)
		c.setSize(w, h)
	}
	return ev
}

// setSize records the video's display size; a size that is not one (no
// video, or a reconfiguration to none) leaves the last one in place.
func (c *Core) setSize(w, h int) {
	if w > 0 && h > 0 && w < 1<<31 && h < 1<<31 {
		c.dims.Store(uint64(w)<<32 | uint64(h))
	}
}

func (c *Core) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// HasNewFrame reports whether mpv has a frame not drawn yet. It does not
// block, and it is cheap enough to call for every tile on every paint.
//
// Until the display size is known (WaitEvent has seen the video's
// reconfiguration) it reports none and leaves mpv's frame waiting, so no
// caller draws a frame stretched over the whole tile: the frame is drawn,
// fitted, at the first call after the size arrives.
func (c *Core) HasNewFrame() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.dims.Load() == 0 {
		return false
	}
	fresh := c.rc.Update()&mpv.RenderUpdateFrame != 0
	if fresh && !c.callback.Load() {
		c.updates.Add(1)
	}
	return fresh
}

// SetMask sets the privacy zones painted over every frame the Core
// renders from now on, by every route: Render, RenderBGR, and so
// snapshots, frames and thumbnails. Nil paints none.
func (c *Core) SetMask(m *zones.Mask) { c.mask.Store(m) }

// Render draws the current frame, scaled to fit r with its aspect kept
// (black bars fill the rest of r), into dst, with the Core's privacy
// zones painted over it. r must lie inside dst.Bounds(). Pixels are
// opaque after the call.
func (c *Core) Render(dst *image.RGBA, r image.Rectangle) error {
	r, err := c.render(dst, r, "rgb0")
	if err == nil {
		setOpaque(dst, r)
	}
	return err
}

// RenderBGR is Render with the bytes of each pixel in B, G, R, X order, as
// an X11 image wants them; the fourth byte of the picture is left as it
// is.
func (c *Core) RenderBGR(dst *image.RGBA, r image.Rectangle) error {
	_, err := c.render(dst, r, "bgr0")
	return err
}

func (c *Core) render(dst *image.RGBA, r image.Rectangle, format string) (image.Rectangle, error) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return r, nil
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return r, ErrClosed
	}
	d := c.dims.Load()
	v := fitAspect(r, int(d>>32), int(d&0xffffffff))
	off := dst.PixOffset(v.Min.X, v.Min.Y)
	end := dst.PixOffset(v.Max.X-1, v.Max.Y-1) + 4
	err := c.rc.RenderSW(v.Dx(), v.Dy(), dst.Stride, format, dst.Pix[off:end])
	c.mu.Unlock()
	if err != nil {
		return r, fmt.Errorf("render frame: %w", err)
	}
	if v != r {
		fillBars(dst, r, v)
	}
	c.mask.Load().Apply(dst, v, format == "bgr0")
	return r, nil
}

// fitAspect centres the largest w:h rectangle in r (rounded to the
// nearest pixel); r itself when w or h is unknown.
func fitAspect(r image.Rectangle, w, h int) image.Rectangle {
	rw, rh := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 || rw*h == rh*w {
		return r
	}
	if rw*h > rh*w { // r is wider: bars left and right
		vw := max((rh*w+h/2)/h, 1)
		x := r.Min.X + (rw-vw)/2
		return image.Rect(x, r.Min.Y, x+vw, r.Max.Y)
	}
	vh := max((rw*h+w/2)/w, 1)
	y := r.Min.Y + (rh-vh)/2
	return image.Rect(r.Min.X, y, r.Max.X, y+vh)
}

// fillBars paints r outside v opaque black: the bars beside a fitted
// frame.
func fillBars(dst *image.RGBA, r, v image.Rectangle) {
	black := func(b image.Rectangle) {
		b = b.Intersect(r)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := dst.Pix[dst.PixOffset(b.Min.X, y):dst.PixOffset(b.Max.X, y)]
			for i := 0; i+3 < len(row); i += 4 {
				row[i], row[i+1], row[i+2], row[i+3] = 0, 0, 0, 0xff
			}
		}
	}
	black(image.Rect(r.Min.X, r.Min.Y, r.Max.X, v.Min.Y))
	black(image.Rect(r.Min.X, v.Max.Y, r.Max.X, r.Max.Y))
	black(image.Rect(r.Min.X, v.Min.Y, v.Min.X, v.Max.Y))
	black(image.Rect(v.Max.X, v.Min.Y, r.Max.X, v.Max.Y))
}

func setOpaque(dst *image.RGBA, r image.Rectangle) {
	w := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):][:w]
		for i := 3; i < w; i += 4 {
			row[i] = 0xff
		}
	}
}

// Close frees the render context, then the mpv instance, after any
// WaitEvent in flight has returned. It is safe to call more than once.
func (c *Core) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	// Wake any WaitEvent and let it return before the handle goes away.
	c.m.Wakeup()
	c.waits.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rc.Free()
	c.m.TerminateDestroy()
	if c.wake != nil {
		c.wake.Close()
	}
	cHeap.remove()
}
