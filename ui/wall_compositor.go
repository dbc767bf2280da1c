package ui

import (
	"image"
	"image/color"
	"sync"
	"sync/atomic"
	"time"
)

// compositor draws the shown streams into one image: the Fyne raster's
// buffer or the X11 surface's. It owns the paint-thread state, behind its
// own lock; the UI goroutine hands it a new view with setView and reads
// back only through its methods.
type compositor struct {
	streams []LiveStream // fixed at creation
	stop    <-chan struct{}
	created time.Time
	// playback (WallConfig.Playback) never opens main streams; fixed at
	// creation.
	playback bool
	// onEvent and onTileDrawn are WallConfig's OnEvent and OnTileDrawn.
	onEvent     func(what string, d time.Duration)
	onTileDrawn func(stream int, img *image.RGBA, r image.Rectangle)

	mu  sync.Mutex  // guards the fields below
	buf *image.RGBA // the raster's image
	// target is the buffer compose drew into last, and its byte order.
	target    *image.RGBA
	targetBGR bool
	greyed    map[int]bool
	mains     map[int]*mainStream
	view      []slot  // what compose draws
	empty     []rectF // empty tiles of the layout
	full      int     // the stream filling the wall, or -1
	// layoutChanged makes the next compose draw every tile.
	layoutChanged bool
	shown         map[int]LiveSource // the source each stream was last drawn from
	// replays are the streams' instant replays, drawn in place of the
	// live source once they play (replayOn); until then the tile keeps
	// its live picture, so the switch never shows a black frame.
	replays  map[int]*replayTile
	replayOn map[int]bool
	// panels are the streams whose tile is a dark panel under a status
	// text (WallConfig.TileStatus); paneled, those painted so.
	panels, paneled map[int]bool
	allLive         bool
	fullAsked       time.Time
	fullReported    bool

	renders   []atomic.Int64 // frames drawn per stream, for the shown fps
	subWidths []atomic.Int32 // each sub stream's width, cached for compose
	fresh     sync.Map       // LiveSource -> *atomic.Bool: a new frame waits
}

type mainStream struct {
	src   LiveSource
	close func()
}

func newCompositor(streams []LiveStream, stop <-chan struct{}) *compositor {
	return &compositor{streams: streams, stop: stop, created: time.Now(), full: -1,
		greyed: map[int]bool{}, mains: map[int]*mainStream{}, shown: map[int]LiveSource{},
		replays: map[int]*replayTile{}, replayOn: map[int]bool{}, panels: map[int]bool{}, paneled: map[int]bool{},
		renders: make([]atomic.Int64, len(streams)), subWidths: make([]atomic.Int32, len(streams))}
}

// setView makes the next compose draw shown and empty, from scratch. full
// is the stream filling the wall (or -1); fullAsked starts the clock of
// the "main stream shown" milestone.
func (c *compositor) setView(shown []slot, empty []rectF, full int, fullAsked bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.view, c.empty, c.full = shown, empty, full
	if fullAsked {
		c.fullAsked, c.fullReported = time.Now(), false
	}
	c.greyed = map[int]bool{}
	c.layoutChanged = true
	if c.target != nil {
		clear(c.target.Pix) // stale pixels of another layout must not show
	}
}

func (c *compositor) freshFlag(src LiveSource) *atomic.Bool {
	f, _ := c.fresh.LoadOrStore(src, new(atomic.Bool))
	return f.(*atomic.Bool)
}

// viewSources are the sources compose may draw now: each shown stream's
// sub stream and, when open, its main stream.
func (c *compositor) viewSources() []LiveSource {
	c.mu.Lock()
	defer c.mu.Unlock()
	srcs := make([]LiveSource, 0, 2*len(c.view))
	for _, sl := range c.view {
		srcs = append(srcs, c.streams[sl.stream].Source)
		if m := c.mains[sl.stream]; m != nil {
			srcs = append(srcs, m.src)
		}
		if rp := c.replays[sl.stream]; rp != nil {
			srcs = append(srcs, rp)
		}
	}
	return srcs
}

// shownSources are the sources drawn last, one per shown stream.
func (c *compositor) shownSources() []LiveSource {
	c.mu.Lock()
	defer c.mu.Unlock()
	srcs := make([]LiveSource, 0, len(c.shown))
	for _, s := range c.shown {
		srcs = append(srcs, s)
	}
	return srcs
}

