package recording

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"nightjar/storage/catalog"
)

// EraseRequest asks to erase recorded footage, to honour a deletion
// request.
type EraseRequest struct {
	// CameraIDs are the cameras to erase; nil or empty means every camera.
	CameraIDs []string
	// From and To bound the range [From, To). Both are required.
	From, To time.Time
	// Reason is why (the deletion request); By is who asks. Both go into
	// the receipt.
	Reason, By string
}

// ErasePlan says what EraseRange would do, changing nothing.
type ErasePlan struct {
	Request EraseRequest
	// Segments are the segments that go, oldest first: every finished
	// segment of the cameras overlapping the range. A segment across a
	// bound goes whole, so ErasedFrom and ErasedTo, their real extent, may
	// lie outside the range.
	Segments             []catalog.Segment
	Cameras              []string // cameras with footage in Segments
	Bytes                int64
	Duration             time.Duration
	ErasedFrom, ErasedTo time.Time
	// WholeDays are the UTC days the range covers entirely.
	WholeDays []string
	// ShredKeys are the day keys destroyed, so that copies of the files
	// taken before the erase can never be decrypted: on each whole day the
	// per-camera key ("2006-01-02/cam") of each camera erased, and the
	// day's shared key (older segments) when erased footage uses it.
	ShredKeys []string
	// Rekey are other cameras' segments of a whole day that still use a
	// shared key being destroyed: they are re-encrypted to their camera's
	// own key of that day first.
	Rekey []catalog.Segment
	// Bookmarks are the bookmarks of the cameras that overlap the range;
	// they are deleted with the footage, protected or not.
	Bookmarks []catalog.Bookmark
	// Writing are segments being written that overlap the range. They are
	// kept (the recorder owns them; each closes within a segment length),
	// and their day keys stay; erase again once they are closed.
	Writing []catalog.Segment
	// Kept explains, one line each, what the erase leaves and why.
	Kept []string
}

// EraseReceipt is the record of one erase; see catalog.Erasure.
type EraseReceipt = catalog.Erasure

// eraseDB is the part of the catalogue EraseRange needs beyond segmentDB:
// bookmarks, which go with the footage, and the erasure record.
type eraseDB interface {
	Bookmarks(catalog.BookmarkFilter) ([]catalog.Bookmark, error)
	DeleteBookmark(id string) error
	PutErasure(catalog.Erasure) (catalog.Erasure, error)
}

// ErrEraseRange means an EraseRequest has no valid range.
var ErrEraseRange = errors.New("erase needs a range: a start before an end")

func (r EraseRequest) wants(cameraID string) bool {
	return len(r.CameraIDs) == 0 || slices.Contains(r.CameraIDs, cameraID)
}

// PlanErase says what EraseRange(ctx, req) would erase now; it changes
// nothing.
func (s *Store) PlanErase(ctx context.Context, req EraseRequest) (ErasePlan, error) {
	s.keyMu.RLock()
	defer s.keyMu.RUnlock()
	return s.planErase(ctx, req)
}

func (s *Store) planErase(ctx context.Context, req EraseRequest) (ErasePlan, error) {
	p := ErasePlan{Request: req}
	if req.From.IsZero() || req.To.IsZero() || !req.From.Before(req.To) {
		return p, ErrEraseRange
	}
	if err := ctx.Err(); err != nil {
		return p, err
	}
	rows, err := s.DB.Segments(catalog.SegmentFilter{From: req.From, To: req.To})
	if err != nil {
		return p, fmt.Errorf("list footage to erase: %w", err)
	}
	erased := map[string]bool{}
	cams := map[string]bool{}
	for _, r := range rows {
		if !req.wants(r.CameraID) {
			continue
		}
		if s.isOpen(r.File) {
			p.Writing = append(p.Writing, r)
			p.Kept = append(p.Kept, fmt.Sprintf("%s: the segment being written since %s is kept; erase again once it is closed",
				r.CameraID, r.Start.UTC().Format(time.RFC3339)))
			continue
		}
		erased[r.File] = true
		cams[r.CameraID] = true
		p.Segments = append(p.Segments, r)
		p.Bytes += s.SizeOf(r)
		p.Duration += r.Duration
		if p.ErasedFrom.IsZero() || r.Start.Before(p.ErasedFrom) {
			p.ErasedFrom = r.Start
		}
		if end := r.End(); end.After(p.ErasedTo) {
			p.ErasedTo = end
		}
	}
	for c := range cams {
		p.Cameras = append(p.Cameras, c)
	}
	sort.Strings(p.Cameras)
	if err := s.planShred(&p, erased); err != nil {
		return p, err
	}
	if db, ok := s.DB.(eraseDB); ok {
		marks, err := db.Bookmarks(catalog.BookmarkFilter{From: req.From, To: req.To})
		if err != nil {
			return p, fmt.Errorf("list bookmarks to erase: %w", err)
		}
		for _, b := range marks {
			if req.wants(b.CameraID) {
				p.Bookmarks = append(p.Bookmarks, b)
			}
		}
	}
	return p, nil
}

