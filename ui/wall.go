package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"log/slog"
	"strings"
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

// refreshInterval is the wall's repaint period: 25 Hz, the fastest stream.
const refreshInterval = 40 * time.Millisecond

// Wall shows live streams in a layout. Every tile renders straight into its
// rectangle of one composed image (a canvas.Raster) and the wall repaints
// at most once per refreshInterval, however many frames arrive: frames are
// dropped, never queued. A tile whose stream stops keeps its last frame,
// greyed, and never goes black.
type Wall struct {
	widget.BaseWidget

	streams []LiveStream

	// UI-goroutine state
	assign    []int // tile index -> stream index, or -1 for an empty tile
	layout    Layout
	selected  int
	full      int // stream shown alone, or -1
	showStats bool
	kb        *wallKeys
	// overlayStale asks syncNative to paint the overlay texts again.
	overlayStale bool
	rend         *wallRenderer

	raster   *canvas.Raster
	overlays []*tileOverlay
	border   *canvas.Rectangle
	hints    []*canvas.Text // "pick a camera" on empty tiles
	toast    *canvas.Text
	toastBg  *canvas.Rectangle
	toastSeq int

	mu  sync.Mutex  // guards the render state below (paint thread)
	buf *image.RGBA // the raster's image
	// target is the buffer compose drew into last, and its byte order.
	target    *image.RGBA
	targetBGR bool
	native    *nativeView // the X11 surface, when the wall draws there
	greyed    map[int]bool
	mains     map[int]*mainStream
	view      []slot  // what generate draws: set on the UI goroutine
	empty     []rectF // empty tiles of the layout
	// layoutChanged makes the next generate draw every tile.
	layoutChanged bool
	shown         map[int]LiveSource // the source each stream was last drawn from

	dirty     atomic.Bool
	stop      chan struct{}
	tickDone  chan struct{}
	once      sync.Once
	renders   []atomic.Int64 // frames drawn per stream, for the shown fps
	subWidths []atomic.Int32 // each sub stream's width, cached for generate
	// OnEvent, when set before the first paint, hears timing milestones:
	// "all tiles live" once every visible tile has drawn a frame, and
	// "main stream shown" with the time since a tile was asked to fill
	// the wall. It is called on the paint thread and must not block.
	OnEvent func(what string, d time.Duration)
	// OnTileDrawn, when set before the first paint, sees every tile drawn
	// into the wall's image, as it goes to the screen (for latency
	// probes). It runs on the paint path and must be quick.
	OnTileDrawn func(stream int, img *image.RGBA, r image.Rectangle)
	// Log, when set before the first paint, receives the wall's messages;
	// nil means slog's default.
	Log          *slog.Logger
	created      time.Time
	allLive      bool
	fullAsked    time.Time
	fullReported bool
	fresh        sync.Map // LiveSource -> *atomic.Bool: a new frame waits
}

type slot struct {
	stream int
	rect   rectF
}

type mainStream struct {
	src   LiveSource
	close func()
}

type tileOverlay struct {
	name, badge, stats *canvas.Text
	rec                *canvas.Text // "● REC" while the camera records
	warn               *canvas.Text
	bg                 *canvas.Rectangle
}

// NewWall makes a wall for streams in the smallest grid that holds them.
func NewWall(streams []LiveStream) *Wall {
	w := &Wall{created: time.Now(), streams: streams, full: -1, stop: make(chan struct{}), tickDone: make(chan struct{}), greyed: map[int]bool{}, mains: map[int]*mainStream{}, shown: map[int]LiveSource{}}
	w.layout = layoutFor(len(streams))
	w.renders = make([]atomic.Int64, len(streams))
	w.subWidths = make([]atomic.Int32, len(streams))
	w.assign = make([]int, maxTiles)
	for i := range w.assign {
		w.assign[i] = -1
		if i < len(streams) {
			w.assign[i] = i
		}
	}
	for range maxTiles {
		h := canvas.NewText("Right-click or drop a camera here", color.NRGBA{0xaa, 0xaa, 0xaa, 0xff})
		h.Hide()
		w.hints = append(w.hints, h)
	}
	w.raster = canvas.NewRaster(w.generate)
	w.raster.ScaleMode = canvas.ImageScalePixels
	w.border = canvas.NewRectangle(color.Transparent)
	w.border.StrokeColor = theme.Color(theme.ColorNamePrimary)
	w.border.StrokeWidth = 2
	w.toast = canvas.NewText("", color.White)
	w.toastBg = canvas.NewRectangle(color.NRGBA{0, 0, 0, 0xcc})
	w.toast.Hide()
	w.toastBg.Hide()
	for _, s := range streams {
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
		if s.FactoryPassword {
			o.warn.Text = "⚠ factory password"
		}
		w.overlays = append(w.overlays, o)
	}
	w.ExtendBaseWidget(w)
	w.setView()
	go w.tick()
	return w
}

