package ui

import (
	"context"
	"fmt"
	"image"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"nightjar/internal/uithread"
)

// TestThumbnailsCached: hovering within one bucket asks once; another
// bucket or another camera asks again; a cached one is shown at once.
func TestThumbnailsCached(t *testing.T) {
	fake := newFakePlayback()
	var shown int
	th := newThumbnails(fake, func(img image.Image, at time.Time) {
		if img != nil {
			shown++
		}
	})
	span := time.Hour // 18 s buckets
	th.request("door", cest(13, 0, 1), span)
	th.request("door", cest(13, 0, 9), span)
	th.request("door", cest(13, 0, 30), span)
	th.request("yard", cest(13, 0, 30), span)
	th.request("door", cest(13, 0, 2), span)
	if len(fake.thumbs) != 3 {
		t.Fatalf("thumbnail calls %v, want 3 (two buckets of the door, one of the yard)", fake.thumbs)
	}
	if shown != 5 {
		t.Fatalf("shown %d times, want 5", shown)
	}
	if b := thumbBucket(time.Hour); b != 18*time.Second {
		t.Fatalf("bucket at 1 h %v", b)
	}
	if b := thumbBucket(24 * time.Hour); b != time.Minute {
		t.Fatalf("bucket at 24 h %v", b)
	}
	if b := thumbBucket(10 * time.Second); b != 2*time.Second {
		t.Fatalf("bucket at 10 s %v", b)
	}
}

// slowThumbs blocks each Thumbnail until released.
type slowThumbs struct {
	*fakePlayback
	release chan struct{}
	mu      sync.Mutex
	asked   []time.Time
}

func (s *slowThumbs) Thumbnail(ctx context.Context, id string, at time.Time, w int) (image.Image, error) {
	s.mu.Lock()
	s.asked = append(s.asked, at)
	s.mu.Unlock()
	select {
	case <-s.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return image.NewRGBA(image.Rect(0, 0, w, w*9/16)), nil
}

func (s *slowThumbs) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.asked)
}

// TestThumbnailsThrottled: while one thumbnail is decoded, only the
// newest wish waits; the pointer's path in between asks for nothing.
func TestThumbnailsThrottled(t *testing.T) {
	loop := newUILoop(t)
	slow := &slowThumbs{fakePlayback: newFakePlayback(), release: make(chan struct{})}
	var last time.Time
	th := newThumbnails(slow, func(img image.Image, at time.Time) { last = at })
	for s := 0; s < 10*60; s += 60 { // ten minutes, one bucket each
		th.request("door", cest(13, 0, 0).Add(time.Duration(s)*time.Second), 24*time.Hour)
	}
	loop.until(t, 2*time.Second, "the first thumbnail asked", func() bool { return slow.count() == 1 })
	slow.release <- struct{}{}
	loop.until(t, 2*time.Second, "the newest wish asked", func() bool { return slow.count() == 2 })
	slow.release <- struct{}{}
	loop.until(t, 2*time.Second, "the newest shown", func() bool { return last.Equal(cest(13, 9, 30)) })
	if n := slow.count(); n != 2 {
		t.Fatalf("%d thumbnails asked, want 2 (the first and the newest)", n)
	}
}

// blockingSession blocks Seek until released, to show the driver keeps
// the UI free and coalesces seeks.
type blockingSession struct {
	*fakeSession
	release chan struct{}
}

func (b *blockingSession) Seek(at time.Time) {
	<-b.release
	b.fakeSession.Seek(at)
}

// TestSessionDriverCoalescesSeeks: a scrub's many seeks while the player
// is busy run as the one in flight and the newest; other commands keep
// their order, and the close comes last.
func TestSessionDriverCoalescesSeeks(t *testing.T) {
	newUILoop(t) // real goroutines
	bs := &blockingSession{fakeSession: &fakeSession{speed: 1}, release: make(chan struct{})}
	d := newSessionDriver(bs)
	d.seekTo(cest(13, 0, 0))
	deadline := time.Now().Add(2 * time.Second)
	for {
		d.mu.Lock()
		n := len(d.queue)
		d.mu.Unlock()
		if n == 0 {
			break // the first seek is running (blocked)
		}
		if time.Now().After(deadline) {
			t.Fatal("the first seek did not start")
		}
		time.Sleep(time.Millisecond)
	}
	for s := 1; s <= 20; s++ {
		d.seekTo(cest(13, 0, s))
	}
	d.do(func(s PlaybackSession) { s.SetPaused(false) })
	close(bs.release)
	for deadline := time.Now().Add(2 * time.Second); len(bs.calls()) < 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("calls %q after the release", bs.calls())
		}
	}
	d.close(nil)
	select {
	case <-d.done:
	case <-time.After(2 * time.Second):
		t.Fatal("the driver did not close the session")
	}
	got := bs.calls()
	want := []string{"seek 11:00:00.000", "seek 11:00:20.000", "paused false", "close"}
	if len(got) != len(want) {
		t.Fatalf("calls %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("calls %q, want %q", got, want)
		}
	}
}

