package recording

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"nightjar/storage/catalog"
)

// record makes d of cameraID's footage from start, in 5 s segments.
func record(t *testing.T, fx *fixture, cameraID string, start time.Time, d time.Duration) {
	t.Helper()
	r := &Recorder{Store: fx.store, CameraID: cameraID, SegmentLength: 5 * time.Second}
	r.SetWant(true, "continuous")
	feed(t, r, start, 0, d)
	r.Close()
}

// copies reads every file of rows, as someone copying the disk before an
// erase would.
func copies(t *testing.T, fx *fixture, rows []catalog.Segment) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, r := range rows {
		out[r.File] = readAll(t, fx.store.Path(r))
	}
	return out
}

// decryptableWithAnyKey reports which of files some day key still held in
// the catalogue opens. It asks a fresh Keys, so nothing cached helps.
func decryptableWithAnyKey(t *testing.T, fx *fixture, files map[string][]byte) []string {
	t.Helper()
	keys := NewKeys(fx.ring, "mk", fx.db)
	ids, err := fx.db.DayKeys()
	check(t, err)
	var out []string
	for name, b := range files {
		for _, k := range ids {
			id, err := keys.Identity(context.Background(), k)
			check(t, err)
			if _, err := age.Decrypt(bytes.NewReader(b), id); err == nil {
				out = append(out, name+" with "+k)
			}
		}
	}
	return out
}

// verifyAll fails t unless every row left verifies.
func verifyAll(t *testing.T, fx *fixture) []catalog.Segment {
	t.Helper()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	for _, r := range rows {
		if _, err := fx.store.Verify(context.Background(), r); err != nil {
			t.Errorf("footage outside the erased range: %s: %v", r.File, err)
		}
	}
	return rows
}

func onCamera(rows []catalog.Segment, cameraID string) []catalog.Segment {
	var out []catalog.Segment
	for _, r := range rows {
		if r.CameraID == cameraID {
			out = append(out, r)
		}
	}
	return out
}

func putBookmark(t *testing.T, fx *fixture, b catalog.Bookmark) catalog.Bookmark {
	t.Helper()
	b, err := fx.db.PutBookmark(b)
	check(t, err)
	return b
}

