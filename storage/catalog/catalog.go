package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the catalogue's name inside the data directory.
const FileName = "nightjar.db"

var (
	bucketMeta    = []byte("meta")
	bucketCameras = []byte("cameras")
)

// schemaVersion is stored in the meta bucket; bump it with a migration.
// Version 2 added the per-camera segment spans that bound range queries.
const schemaVersion = 2

// DB is an open catalogue.
type DB struct {
	bolt       *bolt.DB
	path       string
	eventLimit int          // tests lower MaxEvents
	rowsRead   atomic.Int64 // segment rows decoded, for tests of the index
	eventsRead atomic.Int64 // event keys EventsIn visits, for the same
}

// Options tune Open.
type Options struct {
	// OpenTimeout bounds the wait for the file lock. It defaults to 1 s, so a
	// second instance gives up well inside 2 s.
	OpenTimeout time.Duration
}

// Open opens or creates the catalogue in dir.
func Open(dir string, opt Options) (*DB, error) {
	if opt.OpenTimeout <= 0 {
		opt.OpenTimeout = time.Second
	}
	path := filepath.Join(dir, FileName)
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.OpenTimeout})
	if err != nil {
		return nil, classifyOpen(path, err)
	}
	db := &DB{bolt: b, path: path}
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func classifyOpen(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &OpenError{Path: path, Err: ErrLocked}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrInvalidMapping):
		return &OpenError{Path: path, Err: fmt.Errorf("%w: %w", ErrCorrupt, err)}
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return &OpenError{Path: path, Err: fmt.Errorf("%w: %w", ErrReadOnly, err)}
	}
	// bbolt reports some damage (a truncated file, a bad page) with plain
	// errors; if the file exists and is not ours to lock, call it damaged.
	if st, serr := os.Stat(path); serr == nil && st.Mode().IsRegular() {
		return &OpenError{Path: path, Err: fmt.Errorf("%w: %w", ErrCorrupt, err)}
	}
	return &OpenError{Path: path, Err: err}
}

// OpenError says which catalogue failed to open and why.
type OpenError struct {
	Path string
	Err  error
}

func (e *OpenError) Error() string { return fmt.Sprintf("open catalogue %s: %v", e.Path, e.Err) }
func (e *OpenError) Unwrap() error { return e.Err }

// Hint says what the user can do about e.
func (e *OpenError) Hint() string {
	switch {
	case errors.Is(e.Err, ErrLocked):
		return "Another Nightjar is already running with this data directory. Switch to it, or start this one with --data-dir pointing elsewhere."
	case errors.Is(e.Err, ErrCorrupt):
		return fmt.Sprintf("Move %s aside (for example rename it to %s.damaged) to keep it for support, then start Nightjar again to create a new catalogue. Recordings stay on disk.", e.Path, FileName)
	case errors.Is(e.Err, ErrReadOnly):
		return fmt.Sprintf("Make %s writable by your user, or start Nightjar with --data-dir pointing to a writable folder.", filepath.Dir(e.Path))
	}
	return ""
}

func (db *DB) init() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("create meta bucket: %w", err)
		}
		v := meta.Get([]byte("schema"))
		switch {
		case v == nil: // a new catalogue
		case len(v) != 1 || v[0] > schemaVersion:
			return &OpenError{Path: db.path, Err: fmt.Errorf("%w: schema version %v is newer than this Nightjar understands", ErrCorrupt, v)}
		case v[0] < 2:
			if err := migrateSegSpans(tx); err != nil {
				return fmt.Errorf("migrate catalogue to schema 2 (segment spans): %w", err)
			}
		}
		if v == nil || v[0] != schemaVersion {
			if err := meta.Put([]byte("schema"), []byte{schemaVersion}); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucketIfNotExists(bucketCameras); err != nil {
			return fmt.Errorf("create cameras bucket: %w", err)
		}
		return nil
	})
}

// Path returns the catalogue file's path.
func (db *DB) Path() string { return db.path }

// Close closes the catalogue and releases its lock.
func (db *DB) Close() error { return db.bolt.Close() }
