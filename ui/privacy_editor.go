package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"nightjar/internal/zones"
)

// fillChoices are the fills the editor offers, with their zones.Fill.
var fillChoices = []struct {
	label string
	fill  zones.Fill
}{
	{"Black", zones.Black},
	{"Grey", zones.Fill{Color: color.RGBA{0x80, 0x80, 0x80, 0xff}}},
	{"White", zones.Fill{Color: color.RGBA{0xff, 0xff, 0xff, 0xff}}},
	{"Pixelate, 8 px blocks", zones.Fill{Block: 8}},
	{"Pixelate, 16 px blocks", zones.Fill{Block: 16}},
	{"Pixelate, 32 px blocks", zones.Fill{Block: 32}},
}

func fillLabel(f zones.Fill) string {
	for _, c := range fillChoices {
		if c.fill == f {
			return c.label
		}
	}
	return f.String()
}

// fillLabels are the fill choices, and f's own label after them when
// the list lacks it (a colour set with 'nightjar masks add --fill'), so
// the form can show it and editing the zone keeps it.
func fillLabels(f zones.Fill) []string {
	labels := make([]string, 0, len(fillChoices)+1)
	for _, c := range fillChoices {
		labels = append(labels, c.label)
	}
	if l := fillLabel(f); !slices.Contains(labels, l) {
		labels = append(labels, l)
	}
	return labels
}

// zoneEditor is the mask editor's window: the picture with its zones,
// the tools, and a form for the selected zone.
type zoneEditor struct {
	p      *privacyPage
	id     string
	win    fyne.Window
	ed     *maskEditor
	name   *widget.Entry
	kind   *widget.Select
	fill   *widget.Select
	status *widget.Label
	tools  *widget.RadioGroup
	// filling is set while the form shows the selection, so its own
	// callbacks do not count as edits.
	filling bool
}

// openEditor opens the mask editor on the chosen camera.
func (p *privacyPage) openEditor() {
	id, name := p.cameraID(p.maskCam.Selected), p.maskCam.Selected
	if id == "" {
		p.say("Draw zones", fmt.Errorf("choose a camera first"))
		return
	}
	runAsync(privacyTimeout, func(ctx context.Context) ([]zones.Zone, error) { return p.svc.Zones(ctx, id) },
		func(zs []zones.Zone, err error) {
			if err != nil {
				p.say("Draw zones", err)
				return
			}
			z := newZoneEditor(p, id, name, zs)
			z.win.Show()
			z.refreshFrame()
		})
}

func newZoneEditor(p *privacyPage, id, name string, zs []zones.Zone) *zoneEditor {
	z := &zoneEditor{p: p, id: id, win: p.mw.app.NewWindow("Privacy zones: " + name)}
	z.ed = newMaskEditor(image.NewRGBA(image.Rect(0, 0, 16, 9)), zs)
	z.ed.onChange = z.showSelection
	z.tools = widget.NewRadioGroup([]string{"Select and move", "Rectangle", "Polygon"}, func(s string) {
		switch s {
		case "Rectangle":
			z.ed.setTool(toolRect)
		case "Polygon":
			z.ed.setTool(toolPolygon)
		default:
			z.ed.setTool(toolSelect)
		}
	})
	z.tools.Horizontal = true
	z.tools.SetSelected("Select and move")
	z.name = widget.NewEntry()
	z.name.OnChanged = func(string) { z.formChanged() }
	z.kind = widget.NewSelect([]string{string(zones.Permanent), string(zones.Liftable)}, func(string) { z.formChanged() })
	z.fill = widget.NewSelect(fillLabels(zones.Black), func(string) { z.formChanged() })
	z.status = wrapped("Drag to draw a rectangle, or tap the corners of a polygon and tap its first corner, double-tap the last or press Enter to close it. Drag a zone or a corner to move it.")
	kinds := wrapped("Permanent: never shown in Nightjar. Liftable: can be revealed in playback, for one camera, for a while, with a reason, by someone allowed to.")
	bar := container.NewHBox(z.tools,
		widget.NewButton("Close polygon", z.ed.ClosePolygon),
		widget.NewButton("Delete (Del)", z.ed.DeleteSelected),
		widget.NewButton("Undo (Ctrl+Z)", z.ed.Undo),
		widget.NewButton("Refresh frame", z.refreshFrame),
		widget.NewButton("Save", z.save))
	side := container.NewVBox(bold("Selected zone"),
		&widget.Form{Items: []*widget.FormItem{widget.NewFormItem("Name", z.name), widget.NewFormItem("Kind", z.kind), widget.NewFormItem("Fill", z.fill)}},
		kinds)
	sideBox := container.NewGridWrap(fyne.NewSize(280, 300), side)
	z.win.SetContent(container.NewBorder(bar, z.status, nil, sideBox, z.ed))
	z.win.Resize(fyne.NewSize(1100, 640))
	z.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { z.ed.Undo() })
	z.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyDelete, fyne.KeyBackspace:
			z.ed.DeleteSelected()
		case fyne.KeyReturn, fyne.KeyEnter:
			z.ed.ClosePolygon()
		}
	})
	z.showSelection()
	return z
}

