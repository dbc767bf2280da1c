package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// LayoutStore keeps saved wall arrangements; app implements it.
type LayoutStore interface {
	SavedLayouts(ctx context.Context) ([]SavedLayout, error)
	SaveLayout(ctx context.Context, l SavedLayout) error
}

// savedPrefix marks saved arrangements in the layout list.
const savedPrefix = "★ "

// livePage is the Live page: the camera list, the wall with its toolbar
// and, for PTZ cameras, the pad.
type livePage struct {
	mw        *MainWindow
	wl        *Wall
	store     LayoutStore
	layoutSel *widget.Select
	saved     []SavedLayout
	tour      *time.Ticker
	tourStop  chan struct{}
	tourIdx   int
}

func newLivePage(mw *MainWindow, wl *Wall) fyne.CanvasObject {
	p := &livePage{mw: mw, wl: wl, store: mw.svc.Layouts}
	p.layoutSel = widget.NewSelect(nil, p.choose)
	p.reloadLayouts()
	p.layoutSel.SetSelected(wl.CurrentLayout().Name)
	stats := widget.NewButtonWithIcon("Stats (I)", theme.InfoIcon(), wl.ToggleStats)
	full := widget.NewButtonWithIcon("Fill (Enter)", theme.ViewFullScreenIcon(), func() {
		if wl.FullscreenStream() >= 0 {
			wl.Fullscreen(-1)
		} else {
			wl.Fullscreen(wl.Selected())
		}
	})
	save := widget.NewButtonWithIcon("Save layout…", theme.DocumentSaveIcon(), p.saveDialog)
	if p.store == nil {
		save.Disable()
	}
	tourSel := widget.NewSelect([]string{"Tour off", "Tour 10 s", "Tour 30 s", "Tour 60 s"}, p.setTour)
	tourSel.SetSelected("Tour off")
	second := widget.NewButtonWithIcon("New window (Ctrl+N)", theme.ContentCopyIcon(), func() { openSecondWall(mw) })
	toolbar := container.NewHBox(p.layoutSel, save, tourSel, full, stats, second)
	return container.NewBorder(toolbar, nil, p.cameraList(), newPTZPad(wl), wl)
}

// reloadLayouts lists the built-in layouts at once and the saved ones
// when the catalogue has answered, off the UI goroutine.
func (p *livePage) reloadLayouts() {
	names := make([]string, 0, len(Layouts))
	for _, l := range Layouts {
		names = append(names, l.Name)
	}
	p.layoutSel.SetOptions(names)
	if p.store == nil {
		return
	}
	runAsync(10*time.Second, p.store.SavedLayouts, func(saved []SavedLayout, err error) {
		if err != nil {
			p.wl.Toast("Saved layouts could not be read: " + err.Error() + ". The built-in layouts still work.")
			return
		}
		p.saved = saved
		opts := slices.Clone(names)
		for _, s := range saved {
			opts = append(opts, savedPrefix+s.Name)
		}
		p.layoutSel.SetOptions(opts)
	})
}

func (p *livePage) choose(name string) {
	if strings.HasPrefix(name, savedPrefix) {
		for _, s := range p.saved {
			if savedPrefix+s.Name == name {
				p.wl.Apply(s)
			}
		}
		return
	}
	for _, l := range Layouts {
		if l.Name == name && l.Name != p.wl.CurrentLayout().Name {
			p.wl.SetLayout(l)
		}
	}
}

func (p *livePage) saveDialog() {
	name := widget.NewEntry()
	name.SetPlaceHolder("e.g. Night shift")
	dialog.ShowForm("Save layout", "Save", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
		n := strings.TrimSpace(name.Text)
		if !ok || n == "" {
			return
		}
		l := p.wl.Arrangement(n)
		runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, p.store.SaveLayout(ctx, l)
		}, func(_ struct{}, err error) {
			if err != nil {
				dialog.ShowError(fmt.Errorf("save the layout %q: %w; check that the data folder is writable, then save again", n, err), p.mw.win)
				return
			}
			p.reloadLayouts()
			p.wl.Toast("Layout saved as " + n)
		})
	}, p.mw.win)
}

// setTour cycles the wall through the saved layouts.
func (p *livePage) setTour(choice string) {
	if p.tourStop != nil {
		close(p.tourStop)
		p.tourStop = nil
	}
	var every time.Duration
	switch choice {
	case "Tour 10 s":
		every = 10 * time.Second
	case "Tour 30 s":
		every = 30 * time.Second
	case "Tour 60 s":
		every = time.Minute
	default:
		return
	}
	if len(p.saved) < 2 {
		dialog.ShowError(errors.New("a tour cycles through saved layouts: save at least two first (Save layout…)"), p.mw.win)
		return
	}
	stop := make(chan struct{})
	p.tourStop = stop
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-p.wl.stop:
				return
			case <-t.C:
				toUI(p.nextTourStop)
			}
		}
	}()
}

