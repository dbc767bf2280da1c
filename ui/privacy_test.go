package ui

import (
	"context"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"nightjar/internal/zones"
)

// fakePrivacy is the Privacy page's service in widget tests.
type fakePrivacy struct {
	zs       map[string][]zones.Zone
	saved    [][]zones.Zone
	plans    []EraseRequest
	erased   []EraseRequest
	keeps    []RetentionRow
	allow    bool
	receipts []EraseReceipt
}

func newFakePrivacy() *fakePrivacy {
	return &fakePrivacy{zs: map[string][]zones.Zone{"0": {{ID: "z1", Name: "Street", Kind: zones.Liftable, Fill: zones.Fill{Block: 16}, Points: zones.Rect(0, 0.6, 1, 0.4)}}}}
}

func (f *fakePrivacy) Summary(ctx context.Context) (PrivacySummary, error) {
	return PrivacySummary{Recorded: "2 of 2 cameras record, video only.", Kept: "Footage is kept 3 days, then deleted by itself.",
		Encryption: "Every recording is encrypted.", Location: "Footage stays on this PC."}, nil
}
func (f *fakePrivacy) Zones(ctx context.Context, id string) ([]zones.Zone, error) {
	return f.zs[id], nil
}
func (f *fakePrivacy) SaveZones(ctx context.Context, id string, zs []zones.Zone) error {
	f.saved = append(f.saved, zs)
	f.zs[id] = zs
	return nil
}
func (f *fakePrivacy) EditorFrame(ctx context.Context, id string) (*image.RGBA, error) {
	return image.NewRGBA(image.Rect(0, 0, 160, 90)), nil
}
func (f *fakePrivacy) MaskSupport(ctx context.Context, id string) (MaskSupport, error) {
	return MaskSupport{Supported: true, MaxMasks: 4, MaxPoints: 8, Note: "This camera can hold 4 masks of up to 8 points."}, nil
}
func (f *fakePrivacy) PushZones(ctx context.Context, id string) (string, error) {
	return "Pushed 1 zone.", nil
}
func (f *fakePrivacy) Retention(ctx context.Context) (RetentionView, error) {
	return RetentionView{Recommended: 72 * time.Hour, Used: 12e9, Free: 200e9, Reserve: 1e9, Cameras: []RetentionRow{
		{CameraID: "0", Name: "Cam 1", Keep: 72 * time.Hour, Next: "footage older than 3 days; next deletion tonight 02:00, 3.1 GB"},
		{CameraID: "1", Name: "Cam 2", Keep: 72 * time.Hour, Next: "footage older than 3 days; nothing to delete yet"}}}, nil
}
func (f *fakePrivacy) SetRetention(ctx context.Context, id string, keep time.Duration, reason string) error {
	f.keeps = append(f.keeps, RetentionRow{CameraID: id, Keep: keep, Reason: reason})
	return nil
}
func (f *fakePrivacy) PlanErase(ctx context.Context, req EraseRequest) (ErasePlan, error) {
	f.plans = append(f.plans, req)
	return ErasePlan{Cameras: []string{"Cam 1"}, Segments: 240, Bytes: 3_100_000_000, Duration: 4 * time.Hour,
		From: req.From, To: req.To, WholeDays: []string{"2026-03-24"}, Bookmarks: []string{"0 2026-03-24 14:00–14:05: van at the gate"}}, nil
}
func (f *fakePrivacy) Erase(ctx context.Context, req EraseRequest) (EraseReceipt, error) {
	f.erased = append(f.erased, req)
	r := EraseReceipt{ID: "e1", At: time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC), By: "owner", Cameras: []string{"Cam 1"}, Segments: 240, Bytes: 3_100_000_000}
	f.receipts = append(f.receipts, r)
	return r, nil
}
func (f *fakePrivacy) Receipts(ctx context.Context) ([]EraseReceipt, error) { return f.receipts, nil }
func (f *fakePrivacy) AllowLift(ctx context.Context) (bool, error)          { return f.allow, nil }
func (f *fakePrivacy) SetAllowLift(ctx context.Context, on bool) error      { f.allow = on; return nil }