// setView recomputes which stream goes in which rectangle.
func (w *Wall) setView() {
	var v []slot
	var empty []rectF
	if w.full >= 0 {
		v = []slot{{w.full, rectF{0, 0, 1, 1}}}
	} else {
		for i, r := range w.layout.Tiles {
			if s := w.assign[i]; s >= 0 && s < len(w.streams) {
				v = append(v, slot{s, r})
			} else {
				empty = append(empty, r)
			}
		}
	}
	w.mu.Lock()
	w.view, w.empty = v, empty
	w.greyed = map[int]bool{}
	w.layoutChanged = true
	if w.target != nil {
		clear(w.target.Pix) // stale pixels of another layout must not show
	}
	w.mu.Unlock()
	w.dirty.Store(true)
}

// maxTiles is the most tiles a layout has (4×4).
const maxTiles = 16

// Assign puts stream s on tile t of the layout. If s is on another tile the
// two tiles swap, as control-room operators expect; s = -1 empties t.
func (w *Wall) Assign(t, s int) {
	if t < 0 || t >= maxTiles || s >= len(w.streams) {
		return
	}
	if s >= 0 {
		for i, cur := range w.assign {
			if cur == s && i != t {
				w.assign[i] = w.assign[t]
			}
		}
	}
	w.assign[t] = s
	w.full = -1
	w.setView()
	w.Refresh()
}

// TileStream is the stream on tile t, or -1.
func (w *Wall) TileStream(t int) int {
	if t < 0 || t >= len(w.assign) {
		return -1
	}
	return w.assign[t]
}

// tileAt is the layout tile under p, or -1.
func (w *Wall) tileAt(p fyne.Position) int {
	size := w.Size()
	if w.full >= 0 || size.Width <= 0 || size.Height <= 0 {
		return -1
	}
	x, y := float64(p.X/size.Width), float64(p.Y/size.Height)
	for i, r := range w.layout.Tiles {
		if x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H {
			return i
		}
	}
	return -1
}

// DropAt assigns stream s to the tile under the absolute position p: the
// end of a drag from the camera list.
func (w *Wall) DropAt(p fyne.Position, s int) {
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(w)
	if t := w.tileAt(p.Subtract(abs)); t >= 0 {
		w.Assign(t, s)
	}
}

// SavedLayout is a named wall arrangement: a layout and the camera on each
// tile, by camera id ("" for an empty tile).
type SavedLayout struct {
	Name    string   `json:"name"`
	Layout  string   `json:"layout"`
	Cameras []string `json:"cameras"`
}

// Arrangement returns the wall's current arrangement under name.
func (w *Wall) Arrangement(name string) SavedLayout {
	sl := SavedLayout{Name: name, Layout: w.layout.Name}
	for i := range w.layout.Tiles {
		id := ""
		if s := w.assign[i]; s >= 0 && s < len(w.streams) {
			id = w.streams[s].ID
		}
		sl.Cameras = append(sl.Cameras, id)
	}
	return sl
}

// Apply shows a saved arrangement. Cameras no longer present leave their
// tile empty.
func (w *Wall) Apply(sl SavedLayout) {
	l := w.layout
	for _, b := range Layouts {
		if b.Name == sl.Layout {
			l = b
		}
	}
	byID := map[string]int{}
	for i, s := range w.streams {
		byID[s.ID] = i
	}
	for i := range w.assign {
		w.assign[i] = -1
		if i < len(sl.Cameras) {
			if s, ok := byID[sl.Cameras[i]]; ok {
				w.assign[i] = s
			}
		}
	}
	w.layout, w.full = l, -1
	w.setView()
	w.Refresh()
}

// SetLayout switches the wall to l.
func (w *Wall) SetLayout(l Layout) {
	w.layout, w.full = l, -1
	w.setView()
	w.Refresh()
}

// CurrentLayout returns the current layout.
func (w *Wall) CurrentLayout() Layout { return w.layout }

