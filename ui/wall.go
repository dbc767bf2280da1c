package ui

import (
	"context"
	"image"
	"image/color"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TileState is a live stream's connection state.
type TileState int

const (
	TileConnecting TileState = iota
	TilePlaying
	TileReconnecting
)

// TileStats are a stream's figures for the stats line.
type TileStats struct {
	Codec         string
	Width, Height int
	FPS           float64
	BitrateKbps   float64
	LatencyMs     float64
}

// LiveSource is a playing camera stream the wall draws.
type LiveSource interface {
	// NewFrame reports, without blocking, whether a frame waits to be
	// drawn. The wall polls it on its own clock.
	NewFrame() bool
	Render(dst *image.RGBA, r image.Rectangle) error
	State() (TileState, time.Time)
	Stats() TileStats
}

// PTZControl steers a PTZ camera. Calls return at once; the work runs in
// the background, in order.
type PTZControl interface {
	Move(pan, tilt, zoom float64) // velocities in -1..1; all zero stops
	Stop()
	Home()
	GotoPreset(n int)
	SetPreset(n int)
}

// LiveStream is one camera on the wall.
type LiveStream struct {
	ID, Name string
	Source   LiveSource // the sub stream
	// OpenMain starts the main stream, for tiles larger than the sub
	// stream. nil when there is none.
	OpenMain        func() (LiveSource, func())
	PTZ             PTZControl // nil without PTZ
	FactoryPassword bool
	// Snapshot saves a full-resolution picture and returns where. nil
	// when snapshots are not possible.
	Snapshot func(ctx context.Context) (string, error)
	// Recording reports whether the camera is writing footage now; nil
	// when recording is not available.
	Recording func() bool
	// ToggleRecord starts or stops manual recording and reports whether it
	// is on now.
	ToggleRecord func(ctx context.Context) (bool, error)
}

// offlineAfter is how long a camera reconnects before the tile says
// offline.
const offlineAfter = 30 * time.Second

// Wall shows live streams in a layout. Every tile renders straight into its
// rectangle of one composed image (a canvas.Raster) and the wall repaints
// at most once per frame of the fastest stream, however many frames
// arrive: frames are dropped, never queued. A tile whose stream stops
// keeps its last frame, greyed, and never goes black.
//
// The wall is made of parts that each own their state: the model (what is
// shown where; UI goroutine), the compositor (the paint thread's buffers,
// behind its lock), the frame pump (the clock goroutine), the overlay
// texts and toasts (UI goroutine) and the renderer (the canvas objects).
type Wall struct {
	widget.BaseWidget

	streams []LiveStream

	// UI-goroutine state
	model     wallModel
	showStats bool
	statsOn   atomic.Bool // showStats, for the pump's goroutine
	kb        *wallKeys
	texts     []tileTexts // the words over each stream's tile
	toast     toastState
	// overlayStale asks syncNative to paint the overlay texts again.
	overlayStale bool
	rend         *wallRenderer

	comp   *compositor
	pump   *framePump
	native *nativeView // the X11 surface, when the wall draws there

	stop chan struct{}
	once sync.Once
	log  *slog.Logger
}

// WallConfig configures a wall. NewWall takes it whole, before the wall's
// goroutines start; nothing in it changes afterwards.
type WallConfig struct {
	// Window, when set, lets the wall draw its video straight to an X11
	// child window of it when the platform allows: with software GL that
	// costs a fraction of a Fyne repaint. Menus and dialogs over the
	// window bring the Fyne drawing back while they are open.
	// NIGHTJAR_WALL_DRAW=fyne turns it off.
	Window fyne.Window
	// OnShow says whether the wall is on show (nil: always), for Window.
	OnShow func() bool
	// OnEvent hears timing milestones: "all tiles live" once every
	// visible tile has drawn a frame, and "main stream shown" with the
	// time since a tile was asked to fill the wall. It is called on the
	// paint thread and must not block.
	OnEvent func(what string, d time.Duration)
	// OnTileDrawn sees every tile drawn into the wall's image, as it goes
	// to the screen (for latency probes). It runs on the paint path and
	// must be quick.
	OnTileDrawn func(stream int, img *image.RGBA, r image.Rectangle)
	// Log receives the wall's messages; nil means slog's default.
	Log *slog.Logger
}

// NewWall makes a wall for streams in the smallest grid that holds them.
func NewWall(streams []LiveStream, cfg WallConfig) *Wall {
	ids := make([]string, len(streams))
	for i, s := range streams {
		ids[i] = s.ID
	}
	w := &Wall{streams: streams, model: newWallModel(ids), stop: make(chan struct{})}
	w.texts = make([]tileTexts, len(streams))
	for i, s := range streams {
		if s.FactoryPassword {
			w.texts[i].warn = "⚠ factory password"
		}
	}
	w.log = cfg.Log
	if w.log == nil {
		w.log = slog.Default()
	}
	w.comp = newCompositor(streams, w.stop)
	w.comp.onEvent, w.comp.onTileDrawn = cfg.OnEvent, cfg.OnTileDrawn
	w.pump = &framePump{comp: w.comp, stop: w.stop, done: make(chan struct{}), toUI: w.onTick,
		sample: func() overlaySample { return w.sampleOverlays(w.statsOn.Load()) }}
	if cfg.Window != nil && os.Getenv("NIGHTJAR_WALL_DRAW") != "fyne" {
		onShow := cfg.OnShow
		if onShow == nil {
			onShow = func() bool { return true }
		}
		w.native = &nativeView{win: cfg.Window, onShow: onShow}
		w.pump.drawNative = w.drawNative
	}
	w.ExtendBaseWidget(w)
	w.setView(false)
	go w.pump.run()
	return w
}

// onTick shows what a pump tick found: new frames, and new overlay
// figures when over is not nil. UI goroutine.
func (w *Wall) onTick(repaint bool, over *overlaySample) {
	if repaint && w.rend != nil {
		w.rend.raster.Refresh()
	}
	if over != nil {
		w.applyOverlays(*over)
	}
	w.syncNative()
}

// setView hands the model's view to the compositor and asks for a
// repaint; fullAsked starts the "main stream shown" clock.
func (w *Wall) setView(fullAsked bool) {
	shown, empty := w.model.view()
	w.comp.setView(shown, empty, w.model.full, fullAsked)
	w.pump.dirty.Store(true)
}

// Assign puts stream s on tile t of the layout. If s is on another tile the
// two tiles swap, as control-room operators expect; s = -1 empties t.
func (w *Wall) Assign(t, s int) {
	if w.model.put(t, s) {
		w.setView(false)
		w.Refresh()
	}
}

// TileStream is the stream on tile t, or -1.
func (w *Wall) TileStream(t int) int { return w.model.tileStream(t) }

// Arrangement returns the wall's current arrangement under name.
func (w *Wall) Arrangement(name string) SavedLayout { return w.model.arrangement(name) }

// Apply shows a saved arrangement. Cameras no longer present leave their
// tile empty.
func (w *Wall) Apply(sl SavedLayout) {
	w.model.apply(sl)
	w.setView(false)
	w.Refresh()
}

// SetLayout switches the wall to l.
func (w *Wall) SetLayout(l Layout) {
	w.model.setLayout(l)
	w.setView(false)
	w.Refresh()
}

// CurrentLayout returns the current layout.
func (w *Wall) CurrentLayout() Layout { return w.model.layout }

// Fullscreen shows stream i alone (i < 0 goes back to the layout).
func (w *Wall) Fullscreen(i int) {
	if w.model.fill(i) {
		w.setView(true)
		w.Refresh()
	}
}

// FullscreenStream is the stream shown alone, or -1.
func (w *Wall) FullscreenStream() int { return w.model.full }

// Selected is the selected stream.
func (w *Wall) Selected() int { return w.model.selected }

// Select selects stream i.
func (w *Wall) Select(i int) {
	if w.model.selectStream(i) {
		w.overlaysChanged()
	}
}

// Renders returns how many frames each stream has had drawn, for the
// shown frame rate.
func (w *Wall) Renders() []int64 { return w.comp.rendersNow() }

// closed reports whether Close has run.
func (w *Wall) closed() bool {
	select {
	case <-w.stop:
		return true
	default:
		return false
	}
}

// Close stops any PTZ move the wall started, its goroutines and any main
// streams it opened. Call it on the UI goroutine. The sub streams and the
// PTZ controls belong to the caller, who may close them once Close has
// returned: the wall calls none of them afterwards.
func (w *Wall) Close() {
	w.once.Do(func() {
		w.StopPTZ()
		close(w.stop)
		if w.toast.timer != nil {
			w.toast.timer.Stop()
		}
		// The surface is the pump's; free it once that has stopped. At
		// shutdown the pump can be stuck handing work to a UI loop that
		// has ended: the process is going, so leave it.
		select {
		case <-w.pump.done:
			w.closeNative()
		case <-time.After(time.Second):
		}
		w.comp.closeMains()
	})
}

// CreateRenderer implements fyne.Widget.
func (w *Wall) CreateRenderer() fyne.WidgetRenderer {
	r := &wallRenderer{w: w}
	r.raster = canvas.NewRaster(w.comp.generate)
	r.raster.ScaleMode = canvas.ImageScalePixels
	for range maxTiles {
		h := canvas.NewText("Right-click or drop a camera here", color.NRGBA{0xaa, 0xaa, 0xaa, 0xff})
		h.Hide()
		r.hints = append(r.hints, h)
	}
	r.border = canvas.NewRectangle(color.Transparent)
	r.border.StrokeColor = theme.Color(theme.ColorNamePrimary)
	r.border.StrokeWidth = 2
	r.toast = canvas.NewText("", color.White)
	r.toastBg = canvas.NewRectangle(color.NRGBA{0, 0, 0, 0xcc})
	r.toast.Hide()
	r.toastBg.Hide()
	for _, s := range w.streams {
		o := &tileOverlay{
			name:  canvas.NewText(s.Name, color.White),
			badge: canvas.NewText("", color.White),
			stats: canvas.NewText("", color.White),
			warn:  canvas.NewText("", color.NRGBA{0xff, 0xb0, 0x20, 0xff}),
			rec:   canvas.NewText("", color.NRGBA{0xff, 0x30, 0x30, 0xff}),
			bg:    canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99}),
		}
		o.rec.TextStyle.Bold = true
		o.name.TextStyle.Bold = true
		o.warn.TextStyle.Bold = true
		o.stats.TextSize = theme.CaptionTextSize()
		r.overlays = append(r.overlays, o)
	}
	if w.nativeActive() {
		r.raster.Hide()
	}
	r.applyTexts(false)
	w.rend = r
	return r
}

