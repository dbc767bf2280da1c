package ui

import (
	"context"
	"image"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
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
	// Replay opens a replay of the camera's recorded footage starting ago
	// before now, for the instant replay on the wall (P), and returns it
	// with the func that closes it. It may block while it opens the
	// footage; ctx bounds that opening only, not the replay. The wall
	// calls it off the UI goroutine and calls the close func exactly once,
	// off the UI goroutine too, when the tile goes back to live or the
	// wall closes (Close waits up to 2 s for it). A source that is a
	// ReplaySource says how far behind live it is. nil: the camera has no
	// replay.
	Replay func(ctx context.Context, ago time.Duration) (LiveSource, func(), error)
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

	// playback and tileStatus are WallConfig's Playback and TileStatus.
	playback   bool
	tileStatus func(stream int) string
	replays    []tileReplay // each stream's instant replay (UI goroutine)
	// closing counts replays being closed in the background.
	closing sync.WaitGroup

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
	// Playback makes a wall of playback tiles, for the Playback page: no
	// PTZ, no recording toggle or REC mark, no connection badges, no
	// switch to the main stream and no instant replay. Selecting, filling
	// the wall with one tile (double click, Enter) and stats stay.
	Playback bool
	// TileStatus, when set, gives the text shown in the middle of a
	// stream's tile, such as "no recording · next 14:32:05"; "" for none.
	// A tile with a text is a dark panel with the text on it, not the
	// stream's picture. The wall calls it about 4 times a second off the
	// UI goroutine (and at once on RefreshStatus), so it must be quick
	// and safe for concurrent use. In live mode a text takes the place
	// of the connection badge.
	TileStatus func(stream int) string
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
	w.playback, w.tileStatus = cfg.Playback, cfg.TileStatus
	w.replays = make([]tileReplay, len(streams))
	w.comp = newCompositor(streams, w.stop)
	w.comp.playback = cfg.Playback
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

// Close stops any PTZ move the wall started, its goroutines, and closes
// any main streams and replays it opened. Call it on the UI goroutine. The sub streams and the
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
		w.closeReplays()
	})
}
