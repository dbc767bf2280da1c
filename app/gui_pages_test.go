package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/uithread"
	"nightjar/storage/catalog"
	"nightjar/ui"
	"nightjar/ui/uitest"
)

// TestGUIPagesOnARealApp drives every page of the main window against a
// real App: a catalogue in a temp dir, the OS keyring, two camsim cameras
// with real players and recorders. It checks that what the user did
// reached the App (catalogue rows, settings, recording), and that no
// blocking call (catalogue, keyring, network, mpv, recorder lock) ran on
// the UI goroutine.
func TestGUIPagesOnARealApp(t *testing.T) {
	a := requireKeyring(t)
	const pass = "gui-pages-pw"
	s := startCamsim(t, camsim.Config{Cameras: 2, User: "op", Pass: pass})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var ids []string
	for _, c := range s.Cameras() {
		cam, err := a.AddCamera(ctx, AddRequest{Address: c.DeviceURL(), User: "op", Pass: pass})
		if err != nil {
			t.Fatalf("add camera %s: %v", c.DeviceURL(), err)
		}
		t.Cleanup(func() { a.Secrets.Delete(context.Background(), keyringKey(cam.ID)) })
		ids = append(ids, cam.ID)
	}
	if _, err := a.startRecorders(recordingOptions{}, ""); err != nil {
		t.Fatalf("start recorders: %v", err)
	}
	a.streams = a.openLiveStreams(ctx)
	if len(a.streams) != 2 {
		t.Fatalf("%d live streams, want 2", len(a.streams))
	}
	uithread.Enable()
	t.Cleanup(uithread.Disable)

	d := uitest.New(t, a.guiServices())

	// Privacy: the keyring check answered.
	d.Win.ShowPage(ui.PagePrivacy)
	d.Until(10*time.Second, "the keyring status", func() bool { return d.HasText(false, "kept in the OS keyring") })

	// Live: stats on for a few overlay rounds, a snapshot, manual
	// recording on and off, a layout saved and the next layout.
	d.Win.ShowPage(ui.PageLive)
	d.TypeKey("I")
	d.Run(time.Second)
	d.TypeKey("S")
	d.Until(20*time.Second, "the snapshot toast", func() bool { return d.HasText(false, "Snapshot saved") })
	d.TypeKey("R")
	d.Until(15*time.Second, "the recording toast", func() bool { return d.HasText(false, "(R stops)") || d.HasText(false, "failed") })
	if msg := d.Text(false, "failed"); msg != "" {
		t.Fatalf("recording: %q", msg)
	}
	d.Until(30*time.Second, "the REC mark", func() bool { return d.HasText(false, "● REC") })
	d.TypeKey("R")
	d.Until(15*time.Second, "recording to stop", func() bool { return !d.HasText(false, "● REC") && !a.recorders.Recording(ids[0]) })
	d.Tap("Save layout…", 5*time.Second)
	d.SetEntry(true, func(ph, _ string) bool { return ph == "e.g. Night shift" }, "Night")
	d.Tap("Save", 5*time.Second)
	d.Until(10*time.Second, "the saved layout in the catalogue", func() bool {
		ls, err := a.DB.Layouts()
		return err == nil && slices.ContainsFunc(ls, func(l catalog.Layout) bool { return l.Name == "Night" })
	})
	d.TypeKey("L")
	d.Run(300 * time.Millisecond)

	// Cameras: the list from the catalogue, a test, a rename and new
	// record settings.
	d.Win.ShowPage(ui.PageCameras)
	d.Until(10*time.Second, "the camera list", func() bool { return d.HasText(false, "2 cameras.") })
	d.SelectRow(0)
	d.Tap("Test connection", 5*time.Second)
	d.Until(20*time.Second, "the connection test", func() bool { return d.HasText(true, ": online") })
	d.Tap("OK", 5*time.Second)
	d.SelectRow(0)
	d.Tap("Rename / group", 5*time.Second)
	cam0, err := a.DB.Camera(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	d.SetEntry(true, func(_, text string) bool { return text == cam0.Name }, "Loading dock")
	d.Tap("Save", 5*time.Second)
	d.Until(10*time.Second, "the rename in the catalogue", func() bool {
		cams, err := a.DB.Cameras()
		return err == nil && slices.ContainsFunc(cams, func(c catalog.Camera) bool { return c.Name == "Loading dock" })
	})
	d.SelectRow(1)
	d.Tap("Recording…", 5*time.Second)
	d.Until(10*time.Second, "the record dialog", func() bool { return d.HasText(true, "Keep for") })
	d.SetEntry(true, func(ph, _ string) bool { return strings.HasPrefix(ph, "e.g. 30 d") }, "3 d")
	d.Tap("Save", 5*time.Second)
	d.Until(10*time.Second, "the record settings in the catalogue", func() bool {
		cams, err := a.DB.Cameras()
		return err == nil && slices.ContainsFunc(cams, func(c catalog.Camera) bool { return c.Record.Retention == 3*24*time.Hour })
	})

	// Settings: the storage line and new limits.
	d.Win.ShowPage(ui.PageSettings)
	d.Until(10*time.Second, "the storage line", func() bool { return d.HasText(false, "Recordings use") })
	d.SetEntry(false, func(ph, _ string) bool { return ph == "no cap" }, "2.5")
	d.Tap("Save limits", 5*time.Second)
	d.Until(10*time.Second, "the limits in the catalogue", func() bool {
		st, err := a.DB.Settings()
		return err == nil && st.RecordingCap == 2_500_000_000
	})
	for _, p := range []string{ui.PagePlayback, ui.PageAudit, ui.PageLive} {
		d.Win.ShowPage(p)
		d.Run(300 * time.Millisecond)
	}

	if v := uithread.Violations(); len(v) > 0 {
		t.Fatalf("%d blocking calls on the UI goroutine:\n%s", len(v), strings.Join(v, "\n"))
	}
}
