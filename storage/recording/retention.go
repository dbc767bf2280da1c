package recording

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"time"

	"nightjar/storage/catalog"
)

// Policy says what Sweep keeps.
type Policy struct {
	// Retention returns how long a camera's footage is kept; zero keeps it
	// until Cap or Reserve needs the space.
	Retention func(cameraID string) time.Duration
	// Cap bounds the bytes of all footage; zero means no cap.
	Cap int64
	// Reserve is the free space kept on the disk; zero means DefaultReserve
	// and a negative value disables it.
	Reserve int64
	// Protected reports whether a segment must be kept: it lies inside a
	// protected bookmark. Sweep deletes no protected segment, for
	// retention, the cap or the reserve. Nil protects nothing.
	Protected func(catalog.Segment) bool
}

// Deletion is one segment Sweep removed.
type Deletion struct {
	Segment catalog.Segment
	Reason  string // "retention", "disk cap", "disk reserve"
}

// SweepReport says what Sweep did.
type SweepReport struct {
	Deleted  []Deletion
	Shredded []string // days whose identity was destroyed
	Free     int64    // free bytes after the sweep; -1 when unknown
	// Short is set when the reserve could not be met because nothing
	// finished and unprotected was left to delete.
	Short bool
	// Kept counts the segments that retention, the cap or the reserve
	// would have deleted but Protected kept, and KeptBytes their size.
	Kept      int
	KeptBytes int64
}

// Sweep enforces retention, the disk cap and the free-space reserve, oldest
// footage first, then destroys the identity of every past day that has no
// footage left. Segments being written are never deleted, nor those
// p.Protected keeps; a day with kept footage keeps its key.
func (s *Store) Sweep(ctx context.Context, p Policy) (SweepReport, error) {
	rep := SweepReport{Free: -1}
	if !s.eraseMu.TryLock() {
		s.log().Info("retention sweep skipped: an erase is running")
		return rep, nil
	}
	defer s.eraseMu.Unlock()
	rows, err := s.DB.Segments(catalog.SegmentFilter{})
	if err != nil {
		return rep, err
	}
	now := s.now()
	// Oldest first.
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Start.Before(rows[j].Start) })
	gone := make([]bool, len(rows))
	del := func(i int, reason string) error {
		if err := s.deleteSegment(rows[i]); err != nil {
			return err
		}
		gone[i] = true
		rep.Deleted = append(rep.Deleted, Deletion{Segment: rows[i], Reason: reason})
		s.log().Info("deleted recording", "camera", rows[i].CameraID, "start", rows[i].Start,
			"file", rows[i].File, "reason", reason)
		return nil
	}
	kept := make([]bool, len(rows))
	deletable := func(i int) bool {
		if gone[i] || rows[i].State == catalog.SegmentOpen || s.isOpen(rows[i].File) {
			return false
		}
		if p.Protected != nil && p.Protected(rows[i]) {
			if !kept[i] {
				kept[i] = true
				rep.Kept++
				rep.KeptBytes += rows[i].Size
			}
			return false
		}
		return true
	}

	if p.Retention != nil {
		for i, r := range rows {
			keep := p.Retention(r.CameraID)
			if keep > 0 && r.End().Before(now.Add(-keep)) && deletable(i) {
				if err := del(i, "retention"); err != nil {
					return rep, err
				}
			}
		}
	}
	if p.Cap > 0 {
		var total int64
		for i, r := range rows {
			if !gone[i] {
				total += r.Size
			}
		}
		for i := 0; i < len(rows) && total > p.Cap; i++ {
			if deletable(i) {
				total -= rows[i].Size
				if err := del(i, "disk cap"); err != nil {
					return rep, err
				}
			}
		}
	}
	reserve := p.Reserve
	if reserve == 0 {
		reserve = DefaultReserve
	}
	if reserve > 0 {
		free, err := s.freeSpace()
		if err != nil {
			return rep, fmt.Errorf("free space on %s: %w", s.Dir, err)
		}
		for i := 0; i < len(rows) && free < reserve; i++ {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			if !deletable(i) {
				continue
			}
			if err := del(i, "disk reserve"); err != nil {
				return rep, err
			}
			if free, err = s.freeSpace(); err != nil {
				return rep, err
			}
		}
		rep.Free, rep.Short = free, free < reserve
		if rep.Short && rep.Kept > 0 {
			s.log().Warn("disk reserve not met: protected bookmarks keep footage that would have been deleted",
				"free", free, "reserve", reserve, "kept_segments", rep.Kept, "kept_bytes", rep.KeptBytes)
		}
	}

	shredded, err := s.shredEmptyDays(ctx, now)
	rep.Shredded = shredded
	return rep, err
}

