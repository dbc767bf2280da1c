package ui

import (
	"image"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The scene: it is 2026-06-01 14:00 in Berlin (CEST, UTC+2). The front
// door recorded 12:50–13:20 and 13:21–14:00 with a damaged minute at
// 13:30; the yard 13:00–13:40. Times below are written as the guard reads
// them (CEST) and checked in UTC.
var pbNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) // 14:00 CEST

func cest(h, m, s int) time.Time { return time.Date(2026, 6, 1, h-2, m, s, 0, time.UTC) }

func span(a, b time.Time) TimeSpan { return TimeSpan{a, b} }

func newFakePlayback() *fakePlayback {
	return &fakePlayback{
		cams: []PlaybackCamera{{ID: "door", Name: "Front door"}, {ID: "yard", Name: "Yard"}},
		timelines: map[string]TimelineData{
			"door": {
				Runs:    []TimeSpan{span(cest(12, 50, 0), cest(13, 20, 0)), span(cest(13, 21, 0), cest(13, 30, 0)), span(cest(13, 31, 0), cest(14, 0, 0))},
				Gaps:    []TimeSpan{span(cest(13, 20, 0), cest(13, 21, 0))},
				Motion:  []TimeSpan{span(cest(13, 10, 0), cest(13, 10, 40)), span(cest(13, 49, 20), cest(13, 50, 0))},
				Damaged: []DamagedSpan{{span(cest(13, 30, 0), cest(13, 31, 0)), "hash mismatch"}},
			},
			"yard": {
				Runs:   []TimeSpan{span(cest(13, 0, 0), cest(13, 40, 0))},
				Gaps:   []TimeSpan{span(cest(13, 40, 0), cest(14, 0, 0))},
				Motion: []TimeSpan{span(cest(13, 35, 0), cest(13, 35, 30))},
			},
		},
		days: map[int]bool{1: true, 3: true},
	}
}

// newPlaybackWindow shows the Playback page of a main window over fake,
// with the clock at pbNow in Berlin.
func newPlaybackWindow(t *testing.T, fake *fakePlayback, layouts ...SavedLayout) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	svc := &fakeServices{cameras: 2, layouts: layouts}
	w := NewMainWindow(a, Services{Cameras: svc, Layouts: svc, Playback: fake}, WindowConfig{Location: berlin(t), Now: func() time.Time { return pbNow }})
	t.Cleanup(w.closeWalls)
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.ShowPage(PagePlayback)
	if w.playback == nil || w.playback.sess == nil {
		t.Fatal("the Playback page opened no session")
	}
	return w
}

// press sends a key to the window as the keyboard would.
func press(w *MainWindow, k fyne.KeyName) {
	w.Window().Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
}

// typeKey sends a letter key as the keyboard would: the key, then its
// rune, each to the focused widget if any, else to the window.
func typeKey(w *MainWindow, r rune) {
	c := w.Window().Canvas()
	k := fyne.KeyName(strings.ToUpper(string(r)))
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: k})
	} else {
		c.OnTypedKey()(&fyne.KeyEvent{Name: k})
	}
	if f := c.Focused(); f != nil {
		f.TypedRune(r)
	} else {
		c.OnTypedRune()(r)
	}
}

func TestPlaybackSpacePauses(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	s := fake.session()
	press(w, fyne.KeySpace)
	if got := s.last("paused"); got != "paused false" {
		t.Fatalf("after Space: %q, want paused false (it opens paused)", got)
	}
	if w.playback.playBtn.Text != "Pause" {
		t.Fatalf("play button says %q while playing", w.playback.playBtn.Text)
	}
	press(w, fyne.KeySpace)
	if got := s.last("paused"); got != "paused true" {
		t.Fatalf("after a second Space: %q", got)
	}
}

func TestPlaybackFrameStepKeys(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	s := fake.session()
	press(w, fyne.KeyPeriod)
	if got := s.last("step"); got != "step 1" {
		t.Fatalf("after '.': %q", got)
	}
	press(w, fyne.KeyComma)
	if got := s.last("step"); got != "step -1" {
		t.Fatalf("after ',': %q", got)
	}
}