func TestEraseWholeAndPartialDays(t *testing.T) {
	fx := newFixture(t)
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	d19 := d18.Add(24 * time.Hour)
	for _, cam := range []string{"cam1", "cam2"} {
		record(t, fx, cam, d18, 20*time.Second)
		record(t, fx, cam, d19, 20*time.Second)
	}
	mark := putBookmark(t, fx, catalog.Bookmark{CameraID: "cam1", From: d18.Add(2 * time.Second), To: d18.Add(3 * time.Second), Note: "doorway", Protect: true})
	putBookmark(t, fx, catalog.Bookmark{CameraID: "cam2", From: d18.Add(2 * time.Second), To: d18.Add(3 * time.Second), Note: "other camera"})
	putBookmark(t, fx, catalog.Bookmark{CameraID: "cam1", From: d19.Add(15 * time.Second), To: d19.Add(16 * time.Second), Note: "after the range"})

	// All of the 18th, and the 19th up to 10:00:07: the segment across
	// that bound goes whole, so the erase really ends later.
	req := EraseRequest{CameraIDs: []string{"cam1"}, From: d18.Add(-10 * time.Hour), To: d19.Add(7 * time.Second), Reason: "deletion request 4711", By: "ann"}
	all := segments(t, fx.db, catalog.SegmentFilter{})
	before := onCamera(segments(t, fx.db, catalog.SegmentFilter{To: req.To}), "cam1")
	if len(before) < 5 {
		t.Fatalf("want at least 5 segments of cam1 in the range, got %d", len(before))
	}
	copied := copies(t, fx, before)
	var whole []catalog.Segment // the 18th's
	for _, r := range before {
		if r.Day == "2026-11-18" {
			whole = append(whole, r)
		}
	}

	plan, err := fx.store.PlanErase(context.Background(), req)
	check(t, err)
	if len(plan.Segments) != len(before) || !slices.Equal(plan.Cameras, []string{"cam1"}) {
		t.Fatalf("plan erases %d segments of %v, want %d of cam1", len(plan.Segments), plan.Cameras, len(before))
	}
	if !slices.Equal(plan.WholeDays, []string{"2026-11-18"}) || !slices.Equal(plan.ShredKeys, []string{"2026-11-18/cam1"}) {
		t.Fatalf("plan: whole days %v, keys %v; want the 18th and its cam1 key", plan.WholeDays, plan.ShredKeys)
	}
	if len(plan.Bookmarks) != 1 || plan.Bookmarks[0].ID != mark.ID {
		t.Fatalf("plan names bookmarks %+v, want only %s", plan.Bookmarks, mark.ID)
	}
	realEnd := before[len(before)-1].End()
	if !realEnd.After(req.To) {
		t.Fatalf("setup: no segment straddles the end of the range (%v ends %v)", req.To, realEnd)
	}
	if !plan.ErasedTo.Equal(realEnd) || !plan.ErasedFrom.Equal(before[0].Start) {
		t.Fatalf("plan says the erase spans %v–%v, want the real %v–%v", plan.ErasedFrom, plan.ErasedTo, before[0].Start, realEnd)
	}
	if n := len(segments(t, fx.db, catalog.SegmentFilter{})); n != len(all) {
		t.Fatalf("planning changed the catalogue: %d segments", n)
	}

	rec, err := fx.store.EraseRange(context.Background(), req)
	check(t, err)

	// (a) Copies of the 18th's files taken before cannot be decrypted.
	wholeCopies := map[string][]byte{}
	for _, r := range whole {
		wholeCopies[r.File] = copied[r.File]
	}
	if got := decryptableWithAnyKey(t, fx, wholeCopies); len(got) != 0 {
		t.Fatalf("copies of a whole erased day still decrypt: %v", got)
	}
	if _, err := NewKeys(fx.ring, "mk", fx.db).Identity(context.Background(), "2026-11-18/cam1"); !errors.Is(err, ErrShredded) {
		t.Fatalf("key of cam1's erased day: %v, want ErrShredded", err)
	}
	// (b) No row or file of the range is left.
	if left := onCamera(segments(t, fx.db, catalog.SegmentFilter{From: req.From, To: req.To}), "cam1"); len(left) != 0 {
		t.Fatalf("%d rows of the range left, first %s", len(left), left[0].File)
	}
	for _, r := range before {
		if _, err := os.Stat(fx.store.Path(r)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("file of the range left: %s (%v)", r.File, err)
		}
	}
	// (c) Everything else verifies: cam2 everywhere, cam1 after 10:00:10.
	rest := verifyAll(t, fx)
	if len(onCamera(rest, "cam2")) != len(onCamera(all, "cam2")) || len(onCamera(rest, "cam1")) != len(onCamera(all, "cam1"))-len(before) {
		t.Fatalf("left %d of cam1 and %d of cam2", len(onCamera(rest, "cam1")), len(onCamera(rest, "cam2")))
	}
	if _, err := fx.db.Bookmark(mark.ID); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("bookmark in the range: %v, want it deleted", err)
	}
	if marks, err := fx.db.Bookmarks(catalog.BookmarkFilter{}); err != nil || len(marks) != 2 {
		t.Fatalf("bookmarks outside the range: %d left (%v), want 2", len(marks), err)
	}
	// (d) The receipt is recorded.
	got, err := fx.db.Erasures()
	check(t, err)
	if len(got) != 1 || got[0].ID != rec.ID {
		t.Fatalf("erasure record %+v, want the receipt %s", got, rec.ID)
	}
	r := got[0]
	if !r.Complete || r.By != "ann" || r.Reason != req.Reason || r.Segments != len(before) ||
		!slices.Equal(r.ShreddedKeys, []string{"2026-11-18/cam1"}) || len(r.Bookmarks) != 1 ||
		!r.ErasedTo.Equal(plan.ErasedTo) || r.Bytes != plan.Bytes || r.At.IsZero() {
		t.Fatalf("receipt %+v does not match the plan", r)
	}
}

