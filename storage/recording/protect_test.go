package recording

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// protectedBy is the Policy.Protected the app builds: a segment is kept
// while a protected bookmark of the catalogue covers it.
func protectedBy(t *testing.T, db *catalog.DB) func(catalog.Segment) bool {
	return func(s catalog.Segment) bool {
		bs, err := db.Bookmarks(catalog.BookmarkFilter{CameraID: s.CameraID})
		if err != nil {
			t.Errorf("list bookmarks: %v", err)
			return true
		}
		for _, b := range bs {
			if b.Protect && b.Covers(s) {
				return true
			}
		}
		return false
	}
}

// TestProtectedBookmarkSurvivesSweeps: retention, the cap and the reserve
// delete the footage around a protected bookmark but not the segment it
// covers, which still decrypts and keeps its day's key; once the bookmark
// is deleted, the next sweep deletes it and shreds the day.
func TestProtectedBookmarkSurvivesSweeps(t *testing.T) {
	fx := newFixture(t)
	var logs bytes.Buffer
	fx.store.Log = slog.New(slog.NewTextHandler(&logs, nil))
	start := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: 5 * time.Second}
	r.SetWant(true, "continuous")
	feed(t, r, start, 0, 30*time.Second)
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	mark := start.Add(12 * time.Second)
	var inside []catalog.Segment
	for _, row := range rows {
		if row.Start.Before(mark.Add(time.Second)) && row.End().After(mark) {
			inside = append(inside, row)
		}
	}
	if len(rows) < 4 || len(inside) != 1 {
		t.Fatalf("want several segments and one holding %v, got %d rows, %d inside", mark, len(rows), len(inside))
	}
	b, err := fx.db.PutBookmark(catalog.Bookmark{CameraID: "cam1", From: mark, To: mark.Add(time.Second), Note: "incident", Protect: true})
	check(t, err)
	// An unprotected bookmark over another segment keeps nothing.
	_, err = fx.db.PutBookmark(catalog.Bookmark{CameraID: "cam1", From: start, To: start.Add(time.Second), Protect: false})
	check(t, err)

	fx.now = start.Add(72 * time.Hour)
	fx.store.FreeSpace = func(string) (int64, error) { return 0, nil } // a full disk
	for _, p := range []Policy{
		{Retention: func(string) time.Duration { return 24 * time.Hour }, Reserve: -1},
		{Cap: 1, Reserve: -1},
		{Reserve: 1 << 20},
	} {
		p.Protected = protectedBy(t, fx.db)
		rep, err := fx.store.Sweep(context.Background(), p)
		check(t, err)
		left := segments(t, fx.db, catalog.SegmentFilter{})
		if len(left) != 1 || !left[0].Start.Equal(inside[0].Start) {
			t.Fatalf("policy %+v left %d segments, want only the bookmarked one at %v", p, len(left), inside[0].Start)
		}
		if rep.Kept != 1 || rep.KeptBytes != inside[0].Size || len(rep.Shredded) != 0 {
			t.Fatalf("policy %+v: kept %d (%d bytes), shredded %v; want the bookmarked segment kept and its day's key", p, rep.Kept, rep.KeptBytes, rep.Shredded)
		}
		if p.Reserve > 0 && !rep.Short {
			t.Fatalf("a full disk with only protected footage left is not reported short: %+v", rep)
		}
	}
	if !strings.Contains(logs.String(), "protected bookmarks keep footage") {
		t.Fatalf("the short reserve was not logged with its reason:\n%s", logs.String())
	}
	var plain bytes.Buffer
	if err := fx.store.WriteTo(context.Background(), inside[0], &plain); err != nil {
		t.Fatalf("the protected segment does not decrypt after the sweeps: %v", err)
	}
	if plain.Len() < 188*10 {
		t.Fatalf("the protected segment decrypts to only %d bytes", plain.Len())
	}

	check(t, fx.db.DeleteBookmark(b.ID))
	rep, err := fx.store.Sweep(context.Background(), Policy{Retention: func(string) time.Duration { return 24 * time.Hour }, Reserve: -1, Protected: protectedBy(t, fx.db)})
	check(t, err)
	if left := segments(t, fx.db, catalog.SegmentFilter{}); len(left) != 0 || rep.Kept != 0 {
		t.Fatalf("after the bookmark went: %d segments left, %d kept", len(left), rep.Kept)
	}
	if len(rep.Shredded) != 1 || rep.Shredded[0] != "2026-11-18/cam1" {
		t.Fatalf("shredded %v, want the bookmark's day", rep.Shredded)
	}
}