// TestPlaybackJumpKeys: → and ← move 10 s from the playhead (13:59:00).
func TestPlaybackJumpKeys(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	s := fake.session()
	press(w, fyne.KeyRight)
	if got := s.last("seek"); got != "seek 11:59:10.000" {
		t.Fatalf("after →: %q", got)
	}
	press(w, fyne.KeyLeft)
	press(w, fyne.KeyLeft)
	if got := s.last("seek"); got != "seek 11:58:50.000" {
		t.Fatalf("after ← ←: %q", got)
	}
	if got := w.playback.pos.Text; got != "Mon 2026-06-01 13:58:50.000 CEST" {
		t.Fatalf("position readout %q", got)
	}
}

// TestPlaybackEventKeys: PgUp goes back through the motion events of
// both cameras, PgDn forward; the times are the scene's.
func TestPlaybackEventKeys(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	w.playback.camChecks.SetSelected([]string{"Front door", "Yard"})
	s := fake.session()
	press(w, fyne.KeyPageUp)
	if got := s.last("seek"); got != "seek 11:49:20.000" { // 13:49:20 CEST, the door
		t.Fatalf("after PgUp: %q", got)
	}
	press(w, fyne.KeyPageUp)
	if got := s.last("seek"); got != "seek 11:35:00.000" { // 13:35:00, the yard
		t.Fatalf("after PgUp PgUp: %q", got)
	}
	press(w, fyne.KeyPageUp)
	if got := s.last("seek"); got != "seek 11:10:00.000" { // 13:10, the door
		t.Fatalf("after PgUp ×3: %q", got)
	}
	press(w, fyne.KeyPageDown)
	if got := s.last("seek"); got != "seek 11:35:00.000" {
		t.Fatalf("after PgDn: %q", got)
	}
	press(w, fyne.KeyPageDown)
	if got := s.last("seek"); got != "seek 11:49:20.000" {
		t.Fatalf("after PgDn PgDn: %q", got)
	}
	press(w, fyne.KeyPageDown)
	if got := w.playback.status.Text; !strings.HasPrefix(got, "No motion event in the 24 hours after") {
		t.Fatalf("PgDn past the last event: status %q", got)
	}
	// From 13:49:20 Shift+G goes back to the yard's gap at 13:40; G
	// finds none later.
	w.playback.KeyDown("LeftShift")
	press(w, fyne.KeyG)
	w.playback.KeyUp("LeftShift")
	if got := s.last("seek"); got != "seek 11:40:00.000" {
		t.Fatalf("after Shift+G: %q", got)
	}
	press(w, fyne.KeyG)
	if got := s.last("seek"); got != "seek 11:40:00.000" {
		t.Fatalf("G from the last gap moved: %q", got)
	}
}

func TestPlaybackSpeedKeys(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	s := fake.session()
	press(w, fyne.KeyUp)
	press(w, fyne.KeyUp)
	if got := s.last("speed"); got != "speed 4" {
		t.Fatalf("after ↑ ↑: %q", got)
	}
	for range 5 {
		press(w, fyne.KeyUp)
	}
	if got := s.last("speed"); got != "speed 16" || w.playback.speedText.Text != "16×" {
		t.Fatalf("speed past the top: %q, shown %q", got, w.playback.speedText.Text)
	}
	for range 10 {
		press(w, fyne.KeyDown)
	}
	if got := s.last("speed"); got != "speed 0.125" || w.playback.speedText.Text != "1/8×" {
		t.Fatalf("speed past the bottom: %q, shown %q", got, w.playback.speedText.Text)
	}
}

