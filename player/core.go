package player

import (
	"errors"
	"fmt"
	"image"
	"sync"
	"sync/atomic"

	mpv "github.com/gen2brain/go-mpv"
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

	// frames is signalled (without blocking) whenever mpv has a new frame.
	frames chan struct{}
	// updates counts mpv's new-frame signals, for the frame rate.
	updates atomic.Int64
}

// CoreOptions are libmpv options applied before initialisation, as
// name=value pairs. Later entries override earlier ones.
type CoreOptions map[string]string

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
	if err := m.Initialize(); err != nil {
		m.TerminateDestroy()
		return nil, fmt.Errorf("initialise mpv: %w", err)
	}
	rc, err := m.NewRenderContextSW()
	if err != nil {
		m.TerminateDestroy()
		return nil, fmt.Errorf("create mpv software render context: %w", err)
	}
	c := &Core{m: m, rc: rc, frames: make(chan struct{}, 1)}
	rc.SetUpdateCallback(func() {
		c.updates.Add(1)
		select {
		case c.frames <- struct{}{}:
		default:
		}
	})
	return c, nil
}

// Frames returns a channel that receives a value when a new frame may be
// ready. Signals coalesce: a slow reader sees one, not a queue.
func (c *Core) Frames() <-chan struct{} { return c.frames }

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

// WaitEvent waits up to timeout seconds for the next mpv event. It does not
// hold the Core's lock while waiting.
func (c *Core) WaitEvent(timeout float64) *mpv.Event {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.waits.Add(1)
	m := c.m
	c.mu.Unlock()
	defer c.waits.Done()
	return m.WaitEvent(timeout)
}

// HasNewFrame reports whether mpv wants a redraw.
func (c *Core) HasNewFrame() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	return c.rc.Update()&mpv.RenderUpdateFrame != 0
}

// Render draws the current frame, scaled to fit r, into dst. r must lie
// inside dst.Bounds(). Pixels are opaque after the call.
func (c *Core) Render(dst *image.RGBA, r image.Rectangle) error {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return nil
	}
	off := dst.PixOffset(r.Min.X, r.Min.Y)
	end := dst.PixOffset(r.Max.X-1, r.Max.Y-1) + 4
	buf := dst.Pix[off:end]
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	err := c.rc.RenderSW(r.Dx(), r.Dy(), dst.Stride, "rgb0", buf)
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("render frame: %w", err)
	}
	setOpaque(dst, r)
	return nil
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
}