func (p *livePage) nextTourStop() {
	if len(p.saved) == 0 {
		return
	}
	p.tourIdx = (p.tourIdx + 1) % len(p.saved)
	p.wl.StopPTZ()
	p.wl.Apply(p.saved[p.tourIdx])
}

// cameraList is the side list: drag a camera onto a tile to show it there.
func (p *livePage) cameraList() fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabelWithStyle("Cameras", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, s := range p.wl.streams {
		box.Add(newCameraChip(s.Name, i, p.wl))
	}
	hint := widget.NewLabel("Drag onto a tile")
	hint.TextStyle.Italic = true
	box.Add(hint)
	return container.NewVScroll(box)
}

// cameraChip is a draggable camera name.
type cameraChip struct {
	widget.Label
	stream int
	wall   *Wall
	last   fyne.Position
	moved  bool
}

func newCameraChip(name string, stream int, wl *Wall) *cameraChip {
	c := &cameraChip{stream: stream, wall: wl}
	c.Text = name
	c.ExtendBaseWidget(c)
	return c
}

// Dragged implements fyne.Draggable.
func (c *cameraChip) Dragged(ev *fyne.DragEvent) { c.last, c.moved = ev.AbsolutePosition, true }

// DragEnd drops the camera on the tile under the pointer.
func (c *cameraChip) DragEnd() {
	if c.moved {
		c.wall.DropAt(c.last, c.stream)
	}
	c.moved = false
}

// Tapped selects the camera on the wall.
func (c *cameraChip) Tapped(*fyne.PointEvent) { c.wall.Select(c.stream) }

// newPTZPad is the on-screen PTZ control for the selected camera.
func newPTZPad(wl *Wall) fyne.CanvasObject {
	move := func(p, t, z float64) func() {
		return func() { wl.NudgePTZ(p, t, z) }
	}
	btn := func(icon fyne.Resource, fn func()) *widget.Button { return widget.NewButtonWithIcon("", icon, fn) }
	pad := container.NewGridWithColumns(3,
		widget.NewLabel(""), btn(theme.MoveUpIcon(), move(0, 1, 0)), widget.NewLabel(""),
		btn(theme.NavigateBackIcon(), move(-1, 0, 0)), btn(theme.HomeIcon(), func() {
			if p := wl.selectedPTZ(); p != nil {
				p.Home()
			}
		}), btn(theme.NavigateNextIcon(), move(1, 0, 0)),
		btn(theme.ZoomOutIcon(), move(0, 0, -1)), btn(theme.MoveDownIcon(), move(0, -1, 0)), btn(theme.ZoomInIcon(), move(0, 0, 1)),
	)
	speed := widget.NewSlider(0.1, 1)
	speed.Step = 0.05
	speed.SetValue(wl.PTZSpeed())
	speed.OnChanged = wl.SetPTZSpeed
	presets := container.NewGridWithColumns(3)
	for n := 1; n <= 6; n++ {
		presets.Add(widget.NewButton(string(rune('0'+n)), func() {
			if p := wl.selectedPTZ(); p != nil {
				p.GotoPreset(n)
			}
		}))
	}
	save := widget.NewButtonWithIcon("Save preset…", theme.DocumentSaveIcon(), nil)
	save.OnTapped = func() {
		p := wl.selectedPTZ()
		c := fyne.CurrentApp().Driver().CanvasForObject(save)
		if p == nil || c == nil {
			return
		}
		sel := widget.NewSelect([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, nil)
		sel.SetSelected("1")
		var pop *widget.PopUp
		pop = widget.NewModalPopUp(container.NewVBox(widget.NewLabel("Save the current position as preset"), sel,
			container.NewHBox(widget.NewButton("Save", func() {
				p.SetPreset(int(sel.Selected[0] - '0'))
				pop.Hide()
			}), widget.NewButton("Cancel", func() { pop.Hide() }))), c)
		pop.Show()
	}
	help := widget.NewLabel("Arrows move while held,\n+/- zoom, H home,\n1–9 presets, Ctrl+1–9 save.")
	help.TextStyle.Italic = true
	return container.NewVBox(widget.NewLabelWithStyle("PTZ", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		pad, widget.NewLabel("Speed"), speed, widget.NewLabel("Presets"), presets, save, help)
}

// openSecondWall opens another window with the same cameras, for a second
// monitor. It shares the streams; closing it leaves the main wall alone.
func openSecondWall(mw *MainWindow) {
	streams := mw.svc.Streams
	if len(streams) == 0 {
		return
	}
	win := mw.app.NewWindow("Nightjar wall")
	wl := NewWall(streams, WallConfig{Window: win, Log: mw.cfg.Log})
	win.SetContent(wl)
	win.Resize(fyne.NewSize(1280, 720))
	win.Canvas().SetOnTypedKey(wl.TypedKey)
	mw.extraWalls = append(mw.extraWalls, wl)
	win.SetOnClosed(func() {
		wl.Close()
		mw.extraWalls = slices.DeleteFunc(mw.extraWalls, func(x *Wall) bool { return x == wl })
	})
	win.Show()
}
