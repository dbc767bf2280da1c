package catalog

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// bucketBookmarks holds bookmarks keyed by ID. It is created by the first
// PutBookmark, so catalogues from before bookmarks need no migration.
var bucketBookmarks = []byte("bookmarks")

// MaxNoteLen bounds a bookmark's note, in characters.
const MaxNoteLen = 2000

// maxIDLen bounds a caller-chosen bookmark ID.
const maxIDLen = 64

// Bookmark marks a stretch of a camera's footage. While Protect is set,
// retention keeps the footage it covers.
type Bookmark struct {
	ID       string    `json:"id"`
	CameraID string    `json:"camera"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Note     string    `json:"note,omitempty"`
	Author   string    `json:"author,omitempty"`
	Protect  bool      `json:"protect"`
	Created  time.Time `json:"created"`
}

// Covers reports whether the bookmark overlaps s: same camera, and s
// starts before To and ends after From. A segment with no duration yet
// counts as the instant it starts.
func (b Bookmark) Covers(s Segment) bool {
	if s.CameraID != b.CameraID || !s.Start.Before(b.To) {
		return false
	}
	return s.End().After(b.From) || (s.Duration == 0 && !s.Start.Before(b.From))
}

// BookmarkFilter selects bookmarks. Zero fields match everything.
type BookmarkFilter struct {
	CameraID string
	From, To time.Time // bookmarks overlapping [From, To)
	Text     string    // the note contains it, ignoring case
}

func (f BookmarkFilter) match(b Bookmark) bool {
	if f.CameraID != "" && b.CameraID != f.CameraID {
		return false
	}
	if !f.From.IsZero() && !b.To.After(f.From) {
		return false
	}
	if !f.To.IsZero() && !b.From.Before(f.To) {
		return false
	}
	return f.Text == "" || strings.Contains(strings.ToLower(b.Note), strings.ToLower(f.Text))
}

// cleanText turns tabs and line breaks into spaces, drops every other
// control character and trims the ends, so a note prints safely on one
// line of a terminal or a list.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// PutBookmark checks b, stores it and returns it as stored: with an ID
// when it had none (a new, short random one), control characters taken out
// of the note and author, and Created set when it was zero. A bookmark
// with an ID already stored replaces it.
func (db *DB) PutBookmark(b Bookmark) (Bookmark, error) {
	b.CameraID = strings.TrimSpace(b.CameraID)
	b.Note, b.Author = cleanText(b.Note), cleanText(b.Author)
	switch {
	case b.CameraID == "":
		return b, fmt.Errorf("bookmark needs a camera")
	case b.From.IsZero() || b.To.IsZero():
		return b, fmt.Errorf("bookmark needs a start and an end")
	case !b.From.Before(b.To):
		return b, fmt.Errorf("bookmark ends (%s) before it starts (%s)", b.To.Format(time.RFC3339), b.From.Format(time.RFC3339))
	case utf8.RuneCountInString(b.Note) > MaxNoteLen:
		return b, fmt.Errorf("bookmark note is %d characters; at most %d fit", utf8.RuneCountInString(b.Note), MaxNoteLen)
	case len(b.ID) > maxIDLen || strings.ContainsFunc(b.ID, func(r rune) bool { return r <= ' ' || r > '~' }):
		return b, fmt.Errorf("bookmark id %q: want at most %d printable ASCII characters", b.ID, maxIDLen)
	}
	if b.Created.IsZero() {
		b.Created = time.Now()
	}
	b.From, b.To, b.Created = b.From.Round(0), b.To.Round(0), b.Created.Round(0)
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucketBookmarks)
		if err != nil {
			return err
		}
		for b.ID == "" {
			id, err := newBookmarkID()
			if err != nil {
				return err
			}
			if bk.Get([]byte(id)) == nil {
				b.ID = id
			}
		}
		v, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("encode bookmark: %w", err)
		}
		return bk.Put([]byte(b.ID), v)
	})
	if err != nil {
		return b, fmt.Errorf("store bookmark: %w", err)
	}
	return b, nil
}

// newBookmarkID is 8 random base32 characters (40 bits), lower case.
func newBookmarkID() (string, error) {
	var r [5]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", fmt.Errorf("make bookmark id: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(r[:])), nil
}

// Bookmark returns the bookmark with id, or ErrNotFound.
func (db *DB) Bookmark(id string) (Bookmark, error) {
	var b Bookmark
	err := db.bolt.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketBookmarks)
		var v []byte
		if bk != nil {
			v = bk.Get([]byte(id))
		}
		if v == nil {
			return fmt.Errorf("bookmark %q: %w", id, ErrNotFound)
		}
		if err := json.Unmarshal(v, &b); err != nil {
			return fmt.Errorf("decode bookmark %q: %w", id, err)
		}
		return nil
	})
	return b, err
}

// Bookmarks returns the bookmarks f matches, by start time, then ID. It
// reads every bookmark: people make them by hand, so there are few.
func (db *DB) Bookmarks(f BookmarkFilter) ([]Bookmark, error) {
	var out []Bookmark
	err := db.bolt.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketBookmarks)
		if bk == nil {
			return nil
		}
		return bk.ForEach(func(k, v []byte) error {
			var b Bookmark
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("decode bookmark %q: %w", k, err)
			}
			if f.match(b) {
				out = append(out, b)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if !out[i].From.Equal(out[j].From) {
			return out[i].From.Before(out[j].From)
		}
		return out[i].ID < out[j].ID
	})
	return out, err
}

// DeleteBookmark removes the bookmark with id, or returns ErrNotFound.
func (db *DB) DeleteBookmark(id string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketBookmarks)
		if bk == nil || bk.Get([]byte(id)) == nil {
			return fmt.Errorf("bookmark %q: %w", id, ErrNotFound)
		}
		return bk.Delete([]byte(id))
	})
}
