package app

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nightjar/storage/catalog"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestCLIVersionAndHelp(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "nightjar "+Version) {
		t.Fatalf("version: code %d, out %q", code, out)
	}
	code, out, _ = runCLI(t, "help")
	if code != 0 || !strings.Contains(out, "--data-dir") || !strings.Contains(out, "Commands:") {
		t.Fatalf("help: code %d, out %q", code, out)
	}
}

func TestCLIUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"--no-such-flag"}, {"version", "extra"}, {"--log-level"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", args, out)
		}
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "nightjar: ") || !strings.HasPrefix(lines[1], "usage: nightjar") {
			t.Errorf("%v: want one error line and a usage line, got %q", args, errOut)
		}
	}
}

func TestBadLogLevel(t *testing.T) {
	code, _, errOut := runCLI(t, "--data-dir", t.TempDir(), "--log-level", "loud")
	if code != 1 || !strings.Contains(errOut, "unknown log level") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

func TestUnwritableDataDir(t *testing.T) {
	// A path below a regular file cannot be created, even by root.
	f := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "--data-dir", filepath.Join(f, "nightjar"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "data directory unusable") || !strings.Contains(errOut, "hint: ") || !strings.Contains(errOut, "--data-dir") {
		t.Fatalf("unclear message: %q", errOut)
	}
}

func TestCorruptCatalogue(t *testing.T) {
	dir := t.TempDir()
	junk := bytes.Repeat([]byte("not a bbolt file "), 4096)
	if err := os.WriteFile(filepath.Join(dir, catalog.FileName), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "--data-dir", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "hint: Move") {
		t.Fatalf("unclear message: %q", errOut)
	}
	after := readFile(t, filepath.Join(dir, catalog.FileName))
	if !bytes.Equal(after, junk) {
		t.Fatal("the damaged catalogue was modified")
	}
}

func TestOpenCloseOrder(t *testing.T) {
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "debug"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	a.onClose("first", func() error { order = append(order, "first"); return nil })
	a.onClose("second", func() error { order = append(order, "second"); return nil })
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "second,first" {
		t.Fatalf("close order %v", order)
	}
	// The catalogue is closed too: it can be opened again at once.
	db, err := catalog.Open(a.DataDir, catalog.Options{})
	if err != nil {
		t.Fatalf("catalogue still locked after Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	log := readFile(t, filepath.Join(a.DataDir, "logs", "nightjar.log"))
	if !strings.Contains(string(log), "nightjar started") {
		t.Fatalf("log file lacks start line: %q", log)
	}
}

// TestCloseReturnsEveryError closes an App whose services fail and checks
// that each failure is in Close's error, and that every closer still ran.
func TestCloseReturnsEveryError(t *testing.T) {
	a := &App{}
	errA, errB := errors.New("disk gone"), errors.New("socket stuck")
	var ran []string
	a.onClose("a", func() error { ran = append(ran, "a"); return errA })
	a.onClose("ok", func() error { ran = append(ran, "ok"); return nil })
	a.onClose("b", func() error { ran = append(ran, "b"); return errB })
	err := a.Close()
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Fatalf("Close returned %v, want both %q and %q", err, errA, errB)
	}
	for _, name := range []string{"close a: disk gone", "close b: socket stuck"} {
		if !strings.Contains(fmt.Sprint(err), name) {
			t.Errorf("Close's error %q does not name %q", err, name)
		}
	}
	if strings.Join(ran, ",") != "b,ok,a" {
		t.Fatalf("closers ran %v, want b,ok,a", ran)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("a second Close returned %v", err)
	}
}

func TestCatalogueEmptyCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fresh")
	empty, err := catalogueEmpty(globalFlags{dataDir: dir})
	if err != nil || !empty {
		t.Fatalf("fresh dir: empty %v, err %v", empty, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("checking for cameras created the data dir")
	}
	db, err := catalog.Open(t.TempDir(), catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutCamera(catalog.Camera{ID: "c1", Name: "Door"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Dir(db.Path())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if empty, err := catalogueEmpty(globalFlags{dataDir: path}); err != nil || empty {
		t.Fatalf("dir with a camera: empty %v, err %v", empty, err)
	}
}