// Fullscreen shows stream i alone (i < 0 goes back to the layout).
func (w *Wall) Fullscreen(i int) {
	if i >= len(w.streams) {
		return
	}
	w.full = i
	if i >= 0 {
		w.selected = i
	}
	w.mu.Lock()
	w.fullAsked, w.fullReported = time.Now(), false
	w.mu.Unlock()
	w.setView()
	w.Refresh()
}

// FullscreenStream is the stream shown alone, or -1.
func (w *Wall) FullscreenStream() int { return w.full }

// Selected is the selected stream.
func (w *Wall) Selected() int { return w.selected }

// Select selects stream i.
func (w *Wall) Select(i int) {
	if i >= 0 && i < len(w.streams) {
		w.selected = i
		w.overlaysChanged()
	}
}

// ToggleStats shows or hides every tile's stats line.
func (w *Wall) ToggleStats() {
	w.showStats = !w.showStats
	w.updateOverlays()
}

// StatsShown reports whether the stats lines are on.
func (w *Wall) StatsShown() bool { return w.showStats }

// Close stops the wall's goroutines and any main streams it opened. The
// sub streams belong to the caller.
func (w *Wall) Close() {
	w.once.Do(func() {
		close(w.stop)
		// The surface is the tick goroutine's; free it once that has
		// stopped. At shutdown the tick can be stuck handing work to a UI
		// loop that has ended: the process is going, so leave it.
		select {
		case <-w.tickDone:
			w.closeNative()
		case <-time.After(time.Second):
		}
		w.mu.Lock()
		mains := w.mains
		w.mains = map[int]*mainStream{}
		w.mu.Unlock()
		for _, m := range mains {
			m.close()
		}
	})
}

func (w *Wall) freshFlag(src LiveSource) *atomic.Bool {
	f, _ := w.fresh.LoadOrStore(src, new(atomic.Bool))
	return f.(*atomic.Bool)
}

// pollFrames marks the shown sources that have a new frame and reports
// whether any has. Polling on the wall's clock, rather than hearing from
// every player on every frame, keeps the Go runtime from being woken from
// idle hundreds of times a second.
func (w *Wall) pollFrames() bool {
	w.mu.Lock()
	srcs := make([]LiveSource, 0, 2*len(w.view))
	for _, sl := range w.view {
		srcs = append(srcs, w.streams[sl.stream].Source)
		if m := w.mains[sl.stream]; m != nil {
			srcs = append(srcs, m.src)
		}
	}
	w.mu.Unlock()
	any := false
	for _, src := range srcs {
		if src.NewFrame() {
			w.freshFlag(src).Store(true)
			any = true
		}
	}
	return any
}

// tick repaints the wall when frames arrived, at a rate a little above
// the fastest visible stream (so no frame is skipped, and none is painted
// twice), and refreshes the overlays at about 4 Hz.
func (w *Wall) tick() {
	defer close(w.tickDone)
	interval := refreshInterval
	t := time.NewTicker(interval)
	defer t.Stop()
	lastOverlay, lastTune := time.Now(), time.Now()
	for {
		select {
		case <-w.stop:
			return
		case now := <-t.C:
			frames := w.pollFrames()
			repaint := w.dirty.Swap(false) || frames
			overlays := now.Sub(lastOverlay) >= 250*time.Millisecond
			if overlays {
				lastOverlay = now
			}
			if w.drawNative() {
				repaint = false
			}
			if repaint || overlays || w.native != nil {
				fyne.Do(func() {
					if repaint {
						w.raster.Refresh()
					}
					if overlays {
						w.updateOverlays()
					}
					w.syncNative()
				})
			}
			if now.Sub(lastTune) >= 2*time.Second {
				lastTune = now
				w.refreshSubWidths()
				if d := w.paintInterval(); d != interval {
					interval = d
					t.Reset(d)
				}
			}
		}
	}
}

// paintInterval is 1/(1.1 × the fastest shown stream's fps), within
// 33–100 ms; refreshInterval while no rate is known.
func (w *Wall) paintInterval() time.Duration {
	w.mu.Lock()
	srcs := make([]LiveSource, 0, len(w.shown))
	for _, s := range w.shown {
		srcs = append(srcs, s)
	}
	w.mu.Unlock()
	fps := 0.0
	for _, s := range srcs {
		fps = max(fps, s.Stats().FPS)
	}
	if fps < 1 {
		return refreshInterval
	}
	d := time.Duration(float64(time.Second) / (fps * 1.1))
	return min(100*time.Millisecond, max(33*time.Millisecond, d))
}

