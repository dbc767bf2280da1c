package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"nightjar/storage/catalog"
)

// DefaultReserve is the free space kept on the recordings disk.
const DefaultReserve = 1 << 30

// segmentDB is the part of the catalogue the store uses.
type segmentDB interface {
	PutSegment(catalog.Segment) error
	DeleteSegment(cameraID string, start time.Time) error
	Segments(catalog.SegmentFilter) ([]catalog.Segment, error)
}

// Store owns the recordings folder and its catalogue rows.
type Store struct {
	// Dir is the recordings folder.
	Dir  string
	DB   segmentDB
	Keys *Keys
	// Log defaults to slog.Default().
	Log *slog.Logger
	// Now is the clock. It defaults to time.Now.
	Now func() time.Time
	// FlushInterval bounds how long video may wait in memory before it is
	// written; it defaults to 800 ms. A negative value disables padding.
	FlushInterval time.Duration
	// SyncInterval is the fsync interval. It defaults to 1 s.
	SyncInterval time.Duration
	// FreeSpace reports free bytes on Dir's disk; it defaults to statfs.
	FreeSpace func(dir string) (int64, error)

	syncStats syncStats
	// keyMu orders key changes: Create holds it shared from choosing a
	// segment's key to cataloguing its row; whoever destroys keys (Sweep,
	// EraseRange) holds it alone while it checks that no row uses them,
	// so no new segment is written to a destroyed key.
	keyMu sync.RWMutex
	// eraseMu lets one EraseRange or Sweep run at a time, so neither
	// deletes what the other is re-keying. A Sweep during an erase is
	// skipped; the next one runs.
	eraseMu sync.Mutex
	// sharedKeys makes Create write segments as Nightjar did before
	// per-camera keys, to the day's shared key; tests set it.
	sharedKeys bool
	mu         sync.Mutex
	open       map[string]bool   // files being written
	checked    map[checkKey]bool // files whose hash matched their row
	prefixes   map[string]prefix // the last prefix read of each file being written
}

func (s *Store) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) freeSpace() (int64, error) {
	if s.FreeSpace != nil {
		return s.FreeSpace(s.Dir)
	}
	return diskFree(nearestExisting(s.Dir))
}

// nearestExisting is dir, or its nearest ancestor that exists. The
// recordings folder appears with the first segment, and until then its
// disk is the one its parent is on: a sweep or the Settings page asking
// for free space before any footage must not fail.
func nearestExisting(dir string) string {
	for {
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// FreeBytes reports the free space on the recordings disk, or the disk it
// will be on before the first segment creates it.
func (s *Store) FreeBytes() (int64, error) { return s.freeSpace() }

// FsyncLatencies returns the fsync latencies measured so far.
func (s *Store) FsyncLatencies() []time.Duration { return s.syncStats.Latencies() }

// DayOf is the key day of a segment starting at t.
func DayOf(t time.Time) string { return t.UTC().Format("2006-01-02") }

// KeyOf is the id of the day key of cameraID's segments of day: each
// camera has its own key per day, so erasing one camera's day destroys no
// other camera's footage. Segments from before per-camera keys use the
// day's shared key, whose id is the day alone (catalog.Segment.KeyID).
func KeyOf(day, cameraID string) string { return day + "/" + cameraID }

// DayOfKey is the day a key id belongs to.
func DayOfKey(id string) string {
	if day, _, ok := strings.Cut(id, "/"); ok {
		return day
	}
	return id
}

// SegmentInfo describes the stream of a new segment.
type SegmentInfo struct {
	Codec         string
	Width, Height int
	Trigger       string
}

// SegmentFile is a segment being written. Its methods are not safe for
// concurrent use.
type SegmentFile struct {
	store *Store
	row   catalog.Segment
	fw    *fileWriter
	path  string
}

// Create catalogues a new open segment of cameraID starting at start, then
// creates its file. The row is durable before the file holds any data.
func (s *Store) Create(ctx context.Context, cameraID string, start time.Time, info SegmentInfo) (*SegmentFile, error) {
	start = start.UTC()
	day := DayOf(start)
	key, rowKey := KeyOf(day, cameraID), KeyOf(day, cameraID)
	if s.sharedKeys {
		key, rowKey = day, ""
	}
	s.keyMu.RLock()
	defer s.keyMu.RUnlock()
	rcpt, err := s.Keys.Recipient(ctx, key)
	if err != nil {
		return nil, err
	}
	rel := filepath.ToSlash(filepath.Join(safeName(cameraID), day, start.Format("20060102T150405.000000000Z")+".ts.age"))
	row := catalog.Segment{
		CameraID: cameraID, Start: start, Day: day, Key: rowKey, File: rel, State: catalog.SegmentOpen,
		Codec: info.Codec, Width: info.Width, Height: info.Height, Trigger: info.Trigger,
	}
	if err := s.DB.PutSegment(row); err != nil {
		return nil, fmt.Errorf("catalogue new segment: %w", err)
	}
	path := filepath.Join(s.Dir, filepath.FromSlash(rel))
	flush := s.FlushInterval
	if flush == 0 {
		flush = 800 * time.Millisecond
	}
	sync := s.SyncInterval
	if sync <= 0 {
		sync = time.Second
	}
	fw, err := createFile(path, rcpt, Header{CameraID: cameraID, Start: start, Day: day}, flush, sync, &s.syncStats)
	if err != nil {
		s.DB.DeleteSegment(cameraID, start)
		return nil, err
	}
	s.mu.Lock()
	if s.open == nil {
		s.open = map[string]bool{}
	}
	s.open[rel] = true
	s.mu.Unlock()
	return &SegmentFile{store: s, row: row, fw: fw, path: path}, nil
}

// safeName keeps a camera id usable as a folder name.
func safeName(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == 0 {
			return '_'
		}
		return r
	}, id)
}

