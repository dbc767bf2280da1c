package app

import (
	"context"
	"testing"
	"time"

	"nightjar/storage/catalog"
	"nightjar/ui"
)

// TestBookmarksPageAndCLIShareOneStore: a bookmark made on the Playback
// page (its real service) is listed by the CLI, one added by the CLI is
// found by the page's search and on its timeline, and one the page
// removes is gone for the CLI.
func TestBookmarksPageAndCLIShareOneStore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	open := func() (*App, *guiPlayback) {
		a, err := Open(globalFlags{dataDir: dir, logLevel: "debug"})
		noErr(t, err)
		return a, newGUIPlayback(a)
	}
	a, page := open()
	noErr(t, a.DB.PutCamera(catalog.Camera{ID: "cam-1", Name: "Gate", Added: time.Now()}))
	to := time.Now().Truncate(time.Second)
	made, err := page.AddBookmark(ctx, ui.BookmarkData{CameraID: "cam-1", From: to.Add(-time.Minute), To: to, Note: "made on the page", Protect: true})
	noErr(t, err)
	if made.ID == "" || made.Author == "" {
		t.Fatalf("the page's bookmark came back as %+v, want an id and an author", made)
	}
	noErr(t, a.Close())

	listed := decodeBookmarks(t, bookmarkOK(t, dir, "list", "--json"))
	if len(listed) != 1 || listed[0].ID != made.ID || listed[0].Note != "made on the page" || !listed[0].Protect || !listed[0].From.Equal(made.From) {
		t.Fatalf("the CLI lists %+v, want the page's bookmark %+v", listed, made)
	}
	bookmarkOK(t, dir, "add", "--camera", "cam-1", "--from", "-30s", "--to", "now", "--note", "added by the CLI")

	a, page = open()
	found, err := page.Bookmarks(ctx, "", "BY THE cli")
	noErr(t, err)
	if len(found) != 1 || found[0].Note != "added by the CLI" {
		t.Fatalf("the page's search finds %+v, want the CLI's bookmark", found)
	}
	tl, err := page.Timeline(ctx, "cam-1", to.Add(-time.Hour), time.Now().Add(time.Minute))
	noErr(t, err)
	if len(tl.Bookmarks) != 2 {
		t.Fatalf("the page's timeline shows %d bookmarks, want both: %+v", len(tl.Bookmarks), tl.Bookmarks)
	}
	noErr(t, page.RemoveBookmark(ctx, made.ID))
	noErr(t, a.Close())

	listed = decodeBookmarks(t, bookmarkOK(t, dir, "list", "--json"))
	if len(listed) != 1 || listed[0].Note != "added by the CLI" {
		t.Fatalf("after the page removed its bookmark the CLI lists %+v", listed)
	}
}
