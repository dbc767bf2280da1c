package recording

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
)

func TestRecordVerifyAndPlay(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: 2 * time.Second}
	r.SetWant(true, "continuous")
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	feed(t, r, start, 0, 5*time.Second)
	r.Close()

	rows, err := fx.db.Segments(catalog.SegmentFilter{CameraID: "cam1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("want at least 2 segments of 2 s from 5 s, got %d", len(rows))
	}
	var total time.Duration
	for i, row := range rows {
		if row.State != catalog.SegmentClosed || row.Size == 0 || row.SHA256 == "" {
			t.Fatalf("segment %d not closed with size and hash: %+v", i, row)
		}
		v, err := fx.store.Verify(context.Background(), row)
		if err != nil {
			t.Fatalf("verify %s: %v", row.File, err)
		}
		if d := v.Duration - row.Duration; d < -100*time.Millisecond || d > 100*time.Millisecond {
			t.Errorf("segment %d: scanned duration %v, row says %v", i, v.Duration, row.Duration)
		}
		if i > 0 && !row.Start.Equal(rows[i-1].End()) {
			t.Errorf("segment %d starts %v, previous ends %v: a gap where none was", i, row.Start, rows[i-1].End())
		}
		total += row.Duration
	}
	if total < 4900*time.Millisecond || total > 5100*time.Millisecond {
		t.Errorf("recorded %v of 5 s", total)
	}
	if !rows[0].Start.Equal(start) {
		t.Errorf("first segment starts %v, want %v", rows[0].Start, start)
	}

	// ffprobe, a player we did not write, reads a decrypted segment.
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") != "" {
			t.Fatal("ffprobe is required")
		}
		t.Skip("ffprobe not installed")
	}
	var plain bytes.Buffer
	if err := fx.store.WriteTo(context.Background(), rows[0], &plain); err != nil {
		t.Fatal(err)
	}
	tsPath := filepath.Join(t.TempDir(), "seg.ts")
	writeFile(t, tsPath, plain.Bytes())
	out, err := exec.Command(ffprobe, "-v", "error", "-count_frames", "-show_entries",
		"stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "json", tsPath).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var info struct {
		Streams []struct {
			Codec  string `json:"codec_name"`
			Width  int    `json:"width"`
			Height int    `json:"height"`
			Frames string `json:"nb_read_frames"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("ffprobe output %s: %v", out, err)
	}
	if len(info.Streams) != 1 || info.Streams[0].Codec != "h264" || info.Streams[0].Width != 640 || info.Streams[0].Height != 360 {
		t.Fatalf("ffprobe sees %s", out)
	}
	frames, err := strconv.Atoi(info.Streams[0].Frames)
	if err != nil {
		t.Fatalf("ffprobe frame count %q: %v", info.Streams[0].Frames, err)
	}
	if want := int(rows[0].Duration * 15 / time.Second); frames < want-1 || frames > want+1 {
		t.Errorf("ffprobe decoded %d frames, want about %d", frames, want)
	}
}

func TestTamperIsDetected(t *testing.T) {
	fx := newFixture(t)
	for _, cam := range []string{"cam1", "cam2"} {
		r := &Recorder{Store: fx.store, CameraID: cam, SegmentLength: 2 * time.Second}
		r.SetWant(true, "continuous")
		feed(t, r, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), 0, 9*time.Second)
		r.Close()
	}
	rows := segments(t, fx.db, catalog.SegmentFilter{CameraID: "cam1"})
	other := segments(t, fx.db, catalog.SegmentFilter{CameraID: "cam2"})
	if len(rows) < 3 || len(other) < 1 {
		t.Fatalf("want 3 segments per camera, got %d and %d", len(rows), len(other))
	}
	path := fx.store.Path
	orig := readAll(t, path(rows[0]))

	flipped := bytes.Clone(orig)
	flipped[len(flipped)/2] ^= 0x10
	cases := []struct {
		name    string
		damaged []byte // what rows[0]'s file holds instead
		target  catalog.Segment
	}{
		{"flipped bit", flipped, rows[0]},
		{"truncated in the middle", orig[:len(orig)/2], rows[0]},
		{"appended to", append(bytes.Clone(orig), 0x47, 1, 2, 3), rows[0]},
		{"swapped for another camera's", readAll(t, path(other[0])), rows[0]},
		{"swapped for another time's", readAll(t, path(rows[1])), rows[0]},
		// The same swap with the catalogue's size and hash updated to match:
		// only the binding packet can catch it.
		{"swapped with a forged catalogue row", readAll(t, path(rows[1])), func() catalog.Segment {
			r := rows[0]
			r.Size, r.SHA256 = rows[1].Size, rows[1].SHA256
			return r
		}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writeFile(t, path(rows[0]), c.damaged)
			defer writeFile(t, path(rows[0]), orig)
			_, err := fx.store.Verify(context.Background(), c.target)
			if !IsDamaged(err) {
				t.Fatalf("verify = %v, want a damage report", err)
			}
			var out bytes.Buffer
			if err := fx.store.WriteTo(context.Background(), c.target, &out); !IsDamaged(err) {
				t.Fatalf("read = %v, want a damage report", err)
			}
			if out.Len() > 0 {
				t.Errorf("%d bytes of a damaged segment were played", out.Len())
			}
		})
	}
	// No false positives on the untouched segments.
	for _, row := range append(rows, other...) {
		if _, err := fx.store.Verify(context.Background(), row); err != nil {
			t.Errorf("untouched %s: %v", row.File, err)
		}
	}
}

func TestCrashLeavesARecoverablePrefix(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Minute}
	r.SetWant(true, "continuous")
	start := time.Now()
	feed(t, r, start, 0, 3*time.Second)
	// Age and pad: the writer must not hold video longer than its flush
	// interval, so a crash now loses less than a second.
	time.Sleep(900 * time.Millisecond)
	r.Tick(time.Now())
	r.mu.Lock()
	r.cur.file.Abort() // the process dies here
	r.cur = nil
	r.mu.Unlock()

	open := segments(t, fx.db, catalog.SegmentFilter{State: catalog.SegmentOpen})
	if len(open) != 1 {
		t.Fatalf("want the open row, got %d", len(open))
	}
	// A file without a row, as left by a crash between deleting a row and
	// its file.
	orphan := filepath.Join(fx.store.Dir, "cam1", "2026-11-19", "x.ts.age")
	writeFile(t, orphan, []byte("junk"))

	rep, err := fx.store.Recover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Recovered) != 1 || rep.Recovered[0].State != catalog.SegmentRecovered {
		t.Fatalf("recover report %+v", rep)
	}
	if _, err := os.Stat(orphan); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("orphan file was not removed")
	}
	row := rep.Recovered[0]
	if lost := 3*time.Second - row.Duration; lost > time.Second || lost < 0 {
		t.Errorf("recovered %v of 3 s: lost %v", row.Duration, lost)
	}
	if _, err := fx.store.Verify(context.Background(), row); err != nil {
		t.Errorf("recovered segment does not verify: %v", err)
	}
}

func TestNoKeyMaterialOnDisk(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: 2 * time.Second}
	r.SetWant(true, "continuous")
	feed(t, r, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), 0, 3*time.Second)
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	if len(rows) == 0 {
		t.Fatal("nothing recorded")
	}
	if err := fx.db.Close(); err != nil {
		t.Fatal(err)
	}

	master, err := fx.ring.Get(context.Background(), "mk")
	if err != nil {
		t.Fatalf("master key: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(master)
	if err != nil || len(raw) < 16 {
		t.Fatalf("master key is not base64 key bytes (%d bytes): %v", len(raw), err)
	}
	id := identity(t, fx, "2026-11-20/cam1")
	secrets := [][]byte{[]byte(master), raw, []byte(id.String()), []byte("AGE-SECRET-KEY-")}
	// Plaintext a segment file must not show: the start of the binding
	// packet (a TS packet on PID 0x1FF0 with payload_unit_start set, then the
	// magic) and the camera's SPS from the clip camsim sends.
	params, _ := clipFrames(t, "sub-view0.h264")
	binding := []byte{0x47, 0x5F, 0xF0, 0x10, 'N', 'J', 'S', 'E', 'G', '1'}
	plain := [][]byte{binding, params[0]}
	var ageFiles int
	err = filepath.WalkDir(fx.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b := readAll(t, p)
		for _, s := range secrets {
			if bytes.Contains(b, s) {
				t.Errorf("%s holds key material", p)
			}
		}
		if !strings.HasSuffix(p, ".age") {
			return nil
		}
		ageFiles++
		for _, m := range plain {
			if bytes.Contains(b, m) {
				t.Errorf("%s holds plaintext % x", p, m[:min(len(m), 10)])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", fx.dir, err)
	}
	if ageFiles != len(rows) {
		t.Errorf("found %d .age files for %d segments", ageFiles, len(rows))
	}

	// Control: the decrypted segments hold both, so the check above could
	// have fired.
	for _, row := range rows {
		var out bytes.Buffer
		if err := fx.store.WriteTo(context.Background(), row, &out); err != nil {
			t.Fatalf("decrypt %s: %v", row.File, err)
		}
		if !bytes.HasPrefix(out.Bytes(), binding) || !bytes.Contains(out.Bytes(), params[0]) {
			t.Errorf("%s plaintext lacks the binding packet or the SPS: % x", row.File, out.Bytes()[:min(out.Len(), 16)])
		}
	}
}

func TestRetentionShredsDays(t *testing.T) {
	fx := newFixture(t)
	day1 := time.Date(2026, 11, 18, 23, 59, 50, 0, time.UTC)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: 5 * time.Second}
	r.SetWant(true, "continuous")
	feed(t, r, day1, 0, 20*time.Second) // spans midnight: two days
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	days := map[string]bool{}
	for _, row := range rows {
		days[row.Day] = true
	}
	if !days["2026-11-18"] || !days["2026-11-19"] {
		t.Fatalf("want footage on two days, got %v", days)
	}
	leftover := readAll(t, fx.store.Path(rows[0]))
	id18 := identity(t, fx, "2026-11-18/cam1")

	policy := Policy{Retention: func(string) time.Duration { return 24 * time.Hour }, Reserve: -1}
	sweep := time.Minute
	// Step the clock; nothing may outlive retention plus one sweep.
	for fx.now = day1; fx.now.Before(day1.Add(26 * time.Hour)); fx.now = fx.now.Add(sweep) {
		if _, err := fx.store.Sweep(context.Background(), policy); err != nil {
			t.Fatal(err)
		}
		left := segments(t, fx.db, catalog.SegmentFilter{})
		for _, row := range left {
			if fx.now.Sub(row.End()) > 24*time.Hour+sweep {
				t.Fatalf("at %v segment ending %v outlived retention", fx.now, row.End())
			}
		}
	}
	if left := segments(t, fx.db, catalog.SegmentFilter{}); len(left) != 0 {
		t.Fatalf("%d segments left after retention", len(left))
	}
	if _, err := fx.store.Keys.Identity(context.Background(), "2026-11-18/cam1"); !errors.Is(err, ErrShredded) {
		t.Fatalf("day key still there: %v", err)
	}
	// A copy of a file made before deletion is useless now: the day key is
	// gone, and a fresh Keys (no cache) cannot get it back.
	keys := NewKeys(fx.ring, "mk", fx.db)
	if _, err := keys.Identity(context.Background(), "2026-11-18/cam1"); !errors.Is(err, ErrShredded) {
		t.Fatalf("fresh keys found the day key: %v", err)
	}
	// Only the identity held from before can open it, showing the file was
	// real footage.
	if _, err := age.Decrypt(bytes.NewReader(leftover), id18); err != nil {
		t.Fatalf("control: leftover does not open with its old key: %v", err)
	}
}

func TestReserveDeletesOldestFirst(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: 2 * time.Second}
	r.SetWant(true, "continuous")
	feed(t, r, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), 0, 8*time.Second)
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	// A disk with a 1 MB reserve and free space that grows as files go.
	free := int64(1_000_000 - rows[0].Size - rows[1].Size/2)
	fx.store.FreeSpace = func(string) (int64, error) {
		var used int64
		left, err := fx.db.Segments(catalog.SegmentFilter{})
		if err != nil {
			return 0, err
		}
		for _, r := range left {
			used += r.Size
		}
		var all int64
		for _, r := range rows {
			all += r.Size
		}
		return free + all - used, nil
	}
	rep, err := fx.store.Sweep(context.Background(), Policy{Reserve: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Deleted) != 2 || !rep.Deleted[0].Segment.Start.Equal(rows[0].Start) || !rep.Deleted[1].Segment.Start.Equal(rows[1].Start) {
		t.Fatalf("want the two oldest deleted, got %+v", rep.Deleted)
	}
	if rep.Short || rep.Free < 1_000_000 {
		t.Errorf("reserve not met: %+v", rep)
	}
}

func TestMasterKeyLossIsReported(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.store.Keys.Recipient(context.Background(), "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	keys := NewKeys(&secrets.Store{Backend: &secrets.Memory{}}, "mk", fx.db) // a wiped keyring
	_, err := keys.Recipient(context.Background(), "2026-11-21")
	if !errors.Is(err, ErrMasterKeyLost) {
		t.Fatalf("want ErrMasterKeyLost, got %v", err)
	}
}

// TestPreRollStartsBeforeTheTrigger: while not recording, the recorder
// keeps a few seconds in memory, and a start writes them first, from a
// keyframe.
func TestPreRollStartsBeforeTheTrigger(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", PreRoll: 3 * time.Second}
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	feed(t, r, start, 0, 8*time.Second)
	if rows := segments(t, fx.db, catalog.SegmentFilter{}); len(rows) != 0 {
		t.Fatalf("recorded %d segments while off", len(rows))
	}
	r.mu.Lock()
	ringSpan := r.ring[len(r.ring)-1].PTS - r.ring[0].PTS
	r.mu.Unlock()
	// The pre-roll reaches back to a keyframe, so it holds at most 3 s
	// plus one GOP of the clip (1 s).
	const pre, gop, frame = 3 * time.Second, time.Second, time.Second / 15
	if ringSpan < pre || ringSpan > pre+gop {
		t.Errorf("ring holds %v for a 3 s pre-roll with a 1 s GOP, want 3 to 4 s", ringSpan)
	}
	r.SetWant(true, "event")
	feed(t, r, start, 8*time.Second, 2*time.Second)
	r.SetWant(false, "")
	feed(t, r, start, 10*time.Second, 3*time.Second) // post-roll is the caller's job
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	if len(rows) != 1 {
		t.Fatalf("want one event segment, got %d", len(rows))
	}
	seg := rows[0]
	trigger := start.Add(8 * time.Second)
	// At least the 3 s pre-roll; at most that back to the keyframe before
	// it (one 1 s GOP) and the one frame between the last kept and the
	// trigger.
	if lead := trigger.Sub(seg.Start); lead < pre || lead > pre+gop+frame {
		t.Errorf("segment starts %v before the trigger, want the 3 s pre-roll back to a keyframe: 3 to 4.07 s", lead)
	}
	if end := seg.End(); end.Before(start.Add(9900*time.Millisecond)) || end.After(start.Add(10100*time.Millisecond)) {
		t.Errorf("segment ends at %v, want when recording was switched off (10 s)", end.Sub(start))
	}
	if seg.Trigger != "event" {
		t.Errorf("trigger %q", seg.Trigger)
	}
	if _, err := fx.store.Verify(context.Background(), seg); err != nil {
		t.Fatal(err)
	}
}

// TestDriftingCameraClockYieldsToLocal: a camera whose RTP clock runs 20 %
// fast would stretch its footage; the recorder notices and keeps the
// segment timeline on the local clock.
func TestDriftingCameraClockYieldsToLocal(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: 5 * time.Second}
	r.SetWant(true, "continuous")
	params, aus := clipFrames(t, "sub-view0.h264")
	r.Start([]Track{{Codec: CodecH264, Params: params, Width: 640, Height: 360}})
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	step := time.Second / 15
	const frames = 15 * 30 // 30 s of local time
	for i := 0; i < frames; i++ {
		arrived := time.Duration(i) * step
		camera := arrived * 12 / 10 // the camera's clock runs 20 % fast
		r.WriteFrame(Frame{Track: 0, PTS: camera, AU: aus[i%len(aus)], Arrived: start.Add(arrived)})
	}
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	last := rows[len(rows)-1]
	// Without the correction the footage would end 6 s in the future.
	if end := last.End().Sub(start); end > 32*time.Second || end < 28*time.Second {
		t.Fatalf("footage of 30 s of local time ends at %v", end)
	}
	for _, row := range rows {
		if _, err := fx.store.Verify(context.Background(), row); err != nil {
			t.Fatal(err)
		}
	}
}