// TestPlaybackBookmarkKey: [ and ] mark a selection, B opens the dialog,
// a typed note and Enter save a protected bookmark over the selection.
func TestPlaybackBookmarkKey(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	w.playback.camChecks.SetSelected([]string{"Front door", "Yard"})
	press(w, fyne.KeyLeft) // 13:58:50
	press(w, fyne.KeyLeftBracket)
	press(w, fyne.KeyRight)
	press(w, fyne.KeyRight) // 13:59:10
	press(w, fyne.KeyRightBracket)
	typeKey(w, 'b')
	bp := w.playback.bm
	if bp.dlg == nil {
		t.Fatal("B opened no dialog")
	}
	note, ok := w.Window().Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("the dialog's note has no focus (focused %T)", w.Window().Canvas().Focused())
	}
	test.Type(note, "Door forced")
	if note.Text != "Door forced" {
		t.Fatalf("the note reads %q: the B went into it", note.Text)
	}
	note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(fake.bookmarks) != 2 {
		t.Fatalf("%d bookmarks saved, want one per camera (2)", len(fake.bookmarks))
	}
	b := fake.bookmarks[0]
	if b.CameraID != "door" || b.Note != "Door forced" || !b.Protect ||
		!b.From.Equal(cest(13, 58, 50)) || !b.To.Equal(cest(13, 59, 10)) {
		t.Fatalf("bookmark %+v", b)
	}
	if !strings.HasPrefix(w.playback.status.Text, "Bookmark saved: 13:58:50–13:59:10, footage kept") {
		t.Fatalf("status %q", w.playback.status.Text)
	}
	// It shows on the lanes and in the list.
	if n := len(w.playback.tl.lanes[0].Data.Bookmarks); n != 1 {
		t.Fatalf("door lane has %d bookmarks", n)
	}
	if len(bp.items) != 2 {
		t.Fatalf("list has %d bookmarks", len(bp.items))
	}
}

// TestPlaybackBookmarkWithoutSelection covers the moment around the
// playhead, for one chosen camera.
func TestPlaybackBookmarkWithoutSelection(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	typeKey(w, 'b')
	note := w.Window().Canvas().Focused().(*widget.Entry)
	note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(fake.bookmarks) != 1 {
		t.Fatalf("%d bookmarks", len(fake.bookmarks))
	}
	b := fake.bookmarks[0]
	if !b.From.Equal(cest(13, 58, 55)) || !b.To.Equal(cest(13, 59, 5)) {
		t.Fatalf("bookmark %v–%v, want 13:58:55–13:59:05 CEST", b.From, b.To)
	}
}

// TestPlaybackBookmarkListSeeks: the search narrows the list; choosing a
// bookmark seeks to its start.
func TestPlaybackBookmarkListSeeks(t *testing.T) {
	fake := newFakePlayback()
	fake.bookmarks = []BookmarkData{
		{ID: "1", CameraID: "door", From: cest(13, 10, 5), To: cest(13, 10, 30), Note: "Van at the gate"},
		{ID: "2", CameraID: "yard", From: cest(13, 36, 0), To: cest(13, 37, 0), Note: "Door FORCED"},
	}
	w := newPlaybackWindow(t, fake)
	bp := w.playback.bm
	if len(bp.items) != 2 {
		t.Fatalf("list %d", len(bp.items))
	}
	typeKey(w, '/')
	if w.Window().Canvas().Focused() != bp.search || bp.search.Text != "" {
		t.Fatalf("/ did not focus an empty search (%q)", bp.search.Text)
	}
	test.Type(bp.search, "forced")
	if len(bp.items) != 1 || bp.items[0].ID != "2" {
		t.Fatalf("search kept %+v", bp.items)
	}
	bp.list.Select(0)
	if got := fake.session().last("seek"); got != "seek 11:36:00.000" {
		t.Fatalf("choosing the bookmark: %q", got)
	}
	// Delete asks, then removes the chosen bookmark.
	press(w, fyne.KeyDelete)
	if bp.confirm == nil {
		t.Fatal("Delete asked nothing")
	}
	bp.confirm.Confirm()
	if len(fake.bookmarks) != 1 || fake.bookmarks[0].ID != "1" {
		t.Fatalf("after removing: %+v", fake.bookmarks)
	}
	if !strings.HasPrefix(w.playback.status.Text, "Bookmark removed: Jun 1 13:36:00 · Yard · Door FORCED") {
		t.Fatalf("status %q", w.playback.status.Text)
	}
}

