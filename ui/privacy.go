package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"nightjar/internal/zones"
)

// privacyTimeout bounds the Privacy page's calls; an erase may re-encrypt
// other cameras' footage, so it gets longer.
const (
	privacyTimeout = 20 * time.Second
	eraseTimeout   = 10 * time.Minute
)

// privacyPage is the Privacy page for a shop owner: what is recorded and
// kept, masking zones, retention and erasure. Its widgets belong to the
// UI goroutine; service calls go through runAsync.
type privacyPage struct {
	mw  *MainWindow
	svc PrivacyService
	obj fyne.CanvasObject

	summary                             [4]*widget.Label
	maskCam                             *widget.Select
	zoneList, support, pushResult       *widget.Label
	pushBtn                             *widget.Button
	allowLift                           *widget.Check
	keepCam                             *widget.Select
	keep, keepReason                    *widget.Entry
	recommended, retentionLines, limits *widget.Label
	eraseCam                            *widget.Select
	eraseFrom, eraseTo, eraseReason     *widget.Entry
	receipts                            *widget.Label

	tabs    *container.AppTabs
	cams    []CameraRow // as the Cameras page last listed them
	view    RetentionView
	loading bool // a change of allowLift comes from the service, not the user
}

func (w *MainWindow) privacyPage() fyne.CanvasObject {
	intro := widget.NewLabel("Nightjar keeps everything on this PC: no cloud, no telemetry.")
	intro.Wrapping = fyne.TextWrapWord
	checks := []fyne.CanvasObject{
		widget.NewLabelWithStyle("Secrets", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		w.keyringStatus,
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Factory passwords", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		w.warnings,
	}
	if w.svc.Privacy == nil {
		return container.NewVBox(append([]fyne.CanvasObject{
			widget.NewLabelWithStyle(PagePrivacy, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), intro, widget.NewSeparator()}, checks...)...)
	}
	p := &privacyPage{mw: w, svc: w.svc.Privacy}
	w.privacy = p
	p.obj = p.build(checks)
	return p.obj
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *privacyPage) build(checks []fyne.CanvasObject) fyne.CanvasObject {
	for i := range p.summary {
		p.summary[i] = wrapped("")
	}
	p.summary[0].SetText("Reading what is recorded…")

	p.maskCam = widget.NewSelect(nil, func(string) { p.loadZones() })
	p.maskCam.PlaceHolder = "Choose a camera"
	p.zoneList = wrapped("")
	p.support = wrapped("")
	p.pushResult = wrapped("")
	edit := widget.NewButton("Draw zones…", p.openEditor)
	p.pushBtn = widget.NewButton("Push to camera…", p.askPush)
	p.pushBtn.Disable()
	p.allowLift = widget.NewCheck("Liftable zones may be revealed in playback (one camera at a time, up to 30 minutes, with a reason)", p.setAllowLift)

	p.keepCam = widget.NewSelect(nil, func(string) { p.showKeep() })
	p.keepCam.PlaceHolder = "Choose a camera"
	p.keep = widget.NewEntry()
	p.keep.SetPlaceHolder("3 d")
	p.keepReason = widget.NewEntry()
	p.keepReason.SetPlaceHolder("Why keep it longer? (needed above the recommendation)")
	p.recommended = wrapped("Recommended: 3 days. Regulators' guidance for CCTV is to keep footage a few days; keeping it longer needs a reason.")
	p.retentionLines = wrapped("")
	p.limits = wrapped("")
	saveKeep := widget.NewButton("Save retention", p.saveKeep)
	toSettings := widget.NewButton("Disk cap and reserve…", func() { p.mw.ShowPage(PageSettings) })

	p.eraseCam = widget.NewSelect(nil, nil)
	p.eraseFrom, p.eraseTo, p.eraseReason = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p.eraseFrom.SetPlaceHolder("tuesday 13:00, or 2026-03-24 13:00")
	p.eraseTo.SetPlaceHolder("tuesday 18:00")
	p.eraseReason.SetPlaceHolder("Deletion request from …")
	p.receipts = wrapped("")
	eraseBtn := widget.NewButton("Erase…", p.askErase)
	eraseBtn.Importance = widget.DangerImportance

	form := func(items ...*widget.FormItem) *widget.Form { return &widget.Form{Items: items} }
	// The sections are tabs under the summary: one long scrolled page
	// cannot reach its end, as wrapped labels under-report their height.
	section := func(objs ...fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVScroll(container.NewVBox(objs...))
	}
	masks := section(
		wrapped("Zones black out or pixelate what must not be seen, such as a neighbour's window or the street, in live view, playback, snapshots and exports."),
		container.NewBorder(nil, nil, nil, container.NewHBox(edit, p.pushBtn), p.maskCam),
		p.zoneList, p.support, p.pushResult, p.allowLift)
	retention := section(
		p.recommended,
		form(widget.NewFormItem("Camera", p.keepCam), widget.NewFormItem("Keep (days, or 12 h)", p.keep),
			widget.NewFormItem("Reason", p.keepReason)),
		container.NewHBox(saveKeep, toSettings),
		p.retentionLines, p.limits)
	erase := section(
		wrapped("Erase a time range to honour a deletion request. It takes effect at once and cannot be undone; a receipt is kept."),
		form(widget.NewFormItem("Cameras", p.eraseCam), widget.NewFormItem("From", p.eraseFrom),
			widget.NewFormItem("To", p.eraseTo), widget.NewFormItem("Reason", p.eraseReason)),
		container.NewHBox(eraseBtn),
		p.receipts)
	p.tabs = container.NewAppTabs(
		container.NewTabItem("Masking zones", masks),
		container.NewTabItem("Retention", retention),
		container.NewTabItem("Erase now", erase),
	)
	// The keyring status and factory-password warnings stay in sight
	// above the tabs: they are what to fix first.
	top := container.NewVBox(bold(PagePrivacy), p.summary[0], p.summary[1], p.summary[2], p.summary[3], widget.NewSeparator())
	for _, c := range checks {
		top.Add(c)
	}
	top.Add(widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, p.tabs)
}

// shown reloads the page's contents from the services.
func (p *privacyPage) shown() {
	p.setCameras(p.mw.cameras.rows)
	runAsync(privacyTimeout, p.svc.Summary, func(s PrivacySummary, err error) {
		if err != nil {
			p.summary[0].SetText("Could not read what is recorded: " + err.Error())
			return
		}
		for i, t := range []string{s.Recorded, s.Kept, s.Encryption, s.Location} {
			p.summary[i].SetText(t)
		}
	})
	runAsync(privacyTimeout, p.svc.AllowLift, func(on bool, err error) {
		if err == nil {
			p.loading = true
			p.allowLift.SetChecked(on)
			p.loading = false
		}
	})
	p.loadRetention()
	p.loadReceipts()
	p.loadZones()
}

// setCameras fills the camera choices.
func (p *privacyPage) setCameras(rows []CameraRow) {
	p.cams = rows
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name
	}
	p.maskCam.Options, p.keepCam.Options = names, names
	p.eraseCam.Options = append([]string{"All cameras"}, names...)
	if p.eraseCam.Selected == "" {
		p.eraseCam.SetSelected("All cameras")
	}
	p.maskCam.Refresh()
	p.keepCam.Refresh()
	p.eraseCam.Refresh()
}

