package app

import (
	"context"
	"encoding/json"
	"os/user"
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// bookmarkCLI runs 'nightjar --data-dir dir bookmarks ARGS...' in process
// and fails t unless it exits with want.
func bookmarkCLI(t *testing.T, dir string, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"--data-dir", dir, "bookmarks"}, args...)...)
	if code != want {
		t.Fatalf("bookmarks %q: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out, errOut)
	}
	return out, errOut
}

func decodeBookmarks(t *testing.T, s string) []catalog.Bookmark {
	t.Helper()
	var bs []catalog.Bookmark
	if err := json.Unmarshal([]byte(s), &bs); err != nil {
		t.Fatalf("bookmarks list --json printed %q: %v", s, err)
	}
	return bs
}

// TestCLIBookmarksRoundTrip adds, lists, searches and removes bookmarks
// through the command line, with the time forms the CLI takes.
func TestCLIBookmarksRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db, err := catalog.Open(dir, catalog.Options{})
	noErr(t, err)
	noErr(t, db.PutCamera(catalog.Camera{ID: "cam-1", Name: "Gate", Added: time.Now()}))
	noErr(t, db.Close())

	before := time.Now()
	out := bookmarkOK(t, dir, "add", "--camera", "cam-1", "--from", "-10m", "--to", "now", "--note", "Van at the gate\x1b[2J", "--json")
	after := time.Now()
	var added catalog.Bookmark
	if err := json.Unmarshal([]byte(out), &added); err != nil {
		t.Fatalf("add --json printed %q: %v", out, err)
	}
	me, err := user.Current()
	noErr(t, err)
	if added.ID == "" || added.CameraID != "cam-1" || !added.Protect || added.Author != me.Username || added.Note != "Van at the gate[2J" {
		t.Fatalf("added %+v", added)
	}
	// "now" is the time the command ran, "-10m" ten minutes before it.
	if added.To.Before(before) || added.To.After(after) || added.To.Sub(added.From) != 10*time.Minute {
		t.Fatalf("from %v to %v, want the 10 minutes before a moment in [%v, %v]", added.From, added.To, before, after)
	}
	// A local time, and an RFC 3339 time five minutes later in a fixed zone.
	want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.Local)
	wantTo := want.Add(5 * time.Minute).In(time.FixedZone("X", 90*60))
	out = bookmarkOK(t, dir, "add", "--camera", "cam-1", "--from", "2026-11-20 10:00", "--to", wantTo.Format(time.RFC3339), "--no-protect", "--note", "cat")
	if !strings.HasPrefix(out, "added bookmark ") || !strings.Contains(out, "not protected") {
		t.Fatalf("add printed %q", out)
	}

	all := decodeBookmarks(t, bookmarkOK(t, dir, "list", "--json"))
	if len(all) != 2 || all[0].Note != "cat" || all[0].Protect || all[1].ID != added.ID {
		t.Fatalf("list: %+v", all)
	}
	if !all[0].From.Equal(want) || !all[0].To.Equal(wantTo) {
		t.Fatalf("the second bookmark runs %v to %v", all[0].From, all[0].To)
	}
	if got := decodeBookmarks(t, bookmarkOK(t, dir, "list", "--text", "VAN", "--json")); len(got) != 1 || got[0].ID != added.ID {
		t.Fatalf("list --text VAN: %+v", got)
	}
	if got := decodeBookmarks(t, bookmarkOK(t, dir, "list", "--camera", "cam-2", "--json")); len(got) != 0 {
		t.Fatalf("list --camera cam-2: %+v", got)
	}
	table := bookmarkOK(t, dir, "list")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(table, added.ID) {
		t.Fatalf("list table:\n%s", table)
	}

	out = bookmarkOK(t, dir, "remove", added.ID)
	if !strings.Contains(out, "removed bookmark "+added.ID) {
		t.Fatalf("remove printed %q", out)
	}
	if got := decodeBookmarks(t, bookmarkOK(t, dir, "list", "--json")); len(got) != 1 || got[0].Note != "cat" {
		t.Fatalf("after remove: %+v", got)
	}
	_, errOut := bookmarkCLI(t, dir, 1, "remove", added.ID)
	if !strings.Contains(errOut, "not found") || !strings.Contains(errOut, "hint: ") {
		t.Fatalf("second remove said %q", errOut)
	}
}