// wholeDays lists the UTC days inside [from, to).
func wholeDays(from, to time.Time) []string {
	var out []string
	d := from.UTC().Truncate(24 * time.Hour)
	if d.Before(from) {
		d = d.Add(24 * time.Hour)
	}
	for ; !d.Add(24 * time.Hour).After(to); d = d.Add(24 * time.Hour) {
		out = append(out, DayOf(d))
	}
	return out
}

// planShred fills in the whole days and the keys to destroy. erased holds
// the files of p.Segments.
func (s *Store) planShred(p *ErasePlan, erased map[string]bool) error {
	p.WholeDays = wholeDays(p.Request.From, p.Request.To)
	if len(p.WholeDays) == 0 {
		return nil
	}
	keys, err := s.Keys.db.DayKeys()
	if err != nil {
		return fmt.Errorf("list day keys: %w", err)
	}
	for _, day := range p.WholeDays {
		start, err := time.Parse("2006-01-02", day)
		if err != nil {
			return err
		}
		rows, err := s.DB.Segments(catalog.SegmentFilter{From: start, To: start.Add(24 * time.Hour)})
		if err != nil {
			return fmt.Errorf("list footage of %s: %w", day, err)
		}
		// users maps each key of the day to the segments it encrypts.
		users := map[string][]catalog.Segment{}
		for _, r := range rows {
			if r.Day == day {
				users[r.KeyID()] = append(users[r.KeyID()], r)
			}
		}
		for _, k := range keys {
			if DayOfKey(k) != day {
				continue
			}
			if k == day {
				s.planShared(p, day, users[k], erased)
				continue
			}
			if !p.Request.wants(strings.TrimPrefix(k, day+"/")) {
				continue
			}
			if r, ok := firstNot(users[k], erased); ok {
				p.Kept = append(p.Kept, fmt.Sprintf("key %s stays: %s's segment since %s still uses it",
					k, r.CameraID, r.Start.UTC().Format(time.RFC3339)))
				continue
			}
			p.ShredKeys = append(p.ShredKeys, k)
		}
	}
	return nil
}

// planShared decides about the shared key of day, which segments from
// before per-camera keys use (users): it is destroyed when erased footage
// uses it, after the other cameras' segments on it move to their own key.
func (s *Store) planShared(p *ErasePlan, day string, users []catalog.Segment, erased map[string]bool) {
	var rest []catalog.Segment
	needed := false
	for _, r := range users {
		if erased[r.File] {
			needed = true
		} else {
			rest = append(rest, r)
		}
	}
	if !needed && len(p.Request.CameraIDs) > 0 {
		return // no footage being erased uses it
	}
	for _, r := range rest {
		if s.isOpen(r.File) || (r.State != catalog.SegmentClosed && r.State != catalog.SegmentRecovered) {
			p.Kept = append(p.Kept, fmt.Sprintf("shared key %s stays: %s's segment since %s is %s and cannot be re-encrypted; copies of the erased files taken before could still be decrypted",
				day, r.CameraID, r.Start.UTC().Format(time.RFC3339), stateWord(s, r)))
			return
		}
	}
	p.Rekey = append(p.Rekey, rest...)
	p.ShredKeys = append(p.ShredKeys, day)
}

func stateWord(s *Store, r catalog.Segment) string {
	if s.isOpen(r.File) {
		return "being written"
	}
	return r.State
}

// firstNot is the first of rows whose file is not in erased.
func firstNot(rows []catalog.Segment, erased map[string]bool) (catalog.Segment, bool) {
	for _, r := range rows {
		if !erased[r.File] {
			return r, true
		}
	}
	return catalog.Segment{}, false
}

