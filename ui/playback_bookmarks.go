package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Bookmarks on the Playback page: the B dialog (note, protect, the
// selection or the moment) and the searchable list that seeks on select.

// bookmarkAround is the stretch a bookmark covers when no selection is
// marked: from 5 s before the playhead to 5 s after.
const bookmarkAround = 5 * time.Second

// bookmarkPanel is the list of bookmarks and its search box.
type bookmarkPanel struct {
	p      *playbackPage
	search *widget.Entry
	list   *widget.List
	items  []BookmarkData
	gen    int
	obj    fyne.CanvasObject
	dlg    dialog.Dialog // the open B dialog, for tests
	// current is the bookmark last chosen from the list; Remove (and the
	// Delete key) removes it.
	current *BookmarkData
	remove  *widget.Button
	confirm *dialog.ConfirmDialog // the open remove dialog, for tests
}

func newBookmarkPanel(p *playbackPage) *bookmarkPanel {
	b := &bookmarkPanel{p: p}
	b.search = widget.NewEntry()
	b.search.SetPlaceHolder("Search notes (/)")
	b.search.OnChanged = func(string) { b.reload() }
	b.search.OnSubmitted = func(string) {
		if p.mw.win != nil && len(b.items) > 0 {
			p.mw.win.Canvas().Focus(b.list) // arrows and Space pick one
		}
	}
	b.list = widget.NewList(func() int { return len(b.items) },
		func() fyne.CanvasObject { return widget.NewLabel("Mon 00:00:00 · camera name · a note") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(b.line(b.items[i])) })
	b.list.OnSelected = b.selected
	box := container.NewGridWrap(fyne.NewSize(260, 120), b.list)
	b.remove = widget.NewButtonWithIcon("Remove (Del)", theme.DeleteIcon(), b.askRemove)
	b.remove.Disable()
	b.obj = container.NewVBox(widget.NewLabelWithStyle("Bookmarks", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), b.search, box, b.remove)
	return b
}

// askRemove asks before removing the chosen bookmark: the footage it
// protects becomes retention's to delete.
func (b *bookmarkPanel) askRemove() {
	p := b.p
	if b.current == nil || p.mw.win == nil {
		return
	}
	bm := *b.current
	msg := "Remove the bookmark " + b.line(bm) + "?"
	if bm.Protect {
		msg += " Retention may then delete the footage it keeps."
	}
	b.confirm = dialog.NewConfirm("Remove bookmark", msg, func(ok bool) {
		b.confirm = nil
		if !ok {
			return
		}
		svc := p.svc
		runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, svc.RemoveBookmark(ctx, bm.ID)
		}, func(_ struct{}, err error) {
			if err != nil {
				p.setStatus("The bookmark was not removed: " + err.Error() + ".")
				return
			}
			p.setStatus("Bookmark removed: " + b.line(bm) + ".")
			b.current = nil
			b.remove.Disable()
			p.loadLanes(true)
			b.reload()
		})
	}, p.mw.win)
	b.confirm.Show()
}

func (b *bookmarkPanel) line(bm BookmarkData) string {
	s := bm.From.In(b.p.loc).Format("Jan 2 15:04:05") + " · " + b.p.cameraName(bm.CameraID)
	if bm.Note != "" {
		s += " · " + bm.Note
	}
	return s
}

// reload lists the bookmarks whose note holds the search text.
func (b *bookmarkPanel) reload() {
	text := strings.TrimSpace(b.search.Text)
	b.gen++
	gen := b.gen
	svc := b.p.svc
	runAsync(10*time.Second, func(ctx context.Context) ([]BookmarkData, error) {
		return svc.Bookmarks(ctx, "", text)
	}, func(items []BookmarkData, err error) {
		if gen != b.gen {
			return
		}
		if err != nil {
			b.p.setStatus("The bookmarks could not be read: " + err.Error() + ".")
			return
		}
		b.items = items
		b.list.UnselectAll()
		b.list.Refresh()
	})
}

// selected seeks to the bookmark's start and gives the keys back to the
// page.
func (b *bookmarkPanel) selected(i widget.ListItemID) {
	if i < 0 || i >= len(b.items) {
		return
	}
	bm := b.items[i]
	p := b.p
	b.current = &bm
	b.remove.Enable()
	p.tl.SetView(p.tl.view.centre(bm.From))
	p.seek(bm.From)
	p.setStatus("At the bookmark: " + b.line(bm))
	p.giveKeysBack()
}