func TestEraseOneCameraOfASharedKeyDay(t *testing.T) {
	fx := newFixture(t)
	fx.store.sharedKeys = true // footage from before per-camera keys
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	record(t, fx, "cam1", d18, 10*time.Second)
	record(t, fx, "cam2", d18, 10*time.Second)
	fx.store.sharedKeys = false
	all := segments(t, fx.db, catalog.SegmentFilter{})
	for _, r := range all {
		if r.KeyID() != "2026-11-18" {
			t.Fatalf("setup: %s uses key %s, want the shared one", r.File, r.KeyID())
		}
	}
	copied := copies(t, fx, all)
	var plain2 bytes.Buffer
	for _, r := range onCamera(all, "cam2") {
		check(t, fx.store.WriteTo(context.Background(), r, &plain2))
	}

	req := EraseRequest{CameraIDs: []string{"cam1"}, From: d18.Add(-10 * time.Hour), To: d18.Add(14 * time.Hour), By: "ann"}
	plan, err := fx.store.PlanErase(context.Background(), req)
	check(t, err)
	if !slices.Equal(plan.ShredKeys, []string{"2026-11-18"}) || len(plan.Rekey) != len(onCamera(all, "cam2")) {
		t.Fatalf("plan shreds %v and re-keys %d; want the shared key, after re-keying cam2's %d", plan.ShredKeys, len(plan.Rekey), len(onCamera(all, "cam2")))
	}
	rec, err := fx.store.EraseRange(context.Background(), req)
	check(t, err)
	if rec.Rekeyed != len(plan.Rekey) || !slices.Equal(rec.ShreddedKeys, []string{"2026-11-18"}) {
		t.Fatalf("receipt: re-keyed %d, shredded %v", rec.Rekeyed, rec.ShreddedKeys)
	}
	// No copy of cam1's footage taken before decrypts: the shared key is gone.
	cam1 := map[string][]byte{}
	for _, r := range onCamera(all, "cam1") {
		cam1[r.File] = copied[r.File]
	}
	if got := decryptableWithAnyKey(t, fx, cam1); len(got) != 0 {
		t.Fatalf("copies of cam1's erased day still decrypt: %v", got)
	}
	// cam2's footage of that day verifies, under its own key, unchanged.
	rest := verifyAll(t, fx)
	if len(rest) != len(onCamera(all, "cam2")) {
		t.Fatalf("%d segments left, want cam2's %d", len(rest), len(onCamera(all, "cam2")))
	}
	var after bytes.Buffer
	for _, r := range rest {
		if r.KeyID() != "2026-11-18/cam2" {
			t.Errorf("%s is on key %s after the re-key", r.File, r.KeyID())
		}
		check(t, fx.store.WriteTo(context.Background(), r, &after))
	}
	if !bytes.Equal(after.Bytes(), plain2.Bytes()) {
		t.Fatalf("cam2's footage changed in the re-key: %d bytes, was %d", after.Len(), plain2.Len())
	}
	// The old files are gone; only the re-keyed ones are on disk.
	for _, r := range all {
		if _, err := os.Stat(fx.store.Path(r)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("old file left: %s", r.File)
		}
	}
	if rep, err := fx.store.Recover(context.Background()); err != nil || len(rep.Removed) != 0 {
		t.Fatalf("recover after the erase removed %v (%v): the catalogue and the disk disagree", rep.Removed, err)
	}
	// A later sweep keeps the new key: it has footage.
	if _, err := fx.store.Sweep(context.Background(), Policy{Reserve: -1}); err != nil {
		t.Fatal(err)
	}
	verifyAll(t, fx)
}

