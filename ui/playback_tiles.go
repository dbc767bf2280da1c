package ui

import (
	"fmt"
	"image"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// The Playback page's tiles: the session's players drawn by the live
// wall's compositor, each wrapped so that a camera with nothing recorded
// at the playhead shows a slate and "no recording · next 14:32:05",
// never a black tile.

// colSlate fills a tile with no footage at the playhead: the wall's own
// status panel colour, so the slate and the panel are one.
var colSlate = panelRGB

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

// playbackTiles is the wall of a session's tiles, in the wall's
// playback mode: no live chrome, and each tile's status text drawn by
// the wall on a dark panel (on its X11 surface too, so the video does
// not cover it).
type playbackTiles struct {
	wall  *Wall
	tiles []*playbackTile
	obj   fyne.CanvasObject
}

func newPlaybackTiles(cams []PlaybackCamera, srcs []LiveSource, cfg WallConfig) *playbackTiles {
	pt := &playbackTiles{}
	streams := make([]LiveStream, len(srcs))
	for i, s := range srcs {
		t := &playbackTile{src: s}
		empty := ""
		t.text.Store(&empty)
		pt.tiles = append(pt.tiles, t)
		streams[i] = LiveStream{ID: cams[i].ID, Name: cams[i].Name, Source: t}
	}
	cfg.Playback = true
	cfg.TileStatus = pt.statusText
	pt.wall = NewWall(streams, cfg)
	pt.wall.SetLayout(playbackLayout(len(streams)))
	pt.obj = pt.wall
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

// setStatus stores tile i's status for the paint thread and its text;
// it reports whether the text changed.
func (pt *playbackTiles) setStatus(i int, st PlaybackTileStatus, text string) bool {
	if i >= len(pt.tiles) {
		return false
	}
	pt.tiles[i].status.Store(&st)
	old := pt.tiles[i].text.Swap(&text)
	return old == nil || *old != text
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

// relayout shows changed status texts at once.
func (pt *playbackTiles) relayout() { pt.wall.RefreshStatus() }

// text is tile i's overlay text.
func (pt *playbackTiles) text(i int) string { return pt.statusText(i) }

func (pt *playbackTiles) close() { pt.wall.Close() }
