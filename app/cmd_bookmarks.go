package app

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"nightjar/storage/catalog"
)

const bookmarksUsage = "usage: nightjar bookmarks add --camera ID --from T --to T [--note TEXT] [--no-protect] [--json] | list [--camera ID] [--text TEXT] [--from T] [--to T] [--json] | remove ID"

// runBookmarks is 'nightjar bookmarks': add, list and remove bookmarks.
// Times take the forms of parseWhen.
func runBookmarks(g globalFlags, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageErrorFor(stderr, "bookmarks", "missing add, list or remove", bookmarksUsage)
	}
	fs := flag.NewFlagSet("bookmarks", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	camID := fs.String("camera", "", "")
	fromS := fs.String("from", "", "")
	toS := fs.String("to", "", "")
	note := fs.String("note", "", "")
	text := fs.String("text", "", "")
	noProtect := fs.Bool("no-protect", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := interspersed(fs, args[1:])
	if err != nil {
		return usageErrorFor(stderr, "bookmarks", err.Error(), bookmarksUsage)
	}
	now := time.Now()
	from, err := parseWhen(*fromS, now)
	if err != nil {
		return usageErrorFor(stderr, "bookmarks", err.Error(), bookmarksUsage)
	}
	to, err := parseWhen(*toS, now)
	if err != nil {
		return usageErrorFor(stderr, "bookmarks", err.Error(), bookmarksUsage)
	}
	sub := args[0]
	switch {
	case sub != "add" && sub != "list" && sub != "remove":
		return usageErrorFor(stderr, "bookmarks", fmt.Sprintf("unknown action %q", sub), bookmarksUsage)
	case sub == "remove" && len(pos) != 1:
		return usageErrorFor(stderr, "bookmarks", "remove takes one bookmark ID", bookmarksUsage)
	case sub != "remove" && len(pos) != 0:
		return usageErrorFor(stderr, "bookmarks", fmt.Sprintf("%s takes no argument %q", sub, pos[0]), bookmarksUsage)
	case sub == "add" && (*camID == "" || from.IsZero() || to.IsZero()):
		return usageErrorFor(stderr, "bookmarks", "add needs --camera, --from and --to", bookmarksUsage)
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	switch sub {
	case "add":
		return addBookmark(a.DB, catalog.Bookmark{CameraID: *camID, From: from, To: to, Note: *note,
			Author: bookmarkAuthor(), Protect: !*noProtect}, *asJSON, stdout, stderr)
	case "list":
		marks, err := a.DB.Bookmarks(catalog.BookmarkFilter{CameraID: *camID, From: from, To: to, Text: *text})
		if err != nil {
			return fail(stderr, err, "")
		}
		return listBookmarks(marks, *asJSON, stdout)
	default:
		if err := a.DB.DeleteBookmark(pos[0]); err != nil {
			hint := ""
			if errors.Is(err, catalog.ErrNotFound) {
				hint = "List bookmarks with 'nightjar bookmarks list'."
			}
			return fail(stderr, err, hint)
		}
		fmt.Fprintf(stdout, "removed bookmark %s; retention may now delete its footage\n", pos[0])
		return exitOK
	}
}

// addBookmark stores b for a camera the catalogue knows, or one that has
// footage left after it was removed.
func addBookmark(db *catalog.DB, b catalog.Bookmark, asJSON bool, stdout, stderr io.Writer) int {
	if _, err := db.Camera(b.CameraID); errors.Is(err, catalog.ErrNotFound) {
		rows, serr := db.Segments(catalog.SegmentFilter{CameraID: b.CameraID, From: b.From, To: b.To})
		if serr != nil {
			return fail(stderr, serr, "")
		}
		if len(rows) == 0 {
			return fail(stderr, fmt.Errorf("no camera %q and no footage of it", b.CameraID), "List cameras with 'nightjar cameras list'.")
		}
	} else if err != nil {
		return fail(stderr, err, "")
	}
	b, err := db.PutBookmark(b)
	if err != nil {
		return fail(stderr, err, "")
	}
	if asJSON {
		json.NewEncoder(stdout).Encode(b)
		return exitOK
	}
	prot := "protected from retention"
	if !b.Protect {
		prot = "not protected"
	}
	fmt.Fprintf(stdout, "added bookmark %s: %s from %s to %s, %s\n", b.ID, b.CameraID,
		b.From.Local().Format("2006-01-02 15:04:05"), b.To.Local().Format("2006-01-02 15:04:05"), prot)
	return exitOK
}

func listBookmarks(marks []catalog.Bookmark, asJSON bool, stdout io.Writer) int {
	if asJSON {
		if marks == nil {
			marks = []catalog.Bookmark{}
		}
		json.NewEncoder(stdout).Encode(marks)
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCAMERA\tFROM\tTO\tPROTECT\tAUTHOR\tNOTE")
	for _, b := range marks {
		prot := "yes"
		if !b.Protect {
			prot = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.ID, b.CameraID, b.From.Local().Format("2006-01-02 15:04:05"),
			b.To.Local().Format("2006-01-02 15:04:05"), prot, b.Author, b.Note)
	}
	tw.Flush()
	return exitOK
}
