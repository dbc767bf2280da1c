package recording

import (
	"sort"
	"time"

	"nightjar/storage/catalog"
)

// PreviewWindow is how far past a camera's next deletion its NextBytes
// looks: the footage that falls due in the day from NextAt.
const PreviewWindow = 24 * time.Hour

// CameraRetention is what Sweep will delete next of one camera's footage.
type CameraRetention struct {
	CameraID string
	// Keep is the camera's retention; zero keeps footage until the cap or
	// the reserve needs the space.
	Keep time.Duration
	// Bytes and Oldest describe the camera's finished footage now.
	Bytes  int64
	Oldest time.Time
	// NextAt is the first sweep that deletes some of the camera's
	// footage: for retention, the first sweep after the oldest segment's
	// end plus Keep; for the cap or reserve, when the forecast fills it.
	// Zero when nothing will be deleted.
	NextAt time.Time
	// NextBytes is what sweeps delete of the camera from NextAt through
	// PreviewWindow after it, at the current recording rate.
	NextBytes int64
	// Reason is "retention", "disk cap" or "disk reserve" (as in
	// Deletion), empty when NextAt is zero.
	Reason string
	// Protected counts the bytes that protected bookmarks keep.
	Protected int64
}

// SpaceForecast says when the cap or the reserve will start deleting.
type SpaceForecast struct {
	// Bytes is all finished footage now.
	Bytes int64
	// PerDay is what all cameras record per day: the bytes of the last
	// 24 h, scaled up when the footage spans less.
	PerDay int64
	// Steady is the footage that retention settles at, at PerDay; -1 when
	// a camera with footage has no retention.
	Steady int64
	// Limit is what the cap or the reserve (free space less Reserve) lets
	// the footage grow to, the smaller of the two; -1 when neither bounds
	// it. LimitReason is "disk cap" or "disk reserve".
	Limit       int64
	LimitReason string
	// FullAt is the sweep at which footage reaches Limit at PerDay; zero
	// when it never does (no limit, nothing recorded, or retention keeps
	// it below Limit).
	FullAt time.Time
}

// RetentionPreview is the result of PreviewRetention.
type RetentionPreview struct {
	Cameras []CameraRetention // by camera ID
	Space   SpaceForecast
}

