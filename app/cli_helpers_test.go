package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"nightjar/storage/catalog"
)

// recordingList is what 'recordings list --json' prints.
type recordingList struct {
	Segments []catalog.Segment
	Gaps     []gap
}

// recordingsList runs 'recordings list --json' with the real binary on dir
// and decodes it; a failed run or unreadable output fails t.
func recordingsList(t *testing.T, bin, dir string) recordingList {
	t.Helper()
	cmd := exec.Command(bin, "--data-dir", dir, "recordings", "list", "--json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("recordings list: %v\n%s", err, stderr.String())
	}
	raceFree(t, "recordings list", stderr.String())
	return decodeList(t, out)
}

// decodeList decodes the output of 'recordings list --json', failing t when
// it is not that.
func decodeList(t *testing.T, b []byte) recordingList {
	t.Helper()
	var l recordingList
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatalf("recordings list output %q: %v", b, err)
	}
	return l
}

// readFile reads path, failing t when it cannot.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFile writes b to path, failing t when it cannot.
func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// filesUnder lists the regular files below dir, relative to it; a walk
// error fails t.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, rel)
		return err
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return files
}

// raceReport is how the race detector starts each report on stderr.
const raceReport = "WARNING: DATA RACE"

// raceFree fails t when a run of the binary (built with -race) printed a
// race report.
func raceFree(t *testing.T, what, output string) {
	t.Helper()
	if i := strings.Index(output, raceReport); i >= 0 {
		t.Errorf("%s: the race detector reported:\n%s", what, output[i:])
	}
}

// forgetAtCleanup removes camera id's password from the keyring when t
// ends, and reports a removal that fails.
func forgetAtCleanup(t *testing.T, a *App, id string) {
	t.Cleanup(func() {
		if err := a.Secrets.Delete(context.Background(), keyringKey(id)); err != nil {
			t.Errorf("remove the test password from the keyring: %v", err)
		}
	})
}
