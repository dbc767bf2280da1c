package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newLivePage is the wall with its toolbar and, for PTZ cameras, the pad.
func newLivePage(mw *MainWindow, wl *Wall) fyne.CanvasObject {
	names := make([]string, len(Layouts))
	for i, l := range Layouts {
		names[i] = l.Name
	}
	layoutSel := widget.NewSelect(names, func(name string) {
		for _, l := range Layouts {
			if l.Name == name {
				wl.SetLayout(l)
			}
		}
	})
	layoutSel.SetSelected(wl.CurrentLayout().Name)
	stats := widget.NewButtonWithIcon("Stats (I)", theme.InfoIcon(), wl.ToggleStats)
	full := widget.NewButtonWithIcon("Fill (Enter)", theme.ViewFullScreenIcon(), func() {
		if wl.FullscreenStream() >= 0 {
			wl.Fullscreen(-1)
		} else {
			wl.Fullscreen(wl.Selected())
		}
	})
	second := widget.NewButtonWithIcon("New wall window", theme.ContentCopyIcon(), func() { openSecondWall(mw) })
	toolbar := container.NewHBox(widget.NewLabel("Layout"), layoutSel, full, stats, second)
	return container.NewBorder(toolbar, nil, nil, newPTZPad(wl), wl)
}

// nudge is how long a tap on the pad moves the camera.
const nudge = 400 * time.Millisecond

// newPTZPad is the on-screen PTZ control for the selected camera.
func newPTZPad(wl *Wall) fyne.CanvasObject {
	move := func(p, t, z float64) func() {
		return func() {
			ptz := wl.selectedPTZ()
			if ptz == nil {
				return
			}
			s := wl.PTZSpeed()
			ptz.Move(p*s, t*s, z*s)
			time.AfterFunc(nudge, ptz.Stop)
		}
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
		if p := wl.selectedPTZ(); p != nil {
			sel := widget.NewSelect([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, nil)
			sel.SetSelected("1")
			c := fyne.CurrentApp().Driver().CanvasForObject(save)
			if c == nil {
				return
			}
			var pop *widget.PopUp
			pop = widget.NewModalPopUp(container.NewVBox(widget.NewLabel("Save the current position as preset"), sel,
				container.NewHBox(widget.NewButton("Save", func() {
					p.SetPreset(int(sel.Selected[0] - '0'))
					pop.Hide()
				}), widget.NewButton("Cancel", func() { pop.Hide() }))), c)
			pop.Show()
		}
	}
	help := widget.NewLabel("Arrows move while held,\n+/- zoom, H home,\n1–9 presets, Ctrl+1–9 save.")
	help.TextStyle.Italic = true
	return container.NewVBox(widget.NewLabelWithStyle("PTZ", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		pad, widget.NewLabel("Speed"), speed, widget.NewLabel("Presets"), presets, save, help)
}

// openSecondWall opens another window with the same cameras, for a second
// monitor. It shares the streams; closing it leaves the main wall alone.
func openSecondWall(mw *MainWindow) {
	streams := mw.svc.LiveStreams()
	if len(streams) == 0 {
		return
	}
	win := mw.app.NewWindow("Nightjar wall")
	wl := NewWall(streams)
	win.SetContent(wl)
	win.Resize(fyne.NewSize(1280, 720))
	win.Canvas().SetOnTypedKey(wl.TypedKey)
	win.SetOnClosed(func() {
		wl.StopPTZ()
		wl.Close()
	})
	win.Show()
}