func newPrivacyWindow(t *testing.T, fp *fakePrivacy) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	svc := (&fakeServices{cameras: 2}).services()
	svc.Privacy = fp
	w := NewMainWindow(a, svc, WindowConfig{Location: time.UTC, Now: func() time.Time { return time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC) }})
	w.ShowPage(PagePrivacy)
	return w
}

// TestPrivacyPageMarkup: the page with its summary, a camera's zones and
// its mask support, retention and the erase form.
func TestPrivacyPageMarkup(t *testing.T) {
	w := newPrivacyWindow(t, newFakePrivacy())
	w.privacy.maskCam.SetSelected("Cam 1")
	w.privacy.keepCam.SetSelected("Cam 1")
	w.Window().Resize(fyne.NewSize(1100, 1500))
	test.AssertRendersToMarkup(t, "privacy_page.xml", w.Window().Canvas())
}

// near reports whether two normalized points lie within 1 % of the
// frame of each other.
func near(a, b zones.Point) bool { return math.Abs(a.X-b.X) < 0.01 && math.Abs(a.Y-b.Y) < 0.01 }

// newTestEditor is an editor of a 160×90 frame shown at 320×180, so the
// frame fills it and widget point (x, y) is frame point (x/320, y/180).
//
// As in Fyne's desktop driver, a drag event's Position is where the
// pointer is after moving by Dragged; so test.Drag(c, end, dx, dy) here is
// a drag from end-(dx, dy) to end.
func newTestEditor(t *testing.T, zs []zones.Zone) (*maskEditor, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	e := newMaskEditor(image.NewRGBA(image.Rect(0, 0, 160, 90)), zs)
	win := a.NewWindow("editor")
	win.SetPadded(false)
	win.SetContent(e)
	win.Resize(fyne.NewSize(320, 180))
	return e, win
}

func TestMaskEditorAddsMovesEditsDeletesAndUndoes(t *testing.T) {
	e, win := newTestEditor(t, nil)
	// A rectangle dragged from (32, 36) to (96, 108): 0.1,0.2 to 0.3,0.6.
	e.setTool(toolRect)
	test.Drag(win.Canvas(), fyne.NewPos(96, 108), 64, 72)
	if len(e.zs) != 1 {
		t.Fatalf("after a rectangle drag there are %d zones", len(e.zs))
	}
	want := zones.Rect(0.1, 0.2, 0.2, 0.4)
	for i, p := range e.zs[0].Points {
		if !near(p, want[i]) {
			t.Fatalf("rectangle corner %d = %v, want %v", i, p, want[i])
		}
	}
	// A polygon of three taps, closed by tapping its first corner.
	e.setTool(toolPolygon)
	for _, p := range []fyne.Position{{X: 200, Y: 20}, {X: 300, Y: 20}, {X: 250, Y: 90}, {X: 201, Y: 21}} {
		test.TapAt(e, p)
	}
	if len(e.zs) != 2 || len(e.zs[1].Points) != 3 || !near(e.zs[1].Points[2], zones.Point{X: 250.0 / 320, Y: 0.5}) {
		t.Fatalf("after the polygon taps: %+v", e.zs)
	}
	// Move the rectangle by dragging its inside 32 px right, 18 down.
	e.setTool(toolSelect)
	test.Drag(win.Canvas(), fyne.NewPos(92, 88), 32, 18)
	moved := zones.Rect(0.2, 0.3, 0.2, 0.4)
	for i, p := range e.zs[0].Points {
		if !near(p, moved[i]) {
			t.Fatalf("moved corner %d = %v, want %v", i, p, moved[i])
		}
	}
	if !near(e.zs[1].Points[0], zones.Point{X: 200.0 / 320, Y: 20.0 / 180}) {
		t.Fatalf("moving one zone moved another: %v", e.zs[1].Points)
	}
	// Drag the moved rectangle's bottom-right corner (0.4, 0.7) to 0.5, 0.8.
	test.Drag(win.Canvas(), fyne.NewPos(160, 144), 32, 18)
	if p := e.zs[0].Points[2]; !near(p, zones.Point{X: 0.5, Y: 0.8}) {
		t.Fatalf("dragged vertex = %v, want 0.5,0.8", p)
	}
	if p := e.zs[0].Points[0]; !near(p, zones.Point{X: 0.2, Y: 0.3}) {
		t.Fatalf("a vertex drag moved another vertex to %v", p)
	}
	// Delete it, then undo the delete and the vertex drag.
	e.DeleteSelected()
	if len(e.zs) != 1 || len(e.zs[0].Points) != 3 {
		t.Fatalf("after delete: %+v", e.zs)
	}
	e.Undo()
	if len(e.zs) != 2 || !near(e.zs[0].Points[2], zones.Point{X: 0.5, Y: 0.8}) {
		t.Fatalf("undo did not bring the zone back: %+v", e.zs)
	}
	e.Undo()
	if !near(e.zs[0].Points[2], zones.Point{X: 0.4, Y: 0.7}) {
		t.Fatalf("the second undo did not take back the vertex drag: %v", e.zs[0].Points)
	}
}