func TestEraseHalfwayLeavesAConsistentCatalogue(t *testing.T) {
	fx := newFixture(t)
	fx.store.sharedKeys = true
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	record(t, fx, "cam1", d18, 10*time.Second)
	record(t, fx, "cam2", d18, 10*time.Second)
	fx.store.sharedKeys = false
	cam2 := onCamera(segments(t, fx.db, catalog.SegmentFilter{}), "cam2")
	// The last of cam2's files is cut short (a disk error, say): its
	// re-key fails after the first succeeded.
	victim := cam2[len(cam2)-1]
	b := readAll(t, fx.store.Path(victim))
	writeFile(t, fx.store.Path(victim), b[:len(b)-100])

	req := EraseRequest{CameraIDs: []string{"cam1"}, From: d18.Add(-10 * time.Hour), To: d18.Add(14 * time.Hour), By: "ann"}
	rec, err := fx.store.EraseRange(context.Background(), req)
	if err == nil {
		t.Fatal("erase succeeded with a damaged file to re-key")
	}
	if rec.Complete || rec.Problem == "" || slices.Contains(rec.ShreddedKeys, "2026-11-18") {
		t.Fatalf("receipt of a failed erase: %+v", rec)
	}
	if got, gerr := fx.db.Erasures(); gerr != nil || len(got) != 1 || got[0].Complete {
		t.Fatalf("erasure record after a failed erase: %+v (%v)", got, gerr)
	}
	// cam1's footage is gone; every row left names a file that opens
	// with its key (the damaged one fails its hash, not its key).
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	if len(onCamera(rows, "cam1")) != 0 {
		t.Fatal("cam1's rows left")
	}
	for _, r := range rows {
		_, err := fx.store.Verify(context.Background(), r)
		switch {
		case r.File == victim.File && IsDamaged(err):
		case err != nil:
			t.Errorf("%s (key %s): %v", r.File, r.KeyID(), err)
		}
	}
	if rep, err := fx.store.Recover(context.Background()); err != nil || len(rep.Removed) != 0 {
		t.Fatalf("recover after the failed erase removed %v (%v)", rep.Removed, err)
	}
}

func TestEraseKeepsTheSegmentBeingWritten(t *testing.T) {
	fx := newFixture(t)
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	record(t, fx, "cam1", d18, 10*time.Second)
	f, err := fx.store.Create(context.Background(), "cam1", d18.Add(time.Hour), SegmentInfo{Codec: "h264"})
	check(t, err)
	defer f.Abort()
	req := EraseRequest{From: d18.Add(-10 * time.Hour), To: d18.Add(14 * time.Hour)}
	plan, err := fx.store.PlanErase(context.Background(), req)
	check(t, err)
	if len(plan.Writing) != 1 || plan.Writing[0].File != f.Row().File || len(plan.Kept) == 0 || len(plan.ShredKeys) != 0 {
		t.Fatalf("plan with a segment being written: writing %v, kept %v, keys %v", plan.Writing, plan.Kept, plan.ShredKeys)
	}
	rec, err := fx.store.EraseRange(context.Background(), req)
	check(t, err)
	left := segments(t, fx.db, catalog.SegmentFilter{})
	if len(left) != 1 || left[0].File != f.Row().File || rec.Segments != len(plan.Segments) || len(rec.Kept) == 0 {
		t.Fatalf("after the erase: %d rows left, receipt %+v", len(left), rec)
	}
	if _, err := fx.store.Keys.Identity(context.Background(), f.Row().KeyID()); err != nil {
		t.Fatalf("the key of the segment being written went: %v", err)
	}
}

func TestEraseDropsCachedChecks(t *testing.T) {
	fx := newFixture(t)
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	record(t, fx, "cam1", d18, 5*time.Second)
	row := segments(t, fx.db, catalog.SegmentFilter{})[0]
	p, err := fx.store.OpenPlain(context.Background(), row)
	check(t, err)
	check(t, p.Close())
	if len(fx.store.checked) == 0 {
		t.Fatal("setup: OpenPlain cached no hash check")
	}
	_, err = fx.store.EraseRange(context.Background(), EraseRequest{From: d18, To: d18.Add(time.Minute)})
	check(t, err)
	for k := range fx.store.checked {
		if k.file == row.File {
			t.Fatalf("hash check of erased %s still cached", row.File)
		}
	}
	if _, err := fx.store.OpenPlain(context.Background(), row); err == nil {
		t.Fatal("an erased segment still opens")
	}
}