// span is what a new bookmark covers: the in/out selection when both
// marks are set, else the moment around the playhead.
func (p *playbackPage) bookmarkSpan() (time.Time, time.Time) {
	if !p.in.IsZero() && !p.out.IsZero() && p.out.After(p.in) {
		return p.in, p.out
	}
	return p.playhead.Add(-bookmarkAround), p.playhead.Add(bookmarkAround)
}

// addDialog asks for the bookmark's note (Enter saves), whether it
// protects the footage (on by default), and its times.
func (b *bookmarkPanel) addDialog() {
	p := b.p
	if len(p.open) == 0 || p.mw.win == nil {
		p.setStatus("Open a camera first: a bookmark marks a camera's footage.")
		return
	}
	from, to := p.bookmarkSpan()
	note := widget.NewEntry()
	note.SetPlaceHolder("What happened")
	protect := widget.NewCheck("Keep this footage (retention does not delete it)", nil)
	protect.SetChecked(true)
	fromE, toE := widget.NewEntry(), widget.NewEntry()
	fromE.SetText(from.In(p.loc).Format("2006-01-02 15:04:05"))
	toE.SetText(to.In(p.loc).Format("2006-01-02 15:04:05"))
	camOpts := []string{}
	if len(p.open) > 1 {
		camOpts = append(camOpts, fmt.Sprintf("All %d cameras", len(p.open)))
	}
	for _, c := range p.open {
		camOpts = append(camOpts, c.Name)
	}
	cam := widget.NewSelect(camOpts, nil)
	cam.SetSelectedIndex(0)
	items := []*widget.FormItem{
		widget.NewFormItem("Note", note),
		widget.NewFormItem("Camera", cam),
		widget.NewFormItem("From", fromE),
		widget.NewFormItem("To", toE),
		widget.NewFormItem("", protect),
	}
	save := func() {
		f, err1 := parseWhen(fromE.Text, p.now(), p.loc)
		t, err2 := parseWhen(toE.Text, p.now(), p.loc)
		if err := errors.Join(err1, err2); err != nil {
			p.setStatus("The bookmark was not saved: " + err.Error())
			return
		}
		if !t.After(f) {
			p.setStatus("The bookmark was not saved: its end must come after its start.")
			return
		}
		var cams []PlaybackCamera
		if len(p.open) > 1 && cam.SelectedIndex() == 0 {
			cams = p.open
		} else {
			for _, c := range p.open {
				if c.Name == cam.Selected {
					cams = append(cams, c)
				}
			}
		}
		b.save(cams, f, t, strings.TrimSpace(note.Text), protect.Checked)
	}
	d := dialog.NewForm("Bookmark", "Save", "Cancel", items, func(ok bool) {
		b.dlg = nil
		if ok {
			save()
		}
	}, p.mw.win)
	note.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(520, 320))
	b.dlg = d
	d.Show()
	p.mw.win.Canvas().Focus(note)
}

// save stores one bookmark per camera, off the UI goroutine.
func (b *bookmarkPanel) save(cams []PlaybackCamera, from, to time.Time, note string, protect bool) {
	p := b.p
	svc := p.svc
	runAsync(10*time.Second, func(ctx context.Context) ([]BookmarkData, error) {
		var out []BookmarkData
		for _, c := range cams {
			bm, err := svc.AddBookmark(ctx, BookmarkData{CameraID: c.ID, From: from, To: to, Note: note, Protect: protect})
			if err != nil {
				return out, fmt.Errorf("save the bookmark of %s: %w", c.Name, err)
			}
			out = append(out, bm)
		}
		return out, nil
	}, func(saved []BookmarkData, err error) {
		if err != nil {
			p.setStatus("The bookmark was not saved: " + err.Error() + ". Check that the data folder is writable, then press B again.")
			return
		}
		p.setStatus(fmt.Sprintf("Bookmark saved: %s–%s%s.", from.In(p.loc).Format("15:04:05"), to.In(p.loc).Format("15:04:05"),
			map[bool]string{true: ", footage kept", false: ""}[protect]))
		p.in, p.out = time.Time{}, time.Time{}
		p.tl.SetSelection(p.in, p.out)
		p.loadLanes(true)
		b.reload()
	})
}