// cameraID is the ID of the camera named name, or "".
func (p *privacyPage) cameraID(name string) string {
	for _, r := range p.cams {
		if r.Name == name {
			return r.ID
		}
	}
	return ""
}

func (p *privacyPage) say(title string, err error) {
	dialog.ShowError(fmt.Errorf("%s: %w", title, err), p.mw.win)
}

func zoneText(zs []zones.Zone) string {
	if len(zs) == 0 {
		return "No zones: the whole picture is shown."
	}
	var parts []string
	for _, z := range zs {
		parts = append(parts, fmt.Sprintf("%s (%s, %s, %d points)", z.Name, z.Kind, fillText(z.Fill), len(z.Points)))
	}
	return fmt.Sprintf("%d zone(s): %s.", len(zs), strings.Join(parts, "; "))
}

func fillText(f zones.Fill) string {
	if f.Pixelated() {
		return fmt.Sprintf("pixelated in %d px blocks", f.Block)
	}
	return "filled " + f.String()
}

// loadZones shows the chosen camera's zones and what the camera itself
// can hold.
func (p *privacyPage) loadZones() {
	id := p.cameraID(p.maskCam.Selected)
	if id == "" {
		p.zoneList.SetText("Choose a camera to see or draw its zones.")
		p.support.SetText("")
		p.pushBtn.Disable()
		return
	}
	runAsync(privacyTimeout, func(ctx context.Context) ([]zones.Zone, error) { return p.svc.Zones(ctx, id) },
		func(zs []zones.Zone, err error) {
			if err != nil {
				p.zoneList.SetText("Could not read the zones: " + err.Error())
				return
			}
			p.zoneList.SetText(zoneText(zs))
		})
	p.support.SetText("Asking the camera whether it can hold masks itself…")
	runAsync(privacyTimeout, func(ctx context.Context) (MaskSupport, error) { return p.svc.MaskSupport(ctx, id) },
		func(ms MaskSupport, err error) {
			switch {
			case err != nil:
				p.support.SetText("Could not ask the camera about masks: " + err.Error())
				p.pushBtn.Disable()
			case !ms.Supported:
				p.support.SetText("This camera cannot hold masks itself (no ONVIF Media2 masks); Nightjar still paints the zones everywhere it shows or saves a picture. " + ms.Note)
				p.pushBtn.Disable()
			default:
				p.support.SetText(ms.Note)
				p.pushBtn.Enable()
			}
		})
}

func (p *privacyPage) askPush() {
	id, name := p.cameraID(p.maskCam.Selected), p.maskCam.Selected
	if id == "" {
		return
	}
	dialog.ShowConfirm("Push zones to the camera", fmt.Sprintf("Send %s's zones to the camera, replacing the masks pushed before? The camera then burns them into its video, for every viewer and recorder.", name), func(ok bool) {
		if !ok {
			return
		}
		p.pushResult.SetText("Pushing…")
		runAsync(privacyTimeout, func(ctx context.Context) (string, error) { return p.svc.PushZones(ctx, id) },
			func(msg string, err error) {
				if err != nil {
					p.pushResult.SetText("Not pushed: " + err.Error())
					return
				}
				p.pushResult.SetText(msg)
			})
	}, p.mw.win)
}

func (p *privacyPage) setAllowLift(on bool) {
	if p.loading {
		return
	}
	runAsync(privacyTimeout, func(ctx context.Context) (struct{}, error) { return struct{}{}, p.svc.SetAllowLift(ctx, on) },
		func(_ struct{}, err error) {
			if err != nil {
				p.say("Could not change the setting", err)
			}
		})
}