// shownSource is the source stream i was last drawn from, or nil.
func (c *compositor) shownSource(i int) LiveSource {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.shown[i]
}

// defaultSubWidth stands in until a sub stream's width is known.
const defaultSubWidth = 640

// refreshSubWidths caches each sub stream's width for compose, which must
// not read player properties for every tile on every paint. It runs off
// the paint thread, every couple of seconds.
func (c *compositor) refreshSubWidths() {
	for i, s := range c.streams {
		if s.OpenMain == nil {
			continue
		}
		if wd := s.Source.Stats().Width; wd > 0 {
			c.subWidths[i].Store(int32(wd))
		}
	}
}

// subWidth is stream i's sub stream width, for choosing streams by size.
func (c *compositor) subWidth(i int) int {
	if wd := c.subWidths[i].Load(); wd > 0 {
		return int(wd)
	}
	return defaultSubWidth
}

// rendersNow returns how many frames each stream has had drawn.
func (c *compositor) rendersNow() []int64 {
	out := make([]int64, len(c.renders))
	for i := range c.renders {
		out[i] = c.renders[i].Load()
	}
	return out
}

// generate is the raster's painter, called on the paint thread with the
// wall's size in pixels.
func (c *compositor) generate(pw, ph int) image.Image {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf == nil || c.buf.Bounds().Dx() != pw || c.buf.Bounds().Dy() != ph {
		c.buf = image.NewRGBA(image.Rect(0, 0, pw, ph))
	}
	c.composeLocked(c.buf, false)
	return c.buf
}

// compose draws into buf as composeLocked does, taking the lock.
func (c *compositor) compose(buf *image.RGBA, bgr bool) []image.Rectangle {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.composeLocked(buf, bgr)
}

// composeLocked draws the tiles with a new frame (all of them after a
// layout change or a change of buffer) into buf, in R, G, B, A order or,
// with bgr, B, G, R, X. A stream that is not playing keeps its last
// picture, greyed. It returns the rectangles it drew. Called with c.mu
// held.
func (c *compositor) composeLocked(buf *image.RGBA, bgr bool) []image.Rectangle {
	pw, ph := buf.Rect.Dx(), buf.Rect.Dy()
	redrawAll := false
	if buf != c.target {
		// Keep the pictures of stale tiles: carry the old buffer over.
		if c.target != nil && c.target.Rect.Eq(buf.Rect) {
			copyPixels(buf, c.target, c.targetBGR != bgr)
		} else {
			c.greyed = map[int]bool{}
		}
		c.target, c.targetBGR = buf, bgr
		redrawAll = true
	}
	if c.layoutChanged {
		c.layoutChanged, redrawAll = false, true
	}
	var drawn []image.Rectangle
	if redrawAll {
		bg := color.RGBA{28, 30, 34, 255}
		if bgr {
			bg.R, bg.B = bg.B, bg.R
		}
		for _, e := range c.empty {
			fillRect(buf, e.pixelRect(pw, ph), bg)
		}
		drawn = append(drawn, buf.Rect)
	}
	wantMain := map[int]bool{}
	for _, sl := range c.view {
		r := sl.rect.pixelRect(pw, ph)
		if c.panels[sl.stream] {
			if redrawAll || !c.paneled[sl.stream] {
				fillRect(buf, r, panelColor(bgr))
				c.paneled[sl.stream] = true
				drawn = append(drawn, r)
			}
			// Drawn from scratch once the panel goes.
			delete(c.shown, sl.stream)
			continue
		}
		delete(c.paneled, sl.stream)
		src := c.sourceLocked(sl.stream, r, wantMain)
		switched := c.shown[sl.stream] != src
		c.shown[sl.stream] = src
		if st, _ := src.State(); st == TilePlaying {
			// Only tiles with a new frame are drawn again; the others keep
			// their pixels in the buffer.
			if !c.freshFlag(src).Swap(false) && !redrawAll && !switched && !c.greyed[sl.stream] {
				continue
			}
			renderInto(src, buf, r, bgr)
			c.renders[sl.stream].Add(1)
			if c.onTileDrawn != nil {
				c.onTileDrawn(sl.stream, buf, r)
			}
			c.greyed[sl.stream] = false
			drawn = append(drawn, r)
		} else if !c.greyed[sl.stream] {
			greyOut(buf, r)
			c.greyed[sl.stream] = true
			drawn = append(drawn, r)
		}
	}
	c.syncMainsLocked(wantMain)
	c.reportMilestonesLocked()
	return drawn
}