func TestPlaybackBackToLive(t *testing.T) {
	for _, k := range []fyne.KeyName{fyne.KeyL, fyne.KeyEscape} {
		fake := newFakePlayback()
		w := newPlaybackWindow(t, fake)
		press(w, fyne.KeySpace)
		press(w, k)
		if w.CurrentPage() != PageLive {
			t.Fatalf("%s: page %s", k, w.CurrentPage())
		}
		if got := fake.session().last("paused"); got != "paused true" {
			t.Fatalf("%s: leaving the page left it playing (%q)", k, got)
		}
	}
}

// TestPlaybackZoomKeys: + and − zoom about the playhead, within 10 s..24 h.
func TestPlaybackZoomKeys(t *testing.T) {
	w := newPlaybackWindow(t, newFakePlayback())
	tl := w.playback.tl
	x0 := tl.view.xAt(w.playback.playhead, 1000)
	press(w, fyne.KeyPlus)
	if tl.view.Span != 48*time.Minute {
		t.Fatalf("after +: span %v, want 48m", tl.view.Span)
	}
	if x := tl.view.xAt(w.playback.playhead, 1000); x-x0 > 0.01 || x0-x > 0.01 {
		t.Fatalf("the playhead moved from x=%v to %v", x0, x)
	}
	for range 40 {
		press(w, fyne.KeyMinus)
	}
	if tl.view.Span != 24*time.Hour {
		t.Fatalf("zoomed out to %v", tl.view.Span)
	}
}

// TestPlaybackTypedTime: a typed time seeks there.
func TestPlaybackTypedTime(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	p := w.playback
	typeKey(w, 't')
	if w.Window().Canvas().Focused() != p.when || p.when.Text != "" {
		t.Fatalf("T did not focus an empty time entry (entry %q)", p.when.Text)
	}
	test.Type(p.when, "2026-06-01 13:10")
	p.when.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := fake.session().last("seek"); got != "seek 11:10:00.000" {
		t.Fatalf("typed 13:10: %q", got)
	}
	if w.Window().Canvas().Focused() != nil {
		t.Fatal("the entry kept the keys after Enter")
	}
	p.when.SetText("yesterday noon")
	p.when.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(p.status.Text, `cannot read the time "yesterday noon"`) {
		t.Fatalf("status %q", p.status.Text)
	}
}

// TestPlaybackCalendar: the days with footage stand out; picking one
// shows the whole day and goes to its first footage (12:50).
func TestPlaybackCalendar(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	c := w.playback.cal
	if c.title.Text != "June 2026" {
		t.Fatalf("month %q", c.title.Text)
	}
	for d, want := range map[int]widget.Importance{1: widget.HighImportance, 2: widget.LowImportance, 3: widget.HighImportance} {
		if got := c.buttons[d].Importance; got != want {
			t.Errorf("day %d importance %v, want %v", d, got, want)
		}
	}
	test.Tap(c.buttons[1])
	v := w.playback.tl.view
	if !v.From.Equal(time.Date(2026, 5, 31, 22, 0, 0, 0, time.UTC)) || v.Span != 24*time.Hour {
		t.Fatalf("day view %v + %v", v.From, v.Span)
	}
	if got := fake.session().last("seek"); got != "seek 10:50:00.000" {
		t.Fatalf("picking the day: %q", got)
	}
	typeKey(w, 'd') // the calendar at the playhead's day: June 1
	if w.Window().Canvas().Focused() != c.buttons[1] {
		t.Fatalf("D focused %v", w.Window().Canvas().Focused())
	}
	w.Window().Canvas().FocusNext()
	w.Window().Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // Tab, Space: June 2
	if w.Window().Canvas().Focused() != nil {
		t.Fatal("the day button kept the keys")
	}
	if !strings.HasPrefix(w.playback.status.Text, "No footage on Tue 2 Jun 2026") {
		t.Fatalf("empty day: status %q", w.playback.status.Text)
	}
}

