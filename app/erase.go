package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"nightjar/storage/catalog"
	"nightjar/storage/recording"

	"nightjar/internal/when"
)

// PlanErase says what EraseRange(ctx, req) would erase, changing nothing.
// The GUI's confirmation and 'nightjar erase' show it.
func (a *App) PlanErase(ctx context.Context, req recording.EraseRequest) (recording.ErasePlan, error) {
	if err := a.checkEraseCameras(req.CameraIDs); err != nil {
		return recording.ErasePlan{}, err
	}
	return a.recordingStore().PlanErase(ctx, req)
}

// EraseRange erases req's footage at once, with its bookmarks, destroys the
// keys of the whole days it covers, and records the receipt in the erasure
// record (the audit log takes it once it exists). By defaults to the OS
// user, until Nightjar has accounts. The caller drops its own caches of the
// range (thumbnails); the store drops its own.
func (a *App) EraseRange(ctx context.Context, req recording.EraseRequest) (recording.EraseReceipt, error) {
	if err := a.checkEraseCameras(req.CameraIDs); err != nil {
		return recording.EraseReceipt{}, err
	}
	if req.By == "" {
		req.By = bookmarkAuthor()
	}
	rec, err := a.recordingStore().EraseRange(ctx, req)
	// Thumbnails of the range must go too; they are cheap to make again,
	// so all of them go, erased or not, even when the erase failed part way.
	a.thumbCache().clear()
	return rec, err
}

// Erasures is the erasure record, newest first.
func (a *App) Erasures() ([]catalog.Erasure, error) { return a.DB.Erasures() }

// checkEraseCameras accepts a camera the catalogue knows, or one removed
// whose footage is left.
func (a *App) checkEraseCameras(ids []string) error {
	for _, id := range ids {
		_, err := a.DB.Camera(id)
		if err == nil {
			continue
		}
		if !errors.Is(err, catalog.ErrNotFound) {
			return err
		}
		rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: id})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return fmt.Errorf("no camera %q and no footage of it", id)
		}
	}
	return nil
}

// RetentionPreview says what retention, the cap and the reserve delete next,
// per camera, as of now; the recorders sweep every minute.
func (a *App) RetentionPreview(now time.Time) (recording.RetentionPreview, error) {
	rows, err := a.DB.Segments(catalog.SegmentFilter{})
	if err != nil {
		return recording.RetentionPreview{}, fmt.Errorf("read the catalogue: %w", err)
	}
	p := retentionPolicy(a.DB, a.Log)
	p.Protected = protectedBy(a.DB, a.Log)
	free, err := a.recordingStore().FreeBytes()
	if err != nil {
		free = -1
	}
	return recording.PreviewRetention(rows, p, free, now, time.Minute), nil
}

// sizeText is a byte count for people, in decimal units: "3.1 GB".
func sizeText(b int64) string {
	const unit = 1000
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	f, i := float64(b), 0
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", f, []string{"B", "kB", "MB", "GB", "TB"}[i])
}

// whenText says when t is, from now, the way the retention preview reads:
// "in a minute", "today 14:02", "tonight 02:00", "tomorrow 09:00", "Mon
// 14:00" within a week, else the date.
func whenText(t, now time.Time) string {
	t = t.In(now.Location())
	if d := t.Sub(now); d <= 2*time.Minute {
		return "in a minute"
	}
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	hm := t.Format("15:04")
	switch {
	case days == 0:
		return "today " + hm
	case days == 1 && t.Hour() < 6:
		return "tonight " + hm
	case days == 1:
		return "tomorrow " + hm
	case days < 7:
		return t.Format("Mon 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// retentionLine is one camera's preview for people: "Camsim 1: footage
// older than 7 days; next deletion tonight 02:00, 3.1 GB".
func retentionLine(name string, c recording.CameraRetention, now time.Time) string {
	keep := "footage kept until the disk cap or reserve needs the space"
	if c.Keep > 0 {
		keep = "footage older than " + durationText(c.Keep)
	}
	next := "nothing to delete yet"
	switch {
	case !c.NextAt.IsZero() && c.Reason == "retention":
		next = fmt.Sprintf("next deletion %s, %s", whenText(c.NextAt, now), sizeText(c.NextBytes))
	case !c.NextAt.IsZero():
		next = fmt.Sprintf("next deletion %s for the %s, %s", whenText(c.NextAt, now), c.Reason, sizeText(c.NextBytes))
	}
	line := fmt.Sprintf("%s: %s; %s", name, keep, next)
	if c.Protected > 0 {
		line += fmt.Sprintf(" (%s kept by protected bookmarks)", sizeText(c.Protected))
	}
	return line
}

// durationText is a retention for people: "7 days", "36 hours".
func durationText(d time.Duration) string { return when.Span(d) }