// shredEmptyDays destroys every day key (shared or per camera) of a day
// before today that no segment uses. It reads the rows under keyMu, so a
// key EraseRange just moved segments to is seen in use.
func (s *Store) shredEmptyDays(ctx context.Context, now time.Time) ([]string, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := s.DB.Segments(catalog.SegmentFilter{})
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, r := range rows {
		used[r.KeyID()] = true
	}
	days, err := s.Keys.db.DayKeys()
	if err != nil {
		return nil, err
	}
	today := DayOf(now)
	var out []string
	for _, d := range days {
		if DayOfKey(d) >= today || used[d] {
			continue
		}
		if err := s.Keys.Shred(d); err != nil {
			return out, fmt.Errorf("destroy key of %s: %w", d, err)
		}
		out = append(out, d)
		s.log().Info("destroyed day key: the day's footage is unreadable from now on", "day", d)
	}
	return out, nil
}

// deleteSegment drops the row, then the file. A crash in between leaves an
// orphan file, which Recover removes.
func (s *Store) deleteSegment(row catalog.Segment) error {
	if err := s.DB.DeleteSegment(row.CameraID, row.Start); err != nil {
		return fmt.Errorf("delete segment row: %w", err)
	}
	s.forgetFile(row.File)
	if err := os.Remove(s.Path(row)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete segment file: %w", err)
	}
	return nil
}

// Usage is the footage on disk.
type Usage struct {
	Bytes    int64
	Segments int
	Oldest   time.Time
	Duration time.Duration
	Free     int64 // -1 when unknown
}

// Usage sums the catalogue and asks the disk for free space.
func (s *Store) Usage() (Usage, error) {
	rows, err := s.DB.Segments(catalog.SegmentFilter{})
	if err != nil {
		return Usage{}, err
	}
	u := Usage{Segments: len(rows), Free: -1}
	for _, r := range rows {
		u.Bytes += s.SizeOf(r)
		u.Duration += r.Duration
		if u.Oldest.IsZero() || r.Start.Before(u.Oldest) {
			u.Oldest = r.Start
		}
	}
	if f, err := s.freeSpace(); err == nil {
		u.Free = f
	}
	return u, nil
}

// Erase deletes every finished segment of cameraID that overlaps [from, to)
// (zero bounds are open) and returns what went. Days left with no footage
// lose their key at the next Sweep.
func (s *Store) Erase(cameraID string, from, to time.Time, reason string) ([]catalog.Segment, error) {
	rows, err := s.DB.Segments(catalog.SegmentFilter{CameraID: cameraID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	var out []catalog.Segment
	for _, r := range rows {
		if r.State == catalog.SegmentOpen || s.isOpen(r.File) {
			continue
		}
		if err := s.deleteSegment(r); err != nil {
			return out, err
		}
		out = append(out, r)
		s.log().Info("deleted recording", "camera", r.CameraID, "start", r.Start, "file", r.File, "reason", reason)
	}
	return out, nil
}

// SizeOf is a segment's size on disk: the catalogue's once closed, the
// file's while it is being written.
func (s *Store) SizeOf(r catalog.Segment) int64 {
	if r.State != catalog.SegmentOpen {
		return r.Size
	}
	if fi, err := os.Stat(s.Path(r)); err == nil {
		return fi.Size()
	}
	return 0
}
