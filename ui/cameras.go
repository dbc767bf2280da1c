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

// CameraRow is one camera as the Cameras page shows it. Addresses carry no
// password.
type CameraRow struct {
	ID, Name, Group string
	Address         string // ONVIF device URL, or "" for RTSP-only cameras
	MainURI, SubURI string
	Model           string
	PTZ             bool
	FactoryPassword bool
	// StreamWarning, when set, says a stream given by hand is on another
	// host than the camera (which then receives its password too).
	StreamWarning string
	// RecordMode is one of the Mode* constants, "" for off.
	RecordMode string
}

// FoundCamera is a discovery result.
type FoundCamera struct {
	Name, Hardware, Address string
	Added                   bool // already in the catalogue
}

// AddForm is what the add dialog collects.
type AddForm struct {
	Address, User, Pass, Name, Group string
}

// CameraStatus is a camera's live state.
type CameraStatus string

const (
	StatusOnline     CameraStatus = "online"
	StatusOffline    CameraStatus = "offline"
	StatusAuthFailed CameraStatus = "wrong password"
	StatusClockSkew  CameraStatus = "clock skewed"
	StatusChecking   CameraStatus = "checking…"
)

// CameraService is what the Cameras page needs; app implements it.
type CameraService interface {
	Cameras(ctx context.Context) ([]CameraRow, error)
	Discover(ctx context.Context, target string) ([]FoundCamera, error)
	AddCamera(ctx context.Context, f AddForm) (CameraRow, error)
	RemoveCamera(ctx context.Context, id string, deleteRecordings bool) error
	EditCamera(ctx context.Context, id, name, group string) error
	CheckCamera(ctx context.Context, id string) (CameraStatus, error)
	ChangePassword(ctx context.Context, id, newPass string) error
	// ErrorHint says what to do about err, or "".
	ErrorHint(err error) string
}

// camerasView is the Cameras page.
type camerasView struct {
	w       *MainWindow
	svc     CameraService
	recs    RecordSettingsStore // nil: no Recording… action
	rows    []CameraRow
	status  map[string]CameraStatus
	list    *widget.List
	count   *widget.Label
	content *fyne.Container
	onRows  func([]CameraRow) // the Privacy page listens for warnings
}

func newCamerasView(w *MainWindow, svc CameraService, recs RecordSettingsStore) *camerasView {
	v := &camerasView{w: w, svc: svc, recs: recs, status: map[string]CameraStatus{}}
	v.count = widget.NewLabel("")
	v.list = widget.NewList(func() int { return len(v.rows) }, v.newRow, v.updateRow)
	v.list.OnSelected = func(id widget.ListItemID) { v.list.Unselect(id); v.showActions(v.rows[id]) }
	toolbar := container.NewHBox(
		widget.NewButtonWithIcon("Find cameras", theme.SearchIcon(), v.showDiscover),
		widget.NewButtonWithIcon("Add camera", theme.ContentAddIcon(), func() { v.showAdd(AddForm{}) }),
		widget.NewButtonWithIcon("Check all", theme.ViewRefreshIcon(), v.checkAll),
	)
	title := widget.NewLabelWithStyle(PageCameras, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.content = container.NewBorder(container.NewVBox(title, toolbar, v.count), nil, nil, nil, v.list)
	v.reload()
	return v
}

func (v *camerasView) object() fyne.CanvasObject { return v.content }

// reload reads the camera list off the UI goroutine and shows it.
func (v *camerasView) reload() {
	runAsync(10*time.Second, v.svc.Cameras, func(rows []CameraRow, err error) {
		if err != nil {
			v.count.SetText("The camera list could not be read: " + err.Error() + ". Check that the data folder is readable, then restart Nightjar.")
			return
		}
		v.rows = rows
		switch len(rows) {
		case 0:
			v.count.SetText("No camera yet. Find the cameras on your network, or add one by its address. Select a camera for its actions.")
		default:
			v.count.SetText(fmt.Sprintf("%d cameras. Select one to test, rename, change its password or remove it.", len(rows)))
		}
		v.list.Refresh()
		if v.onRows != nil {
			v.onRows(rows)
		}
		v.checkAll()
	})
}

func (v *camerasView) newRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	detail := widget.NewLabel("detail")
	detail.Truncation = fyne.TextTruncateEllipsis
	status := widget.NewLabel("status")
	badge := widget.NewButtonWithIcon("Factory password", theme.WarningIcon(), nil)
	badge.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.MediaVideoIcon()), container.NewHBox(badge, status), container.NewVBox(name, detail))
}

func (v *camerasView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := v.rows[i]
	b := o.(*fyne.Container)
	texts := b.Objects[0].(*fyne.Container)
	right := b.Objects[2].(*fyne.Container)
	name := r.Name
	if r.Group != "" {
		name = r.Group + " · " + r.Name
	}
	if r.PTZ {
		name += "  (PTZ)"
	}
	if l := recordModeLabel(r.RecordMode); l != "" {
		name += "  · records " + l
	}
	texts.Objects[0].(*widget.Label).SetText(name)
	addr := r.Address
	if addr == "" {
		addr = r.MainURI + " (RTSP only)"
	}
	detail := addr
	if r.Model != "" {
		detail = r.Model + "   " + addr
	}
	if r.StreamWarning != "" {
		detail = "Warning: " + r.StreamWarning + "   " + detail // first: the label truncates its end
	}
	texts.Objects[1].(*widget.Label).SetText(detail)
	badge := right.Objects[0].(*widget.Button)
	badge.OnTapped = func() { v.showChangePassword(r) }
	if r.FactoryPassword {
		badge.Show()
	} else {
		badge.Hide()
	}
	st := v.status[r.ID]
	if st == "" {
		st = StatusChecking
	}
	right.Objects[1].(*widget.Label).SetText(string(st))
}

