package ui

import (
	"fmt"
	"image"
	"image/color"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// The Playback page's tiles: the session's players drawn by the live
// wall's compositor, each wrapped so that a camera with nothing recorded
// at the playhead shows a slate and "no recording · next 14:32:05",
// never a black tile.
//
// Seam: the wall is to gain a playback mode (no PTZ, record or main
// stream chrome, and a tile overlay fed by a status func). Until then
// the page builds a plain wall (no PTZ, no recorder, no main stream, so
// none of that chrome shows) and lays its own texts over it; the wall
// draws through Fyne here (no X11 surface), so they stay on top. With
// the playback mode, newPlaybackTiles becomes one NewWall call with
// WallConfig{Playback: true, TileStatus: pt.statusText, Window: …},
// relayout calls the wall's RefreshStatus, and the text layer goes.

// colSlate fills a tile with no footage at the playhead.
var colSlate = color.RGBA{0x26, 0x2a, 0x32, 0xff}

// playbackTile is one session tile as the wall sees it. The page stores
// the tile's latest status (UI goroutine); the wall's paint thread reads
// it.
type playbackTile struct {
	src    LiveSource
	status atomic.Pointer[PlaybackTileStatus]
	text   atomic.Pointer[string] // the overlay text, for statusText
	slated atomic.Bool            // the slate is drawn; set on the paint thread
}

func (p *playbackTile) noFootage() bool {
	st := p.status.Load()
	return st != nil && st.NoFootage
}

// NewFrame asks for one draw of the slate when footage stops, else
// passes the player's frames on.
func (p *playbackTile) NewFrame() bool {
	if p.noFootage() {
		return !p.slated.Load()
	}
	p.slated.Store(false)
	return p.src.NewFrame()
}

// Render draws the player's frame, or the slate where there is no
// footage.
func (p *playbackTile) Render(dst *image.RGBA, r image.Rectangle) error {
	if p.noFootage() {
		fillRect(dst, r.Intersect(dst.Rect), colSlate)
		p.slated.Store(true)
		return nil
	}
	return p.src.Render(dst, r)
}

// State is playing while there is no footage, so the wall draws the
// slate rather than greying a stale frame.
func (p *playbackTile) State() (TileState, time.Time) {
	if p.noFootage() {
		return TilePlaying, time.Time{}
	}
	return p.src.State()
}

func (p *playbackTile) Stats() TileStats { return p.src.Stats() }

// overlay is the text over the tile for st: "no recording · next
// 14:32:05" in a gap, "" while footage plays.
func tileOverlayText(st PlaybackTileStatus, loc *time.Location, now time.Time) string {
	if !st.NoFootage {
		return ""
	}
	if st.Next.IsZero() {
		return "no recording · none later"
	}
	n := st.Next.In(loc)
	if y, m, d := n.Date(); y != now.In(loc).Year() || m != now.In(loc).Month() || d != now.In(loc).Day() {
		return "no recording · next " + n.Format("Jan 2 15:04:05")
	}
	return "no recording · next " + n.Format("15:04:05")
}

// playbackTiles is the wall of a session's tiles and the texts over it.
type playbackTiles struct {
	wall  *Wall
	tiles []*playbackTile
	texts []*canvas.Text
	bgs   []*canvas.Rectangle
	layer *fyne.Container
	obj   fyne.CanvasObject
}

func newPlaybackTiles(cams []PlaybackCamera, srcs []LiveSource, cfg WallConfig) *playbackTiles {
	pt := &playbackTiles{}
	streams := make([]LiveStream, len(srcs))
	for i, s := range srcs {
		t := &playbackTile{src: s}
		pt.tiles = append(pt.tiles, t)
		streams[i] = LiveStream{ID: cams[i].ID, Name: cams[i].Name, Source: t}
		txt := canvas.NewText("", color.White)
		txt.TextStyle.Bold = true
		bg := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0xb0})
		txt.Hide()
		bg.Hide()
		pt.texts = append(pt.texts, txt)
		pt.bgs = append(pt.bgs, bg)
	}
	cfg.Window = nil // drawn through Fyne, so the texts stay on top
	pt.wall = NewWall(streams, cfg)
	pt.wall.SetLayout(playbackLayout(len(streams)))
	pt.layer = container.New(&tileTextLayout{pt: pt})
	for i := range pt.texts {
		pt.layer.Add(pt.bgs[i])
		pt.layer.Add(pt.texts[i])
	}
	pt.obj = container.NewStack(pt.wall, pt.layer)
	return pt
}

// playbackLayout is the grid for n tiles with the fewest empty tiles:
// two cameras side by side rather than half of a 2×2 wall.
func playbackLayout(n int) Layout {
	for _, g := range [][2]int{{1, 1}, {2, 1}, {3, 1}, {2, 2}, {3, 2}, {3, 2}, {4, 2}, {4, 2}, {3, 3}, {4, 3}, {4, 3}, {4, 3}} {
		if g[0]*g[1] >= n {
			return gridLayout(fmt.Sprintf("%d×%d", g[0], g[1]), g[0], g[1])
		}
	}
	return Layouts[3]
}

// setStatus stores tile i's status for the paint thread and sets its
// text; it reports whether the text changed.
func (pt *playbackTiles) setStatus(i int, st PlaybackTileStatus, text string) bool {
	if i >= len(pt.tiles) {
		return false
	}
	pt.tiles[i].status.Store(&st)
	pt.tiles[i].text.Store(&text)
	t := pt.texts[i]
	if t.Text == text {
		return false
	}
	t.Text = text
	return true
}

// statusText is tile i's overlay text, safe from any goroutine: the
// status func for the wall's playback mode (WallConfig.TileStatus).
func (pt *playbackTiles) statusText(i int) string {
	if i < 0 || i >= len(pt.tiles) {
		return ""
	}
	if t := pt.tiles[i].text.Load(); t != nil {
		return *t
	}
	return ""
}

// relayout places the texts again after a change.
func (pt *playbackTiles) relayout() {
	pt.layer.Refresh()
}

// text is tile i's overlay text.
func (pt *playbackTiles) text(i int) string { return pt.texts[i].Text }

func (pt *playbackTiles) close() { pt.wall.Close() }

// tileTextLayout centres each tile's text in the rectangle the wall
// shows that camera in.
type tileTextLayout struct{ pt *playbackTiles }

func (l *tileTextLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	pt := l.pt
	rects := map[int]rectF{}
	if f := pt.wall.FullscreenStream(); f >= 0 {
		rects[f] = rectF{0, 0, 1, 1}
	} else {
		for t, r := range pt.wall.CurrentLayout().Tiles {
			if s := pt.wall.TileStream(t); s >= 0 {
				rects[s] = r
			}
		}
	}
	pad := theme.Padding()
	for i, txt := range pt.texts {
		r, ok := rects[i]
		if !ok || txt.Text == "" {
			txt.Hide()
			pt.bgs[i].Hide()
			continue
		}
		ts := txt.MinSize()
		x := float32(r.X)*size.Width + (float32(r.W)*size.Width-ts.Width)/2
		y := float32(r.Y)*size.Height + (float32(r.H)*size.Height-ts.Height)/2
		txt.Move(fyne.NewPos(x, y))
		txt.Resize(ts)
		pt.bgs[i].Move(fyne.NewPos(x-2*pad, y-pad))
		pt.bgs[i].Resize(ts.Add(fyne.NewSize(4*pad, 2*pad)))
		txt.Show()
		pt.bgs[i].Show()
	}
}

func (l *tileTextLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