// defaultSubWidth stands in until a sub stream's width is known.
const defaultSubWidth = 640

// refreshSubWidths caches each sub stream's width for generate, which
// must not read player properties for every tile on every paint. It runs
// off the paint thread, every couple of seconds.
func (w *Wall) refreshSubWidths() {
	for i, s := range w.streams {
		if s.OpenMain == nil {
			continue
		}
		if wd := s.Source.Stats().Width; wd > 0 {
			w.subWidths[i].Store(int32(wd))
		}
	}
}

// subWidth is stream i's sub stream width, for choosing streams by size.
func (w *Wall) subWidth(i int) int {
	if wd := w.subWidths[i].Load(); wd > 0 {
		return int(wd)
	}
	return defaultSubWidth
}

// generate is the raster's painter, called on the paint thread with the
// wall's size in pixels.
func (w *Wall) generate(pw, ph int) image.Image {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf == nil || w.buf.Bounds().Dx() != pw || w.buf.Bounds().Dy() != ph {
		w.buf = image.NewRGBA(image.Rect(0, 0, pw, ph))
	}
	w.compose(w.buf, false)
	return w.buf
}

// compose draws the tiles with a new frame (all of them after a layout
// change or a change of buffer) into buf, in R, G, B, A order or, with
// bgr, B, G, R, X. A stream that is not playing keeps its last picture,
// greyed. It returns the rectangles it drew. Called with w.mu held.
func (w *Wall) compose(buf *image.RGBA, bgr bool) []image.Rectangle {
	pw, ph := buf.Rect.Dx(), buf.Rect.Dy()
	redrawAll := false
	if buf != w.target {
		// Keep the pictures of stale tiles: carry the old buffer over.
		if w.target != nil && w.target.Rect.Eq(buf.Rect) {
			copyPixels(buf, w.target, w.targetBGR != bgr)
		} else {
			w.greyed = map[int]bool{}
		}
		w.target, w.targetBGR = buf, bgr
		redrawAll = true
	}
	if w.layoutChanged {
		w.layoutChanged, redrawAll = false, true
	}
	var drawn []image.Rectangle
	if redrawAll {
		bg := color.RGBA{28, 30, 34, 255}
		if bgr {
			bg.R, bg.B = bg.B, bg.R
		}
		for _, e := range w.empty {
			fillRect(buf, e.pixelRect(pw, ph), bg)
		}
		drawn = append(drawn, buf.Rect)
	}
	wantMain := map[int]bool{}
	for _, sl := range w.view {
		r := sl.rect.pixelRect(pw, ph)
		s := w.streams[sl.stream]
		src := s.Source
		// The stream follows the tile's size: the main stream once the
		// tile is clearly larger than the sub stream.
		if s.OpenMain != nil && r.Dx() > w.subWidth(sl.stream)*6/5 {
			wantMain[sl.stream] = true
			if m := w.mains[sl.stream]; m != nil {
				if st, _ := m.src.State(); st == TilePlaying {
					src = m.src
				}
			}
		}
		switched := w.shown[sl.stream] != src
		w.shown[sl.stream] = src
		if st, _ := src.State(); st == TilePlaying {
			// Only tiles with a new frame are drawn again; the others keep
			// their pixels in the buffer.
			if !w.freshFlag(src).Swap(false) && !redrawAll && !switched && !w.greyed[sl.stream] {
				continue
			}
			renderInto(src, buf, r, bgr)
			w.renders[sl.stream].Add(1)
			if w.OnTileDrawn != nil {
				w.OnTileDrawn(sl.stream, buf, r)
			}
			w.greyed[sl.stream] = false
			drawn = append(drawn, r)
		} else if !w.greyed[sl.stream] {
			greyOut(buf, r)
			w.greyed[sl.stream] = true
			drawn = append(drawn, r)
		}
	}
	w.syncMains(wantMain)
	w.reportMilestones()
	return drawn
}

// bgrSource is a LiveSource that can draw in X11's byte order itself.
type bgrSource interface {
	RenderBGR(dst *image.RGBA, r image.Rectangle) error
}

func renderInto(src LiveSource, buf *image.RGBA, r image.Rectangle, bgr bool) {
	if !bgr {
		src.Render(buf, r)
		return
	}
	if b, ok := src.(bgrSource); ok {
		b.RenderBGR(buf, r)
		return
	}
	src.Render(buf, r)
	swapRB(buf, r)
}

