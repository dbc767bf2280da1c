package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestTimelineMarkup: the scene's two lanes over 13:00–14:00 with the
// in/out selection and the playhead: the ruler every 10 minutes, runs,
// the gap, motion, the damaged minute and a bookmark, each its colour.
func TestTimelineMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	tl := newTestTimeline(t)
	tl.lanes[1].Data.Bookmarks = []BookmarkData{{ID: "1", CameraID: "yard", From: cest(13, 36, 0), To: cest(13, 37, 0)}}
	tl.SetSelection(cest(13, 40, 0), cest(13, 45, 0))
	win := a.NewWindow("timeline")
	size := tl.Size()
	win.SetPadded(false)
	win.SetContent(tl)
	win.Resize(size)
	test.AssertRendersToMarkup(t, "playback_timeline.xml", win.Canvas())
}

// TestPlaybackPageMarkup: the whole page with both cameras, the yard
// with no footage at the playhead, a bookmark in the list and a status
// line.
func TestPlaybackPageMarkup(t *testing.T) {
	fake := newFakePlayback()
	fake.status = map[int]PlaybackTileStatus{1: {Position: cest(13, 59, 0), NoFootage: true, Next: cest(14, 10, 5)}}
	fake.bookmarks = []BookmarkData{{ID: "1", CameraID: "door", From: cest(13, 49, 25), To: cest(13, 49, 45), Note: "Van at the gate", Protect: true}}
	w := newPlaybackWindow(t, fake)
	p := w.playback
	p.camChecks.SetSelected([]string{"Front door", "Yard"})
	p.apply(readSnapshot(fake.session(), 2))
	press(w, fyne.KeyPageUp)
	w.Window().Resize(fyne.NewSize(1280, 800))
	test.AssertRendersToMarkup(t, "playback_page.xml", w.Window().Canvas())
}
