package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Pointer input on the wall: select, fill, tile menus and drops from the
// camera list. The keyboard is in wall_keys.go.

// unitPos maps p, in the wall's coordinates, to unit coordinates; ok is
// false while the wall has no size.
func (w *Wall) unitPos(p fyne.Position) (x, y float64, ok bool) {
	size := w.Size()
	if size.Width <= 0 || size.Height <= 0 {
		return 0, 0, false
	}
	return float64(p.X / size.Width), float64(p.Y / size.Height), true
}

// tileAt is the layout tile under p, or -1.
func (w *Wall) tileAt(p fyne.Position) int {
	x, y, ok := w.unitPos(p)
	if !ok {
		return -1
	}
	return w.model.tileAt(x, y)
}

// streamAt is the stream under p, or -1.
func (w *Wall) streamAt(p fyne.Position) int {
	x, y, ok := w.unitPos(p)
	if !ok {
		return -1
	}
	return w.model.streamAt(x, y)
}

// DropAt assigns stream s to the tile under the absolute position p: the
// end of a drag from the camera list.
func (w *Wall) DropAt(p fyne.Position, s int) {
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(w)
	if t := w.tileAt(p.Subtract(abs)); t >= 0 {
		w.Assign(t, s)
	}
}

// cameraMenu lists the cameras to put on tile t.
func (w *Wall) cameraMenu(t int) *fyne.MenuItem {
	item := fyne.NewMenuItem("Show camera", nil)
	var subs []*fyne.MenuItem
	for s, st := range w.streams {
		subs = append(subs, fyne.NewMenuItem(st.Name, func() { w.Assign(t, s) }))
	}
	subs = append(subs, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Empty this tile", func() { w.Assign(t, -1) }))
	item.ChildMenu = fyne.NewMenu("", subs...)
	return item
}

// TappedSecondary opens the tile menu; on an empty tile, the camera list.
func (w *Wall) TappedSecondary(ev *fyne.PointEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(w)
	i := w.streamAt(ev.Position)
	t := w.tileAt(ev.Position)
	if i < 0 {
		if t >= 0 && c != nil {
			widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", w.cameraMenu(t)), c, ev.AbsolutePosition)
		}
		return
	}
	w.Select(i)
	if c != nil {
		widget.ShowPopUpMenuAtPosition(w.tileMenu(i, t), c, ev.AbsolutePosition)
	}
}

// tileMenu is the menu of stream i, shown on tile t (-1 while it fills
// the wall).
func (w *Wall) tileMenu(i, t int) *fyne.Menu {
	fill := "Fill the wall"
	if w.model.full >= 0 {
		fill = "Back to the layout"
	}
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(fill, func() {
			if w.model.full >= 0 {
				w.Fullscreen(-1)
			} else {
				w.Fullscreen(i)
			}
		}),
		fyne.NewMenuItem("Snapshot (S)", w.SnapshotSelected),
		fyne.NewMenuItem("Stats (I)", w.ToggleStats),
	)
	s := w.streams[i]
	if s.ToggleRecord != nil && !w.playback {
		label := "Record (R)"
		if w.texts[i].rec != "" { // as the tile shows it: no recorder call here
			label = "Stop recording (R)"
		}
		menu.Items = append(menu.Items, fyne.NewMenuItem(label, w.ToggleRecordSelected))
	}
	switch {
	case w.Replaying(i):
		menu.Items = append(menu.Items, fyne.NewMenuItem("Back to live (L)", func() { w.stopReplay(i) }))
	case s.Replay != nil && !w.playback:
		menu.Items = append(menu.Items, fyne.NewMenuItem("Replay last 30 s (P)", func() { w.startReplay(i) }))
	}
	if t >= 0 {
		menu.Items = append(menu.Items, w.cameraMenu(t))
	}
	return menu
}

// Tapped selects the tile under the pointer.
func (w *Wall) Tapped(ev *fyne.PointEvent) {
	if i := w.streamAt(ev.Position); i >= 0 {
		w.Select(i)
	}
}

// DoubleTapped toggles the tile under the pointer to fill the wall.
func (w *Wall) DoubleTapped(ev *fyne.PointEvent) {
	if w.model.full >= 0 {
		w.Fullscreen(-1)
		return
	}
	if i := w.streamAt(ev.Position); i >= 0 {
		w.Fullscreen(i)
	}
}
