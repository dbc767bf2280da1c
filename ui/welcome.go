package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newWelcome is the Live page of an install with no camera: three ways to
// get started. Buttons whose action is nil fall back to the Cameras page.
func newWelcome(a Actions, showPage func(string)) fyne.CanvasObject {
	title := canvas.NewText("Welcome to Nightjar", theme.Color(theme.ColorNameForeground))
	title.TextSize = 28
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Alignment = fyne.TextAlignCenter

	sub := widget.NewLabel("No camera is set up yet. Find the cameras on your network, add one by its address, or look around with simulated demo cameras.")
	sub.Wrapping = fyne.TextWrapWord
	sub.Alignment = fyne.TextAlignCenter

	orCameras := func(f func()) func() {
		if f != nil {
			return f
		}
		return func() { showPage(PageCameras) }
	}
	find := widget.NewButtonWithIcon("Find cameras", theme.SearchIcon(), orCameras(a.FindCameras))
	find.Importance = widget.HighImportance
	add := widget.NewButtonWithIcon("Add camera", theme.ContentAddIcon(), orCameras(a.AddCamera))
	buttons := []fyne.CanvasObject{find, add}
	if a.TryDemo != nil {
		buttons = append(buttons, widget.NewButtonWithIcon("Try the demo", theme.MediaPlayIcon(), a.TryDemo))
	}

	privacy := widget.NewLabelWithStyle("Everything stays on this PC: video, passwords and logs. Nothing is sent anywhere.",
		fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	privacy.Wrapping = fyne.TextWrapWord

	body := container.NewVBox(
		title,
		sub,
		container.NewCenter(container.NewHBox(buttons...)),
		privacy,
	)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(620, 260), body))
}
