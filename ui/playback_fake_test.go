package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"time"

	"nightjar/internal/uithread"
)

// fakePlayback stands in for app's PlaybackService: fixed timelines per
// camera, a bookmark store and sessions that log every call. Its blocking
// methods note a call on the UI goroutine (internal/uithread).
type fakePlayback struct {
	mu        sync.Mutex
	cams      []PlaybackCamera
	timelines map[string]TimelineData
	days      map[int]bool
	bookmarks []BookmarkData
	thumbs    []string // "camera@15:04:05" per Thumbnail call
	sessions  []*fakeSession
	status    map[int]PlaybackTileStatus // each new session's tile status
	nextID    int
}

func (f *fakePlayback) PlaybackCameras() []PlaybackCamera { return f.cams }

func (f *fakePlayback) Timeline(ctx context.Context, id string, from, to time.Time) (TimelineData, error) {
	uithread.Check("playback: timeline")
	f.mu.Lock()
	defer f.mu.Unlock()
	all := f.timelines[id]
	in := func(spans []TimeSpan) []TimeSpan {
		var out []TimeSpan
		for _, s := range spans {
			if s.From.Before(to) && s.To.After(from) {
				out = append(out, s)
			}
		}
		return out
	}
	d := TimelineData{Runs: in(all.Runs), Gaps: in(all.Gaps), Motion: in(all.Motion)}
	for _, s := range all.Damaged {
		if s.From.Before(to) && s.To.After(from) {
			d.Damaged = append(d.Damaged, s)
		}
	}
	for _, b := range f.bookmarks {
		if b.CameraID == id && b.From.Before(to) && b.To.After(from) {
			d.Bookmarks = append(d.Bookmarks, b)
		}
	}
	return d, nil
}

func (f *fakePlayback) FootageDays(ctx context.Context, ids []string, y int, m time.Month) (map[int]bool, error) {
	uithread.Check("playback: footage days")
	return f.days, nil
}

func (f *fakePlayback) Thumbnail(ctx context.Context, id string, at time.Time, width int) (image.Image, error) {
	uithread.Check("playback: thumbnail")
	f.mu.Lock()
	f.thumbs = append(f.thumbs, id+"@"+at.UTC().Format("15:04:05"))
	f.mu.Unlock()
	img := image.NewRGBA(image.Rect(0, 0, width, width*9/16))
	fillRect(img, img.Rect, color.RGBA{90, 120, 160, 255})
	return img, nil
}

func (f *fakePlayback) OpenPlayback(ids []string) (PlaybackSession, error) {
	uithread.Check("playback: open")
	f.mu.Lock()
	defer f.mu.Unlock()
	s := &fakeSession{ids: ids, paused: true, speed: 1, status: f.status}
	f.sessions = append(f.sessions, s)
	return s, nil
}

func (f *fakePlayback) AddBookmark(ctx context.Context, b BookmarkData) (BookmarkData, error) {
	uithread.Check("playback: add bookmark")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	b.ID, b.Author = fmt.Sprint("bm", f.nextID), "guard"
	f.bookmarks = append(f.bookmarks, b)
	return b, nil
}

func (f *fakePlayback) RemoveBookmark(ctx context.Context, id string) error {
	uithread.Check("playback: remove bookmark")
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, b := range f.bookmarks {
		if b.ID == id {
			f.bookmarks = append(f.bookmarks[:i], f.bookmarks[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("bookmark %s: not found", id)
}

func (f *fakePlayback) Bookmarks(ctx context.Context, id, text string) ([]BookmarkData, error) {
	uithread.Check("playback: bookmarks")
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []BookmarkData
	for _, b := range f.bookmarks {
		if strings.Contains(strings.ToLower(b.Note), strings.ToLower(text)) {
			out = append(out, b)
		}
	}
	return out, nil
}

// session is the newest session opened.
func (f *fakePlayback) session() *fakeSession {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sessions) == 0 {
		return nil
	}
	return f.sessions[len(f.sessions)-1]
}

// fakeSession logs its commands ("seek 14:02:03", "paused true", "step
// 1") and plays nothing; its position is where it last sought.
type fakeSession struct {
	mu     sync.Mutex
	ids    []string
	log    []string
	pos    time.Time
	paused bool
	speed  float64
	closed bool
	status map[int]PlaybackTileStatus
}

func (s *fakeSession) note(f string, a ...any) {
	uithread.Check("playback: session")
	s.mu.Lock()
	s.log = append(s.log, fmt.Sprintf(f, a...))
	s.mu.Unlock()
}

func (s *fakeSession) calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// last is the newest logged call starting with prefix, or "".
func (s *fakeSession) last(prefix string) string {
	c := s.calls()
	for i := len(c) - 1; i >= 0; i-- {
		if strings.HasPrefix(c[i], prefix) {
			return c[i]
		}
	}
	return ""
}

func (s *fakeSession) Tiles() []LiveSource {
	out := make([]LiveSource, len(s.ids))
	for i := range out {
		out[i] = &fakeSource{state: TilePlaying, col: color.RGBA{uint8(60 + 80*i), 140, 90, 255}}
	}
	return out
}

func (s *fakeSession) TileStatus(i int) PlaybackTileStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.status[i]
	if !ok {
		st.Position = s.pos
	}
	return st
}

// moveTo moves the position as a playing player would, without a call
// of the page's.
func (s *fakeSession) moveTo(at time.Time) {
	s.mu.Lock()
	s.pos = at
	s.mu.Unlock()
}

func (s *fakeSession) Seek(at time.Time) {
	s.note("seek %s", at.UTC().Format("15:04:05.000"))
	s.mu.Lock()
	s.pos = at
	s.mu.Unlock()
}
func (s *fakeSession) SetPaused(p bool) {
	s.note("paused %v", p)
	s.mu.Lock()
	s.paused = p
	s.mu.Unlock()
}
func (s *fakeSession) SetSpeed(x float64) {
	s.note("speed %g", x)
	s.mu.Lock()
	s.speed = x
	s.mu.Unlock()
}
func (s *fakeSession) Step(n int)          { s.note("step %d", n) }
func (s *fakeSession) SetSynced(on bool)   { s.note("synced %v", on) }
func (s *fakeSession) Position() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.pos }
func (s *fakeSession) Paused() bool        { s.mu.Lock(); defer s.mu.Unlock(); return s.paused }
func (s *fakeSession) Speed() float64      { s.mu.Lock(); defer s.mu.Unlock(); return s.speed }
func (s *fakeSession) Close() {
	s.note("close")
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
