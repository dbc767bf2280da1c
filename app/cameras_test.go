package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/devices/onvif"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
)

// requireKeyring opens an App on a temp data dir with the real OS keyring
// (gnome-keyring under 'make test').
func requireKeyring(t *testing.T) *App {
	t.Helper()
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "debug"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.Secrets.Check(context.Background()); err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") == "" {
			t.Skipf("no OS keyring here (%v); 'make test' provides one", err)
		}
		t.Fatalf("keyring required: %v", err)
	}
	a.Secrets.Service = "nightjar-test"
	return a
}

func startCamsim(t *testing.T, cfg camsim.Config) *camsim.Sim {
	t.Helper()
	cfg.MotionEvery = -1
	s, err := camsim.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestPasswordOnlyInKeyring adds a camera and checks its password is in
// the keyring and in no file of the data directory, in any encoding.
func TestPasswordOnlyInKeyring(t *testing.T) {
	a := requireKeyring(t)
	const pass = "Unique-Pa$$ w0rd/9@x+y=="
	s := startCamsim(t, camsim.Config{Cameras: 1, User: "admin", Pass: pass})
	ctx := context.Background()
	cam, err := a.AddCamera(ctx, AddRequest{Address: s.Cameras()[0].DeviceURL(), User: "admin", Pass: pass})
	if err != nil {
		t.Fatal(err)
	}
	forgetAtCleanup(t, a, cam.ID)
	got, err := a.Secrets.Get(ctx, keyringKey(cam.ID))
	if err != nil || got != pass {
		t.Fatalf("keyring has %q, %v", got, err)
	}
	if cam.FactoryPassword || cam.MainURI == "" || cam.SubURI == "" || !cam.PTZ {
		t.Fatalf("record %+v", cam)
	}
	encodings := [][]byte{
		[]byte(pass),
		[]byte(url.QueryEscape(pass)),
		[]byte(url.PathEscape(pass)),
		[]byte((&url.URL{User: url.UserPassword("admin", pass)}).User.String()),
		[]byte(base64.StdEncoding.EncodeToString([]byte(pass))),
		[]byte(base64.URLEncoding.EncodeToString([]byte(pass))),
		[]byte(base64.RawStdEncoding.EncodeToString([]byte(pass))),
		[]byte(base64.StdEncoding.EncodeToString([]byte("admin:" + pass))),
	}
	a.Close() // flush the catalogue and the log
	files := filesUnder(t, a.DataDir)
	if len(files) == 0 {
		t.Fatal("no files in the data dir to search")
	}
	for _, f := range files {
		b := readFile(t, filepath.Join(a.DataDir, f))
		for _, e := range encodings {
			if bytes.Contains(b, e) {
				t.Errorf("%s contains the password (as %q)", f, e)
			}
		}
	}
}

func TestAddWrongPasswordStoresNothing(t *testing.T) {
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 1})
	_, err := a.AddCamera(context.Background(), AddRequest{Address: s.Cameras()[0].DeviceURL(), User: "admin", Pass: "nope"})
	if !errors.Is(err, onvif.ErrUnauthorized) {
		t.Fatalf("want ErrUnauthorized, got %v", err)
	}
	if cams, err := a.DB.Cameras(); err != nil || len(cams) != 0 {
		t.Fatalf("stored %d cameras after a failed add (%v)", len(cams), err)
	}
}

// TestFactoryPasswordFix adds a camera on admin/admin, sees the warning,
// changes the password through Nightjar and checks camera and keyring.
func TestFactoryPasswordFix(t *testing.T) {
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 1})
	ctx := context.Background()
	cam, err := a.AddCamera(ctx, AddRequest{Address: s.Cameras()[0].DeviceURL(), User: "admin", Pass: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	forgetAtCleanup(t, a, cam.ID)
	if !cam.FactoryPassword {
		t.Fatal("admin/admin not flagged")
	}
	if err := a.ChangeCameraPassword(ctx, cam.ID, "12345"); err == nil {
		t.Fatal("accepted another factory password")
	}
	if err := a.ChangeCameraPassword(ctx, cam.ID, "Fresh-Secret-71"); err != nil {
		t.Fatal(err)
	}
	after, err := a.DB.Camera(cam.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.FactoryPassword {
		t.Fatal("warning still set")
	}
	if p, err := a.Secrets.Get(ctx, keyringKey(cam.ID)); err != nil || p != "Fresh-Secret-71" {
		t.Fatalf("keyring has %q, %v", p, err)
	}
	c := &onvif.Client{DeviceURL: cam.DeviceURL, Username: "admin", Password: "Fresh-Secret-71"}
	if _, err := c.DeviceInformation(ctx); err != nil {
		t.Fatalf("camera refuses the new password: %v", err)
	}
	// Remove deletes the keyring entry.
	if err := a.RemoveCamera(ctx, cam.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Secrets.Get(ctx, keyringKey(cam.ID)); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("keyring entry survived removal: %v", err)
	}
	if _, err := a.DB.Camera(cam.ID); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatal("record survived removal")
	}
}

func TestAddRTSPOnlyCamera(t *testing.T) {
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 1})
	u, err := url.Parse(s.Cameras()[0].StreamURI(camsim.Main))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("admin", "admin")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cam, err := a.AddCamera(ctx, AddRequest{Address: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	forgetAtCleanup(t, a, cam.ID)
	if cam.MainURI != s.Cameras()[0].StreamURI(camsim.Main) || cam.Username != "admin" || cam.DeviceURL != "" || !cam.FactoryPassword {
		t.Fatalf("record %+v", cam)
	}
}

func TestDeviceURL(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.5":                        "http://10.0.0.5/onvif/device_service",
		"10.0.0.5:8080":                   "http://10.0.0.5:8080/onvif/device_service",
		"http://cam/onvif/device_service": "http://cam/onvif/device_service",
		"http://u:p@cam:80/custom/path":   "http://cam:80/custom/path",
	} {
		if got, err := DeviceURL(in); err != nil || got != want {
			t.Errorf("%s: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ftp://cam", "http://"} {
		if _, err := DeviceURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestStreamOverride(t *testing.T) {
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 1})
	ctx := context.Background()
	if _, err := a.AddCamera(ctx, AddRequest{Address: s.Cameras()[0].DeviceURL(), User: "admin", Pass: "admin", MainProfile: "nope"}); err == nil {
		t.Fatal("unknown profile accepted")
	}
	cam, err := a.AddCamera(ctx, AddRequest{Address: s.Cameras()[0].DeviceURL(), User: "admin", Pass: "admin", MainProfile: "sub", SubProfile: "sub"})
	if err != nil {
		t.Fatal(err)
	}
	forgetAtCleanup(t, a, cam.ID)
	if cam.MainProfile != "sub" || cam.MainURI != s.Cameras()[0].StreamURI(camsim.Sub) {
		t.Fatalf("override ignored: %+v", cam)
	}
}
