package app

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
)

// diskScript runs inside a private user and mount namespace ('unshare
// -rm'), so it can mount a small tmpfs without touching the host's mounts.
// The recordings folder is a link into the tmpfs; the filler that forces
// ENOSPC sits next to it, out of the recorder's reach.
const diskScript = `
set -eu
mkdir -p "$D/vol"
mount -t tmpfs -o size=$SIZE none "$D/vol"
mkdir "$D/vol/rec"
ln -sfn "$D/vol/rec" "$D/recordings"
"$BIN" --data-dir "$D" record --camera "$CAM" --segment 2s --duration "$DUR" > "$D/record.out" 2>&1 &
rec=$!
if [ -n "${FILL_AT:-}" ]; then
  sleep "$FILL_AT"
  date +%s.%N > "$D/filled"
  # dd stops at ENOSPC; if the filler fits, the disk never filled.
  if dd if=/dev/zero of="$D/vol/filler" bs=64k 2>/dev/null; then
    echo "the filler fit: the disk never filled" >&2
    exit 1
  fi
  sleep "$HOLD"
  rm -f "$D/vol/filler"
  date +%s.%N > "$D/freed"
fi
wait $rec || echo "record exited $?" >> "$D/record.out"
# verify exits 1 when a segment is damaged; the test reads which.
code=0
"$BIN" --data-dir "$D" recordings verify --json > "$D/verify.json" || code=$?
echo $code > "$D/verify.code"
"$BIN" --data-dir "$D" recordings list --json > "$D/list.json"
`

type diskRun struct {
	dir    string
	log    string
	verify []verifyResult
	list   recordingList
}

func runInSmallDisk(t *testing.T, reserve int64, env ...string) diskRun {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Fatal("unshare (util-linux) is required")
	}
	bin := nightjarBinary(t)
	dir := t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	if err := db.PutSettings(catalog.Settings{Reserve: reserve}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "-rm", "bash", "-c", diskScript)
	cmd.Env = append(os.Environ(), append([]string{"D=" + dir, "BIN=" + bin, "CAM=" + id}, env...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("disk script: %v\n%s", err, out)
	}
	var run diskRun
	run.dir = dir
	run.log = string(readFile(t, filepath.Join(dir, "logs", "nightjar.log")))
	out := readFile(t, filepath.Join(dir, "record.out"))
	raceFree(t, "record", string(out))
	if strings.Contains(string(out), "record exited") {
		t.Fatalf("recorder failed:\n%s", out)
	}
	verify := readFile(t, filepath.Join(dir, "verify.json"))
	if err := json.Unmarshal(verify, &run.verify); err != nil {
		t.Fatalf("recordings verify --json printed %q: %v", verify, err)
	}
	// 0: every segment good; 1: some damaged, named in the JSON.
	if code := strings.TrimSpace(string(readFile(t, filepath.Join(dir, "verify.code")))); code != "0" && code != "1" {
		t.Fatalf("recordings verify exited %s:\n%s", code, verify)
	}
	run.list = decodeList(t, readFile(t, filepath.Join(dir, "list.json")))
	return run
}

func stampOf(t *testing.T, path string) time.Time {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sec, nsec int64
	parts := strings.SplitN(strings.TrimSpace(string(b)), ".", 2)
	for _, c := range parts[0] {
		sec = sec*10 + int64(c-'0')
	}
	frac := (parts[1] + "000000000")[:9]
	for _, c := range frac {
		nsec = nsec*10 + int64(c-'0')
	}
	return time.Unix(sec, nsec)
}

// TestDiskReserveDeletesBeforeENOSPC records 2 Mbit/s into a 12 MB disk
// with a 5 MB reserve: the oldest footage goes, and the disk never fills.
func TestDiskReserveDeletesBeforeENOSPC(t *testing.T) {
	t.Parallel()
	run := runInSmallDisk(t, 5<<20, "SIZE=12m", "DUR=45s")
	if strings.Contains(run.log, "disk full") {
		t.Errorf("the disk filled up despite the reserve:\n%s", run.log)
	}
	if n := strings.Count(run.log, `reason="disk reserve"`); n == 0 {
		t.Fatalf("no reserve deletion in 45 s at 2 Mbit/s on 12 MB:\n%s", run.log)
	}
	if len(run.list.Segments) == 0 {
		t.Fatal("no footage left")
	}
	for _, v := range run.verify {
		if !v.OK {
			t.Errorf("%s: %s", v.File, v.Problem)
		}
	}
	// What is left is the newest footage, ending at the stop.
	last := run.list.Segments[len(run.list.Segments)-1]
	first := run.list.Segments[0]
	if first.Start.Sub(last.End()) > -5*time.Second {
		t.Errorf("only %v of footage kept", last.End().Sub(first.Start))
	}
}

// TestDiskFullResumes fills the disk while recording, then frees it: no
// segment is corrupt, the outage is a gap, and recording resumes by itself.
func TestDiskFullResumes(t *testing.T) {
	t.Parallel()
	run := runInSmallDisk(t, -1, "SIZE=16m", "DUR=30s", "FILL_AT=8", "HOLD=6")
	filled := stampOf(t, filepath.Join(run.dir, "filled"))
	freed := stampOf(t, filepath.Join(run.dir, "freed"))
	if !strings.Contains(run.log, "disk full") {
		t.Fatalf("recorder never saw ENOSPC:\n%s", run.log)
	}
	if !strings.Contains(run.log, "recording resumes") {
		t.Fatalf("recording did not resume:\n%s", run.log)
	}
	if len(run.verify) != len(run.list.Segments) || len(run.verify) == 0 {
		t.Fatalf("verified %d of %d segments", len(run.verify), len(run.list.Segments))
	}
	for _, v := range run.verify {
		if !v.OK {
			t.Errorf("corrupt segment after ENOSPC: %s: %s", v.File, v.Problem)
		}
	}
	var before, after bool
	for _, s := range run.list.Segments {
		before = before || s.Start.Before(filled)
		after = after || s.Start.After(freed)
	}
	if !before || !after {
		t.Errorf("want footage before the disk filled and after it was freed; before=%v after=%v", before, after)
	}
	// While the disk is full the recorder keeps its pre-roll ring (5 s by
	// default) in memory and writes it when it resumes, so the ring bridges
	// all but the start of the outage. What may go missing: the outage,
	// less the 5 s ring, plus up to 2 s until the recorders' resume retry
	// sees the room, plus up to 1 s written but not yet flushed when the
	// disk filled (the loss bound), plus 0.5 s of margin: outage − 1.5 s.
	var missing time.Duration
	for _, g := range run.list.Gaps {
		if g.From.Before(freed.Add(3*time.Second)) && g.From.Add(g.Duration).After(filled.Add(-time.Second)) {
			missing += g.Duration
		}
	}
	outage := freed.Sub(filled)
	t.Logf("disk full for %v; %v of footage missing around it", outage.Round(time.Millisecond), missing)
	const preRoll, retry, flush, margin = 5 * time.Second, 2 * time.Second, time.Second, 500 * time.Millisecond
	if bound := outage - preRoll + retry + flush + margin; missing > bound {
		t.Errorf("%v missing around a disk full from %v to %v, want at most %v: %+v", missing, filled, freed, bound, run.list.Gaps)
	}
}
