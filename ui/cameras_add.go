package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// addDialog is the add-camera dialog: a Discover tab that lists what
// answers on the network, and a Manual tab that takes an address and the
// credentials. No credential goes to a camera until the user presses Add.
type addDialog struct {
	v       *camerasView
	d       dialog.Dialog
	tabs    *container.AppTabs
	manual  *container.TabItem
	address *widget.Entry
	user    *widget.Entry
	pass    *widget.Entry
	name    *widget.Entry
	group   *widget.Entry
	addBtn  *widget.Button
	busy    *widget.ProgressBarInfinite
	message *widget.Label

	target  *widget.Entry
	search  *widget.Button
	found   []FoundCamera
	results *widget.List
	dbusy   *widget.ProgressBarInfinite
	dmsg    *widget.Label
}

func (v *camerasView) showDiscover() {
	a := v.newAddDialog(AddForm{})
	a.tabs.SelectIndex(0)
	a.d.Show()
	a.runSearch()
}

func (v *camerasView) showAdd(prefill AddForm) {
	a := v.newAddDialog(prefill)
	a.tabs.Select(a.manual)
	a.d.Show()
}

func (v *camerasView) newAddDialog(prefill AddForm) *addDialog {
	a := &addDialog{v: v}
	// Manual tab.
	a.address = widget.NewEntry()
	a.address.SetPlaceHolder("192.168.1.20, host:port, device URL or rtsp://…")
	a.address.SetText(prefill.Address)
	a.user = widget.NewEntry()
	a.user.SetText("admin")
	if prefill.User != "" {
		a.user.SetText(prefill.User)
	}
	a.pass = widget.NewPasswordEntry()
	a.name = widget.NewEntry()
	a.name.SetPlaceHolder("optional: the camera's own name is used")
	a.name.SetText(prefill.Name)
	a.group = widget.NewEntry()
	a.group.SetPlaceHolder("optional: site or floor")
	a.busy = widget.NewProgressBarInfinite()
	a.busy.Hide()
	a.message = widget.NewLabel("")
	a.message.Wrapping = fyne.TextWrapWord
	a.addBtn = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), a.submit)
	a.addBtn.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Address", a.address),
		widget.NewFormItem("User", a.user),
		widget.NewFormItem("Password", a.pass),
		widget.NewFormItem("Name", a.name),
		widget.NewFormItem("Group", a.group),
	)
	manual := container.NewVBox(form, a.addBtn, a.busy, a.message)

	// Discover tab.
	a.target = widget.NewEntry()
	a.target.SetPlaceHolder("empty: this network; or an address or range such as 192.168.1.0/24")
	a.search = widget.NewButtonWithIcon("Search", theme.SearchIcon(), a.runSearch)
	a.dbusy = widget.NewProgressBarInfinite()
	a.dbusy.Hide()
	a.dmsg = widget.NewLabel("Cameras that answer are listed here. Nothing is sent to them until you add one.")
	a.dmsg.Wrapping = fyne.TextWrapWord
	a.results = widget.NewList(func() int { return len(a.found) },
		func() fyne.CanvasObject {
			return container.NewVBox(widget.NewLabelWithStyle("name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel("detail"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			f := a.found[i]
			box := o.(*fyne.Container)
			title := f.Name
			if f.Added {
				title += "  (already added)"
			}
			box.Objects[0].(*widget.Label).SetText(title)
			box.Objects[1].(*widget.Label).SetText(strings.TrimSpace(f.Hardware + "   " + f.Address))
		})
	a.results.OnSelected = func(i widget.ListItemID) {
		f := a.found[i]
		a.results.Unselect(i)
		if f.Added {
			a.dmsg.SetText(f.Name + " is already on the Cameras page.")
			return
		}
		a.address.SetText(f.Address)
		a.name.SetText(f.Name)
		a.message.SetText("Enter the camera's user and password, then Add.")
		a.tabs.Select(a.manual)
	}
	discover := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, a.search, a.target), a.dbusy, a.dmsg), nil, nil, nil, a.results)

	a.manual = container.NewTabItemWithIcon("Manual", theme.DocumentCreateIcon(), manual)
	a.tabs = container.NewAppTabs(container.NewTabItemWithIcon("Discover", theme.SearchIcon(), discover), a.manual)
	a.d = dialog.NewCustom("Add camera", "Close", a.tabs, v.w.win)
	a.d.Resize(fyne.NewSize(640, 520))
	return a
}

func (a *addDialog) runSearch() {
	a.search.Disable()
	a.dbusy.Show()
	a.dmsg.SetText("Searching…")
	target := strings.TrimSpace(a.target.Text)
	runAsync(10*time.Second, func(ctx context.Context) ([]FoundCamera, error) {
		return a.v.svc.Discover(ctx, target)
	}, func(found []FoundCamera, err error) {
		a.search.Enable()
		a.dbusy.Hide()
		a.found = found
		a.results.Refresh()
		switch {
		case err != nil:
			msg := "Search failed: " + err.Error()
			if h := a.v.svc.ErrorHint(err); h != "" {
				msg += " " + h
			}
			a.dmsg.SetText(msg)
		case len(found) == 0:
			a.dmsg.SetText("No camera answered. Give its address or range above, or add it by hand in the Manual tab.")
		default:
			a.dmsg.SetText(fmt.Sprintf("%d cameras answered. Select one to add it.", len(found)))
		}
	})
}

func (a *addDialog) submit() {
	f := AddForm{Address: strings.TrimSpace(a.address.Text), User: strings.TrimSpace(a.user.Text), Pass: a.pass.Text,
		Name: strings.TrimSpace(a.name.Text), Group: strings.TrimSpace(a.group.Text)}
	if f.Address == "" {
		a.message.SetText("Enter the camera's address.")
		return
	}
	a.addBtn.Disable()
	a.busy.Show()
	a.message.SetText("Connecting to the camera and reading its profiles…")
	runAsync(60*time.Second, func(ctx context.Context) (CameraRow, error) {
		return a.v.svc.AddCamera(ctx, f)
	}, func(row CameraRow, err error) {
		a.addBtn.Enable()
		a.busy.Hide()
		if err != nil {
			msg := "Could not add the camera: " + err.Error()
			if h := a.v.svc.ErrorHint(err); h != "" {
				msg += "\n" + h
			}
			a.message.SetText(msg)
			return
		}
		a.d.Hide()
		a.v.reload()
		if row.FactoryPassword {
			a.v.showChangePassword(row)
		}
	})
}