// TestPlaybackCamerasAndLayout: ticking a camera (key 2) plays both; a
// saved layout plays its cameras in its order; key 1 unticks the door.
func TestPlaybackCamerasAndLayout(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake, SavedLayout{Name: "Night", Layout: "2×2", Cameras: []string{"yard", "", "door", "gone"}})
	p := w.playback
	if got := fake.session().ids; len(got) != 1 || got[0] != "door" {
		t.Fatalf("first session %v", got)
	}
	press(w, fyne.Key2)
	if got := fake.session().ids; len(got) != 2 {
		t.Fatalf("after 2 ticked the yard: %v", got)
	}
	if len(p.tl.lanes) != 2 || p.tl.lanes[1].Name != "Yard" {
		t.Fatalf("lanes %+v", p.tl.lanes)
	}
	old := fake.sessions[0]
	if !old.closed {
		t.Fatal("the first session was not closed")
	}
	typeKey(w, 'o')
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Fatal("O did not open the layout picker")
	}
	w.Window().Canvas().Overlays().Top().Hide()
	p.layoutSel.SetSelected("Night")
	if got := fake.session().ids; len(got) != 2 || got[0] != "yard" || got[1] != "door" {
		t.Fatalf("layout session %v", got)
	}
	press(w, fyne.Key1)
	if got := fake.session().ids; len(got) != 1 || got[0] != "yard" {
		t.Fatalf("after 1 unticked the door: %v", got)
	}
}

// TestPlaybackGroup: a camera group is offered beside the saved layouts
// and plays every camera of the group, and only those.
func TestPlaybackGroup(t *testing.T) {
	fake := newFakePlayback()
	fake.cams = append(fake.cams, PlaybackCamera{ID: "gate", Name: "Gate"})
	fake.cams[0].Group, fake.cams[2].Group = "Outside", "Outside"
	w := newPlaybackWindow(t, fake, SavedLayout{Name: "Night", Layout: "1", Cameras: []string{"yard"}})
	p := w.playback
	if got := p.layoutSel.Options; len(got) != 2 || got[0] != "Night" || got[1] != "Group: Outside" {
		t.Fatalf("picker offers %q, want the layout then the group", got)
	}
	p.layoutSel.SetSelected("Group: Outside")
	if got := fake.session().ids; len(got) != 2 || got[0] != "door" || got[1] != "gate" {
		t.Fatalf("group session %v, want door and gate", got)
	}
}

// TestPlaybackNoFootageTile: a camera with nothing at the playhead shows
// a slate, never black, and says when its next footage is.
func TestPlaybackNoFootageTile(t *testing.T) {
	fake := newFakePlayback()
	fake.status = map[int]PlaybackTileStatus{1: {Position: cest(13, 59, 0), NoFootage: true, Next: cest(14, 10, 5)}}
	w := newPlaybackWindow(t, fake)
	p := w.playback
	p.camChecks.SetSelected([]string{"Front door", "Yard"})
	p.apply(readSnapshot(fake.session(), 2))
	if got := p.tiles.text(1); got != "no recording · next 14:10:05" {
		t.Fatalf("tile text %q", got)
	}
	if got := p.tiles.text(0); got != "" {
		t.Fatalf("playing tile says %q", got)
	}
	if got := p.tiles.statusText(1); got != "no recording · next 14:10:05" {
		t.Fatalf("status func for the wall %q", got)
	}
	img := p.tiles.wall.comp.generate(640, 360).(*image.RGBA)
	r := playbackLayout(2).Tiles[1].pixelRect(640, 360)
	if c := img.RGBAAt(r.Min.X+r.Dx()/2, r.Min.Y+r.Dy()/2); c != colSlate {
		t.Fatalf("no-footage tile pixel %v, want the slate %v", c, colSlate)
	}
}