// TestPlaybackNeverBlocksUI drives the page through the real route: the
// session opens, timelines, days, bookmarks and thumbnails are read, keys
// reach the session and the poller moves the readout, and none of the
// fake's blocking calls ran on the UI goroutine.
func TestPlaybackNeverBlocksUI(t *testing.T) {
	loop := newUILoop(t)
	uithread.Enable()
	t.Cleanup(uithread.Disable)
	fake := newFakePlayback()
	fake.bookmarks = []BookmarkData{{ID: "1", CameraID: "door", From: cest(13, 10, 5), To: cest(13, 10, 30), Note: "Van"}}
	a := test.NewTempApp(t)
	svc := &fakeServices{cameras: 2}
	w := NewMainWindow(a, Services{Cameras: svc, Layouts: svc, Playback: fake}, WindowConfig{Location: berlin(t), Now: func() time.Time { return pbNow }})
	t.Cleanup(w.closeWalls)
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.ShowPage(PagePlayback)
	p := w.playback
	loop.until(t, 5*time.Second, "the session and the lanes", func() bool {
		return p.sess != nil && len(p.tl.lanes) == 1 && len(p.tl.lanes[0].Data.Runs) > 0 && len(p.bm.items) == 1 && p.cal.days != nil
	})
	s := fake.session()
	press(w, fyne.KeySpace)
	press(w, fyne.KeyPageUp)
	loop.until(t, 5*time.Second, "the keys reaching the session", func() bool {
		return s.last("paused") == "paused false" && s.last("seek") == "seek 11:49:20.000"
	})
	// The player moves on by itself; only the poller can show it, reading
	// after reading.
	for _, sec := range []int{25, 30} {
		s.moveTo(cest(13, 49, sec))
		want := fmt.Sprintf("Mon 2026-06-01 13:49:%02d.000 CEST", sec)
		loop.until(t, 5*time.Second, "the poller's readout "+want, func() bool { return p.pos.Text == want })
	}
	// Away from the page the poller stops; back on it, it reads again.
	w.ShowPage(PageLive)
	if !p.poll.stopped() {
		t.Fatal("the poller runs behind the Live page")
	}
	s.moveTo(cest(13, 49, 40))
	w.ShowPage(PagePlayback)
	loop.until(t, 5*time.Second, "the readout after coming back", func() bool {
		return p.pos.Text == "Mon 2026-06-01 13:49:40.000 CEST"
	})
	p.hover(0, cest(13, 20, 0), 300)
	loop.until(t, 5*time.Second, "a thumbnail", func() bool { return p.thumbBox.Visible() })
	if v := uithread.Violations(); len(v) > 0 {
		t.Fatalf("blocking calls on the UI goroutine:\n%v", v)
	}
	w.closeWalls()
	loop.until(t, 5*time.Second, "the session closed", func() bool { return s.last("close") == "close" })
}

// TestPlaybackLayout: the grid leaves as few tiles empty as it can.
func TestPlaybackLayout(t *testing.T) {
	for n, want := range map[int]string{1: "1×1", 2: "2×1", 3: "3×1", 4: "2×2", 5: "3×2", 7: "4×2", 9: "3×3", 12: "4×3", 16: "4×4"} {
		l := playbackLayout(n)
		if l.Name != want || len(l.Tiles) < n {
			t.Errorf("%d tiles: %s with %d tiles, want %s", n, l.Name, len(l.Tiles), want)
		}
	}
}

// slowTimeline blocks each Timeline until released.
type slowTimeline struct {
	*fakePlayback
	release chan struct{}
	mu      sync.Mutex
	froms   []time.Time
}

func (s *slowTimeline) Timeline(ctx context.Context, id string, from, to time.Time) (TimelineData, error) {
	s.mu.Lock()
	s.froms = append(s.froms, from)
	s.mu.Unlock()
	select {
	case <-s.release:
	case <-ctx.Done():
		return TimelineData{}, ctx.Err()
	}
	return s.fakePlayback.Timeline(ctx, id, from, to)
}

func (s *slowTimeline) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.froms)
}

// TestPlaybackLanesReadOneAtATime: a fast pan far past what the lanes
// hold reads the timelines once more when the read on its way lands, not
// once per drag event, and the lanes end up holding the last view.
func TestPlaybackLanesReadOneAtATime(t *testing.T) {
	loop := newUILoop(t)
	slow := &slowTimeline{fakePlayback: newFakePlayback(), release: make(chan struct{})}
	a := test.NewTempApp(t)
	svc := &fakeServices{cameras: 2}
	w := NewMainWindow(a, Services{Cameras: svc, Layouts: svc, Playback: slow}, WindowConfig{Location: berlin(t), Now: func() time.Time { return pbNow }})
	t.Cleanup(w.closeWalls)
	w.ShowPage(PagePlayback)
	p := w.playback
	loop.until(t, 5*time.Second, "the first read", func() bool { return slow.calls() == 1 })
	v := p.tl.view
	for i := 1; i <= 30; i++ {
		p.tl.SetView(v.pan(-1000, 1000).pan(float64(-1000*i), 1000)) // hour after hour
	}
	last := p.tl.view
	slow.release <- struct{}{}
	loop.until(t, 5*time.Second, "the second read", func() bool { return slow.calls() == 2 })
	slow.release <- struct{}{}
	loop.until(t, 5*time.Second, "the lanes of the last view", func() bool {
		return !p.loadFrom.IsZero() && !last.From.Before(p.loadFrom) && !last.To().After(p.loadTo)
	})
	if n := slow.calls(); n != 2 {
		t.Fatalf("%d reads for 30 moves, want 2", n)
	}
}
