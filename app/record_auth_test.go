package app

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
)

// TestRecordWithDigestAuth records a camera that wants credentials, as a
// real one does: camsim's RTSP offers Digest (MD5) only, the password lives
// only in the OS keyring (gnome-keyring under 'make test'), and the
// recorder must fetch it from there. A wrong password in the keyring
// records nothing; the right one records footage ffprobe plays.
func TestRecordWithDigestAuth(t *testing.T) {
	t.Parallel()
	a := requireKeyring(t)
	const pass = "Digest-Rec/7q:x"
	sim := startCamsim(t, camsim.Config{Cameras: 1, User: "admin", Pass: pass})
	ctx := context.Background()
	cam, err := a.AddCamera(ctx, AddRequest{Address: sim.Cameras()[0].DeviceURL(), User: "admin", Pass: pass})
	if err != nil {
		t.Fatal(err)
	}
	forgetAtCleanup(t, a, cam.ID)
	cam.Record.Mode = catalog.RecordContinuous
	if err := a.DB.PutCamera(cam); err != nil {
		t.Fatal(err)
	}

	// Control: the stream refuses a client without credentials, and
	// challenges for Digest.
	out, err := exec.Command("ffprobe", "-v", "error", "-rtsp_transport", "tcp", cam.MainURI).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "401") {
		t.Fatalf("the camera let ffprobe in without credentials: %v\n%s", err, out)
	}

	// The wrong password in the keyring: nothing is recorded.
	if err := a.Secrets.Set(ctx, keyringKey(cam.ID), "not-"+pass); err != nil {
		t.Fatal(err)
	}
	r, err := a.startRecorders(recordingOptions{SegmentLength: 2 * time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * time.Second)
	r.close()
	if rows := segmentsOf(t, a, cam.ID); len(rows) != 0 {
		t.Fatalf("recorded %d segments with the wrong password in the keyring", len(rows))
	}

	// The right one.
	if err := a.Secrets.Set(ctx, keyringKey(cam.ID), pass); err != nil {
		t.Fatal(err)
	}
	r, err = a.startRecorders(recordingOptions{SegmentLength: 2 * time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(6 * time.Second)
	if n := sim.Cameras()[0].Readers(); n != 1 {
		t.Errorf("camsim has %d RTSP sessions while recording, want 1", n)
	}
	r.close()
	rows := segmentsOf(t, a, cam.ID)
	if len(rows) < 2 {
		t.Fatalf("want at least 2 segments of 2 s from 6 s, got %d", len(rows))
	}
	var plain bytes.Buffer
	store := a.recordingStore()
	for _, row := range rows {
		if err := store.WriteTo(ctx, row, &plain); err != nil {
			t.Fatalf("read %s: %v", row.File, err)
		}
	}
	path := filepath.Join(t.TempDir(), "digest.ts")
	writeFile(t, path, plain.Bytes())
	info, d := ffprobeFile(t, path)
	if len(info.Streams) != 1 || info.Streams[0].Codec != "h264" || info.Streams[0].Width != 1280 || d < 3*time.Second {
		t.Fatalf("ffprobe sees %+v, %v", info, d)
	}
}

// segmentsOf lists a camera's segments, failing t on error.
func segmentsOf(t *testing.T, a *App, id string) []catalog.Segment {
	t.Helper()
	rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: id})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
