package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"nightjar/internal/testwait"
)

// TestAddDialogFlow drives the add dialog with the Fyne test driver: a
// discovery result fills the Manual tab, a failed add shows the error with
// its hint and keeps the dialog, a good one adds the camera to the list.
func TestAddDialogFlow(t *testing.T) {
	a := test.NewTempApp(t)
	svc := &fakeServices{found: []FoundCamera{
		{Name: "Lobby", Hardware: "Camsim", Address: "http://127.0.0.1:8000/onvif/device_service"},
		{Name: "Old", Address: "http://127.0.0.1:8010/onvif/device_service", Added: true},
	}}
	w := NewMainWindow(a, svc.services(), WindowConfig{})
	w.ShowPage(PageCameras)
	d := w.cameras.newAddDialog(AddForm{})
	d.d.Show()
	d.runSearch()
	testwait.Until(t, 5*time.Second, "discovery results", func() bool { return d.results.Length() == 2 })
	if !strings.Contains(d.dmsg.Text, "2 cameras answered") {
		t.Fatalf("discover message %q", d.dmsg.Text)
	}
	// Choosing an already-added camera does nothing but say so.
	d.results.Select(1)
	if d.address.Text != "" || !strings.Contains(d.dmsg.Text, "already") {
		t.Fatalf("added camera selected: address %q, msg %q", d.address.Text, d.dmsg.Text)
	}
	d.results.Select(0)
	if d.address.Text != svc.found[0].Address || d.name.Text != "Lobby" || d.tabs.Selected() != d.manual {
		t.Fatalf("manual tab not filled: %q %q", d.address.Text, d.name.Text)
	}
	if len(svc.added) != 0 {
		t.Fatal("a credential was sent before the user pressed Add")
	}
	// A wrong password: the message names the error and the fix.
	svc.addErr = errors.New("the camera refused the user name or password")
	test.Type(d.pass, "wrong")
	test.Tap(d.addBtn)
	testwait.Until(t, 5*time.Second, "error message", func() bool { return strings.Contains(d.message.Text, "refused") })
	if !strings.Contains(d.message.Text, "check the password") {
		t.Fatalf("no hint in %q", d.message.Text)
	}
	// The right one.
	svc.addErr = nil
	test.Tap(d.addBtn)
	testwait.Until(t, 5*time.Second, "camera added", func() bool { return len(svc.added) == 1 })
	got := svc.added[0]
	if got.User != "admin" || got.Pass != "wrong" || got.Address != svc.found[0].Address {
		t.Fatalf("add form %+v", got)
	}
	testwait.Until(t, 5*time.Second, "list refresh", func() bool { return w.cameras.list.Length() == 1 })
}

func TestFactoryPasswordWarningOnPrivacyPage(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, (&fakeServices{cameras: 2}).services(), WindowConfig{})
	if !strings.Contains(w.warnings.Text, "Cam 1") || strings.Contains(w.warnings.Text, "Cam 2") {
		t.Fatalf("privacy warning %q", w.warnings.Text)
	}
}
