package app

import (
	"log/slog"
	"os"
	"os/user"

	"nightjar/storage/catalog"
)

// protectedBy is the retention sweep's Policy.Protected: a segment is kept
// while a protected bookmark of its camera covers it. When the bookmarks
// cannot be read it keeps everything, since deleting footage someone
// protected cannot be undone, and says so in the log.
func protectedBy(db *catalog.DB, log *slog.Logger) func(catalog.Segment) bool {
	marks, err := db.Bookmarks(catalog.BookmarkFilter{})
	if err != nil {
		log.Error("read bookmarks; retention deletes nothing until they can be read", "err", err)
		return func(catalog.Segment) bool { return true }
	}
	byCam := map[string][]catalog.Bookmark{}
	for _, b := range marks {
		if b.Protect {
			byCam[b.CameraID] = append(byCam[b.CameraID], b)
		}
	}
	return func(s catalog.Segment) bool {
		for _, b := range byCam[s.CameraID] {
			if b.Covers(s) {
				return true
			}
		}
		return false
	}
}

// bookmarkAuthor names who makes a bookmark: the OS user for now, until
// Nightjar has accounts.
func bookmarkAuthor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