// swapRB turns R, G, B, A pixels in r into B, G, R, A and back.
func swapRB(img *image.RGBA, r image.Rectangle) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):][:r.Dx()*4]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+2] = row[i+2], row[i]
		}
	}
}

// copyPixels copies src to dst (the same size), swapping R and B when
// the two differ in byte order. The copy is opaque.
func copyPixels(dst, src *image.RGBA, swap bool) {
	for y := 0; y < dst.Rect.Dy(); y++ {
		d := dst.Pix[y*dst.Stride:][:dst.Rect.Dx()*4]
		copy(d, src.Pix[y*src.Stride:][:src.Rect.Dx()*4])
		if swap {
			for i := 0; i < len(d); i += 4 {
				d[i], d[i+2], d[i+3] = d[i+2], d[i], 0xff
			}
		}
	}
}

// reportMilestones tells OnEvent when every visible tile first showed a
// frame, and when a filled tile first showed its main stream. Called with
// w.mu held.
func (w *Wall) reportMilestones() {
	if w.OnEvent == nil {
		return
	}
	if !w.allLive && len(w.view) > 0 {
		all := true
		for _, sl := range w.view {
			all = all && w.renders[sl.stream].Load() > 0
		}
		if all {
			w.allLive = true
			w.OnEvent("all tiles live", time.Since(w.created))
		}
	}
	if w.full >= 0 && !w.fullReported && !w.fullAsked.IsZero() {
		if m := w.mains[w.full]; m != nil && w.shown[w.full] == m.src {
			if st, _ := m.src.State(); st == TilePlaying {
				w.fullReported = true
				w.OnEvent("main stream shown", time.Since(w.fullAsked))
			}
		}
	}
}

// syncMains opens wanted main streams and closes unwanted ones, in the
// background. Called with w.mu held.
func (w *Wall) syncMains(want map[int]bool) {
	for i := range want {
		if _, ok := w.mains[i]; !ok {
			w.mains[i] = &mainStream{src: pendingSource{}, close: func() {}}
			go func() {
				src, closeFn := w.streams[i].OpenMain()
				w.mu.Lock()
				defer w.mu.Unlock()
				select {
				case <-w.stop:
					closeFn()
					return
				default:
				}
				w.mains[i] = &mainStream{src: src, close: closeFn}
			}()
		}
	}
	for i, m := range w.mains {
		if !want[i] {
			delete(w.mains, i)
			go m.close()
		}
	}
}

// pendingSource stands in while a main stream opens.
type pendingSource struct{}

func (pendingSource) NewFrame() bool                            { return false }
func (pendingSource) Render(*image.RGBA, image.Rectangle) error { return nil }
func (pendingSource) State() (TileState, time.Time)             { return TileConnecting, time.Time{} }
func (pendingSource) Stats() TileStats                          { return TileStats{} }

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// greyOut dims and desaturates r: a stale picture, clearly not live. An
// empty (never drawn) tile becomes dark grey, not black.
func greyOut(img *image.RGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):][:r.Dx()*4]
		for i := 0; i < len(row); i += 4 {
			l := (uint32(row[i])*3 + uint32(row[i+1])*6 + uint32(row[i+2])) / 10
			v := uint8(40 + l/2)
			row[i], row[i+1], row[i+2], row[i+3] = v, v, v, 0xff
		}
	}
}

// badgeText is what a tile says about its connection.
func badgeText(st TileState, since time.Time, now time.Time) string {
	switch st {
	case TileConnecting:
		return "connecting…"
	case TileReconnecting:
		d := now.Sub(since)
		if d >= offlineAfter {
			return "offline · last seen " + since.Format("15:04:05")
		}
		return fmt.Sprintf("reconnecting… %ds", int(d.Seconds()))
	}
	return ""
}

