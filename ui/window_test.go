package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// fakeServices stands in for app: one fake behind every service the
// window consumes.
type fakeServices struct {
	cameras    int
	keyringErr error
	extra      []CameraRow
	added      []AddForm
	addErr     error
	found      []FoundCamera
	streams    []LiveStream
	layouts    []SavedLayout
	records    map[string]RecordForm
	usage      StorageUsage
	limit      int64
	reserve    int64
}

// services passes every fake, as app passes its adapters.
func (f *fakeServices) services() Services {
	return Services{Streams: f.streams, Cameras: f, Layouts: f, RecordSettings: f, Storage: f, Keyring: f}
}

func (f *fakeServices) Discover(ctx context.Context, target string) ([]FoundCamera, error) {
	return f.found, nil
}
func (f *fakeServices) AddCamera(ctx context.Context, a AddForm) (CameraRow, error) {
	if f.addErr != nil {
		return CameraRow{}, f.addErr
	}
	f.added = append(f.added, a)
	r := CameraRow{ID: "new", Name: a.Name, Address: a.Address}
	f.extra = append(f.extra, r)
	return r, nil
}
func (f *fakeServices) RemoveCamera(ctx context.Context, id string, del bool) error { return nil }
func (f *fakeServices) EditCamera(ctx context.Context, id, name, group string) error {
	return nil
}
func (f *fakeServices) CheckCamera(ctx context.Context, id string) (CameraStatus, error) {
	return StatusOnline, nil
}
func (f *fakeServices) ChangePassword(ctx context.Context, id, p string) error { return nil }
func (f *fakeServices) ErrorHint(err error) string                             { return "check the password" }

func (f *fakeServices) CheckKeyring(ctx context.Context) error { return f.keyringErr }
func (f *fakeServices) KeyringHint(err error) string           { return "start gnome-keyring" }
func (f *fakeServices) Cameras(ctx context.Context) ([]CameraRow, error) {
	rows := make([]CameraRow, f.cameras)
	for i := range rows {
		rows[i] = CameraRow{ID: fmt.Sprint(i), Name: fmt.Sprintf("Cam %d", i+1), Address: "http://127.0.0.1/onvif/device_service", FactoryPassword: i == 0, PTZ: i == 1, RecordMode: map[bool]string{true: ModeContinuous}[i == 1]}
	}
	return append(rows, f.extra...), nil
}

func (f *fakeServices) SavedLayouts(ctx context.Context) ([]SavedLayout, error) {
	return f.layouts, nil
}
func (f *fakeServices) SaveLayout(ctx context.Context, l SavedLayout) error {
	f.layouts = append(f.layouts, l)
	return nil
}

func (f *fakeServices) RecordSettings(ctx context.Context, id string) (RecordForm, error) {
	if r, ok := f.records[id]; ok {
		return r, nil
	}
	return RecordForm{Mode: ModeOff, Stream: "main", FromHour: 8, ToHour: 18}, nil
}
func (f *fakeServices) SetRecordSettings(ctx context.Context, id string, r RecordForm) error {
	if f.records == nil {
		f.records = map[string]RecordForm{}
	}
	f.records[id] = r
	return nil
}
func (f *fakeServices) StorageUsage(ctx context.Context) (StorageUsage, error) { return f.usage, nil }
func (f *fakeServices) StorageLimits(ctx context.Context) (int64, int64, error) {
	return f.limit, f.reserve, nil
}
func (f *fakeServices) SetStorageLimits(ctx context.Context, limit, reserve int64) error {
	f.limit, f.reserve = limit, reserve
	return nil
}

// findButton walks the object tree, into widgets' renderers too, for a
// button with the given label.
func findButton(o fyne.CanvasObject, label string) *widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		if v.Text == label {
			return v
		}
	case *fyne.Container:
		for _, child := range v.Objects {
			if b := findButton(child, label); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(v).Objects() {
			if b := findButton(child, label); b != nil {
				return b
			}
		}
	}
	return nil
}

func TestWelcomeScreenWhenNoCamera(t *testing.T) {
	a := test.NewTempApp(t)
	demo := 0
	w := NewMainWindow(a, (&fakeServices{}).services(), WindowConfig{Actions: Actions{TryDemo: func() { demo++ }}})
	live := w.tabs.Items[0].Content
	for _, label := range []string{"Find cameras", "Add camera", "Try the demo"} {
		if findButton(live, label) == nil {
			t.Fatalf("welcome screen lacks %q", label)
		}
	}
	test.Tap(findButton(live, "Try the demo"))
	if demo != 1 {
		t.Fatalf("Try the demo ran %d times", demo)
	}
	// Without a FindCameras action the button leads to the Cameras page.
	test.Tap(findButton(live, "Find cameras"))
	if w.CurrentPage() != PageCameras {
		t.Fatalf("page after Find cameras: %s", w.CurrentPage())
	}
}

func TestNoWelcomeWithCameras(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, (&fakeServices{cameras: 3}).services(), WindowConfig{})
	if findButton(w.tabs.Items[0].Content, "Find cameras") != nil {
		t.Fatal("welcome screen shown although cameras exist")
	}
	w.ShowPage(PageCameras)
	var list *widget.List
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.List); ok {
			list = l
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, ch := range c.Objects {
				walk(ch)
			}
		}
	}
	walk(w.tabs.Items[2].Content)
	if list == nil || list.Length() != 3 {
		t.Fatalf("Cameras page does not list the 3 cameras")
	}
}

func TestNavigationHasEveryPage(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, (&fakeServices{}).services(), WindowConfig{})
	want := []string{PageLive, PagePlayback, PageCameras, PagePrivacy, PageAudit, PageSettings}
	if len(w.tabs.Items) != len(want) {
		t.Fatalf("%d pages, want %d", len(w.tabs.Items), len(want))
	}
	for i, name := range want {
		if w.tabs.Items[i].Text != name {
			t.Errorf("page %d is %q, want %q", i, w.tabs.Items[i].Text, name)
		}
		w.ShowPage(name)
		if w.CurrentPage() != name {
			t.Errorf("ShowPage(%q) shows %q", name, w.CurrentPage())
		}
	}
}

func TestKeyringProblemShownOnPrivacyPage(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, (&fakeServices{keyringErr: errors.New("no OS keyring is available")}).services(), WindowConfig{})
	select {
	case <-w.keyringChecked:
	case <-time.After(5 * time.Second):
		t.Fatal("keyring status never delivered")
	}
	got := w.keyringStatus.Text
	if !strings.Contains(got, "not available") || !strings.Contains(got, "gnome-keyring") {
		t.Fatalf("keyring status %q", got)
	}
}

func TestShortcuts(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, (&fakeServices{}).services(), WindowConfig{})
	win := w.Window()
	if win.FullScreen() {
		t.Fatal("starts fullscreen")
	}
	win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF11})
	if !win.FullScreen() {
		t.Fatal("F11 did not enter fullscreen")
	}
	win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF11})
	if win.FullScreen() {
		t.Fatal("F11 did not leave fullscreen")
	}
	quits := 0
	w.quit = func() { quits++ }
	win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktopShortcut{key: fyne.KeyQ, mod: fyne.KeyModifierControl})
	if quits != 1 {
		t.Fatalf("Ctrl+Q quit %d times", quits)
	}
}