func TestEraseNeedsARange(t *testing.T) {
	fx := newFixture(t)
	t0 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	for _, req := range []EraseRequest{{}, {From: t0}, {To: t0}, {From: t0, To: t0}, {From: t0.Add(time.Hour), To: t0}} {
		if _, err := fx.store.PlanErase(context.Background(), req); !errors.Is(err, ErrEraseRange) {
			t.Errorf("plan %v–%v: %v, want ErrEraseRange", req.From, req.To, err)
		}
		if _, err := fx.store.EraseRange(context.Background(), req); !errors.Is(err, ErrEraseRange) {
			t.Errorf("erase %v–%v: %v, want ErrEraseRange", req.From, req.To, err)
		}
	}
}

func TestWholeDays(t *testing.T) {
	d := func(day, h int) time.Time { return time.Date(2026, 11, day, h, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		{d(18, 0), d(19, 0), []string{"2026-11-18"}},
		{d(18, 1), d(19, 0), nil},
		{d(17, 23), d(20, 1), []string{"2026-11-18", "2026-11-19"}},
		{d(18, 0), d(18, 23), nil},
	} {
		if got := wholeDays(tc.from, tc.to); !slices.Equal(got, tc.want) {
			t.Errorf("wholeDays(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

// TestSweepShredsSharedAndPerCameraKeys: retention empties a day whose
// footage is on both kinds of key, and the sweep destroys both.
func TestSweepShredsSharedAndPerCameraKeys(t *testing.T) {
	fx := newFixture(t)
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	fx.store.sharedKeys = true
	record(t, fx, "cam1", d18, 5*time.Second)
	fx.store.sharedKeys = false
	record(t, fx, "cam2", d18, 5*time.Second)
	rep, err := fx.store.Sweep(context.Background(), Policy{Retention: func(string) time.Duration { return 24 * time.Hour }, Reserve: -1})
	check(t, err)
	slices.Sort(rep.Shredded)
	if !slices.Equal(rep.Shredded, []string{"2026-11-18", "2026-11-18/cam2"}) {
		t.Fatalf("sweep shredded %v, want the shared key and cam2's", rep.Shredded)
	}
	ids, err := fx.store.Keys.IDs()
	check(t, err)
	if len(ids) != 0 {
		t.Fatalf("keys left: %v", ids)
	}
}

// TestShredKeepsAKeyInUse: a segment started on a key while an erase
// runs keeps that key, and the receipt says so.
func TestShredKeepsAKeyInUse(t *testing.T) {
	fx := newFixture(t)
	d18 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	f, err := fx.store.Create(context.Background(), "cam1", d18, SegmentInfo{Codec: "h264"})
	check(t, err)
	defer f.Abort()
	var rec EraseReceipt
	check(t, fx.store.shredUnused([]string{f.Row().KeyID()}, &rec))
	if len(rec.ShreddedKeys) != 0 || len(rec.Kept) != 1 {
		t.Fatalf("shredded %v, kept %v; want the key in use kept", rec.ShreddedKeys, rec.Kept)
	}
	if _, err := NewKeys(fx.ring, "mk", fx.db).Identity(context.Background(), f.Row().KeyID()); err != nil {
		t.Fatalf("the key in use went: %v", err)
	}
}

// TestSweepWaitsForErase: a sweep while an erase runs deletes nothing.
func TestSweepWaitsForErase(t *testing.T) {
	fx := newFixture(t)
	record(t, fx, "cam1", time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC), 5*time.Second)
	fx.store.eraseMu.Lock()
	rep, err := fx.store.Sweep(context.Background(), Policy{Retention: func(string) time.Duration { return time.Hour }, Reserve: -1})
	fx.store.eraseMu.Unlock()
	check(t, err)
	if len(rep.Deleted) != 0 || len(segments(t, fx.db, catalog.SegmentFilter{})) == 0 {
		t.Fatalf("a sweep during an erase deleted %d segments", len(rep.Deleted))
	}
}