func TestMaskEditorKeepsZonesInTheFrame(t *testing.T) {
	e, win := newTestEditor(t, []zones.Zone{{Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(0.4, 0.4, 0.2, 0.2)}})
	test.Drag(win.Canvas(), fyne.NewPos(310, 170), 150, 80)
	for _, p := range e.zs[0].Points {
		if p.X < 0 || p.X > 1 || p.Y < 0 || p.Y > 1 {
			t.Fatalf("a zone dragged off the frame has a point at %v", p)
		}
	}
	if !near(e.zs[0].Points[2], zones.Point{X: 1, Y: 1}) {
		t.Fatalf("the zone did not stop at the frame's corner: %v", e.zs[0].Points)
	}
}

func TestMaskEditorIgnoresATinyRectangle(t *testing.T) {
	e, win := newTestEditor(t, nil)
	e.setTool(toolRect)
	test.Drag(win.Canvas(), fyne.NewPos(50, 50.1), 0, 0.1)
	if len(e.zs) != 0 {
		t.Fatalf("a drag of no area left a zone: %+v", e.zs)
	}
}

// tapButton taps the button labelled text in the window's dialogs or
// content.
func tapButton(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	for _, o := range append(c.Overlays().List(), c.Content()) {
		if b := findButton(o, text); b != nil {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q on screen", text)
}

// overlayText is every label's text in the window's dialogs.
func overlayText(c fyne.Canvas) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.RichText:
			b.WriteString(v.String() + "\n")
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return b.String()
}

func TestEraseAsksWithThePlanThenErases(t *testing.T) {
	fp := newFakePrivacy()
	w := newPrivacyWindow(t, fp)
	p := w.privacy
	p.eraseCam.SetSelected("Cam 1")
	p.eraseFrom.SetText("2026-03-24 00:00")
	p.eraseTo.SetText("2026-03-25 00:00")
	p.eraseReason.SetText("deletion request")
	p.askErase()
	if len(fp.plans) != 1 || fp.plans[0].CameraID != "0" || !fp.plans[0].From.Equal(time.Date(2026, 3, 24, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("planned %+v", fp.plans)
	}
	if len(fp.erased) != 0 {
		t.Fatal("erased before the confirmation")
	}
	text := overlayText(w.Window().Canvas())
	for _, want := range []string{"Cam 1", "3.1 GB", "240 segments", "4h0m0s", "2026-03-24", "van at the gate", "cannot be undone"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the confirmation does not say %q:\n%s", want, text)
		}
	}
	tapButton(t, w.Window().Canvas(), "Erase")
	if len(fp.erased) != 1 || fp.erased[0].Reason != "deletion request" {
		t.Fatalf("erased %+v", fp.erased)
	}
	if !strings.Contains(p.receipts.Text, "owner erased 240 segment(s)") {
		t.Fatalf("the erasure record shows %q", p.receipts.Text)
	}
}

func TestEraseCancelledErasesNothing(t *testing.T) {
	fp := newFakePrivacy()
	w := newPrivacyWindow(t, fp)
	p := w.privacy
	p.eraseFrom.SetText("2026-03-24 13:00")
	p.eraseTo.SetText("2026-03-24 18:00")
	p.askErase()
	if len(fp.plans) != 1 || fp.plans[0].CameraID != "" {
		t.Fatalf("planned %+v, want every camera", fp.plans)
	}
	tapButton(t, w.Window().Canvas(), "Cancel")
	if len(fp.erased) != 0 {
		t.Fatalf("a cancelled erase erased %+v", fp.erased)
	}
}

func TestRetentionAboveTheRecommendationNeedsAReason(t *testing.T) {
	fp := newFakePrivacy()
	w := newPrivacyWindow(t, fp)
	p := w.privacy
	p.keepCam.SetSelected("Cam 2")
	p.keep.SetText("30")
	p.keepReason.SetText("")
	p.saveKeep()
	if len(fp.keeps) != 0 {
		t.Fatalf("30 days without a reason was saved: %+v", fp.keeps)
	}
	if !strings.Contains(overlayText(w.Window().Canvas()), "needs a reason") {
		t.Fatal("no message says a reason is needed")
	}
	p.keepReason.SetText("insurance asks for a month")
	p.saveKeep()
	if len(fp.keeps) != 1 || fp.keeps[0].Keep != 30*24*time.Hour || fp.keeps[0].CameraID != "1" {
		t.Fatalf("saved %+v", fp.keeps)
	}
	p.keep.SetText("2")
	p.keepReason.SetText("")
	p.saveKeep()
	if len(fp.keeps) != 2 || fp.keeps[1].Keep != 48*time.Hour {
		t.Fatalf("2 days (below the recommendation) without a reason: %+v", fp.keeps)
	}
}

func TestMaskEditorDoubleTapClosesAPolygon(t *testing.T) {
	e, win := newTestEditor(t, nil)
	if got := win.Canvas().Size(); got.Width < 320 || got.Height < 180 {
		t.Fatalf("the editor's window is %v, want 320×180 for the taps below", got)
	}
	e.setTool(toolPolygon)
	for _, p := range []fyne.Position{{X: 160, Y: 18}, {X: 288, Y: 90}, {X: 160, Y: 162}} {
		test.TapAt(e, p)
	}
	// test.DoubleTap taps at (1, 1): the polygon's fourth corner.
	test.DoubleTap(e)
	if len(e.zs) != 1 || len(e.draft) != 0 {
		t.Fatalf("a double tap did not close the polygon: zones %+v, draft %v", e.zs, e.draft)
	}
	want := []zones.Point{{X: 0.5, Y: 0.1}, {X: 0.9, Y: 0.5}, {X: 0.5, Y: 0.9}, {X: 1.0 / 320, Y: 1.0 / 180}}
	if got := e.zs[0].Points; len(got) != len(want) {
		t.Fatalf("the polygon has corners %v, want %v", got, want)
	}
	for i, p := range e.zs[0].Points {
		if !near(p, want[i]) {
			t.Fatalf("corner %d = %v, want %v", i, p, want[i])
		}
	}
	// A double tap on the last corner closes without doubling it.
	for _, p := range []fyne.Position{{X: 20, Y: 20}, {X: 100, Y: 20}, {X: 100, Y: 60}} {
		test.TapAt(e, p)
	}
	e.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(101, 61)})
	if len(e.zs) != 2 || len(e.zs[1].Points) != 3 {
		t.Fatalf("a double tap on the last corner: zones %+v", e.zs)
	}
}