// Row returns the segment's catalogue row as created.
func (f *SegmentFile) Row() catalog.Segment { return f.row }

// Write appends MPEG-TS bytes.
func (f *SegmentFile) Write(p []byte) (int, error) { return f.fw.Write(p) }

// Tick lets an idle stream flush its padding; call it about every 100 ms.
func (f *SegmentFile) Tick(now time.Time) error { return f.fw.Tick(now) }

// Written is the plaintext bytes written so far, padding included.
func (f *SegmentFile) Written() int64 { return f.fw.plain }

// Close finishes the file and closes its row with the size, duration and
// hash.
func (f *SegmentFile) Close(duration time.Duration) (catalog.Segment, error) {
	defer f.forget()
	size, sum, err := f.fw.Close()
	if err != nil {
		return f.row, fmt.Errorf("finish segment: %w", err)
	}
	f.row.State = catalog.SegmentClosed
	f.row.Size, f.row.SHA256, f.row.Duration = size, sum, duration
	if err := f.store.DB.PutSegment(f.row); err != nil {
		return f.row, fmt.Errorf("close segment row: %w", err)
	}
	return f.row, nil
}

// Abort leaves the segment as a crash would, for Recover to finish.
func (f *SegmentFile) Abort() {
	f.fw.Abort()
	f.forget()
}

func (f *SegmentFile) forget() {
	f.store.mu.Lock()
	delete(f.store.open, f.row.File)
	delete(f.store.prefixes, f.row.File)
	f.store.mu.Unlock()
}

func (s *Store) isOpen(rel string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open[rel]
}

// RecoverReport says what Recover did.
type RecoverReport struct {
	Recovered []catalog.Segment
	Removed   []string // rows without usable video, and orphan files
}

