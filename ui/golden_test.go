package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Golden markup of what the user sees. A change to a page's or the wall's
// chrome shows up as a diff against testdata/*.xml; the renderer writes
// the new markup to testdata/failed/ for review.

// TestWallChromeMarkup: two tiles on a 2×2 wall with the empty tiles'
// hints, the selected tile's border, a camera on a factory password, one
// reconnecting, one recording, and a toast.
func TestWallChromeMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	srcs := []*fakeSource{
		{state: TilePlaying, col: color.RGBA{200, 30, 30, 255}},
		{state: TileReconnecting, since: time.Now().Add(-3500 * time.Millisecond), col: color.RGBA{30, 200, 30, 255}},
	}
	w := NewWall([]LiveStream{
		{ID: "a", Name: "Front door", Source: srcs[0], FactoryPassword: true, Recording: func() bool { return true }},
		{ID: "b", Name: "Yard", Source: srcs[1]},
	}, WallConfig{})
	t.Cleanup(w.Close)
	win := a.NewWindow("wall")
	win.SetContent(w)
	win.Resize(fyne.NewSize(640, 360))
	w.updateOverlays()
	w.Toast("Layout saved as Night")
	test.AssertRendersToMarkup(t, "wall_chrome.xml", win.Canvas())
}

// TestCamerasPageMarkup: the Cameras page with two cameras, one on a
// factory password, both checked online.
func TestCamerasPageMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, (&fakeServices{cameras: 2}).services(), WindowConfig{})
	w.ShowPage(PageCameras)
	w.Window().Resize(fyne.NewSize(900, 500))
	test.AssertRendersToMarkup(t, "cameras_page.xml", w.Window().Canvas())
}

// TestSettingsPageMarkup: the Settings page with its storage line and
// limits read from the services.
func TestSettingsPageMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	svc := &fakeServices{cameras: 1, limit: 500e9, reserve: 2e9,
		usage: StorageUsage{Bytes: 12e9, Free: 200e9, Segments: 340, BytesPerDay: 20e9, Reserve: 2e9}}
	w := NewMainWindow(a, svc.services(), WindowConfig{DataDir: "/home/guard/.local/share/nightjar", Version: "0.9.0"})
	w.ShowPage(PageSettings)
	w.Window().Resize(fyne.NewSize(1000, 600))
	test.AssertRendersToMarkup(t, "settings_page.xml", w.Window().Canvas())
}

// TestSettingsPageSaysWhenStorageFails: an unreadable disk is named, with
// what to do.
func TestSettingsPageSaysWhenStorageFails(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, Services{Cameras: &fakeServices{}, Storage: failingStorage{}}, WindowConfig{})
	w.ShowPage(PageSettings)
	if got := w.storage.Text; !strings.HasPrefix(got, "Cannot read the recordings disk: disk gone.") || !strings.Contains(got, "Check that") {
		t.Fatalf("storage line %q", got)
	}
}

type failingStorage struct{}

func (failingStorage) StorageUsage(context.Context) (StorageUsage, error) {
	return StorageUsage{}, errors.New("disk gone")
}
func (failingStorage) StorageLimits(context.Context) (int64, int64, error) { return 0, 0, nil }
func (failingStorage) SetStorageLimits(context.Context, int64, int64) error {
	return nil
}