// PreviewRetention says what Sweep under p will delete next, per camera,
// and when the cap or reserve starts deleting. It is a pure function of
// the catalogue rows, the free bytes on the disk (-1 when unknown), the
// clock and the sweep interval (the app sweeps every minute): deletion
// times are rounded up to the next multiple of sweepEvery. Segments being
// written, and those p.Protected keeps, are never counted as due.
func PreviewRetention(rows []catalog.Segment, p Policy, free int64, now time.Time, sweepEvery time.Duration) RetentionPreview {
	if sweepEvery <= 0 {
		sweepEvery = time.Minute
	}
	tick := func(t time.Time) time.Time {
		if t.Before(now) {
			t = now
		}
		return t.Truncate(sweepEvery).Add(sweepEvery)
	}
	rows = append([]catalog.Segment(nil), rows...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Start.Before(rows[j].Start) })
	keep := func(cam string) time.Duration {
		if p.Retention == nil {
			return 0
		}
		return p.Retention(cam)
	}

	var out RetentionPreview
	byCam := map[string]*CameraRetention{}
	camOf := func(id string) *CameraRetention {
		c := byCam[id]
		if c == nil {
			c = &CameraRetention{CameraID: id, Keep: keep(id)}
			byCam[id] = c
		}
		return c
	}
	recent := map[string]int64{} // bytes of the last 24 h per camera
	var oldest time.Time
	var due []catalog.Segment // finished, unprotected: what sweeps may delete
	for _, r := range rows {
		c := camOf(r.CameraID)
		if r.State == catalog.SegmentOpen {
			continue
		}
		c.Bytes += r.Size
		out.Space.Bytes += r.Size
		if c.Oldest.IsZero() {
			c.Oldest = r.Start
		}
		if oldest.IsZero() {
			oldest = r.Start
		}
		if !r.Start.Before(now.Add(-24 * time.Hour)) {
			recent[r.CameraID] += r.Size
		}
		if p.Protected != nil && p.Protected(r) {
			c.Protected += r.Size
			continue
		}
		due = append(due, r)
	}

	// Retention: each segment goes at the first sweep after End + Keep.
	retainedAt := map[string]time.Time{} // file -> sweep that deletes it
	for _, r := range due {
		c := byCam[r.CameraID]
		if c.Keep <= 0 {
			continue
		}
		at := tick(r.End().Add(c.Keep))
		retainedAt[r.File] = at
		if c.NextAt.IsZero() || at.Before(c.NextAt) {
			c.NextAt, c.Reason = at, "retention"
		}
	}
	for _, r := range due {
		c := byCam[r.CameraID]
		if at, ok := retainedAt[r.File]; ok && at.Before(c.NextAt.Add(PreviewWindow)) {
			c.NextBytes += r.Size
		}
	}

	// The recording rate, from the last day or the span recorded.
	span := 24 * time.Hour
	if !oldest.IsZero() && now.Sub(oldest) < span {
		span = now.Sub(oldest)
	}
	perDay := func(b int64) int64 {
		if span < sweepEvery {
			return 0
		}
		return int64(float64(b) * float64(24*time.Hour) / float64(span))
	}
	var total int64
	out.Space.Steady = 0
	for id, b := range recent {
		total += b
		k := byCam[id].Keep
		if k <= 0 {
			out.Space.Steady = -1
		} else if out.Space.Steady >= 0 {
			out.Space.Steady += int64(float64(perDay(b)) * k.Hours() / 24)
		}
	}
	out.Space.PerDay = perDay(total)
	forecastSpace(&out.Space, p, free, now, tick)

	// The cap or reserve deletes oldest first, a day's recording a day,
	// of what retention has not taken by then.
	if !out.Space.FullAt.IsZero() {
		need := out.Space.PerDay + max(0, out.Space.Bytes-out.Space.Limit)
		hit := map[string]int64{}
		for _, r := range due {
			if need <= 0 {
				break
			}
			if at, ok := retainedAt[r.File]; ok && !at.After(out.Space.FullAt) {
				continue
			}
			hit[r.CameraID] += r.Size
			need -= r.Size
		}
		for id, b := range hit {
			c := byCam[id]
			if c.NextAt.IsZero() || out.Space.FullAt.Before(c.NextAt) {
				c.NextAt, c.NextBytes, c.Reason = out.Space.FullAt, b, out.Space.LimitReason
			}
		}
	}

	for _, c := range byCam {
		out.Cameras = append(out.Cameras, *c)
	}
	sort.Slice(out.Cameras, func(i, j int) bool { return out.Cameras[i].CameraID < out.Cameras[j].CameraID })
	return out
}

// forecastSpace fills in the limit and when footage reaches it.
func forecastSpace(s *SpaceForecast, p Policy, free int64, now time.Time, tick func(time.Time) time.Time) {
	s.Limit = -1
	if p.Cap > 0 {
		s.Limit, s.LimitReason = p.Cap, "disk cap"
	}
	reserve := p.Reserve
	if reserve == 0 {
		reserve = DefaultReserve
	}
	if reserve > 0 && free >= 0 {
		if l := s.Bytes + free - reserve; s.Limit < 0 || l < s.Limit {
			s.Limit, s.LimitReason = max(0, l), "disk reserve"
		}
	}
	switch {
	case s.Limit < 0:
	case s.Bytes >= s.Limit:
		s.FullAt = tick(now)
	case s.PerDay <= 0, s.Steady >= 0 && s.Steady <= s.Limit:
		// Nothing is recorded, or retention keeps footage below it.
	default:
		days := float64(s.Limit-s.Bytes) / float64(s.PerDay)
		s.FullAt = tick(now.Add(time.Duration(days * float64(24*time.Hour))))
	}
}