// refreshFrame fetches a new live frame, with the saved zones painted.
func (z *zoneEditor) refreshFrame() {
	z.status.SetText("Fetching a live frame…")
	runAsync(privacyTimeout, func(ctx context.Context) (*image.RGBA, error) { return z.p.svc.EditorFrame(ctx, z.id) },
		func(img *image.RGBA, err error) {
			if err != nil {
				z.status.SetText("No live frame: " + err.Error())
				return
			}
			z.ed.setFrame(img)
			z.status.SetText(fmt.Sprintf("Live frame at %d×%d; saved zones show painted. Outlines are the zones as edited.", img.Rect.Dx(), img.Rect.Dy()))
		})
}

// showSelection puts the selected zone in the form.
func (z *zoneEditor) showSelection() {
	z.filling = true
	defer func() { z.filling = false }()
	i := z.ed.selected
	if i < 0 || i >= len(z.ed.zs) {
		z.name.SetText("")
		z.name.Disable()
		z.kind.Disable()
		z.fill.Disable()
		return
	}
	zn := z.ed.zs[i]
	z.name.Enable()
	z.kind.Enable()
	z.fill.Enable()
	z.name.SetText(zn.Name)
	z.kind.SetSelected(string(zn.Kind))
	z.fill.SetOptions(fillLabels(zn.Fill))
	z.fill.SetSelected(fillLabel(zn.Fill))
}

// formChanged applies the form to the selected zone.
func (z *zoneEditor) formChanged() {
	if z.filling || z.ed.selected < 0 {
		return
	}
	f := z.ed.zs[z.ed.selected].Fill
	for _, c := range fillChoices {
		if c.label == z.fill.Selected {
			f = c.fill
		}
	}
	z.filling = true
	z.ed.update(z.name.Text, zones.Kind(z.kind.Selected), f)
	z.filling = false
}

// save checks the zones and stores them; every picture takes them at
// once.
func (z *zoneEditor) save() {
	zs := z.ed.zones()
	for i := range zs {
		if strings.TrimSpace(zs[i].Name) == "" {
			zs[i].Name = fmt.Sprintf("Zone %d", i+1)
		}
	}
	if err := zones.ValidateAll(zs); err != nil {
		z.status.SetText("Not saved: " + err.Error())
		return
	}
	runAsync(privacyTimeout, func(ctx context.Context) (struct{}, error) { return struct{}{}, z.p.svc.SaveZones(ctx, z.id, zs) },
		func(_ struct{}, err error) {
			if err != nil {
				z.status.SetText("Not saved: " + err.Error())
				return
			}
			z.status.SetText(fmt.Sprintf("Saved %d zone(s); they hold in live view, playback, snapshots and exports from now on.", len(zs)))
			z.p.shown() // the zone list and the summary
			z.refreshFrame()
		})
}