// bookmarkOK runs a bookmarks command that must succeed: exit 0 and
// nothing on stderr. It returns stdout.
func bookmarkOK(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut := bookmarkCLI(t, dir, 0, args...)
	if errOut != "" {
		t.Fatalf("bookmarks %q succeeded but wrote to stderr: %s", args, errOut)
	}
	return out
}

// TestCLIBookmarksBadInput: every mistake gets one clear line and a
// non-zero exit, and nothing is stored.
func TestCLIBookmarksBadInput(t *testing.T) {
	dir := t.TempDir()
	db, err := catalog.Open(dir, catalog.Options{})
	noErr(t, err)
	noErr(t, db.PutCamera(catalog.Camera{ID: "cam-1", Name: "Gate", Added: time.Now()}))
	noErr(t, db.Close())
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "missing add, list or remove"},
		{[]string{"edit"}, 2, `unknown action "edit"`},
		{[]string{"add", "--camera", "cam-1", "--from", "-10m"}, 2, "add needs --camera, --from and --to"},
		{[]string{"add", "--camera", "cam-1", "--from", "the day before", "--to", "now"}, 2, `cannot read the time "the day before"`},
		{[]string{"add", "--camera", "cam-1", "--from", "now", "--to", "-1m"}, 1, "before it starts"},
		{[]string{"add", "--camera", "cam-9", "--from", "-1m", "--to", "now"}, 1, `no camera "cam-9"`},
		{[]string{"add", "--camera", "cam-1", "--from", "-1m", "--to", "now", "--note", strings.Repeat("x", catalog.MaxNoteLen+1)}, 1, "at most 2000"},
		{[]string{"remove"}, 2, "remove takes one bookmark ID"},
		{[]string{"list", "extra"}, 2, `takes no argument "extra"`},
	} {
		code, out, errOut := runCLI(t, append([]string{"--data-dir", dir, "bookmarks"}, tc.args...)...)
		if code != tc.code || out != "" || !strings.Contains(errOut, tc.want) || !strings.HasPrefix(errOut, "nightjar") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d saying %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
	}
	if got := decodeBookmarks(t, bookmarkOK(t, dir, "list", "--json")); len(got) != 0 {
		t.Fatalf("bad input stored %+v", got)
	}
}

func TestHelpNamesBookmarks(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	if code != 0 || !strings.Contains(out, "bookmarks add|list|remove") || !strings.Contains(out, "--no-protect") || !strings.Contains(out, "or now.") {
		t.Fatalf("help: code %d, out %q", code, out)
	}
}

// TestRetentionSweepKeepsBookmarkedFootage: the app's own sweep passes
// the catalogue's protected bookmarks to retention.
func TestRetentionSweepKeepsBookmarkedFootage(t *testing.T) {
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "error"})
	noErr(t, err)
	t.Cleanup(func() { a.Close() })
	noErr(t, a.DB.PutCamera(catalog.Camera{ID: "cam-1", Name: "Gate", Added: time.Now(), Record: catalog.RecordSettings{Retention: time.Hour}}))
	old := time.Now().Add(-48 * time.Hour).Truncate(time.Minute)
	for i := range 3 {
		st := old.Add(time.Duration(i) * time.Minute)
		noErr(t, a.DB.PutSegment(catalog.Segment{CameraID: "cam-1", Start: st, Duration: time.Minute, Day: st.UTC().Format("2006-01-02"),
			File: "cam-1/" + st.Format("150405") + ".ts.age", State: catalog.SegmentClosed}))
	}
	_, err = a.DB.PutBookmark(catalog.Bookmark{CameraID: "cam-1", From: old.Add(70 * time.Second), To: old.Add(80 * time.Second), Protect: true})
	noErr(t, err)
	// An unprotected bookmark over the first minute keeps nothing.
	_, err = a.DB.PutBookmark(catalog.Bookmark{CameraID: "cam-1", From: old, To: old.Add(10 * time.Second)})
	noErr(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &recorders{a: a, store: a.recordingStore(), log: a.Log, ctx: ctx}
	st, err := a.DB.Settings()
	noErr(t, err)
	st.Reserve = -1
	noErr(t, a.DB.PutSettings(st))
	r.sweep()
	left, err := a.DB.Segments(catalog.SegmentFilter{})
	noErr(t, err)
	if len(left) != 1 || !left[0].Start.Equal(old.Add(time.Minute)) {
		t.Fatalf("sweep left %+v, want only the bookmarked minute", left)
	}
}

// noErr fails t when err is not nil.
func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