// TestZoneEditorKeys: in the editor's window Enter closes a polygon,
// Delete removes the selected zone and Ctrl+Z brings it back.
func TestZoneEditorKeys(t *testing.T) {
	fp := newFakePrivacy()
	w := newPrivacyWindow(t, fp)
	z := newZoneEditor(w.privacy, "0", "Cam 1", fp.zs["0"])
	z.win.SetPadded(false)
	z.win.Resize(fyne.NewSize(1100, 640))
	c := z.win.Canvas()
	key := func(k fyne.KeyName) { c.OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	z.ed.setTool(toolPolygon)
	for _, p := range []fyne.Position{{X: 10, Y: 10}, {X: 100, Y: 10}, {X: 60, Y: 80}} {
		test.TapAt(z.ed, p)
	}
	key(fyne.KeyReturn)
	if len(z.ed.zs) != 2 || z.ed.selected != 1 {
		t.Fatalf("Enter did not close the polygon: %+v", z.ed.zs)
	}
	key(fyne.KeyDelete)
	if len(z.ed.zs) != 1 || z.ed.zs[0].Name != "Street" {
		t.Fatalf("Delete left %+v", z.ed.zs)
	}
	sh, ok := c.(fyne.Shortcutable)
	if !ok {
		t.Fatal("the test canvas takes no shortcuts")
	}
	sh.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault})
	if len(z.ed.zs) != 2 || len(z.ed.zs[1].Points) != 3 {
		t.Fatalf("Ctrl+Z did not bring the polygon back: %+v", z.ed.zs)
	}
}