// TestPlaybackDamageNotice: playing over the damaged minute says it was
// skipped, with the problem.
func TestPlaybackDamageNotice(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	p := w.playback
	s := fake.session()
	s.moveTo(cest(13, 29, 58))
	p.apply(readSnapshot(s, 1))
	s.moveTo(cest(13, 31, 1))
	p.apply(readSnapshot(s, 1))
	want := "Front door: damaged footage 13:30:00–13:31:00 skipped (hash mismatch)"
	if !strings.HasPrefix(p.status.Text, want) {
		t.Fatalf("status %q, want %q…", p.status.Text, want)
	}
}

// TestPlaybackPollMovesPlayhead: a reading moves the playhead and the
// readout, and pages the view on while playing.
func TestPlaybackPollMovesPlayhead(t *testing.T) {
	fake := newFakePlayback()
	w := newPlaybackWindow(t, fake)
	p := w.playback
	s := fake.session()
	press(w, fyne.KeySpace)
	s.moveTo(cest(14, 4, 30)) // the player played on past the view's last tenth
	p.apply(readSnapshot(s, 1))
	if got := p.pos.Text; got != "Mon 2026-06-01 14:04:30.000 CEST" {
		t.Fatalf("readout %q", got)
	}
	if want := cest(14, 4, 30).Add(-6 * time.Minute); !p.tl.view.From.Equal(want) {
		t.Fatalf("view from %v, want %v", p.tl.view.From, want)
	}
}

// TestPlaybackSyncToggle: S unlinks the cameras; each lane then shows its
// own position; S again links them.
func TestPlaybackSyncToggle(t *testing.T) {
	fake := newFakePlayback()
	fake.status = map[int]PlaybackTileStatus{0: {Position: cest(13, 10, 0)}, 1: {Position: cest(13, 20, 0)}}
	w := newPlaybackWindow(t, fake)
	p := w.playback
	p.camChecks.SetSelected([]string{"Front door", "Yard"})
	s := fake.session()
	typeKey(w, 's')
	if s.last("synced") != "synced false" || p.syncBtn.Text != "SYNC off" {
		t.Fatalf("S: %q, button %q", s.last("synced"), p.syncBtn.Text)
	}
	p.apply(readSnapshot(s, 2))
	if !p.tl.lanes[0].Pos.Equal(cest(13, 10, 0)) || !p.tl.lanes[1].Pos.Equal(cest(13, 20, 0)) {
		t.Fatalf("lane positions %v %v", p.tl.lanes[0].Pos, p.tl.lanes[1].Pos)
	}
	typeKey(w, 's')
	if s.last("synced") != "synced true" || !p.tl.lanes[1].Pos.IsZero() {
		t.Fatalf("S again: %q, lane position %v", s.last("synced"), p.tl.lanes[1].Pos)
	}
}

// TestPlaybackBookmarkKeys: Home and End go to the previous and next
// bookmark.
func TestPlaybackBookmarkKeys(t *testing.T) {
	fake := newFakePlayback()
	fake.bookmarks = []BookmarkData{
		{ID: "1", CameraID: "door", From: cest(13, 10, 5), To: cest(13, 10, 30)},
		{ID: "2", CameraID: "door", From: cest(13, 36, 0), To: cest(13, 37, 0)},
	}
	w := newPlaybackWindow(t, fake)
	s := fake.session()
	press(w, fyne.KeyHome)
	if got := s.last("seek"); got != "seek 11:36:00.000" {
		t.Fatalf("Home: %q", got)
	}
	press(w, fyne.KeyHome)
	if got := s.last("seek"); got != "seek 11:10:05.000" {
		t.Fatalf("Home Home: %q", got)
	}
	press(w, fyne.KeyEnd)
	if got := s.last("seek"); got != "seek 11:36:00.000" {
		t.Fatalf("End: %q", got)
	}
}