// checkAll tests every camera in the background and shows the results.
func (v *camerasView) checkAll() {
	for _, r := range v.rows {
		id := r.ID
		v.status[id] = StatusChecking
		runAsync(15*time.Second, func(ctx context.Context) (CameraStatus, error) {
			return v.svc.CheckCamera(ctx, id)
		}, func(st CameraStatus, err error) {
			v.status[id] = st
			v.list.Refresh()
		})
	}
	v.list.Refresh()
}

func (v *camerasView) showError(what string, err error) {
	msg := what + ": " + err.Error()
	if h := v.svc.ErrorHint(err); h != "" {
		msg += "\n\n" + h
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Something went wrong", "Close", container.NewGridWrap(fyne.NewSize(460, 140), l), v.w.win)
	d.Show()
}

func (v *camerasView) showActions(r CameraRow) {
	var d dialog.Dialog
	btn := func(label string, icon fyne.Resource, fn func()) *widget.Button {
		return widget.NewButtonWithIcon(label, icon, func() { d.Hide(); fn() })
	}
	items := []fyne.CanvasObject{
		widget.NewLabel(r.Name),
		btn("Test connection", theme.ViewRefreshIcon(), func() { v.testOne(r) }),
		btn("Rename / group", theme.DocumentCreateIcon(), func() { v.showEdit(r) }),
	}
	if v.recs != nil {
		items = append(items, btn("Recording…", theme.MediaRecordIcon(), func() { v.showRecordSettings(r) }))
	}
	if r.Address != "" {
		items = append(items, btn("Change password", theme.AccountIcon(), func() { v.showChangePassword(r) }))
	}
	rm := btn("Remove", theme.DeleteIcon(), func() { v.showRemove(r) })
	rm.Importance = widget.DangerImportance
	items = append(items, rm)
	d = dialog.NewCustom("Camera", "Close", container.NewVBox(items...), v.w.win)
	d.Show()
}

func (v *camerasView) testOne(r CameraRow) {
	v.status[r.ID] = StatusChecking
	v.list.Refresh()
	runAsync(15*time.Second, func(ctx context.Context) (CameraStatus, error) {
		return v.svc.CheckCamera(ctx, r.ID)
	}, func(st CameraStatus, err error) {
		v.status[r.ID] = st
		v.list.Refresh()
		if err != nil {
			v.showError("Testing "+r.Name, err)
			return
		}
		dialog.ShowInformation("Connection test", r.Name+": "+string(st), v.w.win)
	})
}

func (v *camerasView) showEdit(r CameraRow) {
	name := widget.NewEntry()
	name.SetText(r.Name)
	group := widget.NewEntry()
	group.SetText(r.Group)
	group.SetPlaceHolder("site or floor, e.g. Warehouse")
	dialog.ShowForm("Rename camera", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Name", name), widget.NewFormItem("Group", group),
	}, func(ok bool) {
		if !ok {
			return
		}
		n, g := strings.TrimSpace(name.Text), strings.TrimSpace(group.Text)
		runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, v.svc.EditCamera(ctx, r.ID, n, g)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.showError("Saving "+r.Name, err)
				return
			}
			v.reload()
		})
	}, v.w.win)
}

func (v *camerasView) showRemove(r CameraRow) {
	alsoRec := widget.NewCheck("Also delete this camera's recordings", nil)
	msg := widget.NewLabel("Remove " + r.Name + "? Its password is deleted from the keyring.")
	msg.Wrapping = fyne.TextWrapWord
	dialog.ShowCustomConfirm("Remove camera", "Remove", "Cancel", container.NewVBox(msg, alsoRec), func(ok bool) {
		if !ok {
			return
		}
		runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, v.svc.RemoveCamera(ctx, r.ID, alsoRec.Checked)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.showError("Removing "+r.Name, err)
			}
			v.reload()
		})
	}, v.w.win)
}

func (v *camerasView) showChangePassword(r CameraRow) {
	pw := widget.NewPasswordEntry()
	pw2 := widget.NewPasswordEntry()
	pw.Validator = func(s string) error {
		if len(s) < 8 {
			return errors.New("at least 8 characters")
		}
		return nil
	}
	intro := widget.NewLabel("Set a new password on the camera itself (ONVIF SetUser). Nightjar then keeps it in the OS keyring. Note it somewhere safe too.")
	intro.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Change camera password", "Change", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem("New password", pw),
		widget.NewFormItem("Repeat", pw2),
	}, func(ok bool) {
		if !ok {
			return
		}
		if pw.Text != pw2.Text {
			v.showError("Changing the password", errors.New("the two passwords differ"))
			return
		}
		newPass := pw.Text
		runAsync(20*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, v.svc.ChangePassword(ctx, r.ID, newPass)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.showError("Changing the password of "+r.Name, err)
				return
			}
			dialog.ShowInformation("Password changed", r.Name+" now uses the new password.", v.w.win)
			v.reload()
		})
	}, v.w.win)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
}
