package app

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"sync"
	"time"

	"nightjar/player"
	"nightjar/ui"
)

// seekTimeout bounds one seek of a session.
const seekTimeout = 10 * time.Second

// playbackSession adapts a player.Group of one player per camera to
// ui.PlaybackSession.
type playbackSession struct {
	players []*player.Playback
	group   *player.Group
	tiles   []ui.LiveSource
	log     *slog.Logger
	detach  []func() // from the mask hub
}

// openPlaybackSession starts one player per camera on one playhead.
func (a *App) openPlaybackSession(cameraIDs []string) (*playbackSession, error) {
	if len(cameraIDs) == 0 {
		return nil, fmt.Errorf("choose a camera to play")
	}
	s := &playbackSession{log: a.Log.With("component", "playback")}
	for _, id := range cameraIDs {
		src, err := a.cameraSource(id)
		if err != nil {
			s.Close()
			return nil, err
		}
		p, err := player.NewPlayback(player.PlaybackOptions{Source: src, Log: a.Log.With("component", "playback", "camera", id),
			Mask: a.masks().recorded(id)})
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("start a player for %s: %w", id, err)
		}
		// Playback is where a lift reveals liftable zones, and where it
		// ends by itself.
		s.detach = append(s.detach, a.masks().attach(id, p, true))
		s.players = append(s.players, p)
		s.tiles = append(s.tiles, playbackTile{p})
	}
	s.group = player.NewGroup(s.players)
	return s, nil
}

func (s *playbackSession) Tiles() []ui.LiveSource { return s.tiles }

func (s *playbackSession) TileStatus(i int) ui.PlaybackTileStatus {
	if i < 0 || i >= len(s.players) {
		return ui.PlaybackTileStatus{}
	}
	st := s.players[i].Status()
	return ui.PlaybackTileStatus{Position: st.Position, NoFootage: st.NoFootage, Next: st.Next}
}

func (s *playbackSession) Seek(at time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), seekTimeout)
	defer cancel()
	if err := s.group.Seek(ctx, at); err != nil && !errors.Is(err, player.ErrSuperseded) {
		// The tiles say what they show; the log says why a seek failed.
		s.log.Warn("playback seek failed", "at", at, "err", err)
	}
}

func (s *playbackSession) SetPaused(p bool)      { s.group.SetPaused(p) }
func (s *playbackSession) SetSpeed(x float64)    { s.group.SetSpeed(x) }
func (s *playbackSession) Step(frames int)       { s.group.Step(frames) }
func (s *playbackSession) SetSynced(synced bool) { s.group.SetSynced(synced) }
func (s *playbackSession) Position() time.Time   { return s.group.Position() }
func (s *playbackSession) Paused() bool          { return s.group.Paused() }
func (s *playbackSession) Speed() float64        { return s.group.Speed() }

func (s *playbackSession) Close() {
	for _, d := range s.detach {
		d()
	}
	if s.group != nil {
		s.group.Close()
	}
	for _, p := range s.players {
		p.Close()
	}
}

// playbackTile adapts a player.Playback to the wall.
type playbackTile struct{ p *player.Playback }

func (t playbackTile) NewFrame() bool                                  { return t.p.NewFrame() }
func (t playbackTile) Render(dst *image.RGBA, r image.Rectangle) error { return t.p.Render(dst, r) }
func (t playbackTile) State() (ui.TileState, time.Time)                { return ui.TilePlaying, time.Time{} }
func (t playbackTile) Stats() ui.TileStats                             { return ui.TileStats{} }

// thumbKey names a cached thumbnail.
type thumbKey struct {
	url   string
	at    time.Time
	width int
	masks uint64 // the mask hub's generation: new zones, new thumbnails
}

// thumbCache keeps the most recent thumbnails, in memory only.
type thumbCache struct {
	mu    sync.Mutex
	max   int
	order *list.List
	items map[thumbKey]*list.Element
}

type thumbEntry struct {
	key thumbKey
	img image.Image
}

// thumbCache is the App's cache of thumbnails, made on first use; an
// erase empties it.
func (a *App) thumbCache() *thumbCache {
	a.thumbOnce.Do(func() { a.thumbs = newThumbCache(512) })
	return a.thumbs
}

// clear forgets every thumbnail.
func (c *thumbCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
}

func newThumbCache(max int) *thumbCache {
	return &thumbCache{max: max, order: list.New(), items: map[thumbKey]*list.Element{}}
}

func (c *thumbCache) get(k thumbKey) (image.Image, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*thumbEntry).img, true
	}
	return nil, false
}

func (c *thumbCache) put(k thumbKey, img image.Image) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*thumbEntry).img = img
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&thumbEntry{k, img})
	for c.order.Len() > c.max {
		e := c.order.Back()
		c.order.Remove(e)
		delete(c.items, e.Value.(*thumbEntry).key)
	}
}
