package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBookmarkRoundTrip(t *testing.T) {
	db, dir := openTemp(t)
	from := segT0.Add(10 * time.Minute)
	b, err := db.PutBookmark(Bookmark{CameraID: "cam-a", From: from, To: from.Add(time.Minute),
		Note: "van at the\tgate\n\x1b[31mred\x07", Author: "guard\x00", Protect: true})
	check(t, err)
	if len(b.ID) != 8 || strings.ToLower(b.ID) != b.ID {
		t.Fatalf("assigned id %q, want 8 lower-case characters", b.ID)
	}
	if b.Note != "van at the gate [31mred" || b.Author != "guard" {
		t.Fatalf("note %q, author %q: control characters kept", b.Note, b.Author)
	}
	if b.Created.IsZero() {
		t.Fatal("created not set")
	}
	// It survives a reopen exactly as PutBookmark returned it.
	check(t, db.Close())
	db2, err := Open(dir, Options{})
	check(t, err)
	t.Cleanup(func() { db2.Close() })
	got, err := db2.Bookmark(b.ID)
	check(t, err)
	if got.ID != b.ID || got.CameraID != b.CameraID || !got.From.Equal(b.From) || !got.To.Equal(b.To) ||
		got.Note != b.Note || got.Author != b.Author || got.Protect != b.Protect || !got.Created.Equal(b.Created) {
		t.Fatalf("read back %+v, stored %+v", got, b)
	}
	// A put with the same ID replaces it.
	got.Note, got.Protect = "edited", false
	_, err = db2.PutBookmark(got)
	check(t, err)
	all, err := db2.Bookmarks(BookmarkFilter{})
	check(t, err)
	if len(all) != 1 || all[0].Note != "edited" || all[0].Protect {
		t.Fatalf("after an edit: %+v", all)
	}
	check(t, db2.DeleteBookmark(b.ID))
	if _, err := db2.Bookmark(b.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted bookmark: %v", err)
	}
	if err := db2.DeleteBookmark(b.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
}

func TestBookmarkRejectsBadInput(t *testing.T) {
	db, _ := openTemp(t)
	ok := Bookmark{CameraID: "cam-a", From: segT0, To: segT0.Add(time.Second)}
	for _, tc := range []struct {
		name string
		edit func(*Bookmark)
		want string
	}{
		{"no camera", func(b *Bookmark) { b.CameraID = " " }, "needs a camera"},
		{"no start", func(b *Bookmark) { b.From = time.Time{} }, "needs a start"},
		{"end before start", func(b *Bookmark) { b.From, b.To = b.To, b.From }, "before it starts"},
		{"empty span", func(b *Bookmark) { b.To = b.From }, "before it starts"},
		{"long note", func(b *Bookmark) { b.Note = strings.Repeat("é", MaxNoteLen+1) }, "at most 2000"},
		{"bad id", func(b *Bookmark) { b.ID = "a b" }, "printable ASCII"},
	} {
		b := ok
		tc.edit(&b)
		if _, err := db.PutBookmark(b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
	// Nothing bad was stored, and a note at the limit fits.
	b := ok
	b.Note = strings.Repeat("é", MaxNoteLen)
	_, err := db.PutBookmark(b)
	check(t, err)
	all, err := db.Bookmarks(BookmarkFilter{})
	check(t, err)
	if len(all) != 1 {
		t.Fatalf("%d bookmarks stored, want only the good one", len(all))
	}
}

func TestBookmarkFilter(t *testing.T) {
	db, _ := openTemp(t)
	at := func(m int) time.Time { return segT0.Add(time.Duration(m) * time.Minute) }
	for _, b := range []Bookmark{
		{ID: "a1", CameraID: "cam-a", From: at(0), To: at(10), Note: "Delivery VAN"},
		{ID: "a2", CameraID: "cam-a", From: at(20), To: at(30), Note: "cat"},
		{ID: "b1", CameraID: "cam-b", From: at(5), To: at(25), Note: "van again"},
	} {
		_, err := db.PutBookmark(b)
		check(t, err)
	}
	for _, tc := range []struct {
		f    BookmarkFilter
		want string
	}{
		{BookmarkFilter{}, "a1 b1 a2"},
		{BookmarkFilter{CameraID: "cam-a"}, "a1 a2"},
		{BookmarkFilter{Text: "van"}, "a1 b1"},
		{BookmarkFilter{Text: "VAN A"}, "b1"},
		{BookmarkFilter{From: at(10), To: at(20)}, "b1"},      // a1 ends at 10, a2 starts at 20
		{BookmarkFilter{From: at(9), To: at(21)}, "a1 b1 a2"}, // each overlaps by a minute
		{BookmarkFilter{From: at(26)}, "a2"},
		{BookmarkFilter{To: at(5)}, "a1"},
		{BookmarkFilter{CameraID: "cam-b", Text: "cat"}, ""},
	} {
		got, err := db.Bookmarks(tc.f)
		check(t, err)
		var ids []string
		for _, b := range got {
			ids = append(ids, b.ID)
		}
		if s := strings.Join(ids, " "); s != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.f, s, tc.want)
		}
	}
}

func TestBookmarkCovers(t *testing.T) {
	b := Bookmark{CameraID: "cam-a", From: segT0, To: segT0.Add(time.Minute)}
	for _, tc := range []struct {
		s    Segment
		want bool
	}{
		{Segment{CameraID: "cam-a", Start: segT0.Add(-time.Minute), Duration: time.Minute}, false}, // ends at From
		{Segment{CameraID: "cam-a", Start: segT0.Add(-time.Minute), Duration: time.Minute + 1}, true},
		{Segment{CameraID: "cam-a", Start: segT0.Add(30 * time.Second), Duration: time.Hour}, true},
		{Segment{CameraID: "cam-a", Start: segT0.Add(time.Minute), Duration: time.Minute}, false}, // starts at To
		{Segment{CameraID: "cam-b", Start: segT0, Duration: time.Minute}, false},
		{Segment{CameraID: "cam-a", Start: segT0, State: SegmentOpen}, true},
		{Segment{CameraID: "cam-a", Start: segT0.Add(-time.Second), State: SegmentOpen}, false},
	} {
		if got := b.Covers(tc.s); got != tc.want {
			t.Errorf("%+v: covers %v, want %v", tc.s, got, tc.want)
		}
	}
}
