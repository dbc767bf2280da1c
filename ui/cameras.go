package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// CameraRow is one camera as the Cameras page shows it. Addresses carry no
// password.
type CameraRow struct {
	ID, Name, Group string
	Address         string // ONVIF device URL, or "" for RTSP-only cameras
	MainURI, SubURI string
	PTZ             bool
}

// camerasPage lists the configured cameras, grouped.
func (w *MainWindow) camerasPage() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(PageCameras, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	rows, err := w.svc.Cameras()
	if err != nil {
		return container.NewVBox(title, widget.NewLabel("The camera list could not be read: "+err.Error()))
	}
	if len(rows) == 0 {
		return placeholder(PageCameras,
			"No camera yet. Cameras you add will be listed here with their live status: online, offline, wrong password, clock skewed or still on a factory password.")
	}
	list := widget.NewList(
		func() int { return len(rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			detail := widget.NewLabel("detail")
			detail.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.MediaVideoIcon()), nil, container.NewVBox(name, detail))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := rows[i]
			box := o.(*fyne.Container).Objects[0].(*fyne.Container)
			name := r.Name
			if r.Group != "" {
				name = r.Group + " · " + r.Name
			}
			if r.PTZ {
				name += "  (PTZ)"
			}
			box.Objects[0].(*widget.Label).SetText(name)
			addr := r.Address
			if addr == "" {
				addr = r.MainURI
			}
			box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s   main %s   sub %s", addr, r.MainURI, r.SubURI))
		},
	)
	count := widget.NewLabel(fmt.Sprintf("%d cameras", len(rows)))
	return container.NewBorder(container.NewVBox(title, count), nil, nil, nil, list)
}