// updateOverlays sets the badges and stats lines. It repaints only when a
// text changed: on software GL every repaint redraws the whole window.
func (w *Wall) updateOverlays() {
	now := time.Now()
	changed := false
	native := w.nativeActive()
	set := func(t *canvas.Text, v string) {
		if t.Text != v {
			t.Text = v
			if !native {
				t.Refresh()
			}
			changed = true
		}
	}
	for i, o := range w.overlays {
		s := w.streams[i]
		st, since := s.Source.State()
		set(o.badge, badgeText(st, since, now))
		rec := ""
		if s.Recording != nil && s.Recording() {
			rec = "● REC"
		}
		set(o.rec, rec)
		stats := ""
		if w.showStats {
			w.mu.Lock()
			src := w.shown[i]
			w.mu.Unlock()
			if src == nil {
				src = s.Source
			}
			ts := src.Stats()
			stats = fmt.Sprintf("%dx%d %s %.0f fps %.0f kbit/s ~%.0f ms", ts.Width, ts.Height, shortCodec(ts.Codec), ts.FPS, ts.BitrateKbps, ts.LatencyMs)
		}
		set(o.stats, stats)
	}
	if changed {
		w.overlaysChanged()
	}
}

// shortCodec turns mpv's "h264 (H.264 / AVC / …)" into "h264".
func shortCodec(c string) string {
	if i := strings.IndexByte(c, ' '); i > 0 {
		return c[:i]
	}
	return c
}

// Renders returns how many frames each stream has had drawn, for the
// shown frame rate.
func (w *Wall) Renders() []int64 {
	out := make([]int64, len(w.renders))
	for i := range w.renders {
		out[i] = w.renders[i].Load()
	}
	return out
}

// Toast shows msg over the wall for a few seconds.
func (w *Wall) Toast(msg string) {
	w.toastSeq++
	seq := w.toastSeq
	w.toast.Text = msg
	w.toast.Show()
	w.toastBg.Show()
	w.overlaysChanged()
	time.AfterFunc(5*time.Second, func() {
		fyne.Do(func() {
			if w.toastSeq == seq {
				w.toast.Hide()
				w.toastBg.Hide()
				w.overlaysChanged()
			}
		})
	})
}

// ToastText is the message on show, or "".
func (w *Wall) ToastText() string {
	if !w.toast.Visible() {
		return ""
	}
	return w.toast.Text
}

// SnapshotSelected saves a snapshot of the selected camera and says where.
func (w *Wall) SnapshotSelected() {
	if w.selected < 0 || w.selected >= len(w.streams) || w.streams[w.selected].Snapshot == nil {
		return
	}
	s := w.streams[w.selected]
	w.Toast("Saving a snapshot of " + s.Name + "…")
	runAsync(20*time.Second, s.Snapshot, func(path string, err error) {
		if err != nil {
			w.Toast("Snapshot failed: " + err.Error())
			return
		}
		w.Toast("Snapshot saved: " + path)
	})
}

// ToggleRecordSelected starts or stops manual recording of the selected
// camera.
func (w *Wall) ToggleRecordSelected() {
	if w.selected < 0 || w.selected >= len(w.streams) || w.streams[w.selected].ToggleRecord == nil {
		return
	}
	s := w.streams[w.selected]
	runAsync(15*time.Second, s.ToggleRecord, func(on bool, err error) {
		switch {
		case err != nil:
			w.Toast("Recording " + s.Name + " failed: " + err.Error())
		case on:
			w.Toast("Recording " + s.Name + " (R stops)")
		default:
			w.Toast("Stopped recording " + s.Name)
		}
		w.updateOverlays()
	})
}

// RecordText is what a stream's tile shows about recording, for tests.
func (w *Wall) RecordText(stream int) string { return w.overlays[stream].rec.Text }

// cameraMenu lists the cameras to put on tile t.
func (w *Wall) cameraMenu(t int) *fyne.MenuItem {
	item := fyne.NewMenuItem("Show camera", nil)
	var subs []*fyne.MenuItem
	for s, st := range w.streams {
		subs = append(subs, fyne.NewMenuItem(st.Name, func() { w.Assign(t, s) }))
	}
	subs = append(subs, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Empty this tile", func() { w.Assign(t, -1) }))
	item.ChildMenu = fyne.NewMenu("", subs...)
	return item
}

// TappedSecondary opens the tile menu; on an empty tile, the camera list.
func (w *Wall) TappedSecondary(ev *fyne.PointEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(w)
	i := w.streamAt(ev.Position)
	if i < 0 {
		if t := w.tileAt(ev.Position); t >= 0 && c != nil {
			widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", w.cameraMenu(t)), c, ev.AbsolutePosition)
		}
		return
	}
	w.Select(i)
	fill := "Fill the wall"
	if w.full >= 0 {
		fill = "Back to the layout"
	}
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(fill, func() {
			if w.full >= 0 {
				w.Fullscreen(-1)
			} else {
				w.Fullscreen(i)
			}
		}),
		fyne.NewMenuItem("Snapshot (S)", w.SnapshotSelected),
		fyne.NewMenuItem("Stats (I)", w.ToggleStats),
	)
	if s := w.streams[i]; s.ToggleRecord != nil {
		label := "Record (R)"
		if s.Recording != nil && s.Recording() {
			label = "Stop recording (R)"
		}
		menu.Items = append(menu.Items, fyne.NewMenuItem(label, w.ToggleRecordSelected))
	}
	if t := w.tileAt(ev.Position); t >= 0 {
		menu.Items = append(menu.Items, w.cameraMenu(t))
	}
	if c != nil {
		widget.ShowPopUpMenuAtPosition(menu, c, ev.AbsolutePosition)
	}
}