// Recover finishes every open row that no writer holds, and removes files
// without rows. Run it at startup, and after ENOSPC once space is back.
func (s *Store) Recover(ctx context.Context) (RecoverReport, error) {
	var rep RecoverReport
	rows, err := s.DB.Segments(catalog.SegmentFilter{State: catalog.SegmentOpen})
	if err != nil {
		return rep, err
	}
	for _, row := range rows {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		if s.isOpen(row.File) {
			continue
		}
		path := filepath.Join(s.Dir, filepath.FromSlash(row.File))
		id, err := s.Keys.Identity(ctx, row.KeyID())
		if err != nil {
			return rep, fmt.Errorf("recover %s: %w", row.File, err)
		}
		res, err := recoverFile(path, id, id.Recipient(), Header{CameraID: row.CameraID, Start: row.Start, Day: row.Day})
		switch {
		case errors.Is(err, errNothingToRecover):
			os.Remove(path)
			if err := s.DB.DeleteSegment(row.CameraID, row.Start); err != nil {
				return rep, err
			}
			rep.Removed = append(rep.Removed, row.File)
			s.log().Info("removed empty unfinished segment", "camera", row.CameraID, "file", row.File)
			continue
		case IsDamaged(err):
			row.State, row.Problem = catalog.SegmentDamaged, err.(*DamageError).Reason
			s.log().Warn("unfinished segment is damaged", "camera", row.CameraID, "file", row.File, "problem", row.Problem)
		case err != nil:
			return rep, fmt.Errorf("recover %s: %w", row.File, err)
		default:
			row.State = catalog.SegmentRecovered
			row.Size, row.SHA256, row.Duration = res.size, res.sha256, res.duration
			s.log().Info("recovered unfinished segment", "camera", row.CameraID, "file", row.File,
				"duration", res.duration.Round(time.Millisecond))
		}
		if err := s.DB.PutSegment(row); err != nil {
			return rep, err
		}
		rep.Recovered = append(rep.Recovered, row)
	}
	orphans, err := s.orphans()
	if err != nil {
		return rep, err
	}
	for _, rel := range orphans {
		if err := os.Remove(filepath.Join(s.Dir, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("remove orphan %s: %w", rel, err)
		}
		rep.Removed = append(rep.Removed, rel)
		s.log().Info("removed file without a catalogue row", "file", rel)
	}
	return rep, nil
}

// orphans lists files under Dir that no row names and no writer holds.
func (s *Store) orphans() ([]string, error) {
	rows, err := s.DB.Segments(catalog.SegmentFilter{})
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(rows))
	for _, r := range rows {
		known[r.File] = true
	}
	var out []string
	// The folder may be a link to another disk.
	root, err := filepath.EvalSymlinks(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !known[rel] && !s.isOpen(rel) {
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// Path returns the file of a row.
func (s *Store) Path(row catalog.Segment) string {
	return filepath.Join(s.Dir, filepath.FromSlash(row.File))
}

// Verify checks one segment end to end: size and hash against the row, the
// age stream's authentication, and the binding to its camera and start.
func (s *Store) Verify(ctx context.Context, row catalog.Segment) (Verified, error) {
	if row.State == catalog.SegmentOpen && s.isOpen(row.File) {
		return Verified{}, fmt.Errorf("segment %s is still being written", row.File)
	}
	if row.State == catalog.SegmentOpen {
		return Verified{}, damaged(row.File, "unfinished; it is recovered at the next start")
	}
	id, err := s.Keys.Identity(ctx, row.KeyID())
	if err != nil {
		return Verified{}, err
	}
	scan, err := decrypt(s.Path(row), id, expectOf(row), nil)
	if err != nil {
		return Verified{}, err
	}
	return Verified{Duration: scan.duration(), Packets: scan.packets}, nil
}

func expectOf(row catalog.Segment) expect {
	return expect{
		header: Header{CameraID: row.CameraID, Start: row.Start.UTC(), Day: row.Day},
		size:   row.Size,
		sha256: row.SHA256,
	}
}

// WriteTo decrypts a checked segment to w. The ciphertext is checked against
// the catalogue before any byte is written, so a tampered file writes
// nothing.
func (s *Store) WriteTo(ctx context.Context, row catalog.Segment, w io.Writer) error {
	if row.State == catalog.SegmentOpen || row.State == catalog.SegmentDamaged {
		return damaged(row.File, "state is %s", row.State)
	}
	id, err := s.Keys.Identity(ctx, row.KeyID())
	if err != nil {
		return err
	}
	_, err = decrypt(s.Path(row), id, expectOf(row), w)
	return err
}