// overlaysChanged shows new overlay texts. When the X11 surface shows
// them, they are laid out and painted there only: a Fyne refresh would
// repaint the whole window for nothing.
func (w *Wall) overlaysChanged() {
	if w.rend != nil && w.nativeActive() {
		w.rend.Layout(w.Size())
		return
	}
	w.Refresh()
}

// wallRenderer owns the wall's canvas objects: the raster the video is
// composed into, and the texts and boxes over it.
type wallRenderer struct {
	w        *Wall
	raster   *canvas.Raster
	overlays []*tileOverlay // one per stream
	border   *canvas.Rectangle
	hints    []*canvas.Text // "pick a camera" on empty tiles
	toast    *canvas.Text
	toastBg  *canvas.Rectangle
}

type tileOverlay struct {
	name, badge, stats *canvas.Text
	rec                *canvas.Text // "● REC" while the camera records
	warn               *canvas.Text
	bg                 *canvas.Rectangle
}

func (r *wallRenderer) Objects() []fyne.CanvasObject {
	if r.w.nativeActive() {
		// The texts are drawn into the X11 surface, over the video.
		return []fyne.CanvasObject{r.raster}
	}
	return append([]fyne.CanvasObject{r.raster}, r.overlayObjects()...)
}

// overlayObjects are the texts and boxes drawn over the video.
func (r *wallRenderer) overlayObjects() []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, o := range r.overlays {
		objs = append(objs, o.bg, o.name, o.warn, o.rec, o.badge, o.stats)
	}
	for _, h := range r.hints {
		objs = append(objs, h)
	}
	return append(objs, r.border, r.toastBg, r.toast)
}