// Tapped selects the tile under the pointer.
func (w *Wall) Tapped(ev *fyne.PointEvent) {
	if i := w.streamAt(ev.Position); i >= 0 {
		w.Select(i)
	}
}

// DoubleTapped toggles the tile under the pointer to fill the wall.
func (w *Wall) DoubleTapped(ev *fyne.PointEvent) {
	if w.full >= 0 {
		w.Fullscreen(-1)
		return
	}
	if i := w.streamAt(ev.Position); i >= 0 {
		w.Fullscreen(i)
	}
}

func (w *Wall) streamAt(p fyne.Position) int {
	size := w.Size()
	if size.Width <= 0 || size.Height <= 0 {
		return -1
	}
	x, y := float64(p.X/size.Width), float64(p.Y/size.Height)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, sl := range w.view {
		r := sl.rect
		if x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H {
			return sl.stream
		}
	}
	return -1
}

// CreateRenderer implements fyne.Widget.
func (w *Wall) CreateRenderer() fyne.WidgetRenderer {
	w.rend = &wallRenderer{w: w}
	return w.rend
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

type wallRenderer struct{ w *Wall }

func (r *wallRenderer) Objects() []fyne.CanvasObject {
	if r.w.nativeActive() {
		// The texts are drawn into the X11 surface, over the video.
		return []fyne.CanvasObject{r.w.raster}
	}
	return append([]fyne.CanvasObject{r.w.raster}, r.w.overlayObjects()...)
}

// overlayObjects are the texts and boxes drawn over the video.
func (w *Wall) overlayObjects() []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, o := range w.overlays {
		objs = append(objs, o.bg, o.name, o.warn, o.rec, o.badge, o.stats)
	}
	for _, h := range w.hints {
		objs = append(objs, h)
	}
	return append(objs, w.border, w.toastBg, w.toast)
}

func (r *wallRenderer) Layout(size fyne.Size) {
	w := r.w
	w.overlayStale = true
	r.layoutToast(size)
	w.raster.Resize(size)
	w.raster.Move(fyne.NewPos(0, 0))
	visible := map[int]rectF{}
	w.mu.Lock()
	for _, sl := range w.view {
		visible[sl.stream] = sl.rect
	}
	empty := w.empty
	w.mu.Unlock()
	for i, h := range w.hints {
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
	for i, o := range w.overlays {
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
		if i == w.selected {
			w.border.Move(fyne.NewPos(x, y))
			w.border.Resize(fyne.NewSize(tw-2, th-2))
		}
	}
}

// fitText is s, or as much of it as fits in width followed by "…".
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if size <= 0 {
		size = theme.TextSize()
	}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return string(runes[:lo]) + "…"
}

func (r *wallRenderer) layoutToast(size fyne.Size) {
	ts := r.w.toast.MinSize()
	pad := theme.Padding()
	pos := fyne.NewPos((size.Width-ts.Width)/2, size.Height-ts.Height-4*pad)
	r.w.toast.Move(pos)
	r.w.toastBg.Move(pos.Subtract(fyne.NewPos(2*pad, pad)))
	r.w.toastBg.Resize(ts.Add(fyne.NewSize(4*pad, 2*pad)))
}

func (r *wallRenderer) MinSize() fyne.Size { return fyne.NewSize(320, 180) }
func (r *wallRenderer) Refresh() {
	r.Layout(r.w.Size())
	for _, o := range r.w.overlays {
		o.bg.Refresh()
		o.name.Refresh()
		o.warn.Refresh()
	}
	r.w.border.Refresh()
}
func (r *wallRenderer) Destroy() {}
