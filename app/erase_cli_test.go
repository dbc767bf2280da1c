package app

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
)

// nightjarRun runs the real binary on dir with stdin from a pipe (not a
// terminal) and returns its stdout, stderr and exit code.
func nightjarRun(t *testing.T, bin, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--data-dir", dir}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		if code = exitCode(err); code <= 0 {
			t.Fatalf("%v: %v\n%s", args, err, errb.String())
		}
	}
	raceFree(t, strings.Join(args, " "), errb.String())
	return out.String(), errb.String(), code
}

// TestEraseCLI records two cameras, erases one camera's whole day with
// 'nightjar erase' and checks: without --yes on a pipe it refuses and
// erases nothing; with --yes the files of the range are gone, the age CLI
// cannot decrypt copies taken before with any key 'recordings key' prints,
// no key is printed for that camera's day any more, the other camera
// still verifies, and the receipt is in the erasure record.
func TestEraseCLI(t *testing.T) {
	t.Parallel()
	ageBin, err := exec.LookPath("age")
	if err != nil {
		t.Fatal("the age command is required; packaging/install-deps.sh installs it")
	}
	bin := nightjarBinary(t)
	dir := t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 2, NoAuth: true})
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cam1 := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	cam2 := addSimCamera(t, db, sim, 1, catalog.RecordOff)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{cam1, cam2} {
		if out, err := exec.Command(bin, "--data-dir", dir, "record", "--camera", id, "--duration", "3s").CombinedOutput(); err != nil {
			t.Fatalf("record %s: %v\n%s", id, err, out)
		}
	}
	var ours []catalog.Segment
	for _, s := range recordingsList(t, bin, dir).Segments {
		if s.CameraID == cam1 {
			ours = append(ours, s)
		}
	}
	if len(ours) == 0 {
		t.Fatal("nothing recorded of", cam1)
	}
	day := ours[0].Day
	copyFile := filepath.Join(t.TempDir(), "copy.ts.age")
	writeFile(t, copyFile, readFile(t, filepath.Join(dir, "recordings", ours[0].File)))
	ageDecrypts := func(keys string) bool {
		keyFile := filepath.Join(t.TempDir(), "day.key")
		writeFile(t, keyFile, []byte(keys))
		return exec.Command(ageBin, "-d", "-i", keyFile, "-o", filepath.Join(t.TempDir(), "seg.ts"), copyFile).Run() == nil
	}
	keyBefore, stderr, code := nightjarRun(t, bin, dir, "", "recordings", "key", "--day", day, "--camera", cam1)
	if code != 0 || !ageDecrypts(keyBefore) {
		t.Fatalf("before the erase, the key of %s's day does not decrypt its copy (exit %d): %s", cam1, code, stderr)
	}

	// Every day the footage can touch, whole.
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		t.Fatal(err)
	}
	from, to := d.Add(-24*time.Hour).Format(time.RFC3339), d.Add(48*time.Hour).Format(time.RFC3339)
	args := []string{"erase", "--camera", cam1, "--from", from, "--to", to, "--reason", "deletion request 12"}
	out, stderr, code := nightjarRun(t, bin, dir, "yes\n", args...)
	if code != exitError || !strings.Contains(stderr, "not a terminal") || !strings.Contains(stderr, "--yes") {
		t.Fatalf("erase without --yes on a pipe: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(out, day+"/"+cam1) || !strings.Contains(out, "segments") {
		t.Fatalf("the plan does not name the key it destroys:\n%s", out)
	}
	if n := len(recordingsList(t, bin, dir).Segments); n < len(ours)+1 {
		t.Fatalf("a refused erase erased something: %d segments left", n)
	}

	out, stderr, code = nightjarRun(t, bin, dir, "", append(args, "--yes", "--json")...)
	if code != 0 {
		t.Fatalf("erase --yes: exit %d\n%s", code, stderr)
	}
	var rec catalog.Erasure
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("receipt: %v\n%s", err, out)
	}
	if !rec.Complete || rec.Segments != len(ours) || rec.Reason != "deletion request 12" || rec.By == "" {
		t.Fatalf("receipt %+v, want %d segments", rec, len(ours))
	}

	left := recordingsList(t, bin, dir).Segments
	for _, s := range left {
		if s.CameraID == cam1 {
			t.Errorf("segment of the range left: %s", s.File)
		}
	}
	for _, f := range filesUnder(t, filepath.Join(dir, "recordings")) {
		if strings.HasPrefix(filepath.ToSlash(f), cam1+"/") || strings.Contains(filepath.ToSlash(f), "/"+cam1+"/") {
			t.Errorf("file of the range left: %s", f)
		}
	}
	if _, stderr, code := nightjarRun(t, bin, dir, "", "recordings", "key", "--day", day, "--camera", cam1); code == 0 {
		t.Fatalf("recordings key still prints a key of %s's erased day: %s", cam1, stderr)
	}
	// cam2's key of the day is left, and opens none of cam1's copies.
	allKeys, stderr, code := nightjarRun(t, bin, dir, "", "recordings", "key", "--day", day)
	if code != 0 || allKeys == "" {
		t.Fatalf("recordings key --day %s: exit %d: %s", day, code, stderr)
	}
	if ageDecrypts(allKeys) {
		t.Fatal("age decrypts a copy of an erased segment with the day's keys that are left")
	}
	_, stderr, code = nightjarRun(t, bin, dir, "", "recordings", "verify", "--camera", cam2)
	if code != 0 || len(left) == 0 {
		t.Fatalf("%s's footage does not verify after erasing %s (exit %d, %d segments): %s", cam2, cam1, code, len(left), stderr)
	}

	// The retention preview names the camera left; it keeps footage
	// until the cap or reserve needs the space (no retention is set).
	out, stderr, code = nightjarRun(t, bin, dir, "", "retention")
	name2 := sim.Cameras()[1].Info().Name
	if code != 0 || !strings.Contains(out, name2+": footage kept until the disk cap or reserve needs the space") {
		t.Fatalf("retention: exit %d\n%s%s", code, out, stderr)
	}

	out, stderr, code = nightjarRun(t, bin, dir, "", "erase", "receipts", "--json")
	var recs []catalog.Erasure
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 1 || recs[0].ID != rec.ID {
		t.Fatalf("erase receipts: exit %d, %s\n%s", code, out, stderr)
	}
}