// applyTexts puts the wall's overlay texts into the canvas texts,
// refreshing those that changed when refresh is set.
func (r *wallRenderer) applyTexts(refresh bool) {
	set := func(t *canvas.Text, v string) {
		if t.Text != v {
			t.Text = v
			if refresh {
				t.Refresh()
			}
		}
	}
	for i, o := range r.overlays {
		tt := r.w.texts[i]
		set(o.badge, tt.badge)
		set(o.rec, tt.rec)
		set(o.stats, tt.stats)
		set(o.warn, tt.warn)
	}
	set(r.toast, r.w.toast.msg)
	if r.w.toast.on {
		r.toast.Show()
		r.toastBg.Show()
	} else {
		r.toast.Hide()
		r.toastBg.Hide()
	}
}

func (r *wallRenderer) Layout(size fyne.Size) {
	w := r.w
	w.overlayStale = true
	r.applyTexts(false)
	r.layoutToast(size)
	r.raster.Resize(size)
	r.raster.Move(fyne.NewPos(0, 0))
	visible := map[int]rectF{}
	shown, empty := w.model.view()
	for _, sl := range shown {
		visible[sl.stream] = sl.rect
	}
	for i, h := range r.hints {
		if i >= len(empty) {
			h.Hide()
			continue
		}
		e := empty[i]
		hs := h.MinSize()
		h.Move(fyne.NewPos(float32(e.X+e.W/2)*size.Width-hs.Width/2, float32(e.Y+e.H/2)*size.Height-hs.Height/2))
		h.Show()
	}
	pad := theme.Padding()
	for i, o := range r.overlays {
		rf, ok := visible[i]
		for _, obj := range []fyne.CanvasObject{o.bg, o.name, o.warn, o.rec, o.badge, o.stats} {
			if ok {
				obj.Show()
			} else {
				obj.Hide()
			}
		}
		if !ok {
			continue
		}
		x, y := float32(rf.X)*size.Width, float32(rf.Y)*size.Height
		tw, th := float32(rf.W)*size.Width, float32(rf.H)*size.Height
		// A long name is cut to what the tile leaves beside the badges,
		// not spilled over the next tile.
		room := tw - o.warn.MinSize().Width - o.rec.MinSize().Width - 6*pad
		o.name.Text = fitText(w.streams[i].Name, room, o.name.TextSize, o.name.TextStyle)
		nameSize := o.name.MinSize()
		o.bg.Move(fyne.NewPos(x, y))
		o.bg.Resize(fyne.NewSize(nameSize.Width+o.warn.MinSize().Width+4*pad, nameSize.Height+pad))
		o.name.Move(fyne.NewPos(x+pad, y+pad/2))
		o.warn.Move(fyne.NewPos(x+nameSize.Width+3*pad, y+pad/2))
		rs := o.rec.MinSize()
		o.rec.Move(fyne.NewPos(x+tw-rs.Width-2*pad, y+pad/2))
		bs := o.badge.MinSize()
		o.badge.Move(fyne.NewPos(x+(tw-bs.Width)/2, y+(th-bs.Height)/2))
		o.stats.Move(fyne.NewPos(x+pad, y+th-o.stats.MinSize().Height-pad))
		if i == w.model.selected {
			r.border.Move(fyne.NewPos(x, y))
			r.border.Resize(fyne.NewSize(tw-2, th-2))
		}
	}
}

func (r *wallRenderer) layoutToast(size fyne.Size) {
	ts := r.toast.MinSize()
	pad := theme.Padding()
	pos := fyne.NewPos((size.Width-ts.Width)/2, size.Height-ts.Height-4*pad)
	r.toast.Move(pos)
	r.toastBg.Move(pos.Subtract(fyne.NewPos(2*pad, pad)))
	r.toastBg.Resize(ts.Add(fyne.NewSize(4*pad, 2*pad)))
}

func (r *wallRenderer) MinSize() fyne.Size { return fyne.NewSize(320, 180) }

func (r *wallRenderer) Refresh() {
	r.applyTexts(!r.w.nativeActive())
	r.Layout(r.w.Size())
	for _, o := range r.overlays {
		o.bg.Refresh()
		o.name.Refresh()
		o.warn.Refresh()
	}
	r.border.Refresh()
	r.toast.Refresh()
	r.toastBg.Refresh()
}

func (r *wallRenderer) Destroy() {}