// TestZoneEditorSaveValidatesFirst: a zone of no area is refused with
// zones.ValidateAll's reason and nothing is saved; fixed, the zones are
// saved, an unnamed one as "Zone N".
func TestZoneEditorSaveValidatesFirst(t *testing.T) {
	fp := newFakePrivacy()
	w := newPrivacyWindow(t, fp)
	w.privacy.maskCam.SetSelected("Cam 1")
	flat := zones.Zone{Kind: zones.Permanent, Fill: zones.Black, Points: []zones.Point{{X: 0.1, Y: 0.1}, {X: 0.5, Y: 0.1}, {X: 0.9, Y: 0.1}}}
	z := newZoneEditor(w.privacy, "0", "Cam 1", append(slices.Clone(fp.zs["0"]), flat))
	z.save()
	if len(fp.saved) != 0 {
		t.Fatalf("a zone of no area was saved: %+v", fp.saved)
	}
	if !strings.Contains(z.status.Text, "Not saved") || !strings.Contains(z.status.Text, zones.ErrEmptyArea.Error()) {
		t.Fatalf("the editor says %q, not why it did not save", z.status.Text)
	}
	z.ed.zs[1].Points[1] = zones.Point{X: 0.5, Y: 0.6}
	z.save()
	if len(fp.saved) != 1 || len(fp.saved[0]) != 2 || fp.saved[0][0].Name != "Street" || fp.saved[0][1].Name != "Zone 2" {
		t.Fatalf("saved %+v", fp.saved)
	}
	if !strings.Contains(w.privacy.zoneList.Text, "Zone 2") {
		t.Fatalf("the page's zone list did not reload: %q", w.privacy.zoneList.Text)
	}
}

// TestZoneEditorKeepsAFillNotInTheList: a zone filled with a colour the
// form does not offer (set with 'nightjar masks add --fill') keeps it
// when its name is edited after another zone was selected.
func TestZoneEditorKeepsAFillNotInTheList(t *testing.T) {
	fp := newFakePrivacy()
	w := newPrivacyWindow(t, fp)
	red := zones.Fill{Color: color.RGBA{0xff, 0, 0, 0xff}}
	z := newZoneEditor(w.privacy, "0", "Cam 1", append(slices.Clone(fp.zs["0"]),
		zones.Zone{Name: "Window", Kind: zones.Permanent, Fill: red, Points: zones.Rect(0.1, 0.1, 0.2, 0.2)}))
	test.TapAt(z.ed, z.ed.toWidget(zones.Point{X: 0.5, Y: 0.8}))
	if z.ed.selected != 0 || z.fill.Selected != "Pixelate, 16 px blocks" {
		t.Fatalf("selected %d with fill %q", z.ed.selected, z.fill.Selected)
	}
	test.TapAt(z.ed, z.ed.toWidget(zones.Point{X: 0.2, Y: 0.2}))
	if z.ed.selected != 1 {
		t.Fatalf("selected %d, want the window", z.ed.selected)
	}
	if z.fill.Selected != red.String() {
		t.Fatalf("the form shows the fill %q, want %q", z.fill.Selected, red.String())
	}
	z.name.SetText("Neighbour's window")
	if got := z.ed.zs[1]; got.Name != "Neighbour's window" || got.Fill != red {
		t.Fatalf("after a name edit the zone is %+v, want its red fill kept", got)
	}
}
