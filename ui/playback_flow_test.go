package ui

import (
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestGuardFlowFromTheKeyboard is the "done when", against a fake
// session: from the live wall with the yard selected, Ctrl+P opens the
// yard's footage; PgUp goes to its motion event of 13:35 (a motion event
// minutes back), ↑ ↑ plays at 4×, Space plays, '.' steps a frame, B saves
// a bookmark with a typed note, and Esc goes back to live. No mouse.
func TestGuardFlowFromTheKeyboard(t *testing.T) {
	a := test.NewTempApp(t)
	fake := newFakePlayback()
	svc := &fakeServices{cameras: 2, streams: []LiveStream{
		{ID: "door", Name: "Front door", Source: &fakeSource{state: TilePlaying, col: color.RGBA{200, 30, 30, 255}}},
		{ID: "yard", Name: "Yard", Source: &fakeSource{state: TilePlaying, col: color.RGBA{30, 200, 30, 255}}},
	}}
	s := svc.services()
	s.Playback = fake
	w := NewMainWindow(a, s, WindowConfig{Location: berlin(t), Now: func() time.Time { return pbNow }})
	t.Cleanup(w.closeWalls)
	w.Window().Resize(fyne.NewSize(1280, 800))
	if w.CurrentPage() != PageLive {
		t.Fatalf("starts on %s", w.CurrentPage())
	}
	press(w, fyne.KeyTab) // the wall selects the next camera: the yard
	if w.wall.Selected() != 1 {
		t.Fatalf("wall selected %d", w.wall.Selected())
	}
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault})
	if w.CurrentPage() != PagePlayback {
		t.Fatalf("Ctrl+P: page %s", w.CurrentPage())
	}
	sess := fake.session()
	if sess == nil || len(sess.ids) != 1 || sess.ids[0] != "yard" {
		t.Fatal("Ctrl+P did not open the selected camera's footage")
	}
	press(w, fyne.KeyPageUp)
	if got := sess.last("seek"); got != "seek 11:35:00.000" {
		t.Fatalf("PgUp: %q", got)
	}
	press(w, fyne.KeyUp)
	press(w, fyne.KeyUp)
	press(w, fyne.KeySpace)
	if sess.last("speed") != "speed 4" || sess.last("paused") != "paused false" {
		t.Fatalf("↑ ↑ Space: %q", sess.calls())
	}
	press(w, fyne.KeyPeriod)
	if sess.last("step") != "step 1" {
		t.Fatalf("'.': %q", sess.calls())
	}
	typeKey(w, 'b')
	note, ok := w.Window().Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatal("B: no note to type in")
	}
	test.Type(note, "Man at the fence")
	note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(fake.bookmarks) != 1 || fake.bookmarks[0].CameraID != "yard" || fake.bookmarks[0].Note != "Man at the fence" ||
		!fake.bookmarks[0].From.Equal(cest(13, 34, 55)) {
		t.Fatalf("bookmarks %+v", fake.bookmarks)
	}
	press(w, fyne.KeyEscape)
	if w.CurrentPage() != PageLive {
		t.Fatalf("Esc: page %s", w.CurrentPage())
	}
	if sess.last("paused") != "paused true" {
		t.Fatal("playback kept playing behind the Live page")
	}
}