// EraseRange erases what PlanErase(ctx, req) plans, at once, and records
// the receipt in the catalogue's erasure record (the audit log, once it
// exists, will take the same receipt). The steps, in order:
//
//  1. each segment's row is deleted, then its file, and the caches of it
//     (hash checks, decrypted prefixes) are dropped;
//  2. the per-camera keys of whole days are destroyed;
//  3. other cameras' segments on a shared day key being destroyed are
//     re-encrypted to their own key: a new file is written and fsynced,
//     then one catalogue update points the row at it, then the old file
//     goes;
//  4. the shared keys are destroyed, and the bookmarks deleted.
//
// One EraseRange runs at a time, and a Sweep that comes meanwhile is
// skipped. Recording goes on: a new segment takes its key under keyMu, and
// a key is destroyed only when, checked under keyMu, no row uses it.
//
// Guarantees when it fails or ctx ends halfway (a full disk fails step 3
// only): the catalogue is consistent after every step. A row always names
// a whole file that its key opens; a file left without a row is removed by
// the next Recover; a key is destroyed only after every segment using it
// is gone or re-keyed. A receipt with Complete false says how far it got,
// and running the same erase again finishes it.
func (s *Store) EraseRange(ctx context.Context, req EraseRequest) (EraseReceipt, error) {
	rec := EraseReceipt{By: req.By, Reason: req.Reason, CameraIDs: req.CameraIDs, From: req.From, To: req.To}
	db, ok := s.DB.(eraseDB)
	if !ok {
		return rec, fmt.Errorf("erase: the catalogue keeps no erasure record")
	}
	s.eraseMu.Lock()
	defer s.eraseMu.Unlock()
	p, err := s.PlanErase(ctx, req)
	if err != nil {
		return rec, err
	}
	rec.Kept = slices.Clone(p.Kept)
	err = s.erase(ctx, db, p, &rec)
	rec.Complete = err == nil
	if err != nil {
		rec.Problem = err.Error()
	}
	rec.At = s.now()
	stored, perr := db.PutErasure(rec)
	if err == nil && perr != nil {
		err = fmt.Errorf("footage erased, but %w", perr)
	}
	if err != nil {
		return stored, fmt.Errorf("erase: %w", err)
	}
	s.log().Info("erased footage", "cameras", stored.Cameras, "from", stored.ErasedFrom, "to", stored.ErasedTo,
		"segments", stored.Segments, "bytes", stored.Bytes, "shredded", stored.ShreddedKeys,
		"bookmarks", len(stored.Bookmarks), "by", stored.By, "reason", stored.Reason, "receipt", stored.ID)
	return stored, nil
}

func (s *Store) erase(ctx context.Context, db eraseDB, p ErasePlan, rec *EraseReceipt) error {
	cams := map[string]bool{}
	for _, r := range p.Segments {
		if err := ctx.Err(); err != nil {
			return err
		}
		size := s.SizeOf(r)
		if err := s.deleteSegment(r); err != nil {
			return err
		}
		rec.Segments++
		rec.Bytes += size
		rec.Duration += r.Duration
		if rec.ErasedFrom.IsZero() || r.Start.Before(rec.ErasedFrom) {
			rec.ErasedFrom = r.Start
		}
		if r.End().After(rec.ErasedTo) {
			rec.ErasedTo = r.End()
		}
		if !cams[r.CameraID] {
			cams[r.CameraID] = true
			rec.Cameras = append(rec.Cameras, r.CameraID)
		}
	}
	sort.Strings(rec.Cameras)
	shred := func(shared bool) error {
		var keys []string
		for _, k := range p.ShredKeys {
			if (k == DayOfKey(k)) == shared {
				keys = append(keys, k)
			}
		}
		return s.shredUnused(keys, rec)
	}
	if err := shred(false); err != nil {
		return err
	}
	for _, r := range p.Rekey {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.rekey(ctx, r); err != nil {
			return err
		}
		rec.Rekeyed++
	}
	if err := shred(true); err != nil {
		return err
	}
	for _, b := range p.Bookmarks {
		if err := db.DeleteBookmark(b.ID); err != nil && !errors.Is(err, catalog.ErrNotFound) {
			return fmt.Errorf("delete bookmark %s: %w", b.ID, err)
		}
		rec.Bookmarks = append(rec.Bookmarks, b)
	}
	return nil
}

// shredUnused destroys keys that no row uses, holding keyMu so that no
// segment starts on one meanwhile. A key a row still uses (a segment
// started during the erase) stays, and the receipt says so.
func (s *Store) shredUnused(keys []string, rec *EraseReceipt) error {
	if len(keys) == 0 {
		return nil
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	rows, err := s.DB.Segments(catalog.SegmentFilter{})
	if err != nil {
		return fmt.Errorf("check day keys are unused: %w", err)
	}
	used := map[string]bool{}
	for _, r := range rows {
		used[r.KeyID()] = true
	}
	for _, k := range keys {
		if used[k] {
			rec.Kept = append(rec.Kept, fmt.Sprintf("key %s stays: a segment started on it during the erase", k))
			continue
		}
		if err := s.Keys.Shred(k); err != nil {
			return fmt.Errorf("destroy day key %s: %w", k, err)
		}
		rec.ShreddedKeys = append(rec.ShreddedKeys, k)
	}
	return nil
}
