package catalog

import (
	"reflect"

	"errors"
	"nightjar/internal/zones"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close the catalogue: %v", err)
		}
	})
	return db, dir
}

// tempDB is openTemp for a test that needs only the catalogue.
func tempDB(t *testing.T) *DB {
	t.Helper()
	db, dir := openTemp(t)
	if dir == "" {
		t.Fatal("openTemp gave no directory")
	}
	return db
}

func TestSecondOpenIsLocked(t *testing.T) {
	_, dir := openTemp(t)
	start := time.Now()
	_, err := Open(dir, Options{OpenTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("want ErrLocked, got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("second open took %v", d)
	}
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Hint() == "" {
		t.Fatalf("want OpenError with a hint, got %#v", err)
	}
}

func TestCorruptFile(t *testing.T) {
	dir := t.TempDir()
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("want ErrCorrupt, got %v", err)
	}
	after, err := os.ReadFile(filepath.Join(dir, FileName))
	check(t, err)
	if string(after) != string(garbage) {
		t.Fatal("opening a damaged catalogue changed the file")
	}
}

func TestUnwritableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores directory permissions; use a path under a file instead.
		f := filepath.Join(t.TempDir(), "file")
		check(t, os.WriteFile(f, nil, 0o600))
		if _, err := Open(filepath.Join(f, "sub"), Options{}); err == nil {
			t.Fatal("opened a catalogue under a regular file")
		}
		return
	}
	dir := t.TempDir()
	check(t, os.Chmod(dir, 0o500))
	defer os.Chmod(dir, 0o700)
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("want ErrReadOnly, got %v", err)
	}
}

func TestCameraCRUD(t *testing.T) {
	db, dir := openTemp(t)
	c := Camera{ID: "c1", Name: "Front door", Group: "Shop", DeviceURL: "http://127.0.0.1:8000/onvif/device_service", Username: "admin", Added: time.Unix(1700000000, 0).UTC(),
		Zones: []zones.Zone{{ID: "z1", Name: "Neighbour", Kind: zones.Liftable, Fill: zones.Fill{Block: 12}, Points: zones.Rect(0.1, 0.2, 0.3, 0.4)}}}
	if err := db.PutCamera(c); err != nil {
		t.Fatal(err)
	}
	if err := db.PutCamera(Camera{ID: "c0", Name: "Back", Group: "Shop"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Camera("c1")
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("Camera = %+v, %v", got, err)
	}
	all, err := db.Cameras()
	check(t, err)
	if len(all) != 2 || all[0].Name != "Back" {
		t.Fatalf("Cameras = %+v", all)
	}
	check(t, db.Close())
	db2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if err := db2.DeleteCamera("c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db2.Camera("c1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := db2.DeleteCamera("c1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("double delete: %v", err)
	}
}
