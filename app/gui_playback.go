package app

import (
	"context"
	"fmt"
	"image"
	"sync"
	"time"

	"nightjar/internal/uithread"
	"nightjar/player"
	"nightjar/storage/catalog"
	"nightjar/storage/timeline"
	"nightjar/ui"
)

// guiPlayback implements ui.PlaybackService over the catalogue, the
// footage server and the player.
type guiPlayback struct {
	a *App

	mu      sync.Mutex
	cameras []ui.PlaybackCamera
	thumbs  *thumbCache
}

func newGUIPlayback(a *App) *guiPlayback {
	g := &guiPlayback{a: a, thumbs: a.thumbCache()}
	cams, err := a.DB.Cameras()
	if err != nil {
		a.Log.Error("list cameras for playback", "err", err)
	}
	for _, c := range cams {
		g.cameras = append(g.cameras, ui.PlaybackCamera{ID: c.ID, Name: c.Name, Group: c.Group})
	}
	return g
}

// PlaybackCameras implements ui.PlaybackService.
func (g *guiPlayback) PlaybackCameras() []ui.PlaybackCamera {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]ui.PlaybackCamera(nil), g.cameras...)
}

// Timeline implements ui.PlaybackService.
func (g *guiPlayback) Timeline(ctx context.Context, cameraID string, from, to time.Time) (ui.TimelineData, error) {
	uithread.Check("catalogue: timeline")
	if err := ctx.Err(); err != nil {
		return ui.TimelineData{}, err
	}
	tl, err := g.a.timelineOf(cameraID, from, to)
	if err != nil {
		return ui.TimelineData{}, err
	}
	var d ui.TimelineData
	for _, r := range tl.Runs {
		d.Runs = append(d.Runs, ui.TimeSpan{From: r.From, To: r.To})
	}
	for _, s := range tl.Gaps {
		d.Gaps = append(d.Gaps, ui.TimeSpan{From: s.From, To: s.To})
	}
	for _, s := range tl.Motion {
		d.Motion = append(d.Motion, ui.TimeSpan{From: s.From, To: s.To})
	}
	for _, s := range tl.Damaged {
		d.Damaged = append(d.Damaged, ui.DamagedSpan{TimeSpan: ui.TimeSpan{From: s.From, To: s.To}, Problem: s.Problem})
	}
	for _, b := range tl.Bookmarks {
		d.Bookmarks = append(d.Bookmarks, bookmarkData(b))
	}
	return d, nil
}

func bookmarkData(b catalog.Bookmark) ui.BookmarkData {
	return ui.BookmarkData{ID: b.ID, CameraID: b.CameraID, From: b.From, To: b.To, Note: b.Note, Author: b.Author, Protect: b.Protect}
}

// FootageDays implements ui.PlaybackService.
func (g *guiPlayback) FootageDays(ctx context.Context, cameraIDs []string, year int, month time.Month) (map[int]bool, error) {
	uithread.Check("catalogue: footage days")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return timeline.DaysWithFootage(g.a.DB, cameraIDs, year, month, time.Local)
}

// Thumbnail implements ui.PlaybackService: the keyframe nearest at, from
// an in-memory cache of recent ones.
func (g *guiPlayback) Thumbnail(ctx context.Context, cameraID string, at time.Time, width int) (image.Image, error) {
	uithread.Check("player: thumbnail")
	src, err := g.a.cameraSource(cameraID)
	if err != nil {
		return nil, err
	}
	pieces, next, ok, err := src.Run(ctx, at)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("no footage at %s; next at %s", at.Local().Format("15:04:05"), next.Local().Format("2006-01-02 15:04:05"))
	}
	var piece player.Piece
	for _, p := range pieces {
		if !at.Before(p.Start) {
			piece = p
		}
	}
	mask := g.a.masks().live(cameraID) // thumbnails keep every zone, lifted or not
	key := thumbKey{piece.URL, at.Truncate(2 * time.Second), width, g.a.masks().generation()}
	if img, ok := g.thumbs.get(key); ok {
		return img, nil
	}
	img, err := player.Thumbnail(ctx, piece, at, width, mask)
	if err != nil {
		return nil, err
	}
	g.thumbs.put(key, img)
	return img, nil
}

// AddBookmark implements ui.PlaybackService.
func (g *guiPlayback) AddBookmark(ctx context.Context, b ui.BookmarkData) (ui.BookmarkData, error) {
	uithread.Check("catalogue: add bookmark")
	if err := ctx.Err(); err != nil {
		return ui.BookmarkData{}, err
	}
	stored, err := g.a.DB.PutBookmark(catalog.Bookmark{ID: b.ID, CameraID: b.CameraID, From: b.From, To: b.To,
		Note: b.Note, Author: bookmarkAuthor(), Protect: b.Protect, Created: time.Now()})
	if err != nil {
		return ui.BookmarkData{}, err
	}
	g.a.Log.Info("bookmark added", "id", stored.ID, "camera", stored.CameraID, "from", stored.From, "to", stored.To, "protect", stored.Protect)
	return bookmarkData(stored), nil
}

// RemoveBookmark implements ui.PlaybackService.
func (g *guiPlayback) RemoveBookmark(ctx context.Context, id string) error {
	uithread.Check("catalogue: remove bookmark")
	if err := ctx.Err(); err != nil {
		return err
	}
	return g.a.DB.DeleteBookmark(id)
}

// Bookmarks implements ui.PlaybackService.
func (g *guiPlayback) Bookmarks(ctx context.Context, cameraID, text string) ([]ui.BookmarkData, error) {
	uithread.Check("catalogue: bookmarks")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	bs, err := g.a.DB.Bookmarks(catalog.BookmarkFilter{CameraID: cameraID, Text: text})
	out := make([]ui.BookmarkData, 0, len(bs))
	for _, b := range bs {
		out = append(out, bookmarkData(b))
	}
	return out, err
}

// OpenPlayback implements ui.PlaybackService.
func (g *guiPlayback) OpenPlayback(cameraIDs []string) (ui.PlaybackSession, error) {
	uithread.Check("player: open playback")
	return g.a.openPlaybackSession(cameraIDs)
}

// LiftMasks reveals camera cameraID's liftable zones in playback for d,
// once the one permission check allows it; the lift ends by itself. It
// is logged with its reason (the audit log will take it once it exists).
func (g *guiPlayback) LiftMasks(ctx context.Context, cameraID string, d time.Duration, reason string) (time.Time, error) {
	by := bookmarkAuthor()
	l, err := g.a.masks().lift(cameraID, d, reason, by, g.a.mayLiftMasks())
	if err != nil {
		return time.Time{}, err
	}
	g.a.Log.Info("privacy zones lifted in playback", "component", "privacy", "camera", cameraID,
		"until", l.Until.Format(time.RFC3339), "reason", l.Reason, "by", by)
	return l.Until, nil
}