// sourceLocked is the source stream i's tile, r, draws now: its replay
// once that plays; else, as the stream follows the tile's size, the main
// stream once the tile is clearly larger than the sub stream and the main
// stream plays (it marks the main stream wanted); else the sub stream.
// Called with c.mu held.
func (c *compositor) sourceLocked(i int, r image.Rectangle, wantMain map[int]bool) LiveSource {
	if rp := c.replays[i]; rp != nil {
		if !c.replayOn[i] {
			st, _ := rp.State()
			c.replayOn[i] = st == TilePlaying
		}
		if c.replayOn[i] {
			return rp
		}
	}
	s := c.streams[i]
	src := s.Source
	if !c.playback && s.OpenMain != nil && r.Dx() > c.subWidth(i)*6/5 {
		wantMain[i] = true
		if m := c.mains[i]; m != nil {
			if st, _ := m.src.State(); st == TilePlaying {
				src = m.src
			}
		}
	}
	return src
}

// setReplay makes stream i draw rp once it plays.
func (c *compositor) setReplay(i int, rp *replayTile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.replays[i], c.replayOn[i] = rp, false
}

// clearReplay takes stream i back to live: no compose draws its replay
// once this has returned.
func (c *compositor) clearReplay(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rp := c.replays[i]; rp != nil {
		c.fresh.Delete(LiveSource(rp))
	}
	delete(c.replays, i)
	delete(c.replayOn, i)
}

// replayOf is stream i's replay, or nil, and whether the tile shows it
// yet.
func (c *compositor) replayOf(i int) (*replayTile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.replays[i], c.replayOn[i]
}

// setPanel makes stream i's tile a dark panel, or its picture again, and
// reports whether that changed.
func (c *compositor) setPanel(i int, on bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.panels[i] == on {
		return false
	}
	if on {
		c.panels[i] = true
	} else {
		delete(c.panels, i)
	}
	return true
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

// reportMilestonesLocked tells onEvent when every visible tile first
// showed a frame, and when a filled tile first showed its main stream.
// Called with c.mu held.
func (c *compositor) reportMilestonesLocked() {
	if c.onEvent == nil {
		return
	}
	if !c.allLive && len(c.view) > 0 {
		all := true
		for _, sl := range c.view {
			all = all && c.renders[sl.stream].Load() > 0
		}
		if all {
			c.allLive = true
			c.onEvent("all tiles live", time.Since(c.created))
		}
	}
	if c.full >= 0 && !c.fullReported && !c.fullAsked.IsZero() {
		if m := c.mains[c.full]; m != nil && c.shown[c.full] == m.src {
			if st, _ := m.src.State(); st == TilePlaying {
				c.fullReported = true
				c.onEvent("main stream shown", time.Since(c.fullAsked))
			}
		}
	}
}

// syncMainsLocked opens wanted main streams and closes unwanted ones, in
// the background. Called with c.mu held.
func (c *compositor) syncMainsLocked(want map[int]bool) {
	for i := range want {
		if _, ok := c.mains[i]; !ok {
			c.mains[i] = &mainStream{src: pendingSource{}, close: func() {}}
			go func() {
				src, closeFn := c.streams[i].OpenMain()
				c.mu.Lock()
				defer c.mu.Unlock()
				select {
				case <-c.stop:
					closeFn()
					return
				default:
				}
				c.mains[i] = &mainStream{src: src, close: closeFn}
			}()
		}
	}
	for i, m := range c.mains {
		if !want[i] {
			delete(c.mains, i)
			go m.close()
		}
	}
}

// closeMains closes every main stream the compositor opened.
func (c *compositor) closeMains() {
	c.mu.Lock()
	mains := c.mains
	c.mains = map[int]*mainStream{}
	c.mu.Unlock()
	for _, m := range mains {
		m.close()
	}
}

// pendingSource stands in while a main stream opens.
type pendingSource struct{}

func (pendingSource) NewFrame() bool                            { return false }
func (pendingSource) Render(*image.RGBA, image.Rectangle) error { return nil }
func (pendingSource) State() (TileState, time.Time)             { return TileConnecting, time.Time{} }
func (pendingSource) Stats() TileStats                          { return TileStats{} }
