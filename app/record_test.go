package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
)

// addSimCamera catalogues camera i of sim with its stream URIs and a
// record mode; the simulator runs without auth.
func addSimCamera(t *testing.T, db *catalog.DB, sim *camsim.Sim, i int, mode string) string {
	t.Helper()
	in := sim.Cameras()[i].Info()
	id := fmt.Sprintf("sim-%d", i+1)
	err := db.PutCamera(catalog.Camera{ID: id, Name: in.Name, MainURI: in.MainURI, SubURI: in.SubURI,
		Added: time.Now(), Record: catalog.RecordSettings{Mode: mode}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

type probeInfo struct {
	Streams []struct {
		Codec  string `json:"codec_name"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

func ffprobeFile(t *testing.T, path string) (probeInfo, time.Duration) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries",
		"stream=codec_name,width,height:format=duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var info probeInfo
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	sec, err := strconv.ParseFloat(info.Format.Duration, 64)
	if err != nil {
		t.Fatalf("ffprobe %s: duration %q: %v", path, info.Format.Duration, err)
	}
	return info, time.Duration(sec * float64(time.Second))
}

// TestRecordTwoCamerasTwoMinutes records two simulated cameras for two
// minutes while one of them drops off for 10 s, then checks the footage
// with ffprobe, a player we did not write.
func TestRecordTwoCamerasTwoMinutes(t *testing.T) {
	t.Parallel()
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 2, NoAuth: true})
	ids := []string{addSimCamera(t, a.DB, sim, 0, catalog.RecordContinuous), addSimCamera(t, a.DB, sim, 1, catalog.RecordContinuous)}
	began := time.Now()
	r, err := a.startRecorders(recordingOptions{SegmentLength: 20 * time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Second)
	dropAt := time.Now()
	sim.Cameras()[1].Reboot(10 * time.Second)
	time.Sleep(60 * time.Second)
	r.close()
	stopped := time.Now()

	store := a.recordingStore()
	for i, id := range ids {
		rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 5 {
			t.Fatalf("%s: only %d segments in 2 min of 20 s segments", id, len(rows))
		}
		var plain bytes.Buffer
		var recorded time.Duration
		for _, row := range rows {
			if row.State != catalog.SegmentClosed {
				t.Errorf("%s: segment %s is %s", id, row.File, row.State)
			}
			if err := store.WriteTo(context.Background(), row, &plain); err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			recorded += row.Duration
		}
		path := filepath.Join(t.TempDir(), id+".ts")
		writeFile(t, path, plain.Bytes())
		info, probed := ffprobeFile(t, path)
		if len(info.Streams) != 1 || info.Streams[0].Codec != "h264" || info.Streams[0].Width != 1280 || info.Streams[0].Height != 720 {
			t.Fatalf("%s: ffprobe sees %+v", id, info)
		}
		span := rows[len(rows)-1].End().Sub(rows[0].Start)
		// The concatenated stream's timeline spans the wall time, gaps
		// included.
		if d := probed - span; d < -span/100 || d > span/100 {
			t.Errorf("%s: ffprobe duration %v, wall-clock span %v: off by more than 1%%", id, probed, span)
		}
		// The recording covers the time from the first frame to the stop.
		wall := stopped.Sub(rows[0].Start)
		gaps := gapsOf(rows)
		var gapTotal time.Duration
		for _, g := range gaps {
			gapTotal += g.Duration
		}
		if d := recorded + gapTotal - wall; d < -wall/100 || d > wall/100 {
			t.Errorf("%s: %v recorded + %v of gaps vs %v of wall time: off by more than 1%%", id, recorded, gapTotal, wall)
		}
		if rows[0].Start.Sub(began) > 3*time.Second {
			t.Errorf("%s: first frame %v after start", id, rows[0].Start.Sub(began))
		}
		switch i {
		case 0:
			if len(gaps) != 0 {
				t.Errorf("%s: gaps %+v in a camera that never dropped", id, gaps)
			}
		case 1:
			if len(gaps) != 1 {
				t.Fatalf("%s: want one gap for the 10 s drop, got %+v", id, gaps)
			}
			// The camera is down for 10 s, so the gap is at least that.
			// Ingest retries 1, 3, 7 and 15 s after the loss (the backoff
			// restarts at 1 s after a session of over 10 s and doubles),
			// so the first try that finds the camera back is at 15 s; the footage then starts on the next keyframe
			// (the main stream's GOP is 1 s). 1 s more of margin for the
			// RTSP setup on a loaded machine: at most 17 s.
			g := gaps[0]
			t.Logf("%s: gap of %v for the 10 s drop", id, g.Duration)
			if g.From.Before(dropAt.Add(-2*time.Second)) || g.From.After(dropAt.Add(time.Second)) || g.Duration < 10*time.Second-100*time.Millisecond || g.Duration > 17*time.Second {
				t.Errorf("%s: gap %v for %v does not match the 10 s drop at %v (want 10 to 17 s)", id, g.From, g.Duration, dropAt)
			}
		}
	}
}

// TestAgeCLIDecryptsASegment exports a day key and decrypts a segment with
// the standard age command, then plays it with ffprobe.
func TestAgeCLIDecryptsASegment(t *testing.T) {
	t.Parallel()
	ageBin, err := exec.LookPath("age")
	if err != nil {
		t.Fatal("the age command is required; packaging/install-deps.sh installs it")
	}
	bin := nightjarBinary(t)
	dir := t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--data-dir", dir, "record", "--camera", id, "--duration", "4s").CombinedOutput()
	if err != nil {
		t.Fatalf("record: %v\n%s", err, out)
	}
	got := recordingsList(t, bin, dir)
	if len(got.Segments) == 0 {
		t.Fatalf("nothing recorded: %s", out)
	}
	seg := got.Segments[0]
	key, err := exec.Command(bin, "--data-dir", dir, "recordings", "key", "--day", seg.Day).Output()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "day.key")
	writeFile(t, keyFile, key)
	plain := filepath.Join(t.TempDir(), "seg.ts")
	if out, err := exec.Command(ageBin, "-d", "-i", keyFile, "-o", plain, filepath.Join(dir, "recordings", seg.File)).CombinedOutput(); err != nil {
		t.Fatalf("age -d: %v\n%s", err, out)
	}
	info, d := ffprobeFile(t, plain)
	if len(info.Streams) != 1 || info.Streams[0].Codec != "h264" || d < 2*time.Second {
		t.Fatalf("age-decrypted segment: %+v, %v", info, d)
	}

	// Removing the camera with its recordings leaves no footage behind.
	if out, err := exec.Command(bin, "--data-dir", dir, "cameras", "remove", id, "--delete-recordings").CombinedOutput(); err != nil {
		t.Fatalf("remove: %v\n%s", err, out)
	}
	if left := recordingsList(t, bin, dir).Segments; len(left) != 0 {
		t.Errorf("%d segments left after removing the camera with its recordings", len(left))
	}
	if _, err := os.Stat(filepath.Join(dir, "recordings")); err == nil {
		for _, f := range filesUnder(t, filepath.Join(dir, "recordings")) {
			t.Errorf("file left: %s", f)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

// TestKillNineCycles kills the recorder with SIGKILL at random moments and
// checks, after each restart's recovery, that the catalogue is consistent,
// nothing is orphaned, and at most 1 s of video was lost.
//
// It does not run in parallel with the package's other recording tests:
// on a 2-core machine under the race detector they starved the recorder
// until it lagged 2 s behind its camera, and that lag, not the crash, was
// counted as lost video.
func TestKillNineCycles(t *testing.T) {
	bin := nightjarBinary(t)
	dir := t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 2, NoAuth: true})
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Camera 1 records its 2 Mbit/s main stream, camera 2 its 0.4 Mbit/s
	// sub stream, where the writer pads chunks to keep the loss bound.
	ids := []string{addSimCamera(t, db, sim, 0, catalog.RecordOff), addSimCamera(t, db, sim, 1, catalog.RecordOff)}
	cam2, err := db.Camera(ids[1])
	if err != nil {
		t.Fatal(err)
	}
	cam2.Record.Stream = "sub"
	if err := db.PutCamera(cam2); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	cycles := 20
	if n, err := strconv.Atoi(os.Getenv("NIGHTJAR_KILL_CYCLES")); err == nil && n > cycles {
		cycles = n // a longer run, for the record
	}
	worst := map[string]time.Duration{}
	recovered := 0
	for i := 0; i < cycles; i++ {
		id := ids[i%2]
		cmd := exec.Command(bin, "--data-dir", dir, "record", "--camera", id, "--segment", "2s")
		out := &testwait.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until it writes footage (from the camera's next keyframe,
		// which under load can come seconds after the start), then kill it
		// at a random moment.
		testwait.Until(t, 15*time.Second, "record to say it writes footage", func() bool { return strings.Contains(out.String(), "writing footage") })
		time.Sleep(1500*time.Millisecond + time.Duration(rng.IntN(2500))*time.Millisecond)
		killed := time.Now()
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("cycle %d: kill: %v", i, err)
		}
		if err := cmd.Wait(); exitSignal(err) != syscall.SIGKILL {
			t.Fatalf("cycle %d: record ended with %v, not by the kill:\n%s", i, err, out)
		}
		raceFree(t, fmt.Sprintf("cycle %d: record", i), out.String())

		// The next start recovers; 'recordings list' is one.
		got := recordingsList(t, bin, dir)
		if len(got.Segments) == 0 {
			t.Fatalf("cycle %d: no segments", i)
		}
		files := map[string]bool{}
		var last catalog.Segment
		for _, s := range got.Segments {
			if s.State == catalog.SegmentOpen || s.State == catalog.SegmentDamaged {
				t.Fatalf("cycle %d: segment %s left %s", i, s.File, s.State)
			}
			files[filepath.FromSlash(s.File)] = true
			if s.CameraID == id && s.End().After(last.End()) {
				last = s
			}
		}
		for _, rel := range filesUnder(t, filepath.Join(dir, "recordings")) {
			if !files[rel] {
				t.Errorf("cycle %d: orphan file %s", i, rel)
			}
		}
		// A kill within the first flush of a new segment leaves nothing
		// of it to keep; recovery then removes it, and the loss counts
		// from the segment before.
		if last.State == catalog.SegmentRecovered {
			recovered++
		}
		lost := killed.Sub(last.End())
		worst[id] = max(worst[id], lost)
		// DESIGN.md promises about 1 s: the writer flushes every second.
		// The margin is for the binary, built with -race, which runs
		// slower, and for a shared 2-core machine: 1.02 s was seen once
		// under load with the race build.
		const promise, margin = time.Second, 250 * time.Millisecond
		if lost > promise+margin {
			t.Errorf("cycle %d: lost %v of video (promise ≤ %v, plus %v margin)", i, lost, promise, margin)
		}
	}
	if recovered < cycles/4 {
		t.Errorf("only %d of %d kills cut a segment that recovery had to finish", recovered, cycles)
	}
	verify, err := exec.Command(bin, "--data-dir", dir, "recordings", "verify").CombinedOutput()
	if err != nil {
		t.Fatalf("verify after %d kills: %v\n%s", cycles, err, verify)
	}
	t.Logf("%d kill -9 cycles, %d recovered a cut segment; worst loss: main stream (2 Mbit/s) %v, sub stream (0.4 Mbit/s) %v", cycles, recovered, worst[ids[0]], worst[ids[1]])
}

// TestMotionStartsAndPostRollStopsRecording: a camera in event mode records
// when the simulator reports motion, with pre-roll, and stops a post-roll
// after the motion ends.
func TestMotionStartsAndPostRollStopsRecording(t *testing.T) {
	t.Parallel()
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	in := sim.Cameras()[0].Info()
	err := a.DB.PutCamera(catalog.Camera{ID: "door", Name: in.Name, DeviceURL: in.DeviceURL, MainURI: in.MainURI,
		SubURI: in.SubURI, Events: true, Added: time.Now(),
		Record: catalog.RecordSettings{Mode: catalog.RecordEvent, PreRoll: 3 * time.Second, PostRoll: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	a.startEvents()
	r, err := a.startRecorders(recordingOptions{}, "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Second) // the pull point subscribes, the ring fills
	if r.Recording("door") {
		t.Fatal("recording before any motion")
	}
	sim.Cameras()[0].TriggerMotion(true)
	on := time.Now()
	testwait.Until(t, 10*time.Second, "motion to start recording", func() bool { return r.Recording("door") })
	// Recording had begun by now, so the pre-roll reaches back from here.
	began := time.Now()
	time.Sleep(3 * time.Second)
	sim.Cameras()[0].TriggerMotion(false)
	off := time.Now()
	testwait.Until(t, 10*time.Second, "the post-roll to stop recording", func() bool { return !r.Recording("door") })
	stopped := time.Now()
	if d := stopped.Sub(off); d < 2*time.Second {
		t.Errorf("stopped %v after motion ended, before the 2 s post-roll", d)
	}
	rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: "door"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Trigger != catalog.RecordEvent {
		t.Fatalf("segments %+v", rows)
	}
	// The 3 s pre-roll in full, back to a keyframe: at most one GOP of the
	// main stream (1 s) more, and 0.5 s for the poll that saw the start.
	lead := began.Sub(rows[0].Start)
	t.Logf("motion at %v; recording seen at +%v; footage from %v before that", on.Format("15:04:05.000"), began.Sub(on), lead)
	if lead < 3*time.Second || lead > 4500*time.Millisecond {
		t.Errorf("segment starts %v before recording began, want the 3 s pre-roll back to a keyframe: 3 to 4.5 s", lead)
	}
}

// TestVerifyMarksDamageAndCatRefusesIt tampers with a recorded segment:
// 'recordings verify' names it and exits 1, marks it damaged for the app,
// and 'recordings cat' leaves it out and says so.
func TestVerifyMarksDamageAndCatRefusesIt(t *testing.T) {
	t.Parallel()
	bin := nightjarBinary(t)
	dir := t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := addSimCamera(t, db, sim, 0, catalog.RecordOff)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--data-dir", dir, "record", "--camera", id, "--duration", "7s", "--segment", "2s").CombinedOutput(); err != nil {
		t.Fatalf("record: %v\n%s", err, out)
	}
	got := recordingsList(t, bin, dir)
	if len(got.Segments) < 3 {
		t.Fatalf("want 3 segments, got %d", len(got.Segments))
	}
	bad := got.Segments[1]
	path := filepath.Join(dir, "recordings", filepath.FromSlash(bad.File))
	b := readFile(t, path)
	b[len(b)/3] ^= 0x01
	writeFile(t, path, b)

	out, err := exec.Command(bin, "--data-dir", dir, "recordings", "verify").CombinedOutput()
	if code := exitCode(err); code != 1 {
		t.Fatalf("verify exit %d, want 1:\n%s", code, out)
	}
	if !strings.Contains(string(out), "DAMAGED  "+bad.File) || strings.Count(string(out), "DAMAGED") != 1 {
		t.Fatalf("verify output:\n%s", out)
	}
	got = recordingsList(t, bin, dir)
	if got.Segments[1].State != catalog.SegmentDamaged {
		t.Errorf("catalogue state %q after verify, want damaged", got.Segments[1].State)
	}
	cat := exec.Command(bin, "--data-dir", dir, "recordings", "cat", "--camera", id)
	var stdout, stderr bytes.Buffer
	cat.Stdout, cat.Stderr = &stdout, &stderr
	err = cat.Run()
	if exitCode(err) != 1 || !strings.Contains(stderr.String(), "skipped") || !strings.Contains(stderr.String(), bad.File) {
		t.Fatalf("cat: exit %d, stderr %q", exitCode(err), stderr.String())
	}
	ts := filepath.Join(t.TempDir(), "out.ts")
	writeFile(t, ts, stdout.Bytes())
	if info, d := ffprobeFile(t, ts); len(info.Streams) != 1 || d < 3*time.Second {
		t.Errorf("the undamaged rest does not play: %+v %v", info, d)
	}
}

// exitSignal is the signal that ended a child, from cmd.Wait's error, or 0.
func exitSignal(err error) syscall.Signal {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return ws.Signal()
		}
	}
	return 0
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
