package app

import (
	"context"
	"time"

	"nightjar/internal/uithread"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
	"nightjar/ui"
)

// RecordSettings implements ui.RecordSettingsStore.
func (s *guiServices) RecordSettings(ctx context.Context, id string) (ui.RecordForm, error) {
	uithread.Check("catalogue: record settings")
	if err := ctx.Err(); err != nil {
		return ui.RecordForm{}, err
	}
	cam, err := s.a.DB.Camera(id)
	if err != nil {
		return ui.RecordForm{}, err
	}
	return recordFormOf(cam.Record), nil
}

func recordFormOf(r catalog.RecordSettings) ui.RecordForm {
	f := ui.RecordForm{Mode: r.Mode, Stream: r.Stream, PreRoll: r.PreRoll, PostRoll: r.PostRoll,
		Retention: r.Retention, FromHour: 8, ToHour: 18}
	if f.Mode == catalog.RecordOff {
		f.Mode = ui.ModeOff
	}
	// The dialog edits one hour range on chosen days; read it back from the
	// first day that has one.
	for d, bits := range r.Schedule {
		if bits == 0 {
			continue
		}
		f.Days[d] = true
		from, to := -1, 0
		for h := 0; h < 24; h++ {
			if bits&(1<<h) != 0 {
				if from < 0 {
					from = h
				}
				to = h + 1
			}
		}
		f.FromHour, f.ToHour = from, to
	}
	return f
}

func recordSettingsOf(f ui.RecordForm) catalog.RecordSettings {
	r := catalog.RecordSettings{Mode: f.Mode, Stream: f.Stream, PreRoll: f.PreRoll, PostRoll: f.PostRoll,
		Retention: f.Retention}
	if r.Mode == ui.ModeOff {
		r.Mode = catalog.RecordOff
	}
	if r.Stream == "main" {
		r.Stream = ""
	}
	var bits uint32
	for h := f.FromHour; h < f.ToHour && h < 24; h++ {
		bits |= 1 << h
	}
	for d, on := range f.Days {
		if on {
			r.Schedule[d] = bits
		}
	}
	return r
}

// SetRecordSettings stores a camera's record settings and applies them to
// its recorder at once.
func (s *guiServices) SetRecordSettings(ctx context.Context, id string, f ui.RecordForm) error {
	uithread.Check("catalogue and recorders: set record settings")
	if err := ctx.Err(); err != nil {
		return err
	}
	cam, err := s.a.DB.Camera(id)
	if err != nil {
		return err
	}
	cam.Record = recordSettingsOf(f)
	if err := s.a.DB.PutCamera(cam); err != nil {
		return err
	}
	s.a.Log.Info("record settings changed", "camera", id, "mode", cam.Record.Mode, "retention", cam.Record.Retention)
	if s.a.recorders != nil {
		s.a.recorders.apply(cam)
	}
	return nil
}

// StorageUsage implements ui.StorageService.
func (s *guiServices) StorageUsage(ctx context.Context) (ui.StorageUsage, error) {
	uithread.Check("disk and catalogue: storage usage")
	store := s.a.recordingStore()
	u, err := store.Usage()
	if err != nil {
		return ui.StorageUsage{}, err
	}
	st, _ := s.a.DB.Settings()
	out := ui.StorageUsage{Bytes: u.Bytes, Free: u.Free, Segments: u.Segments, Reserve: st.Reserve}
	if out.Reserve == 0 {
		out.Reserve = recording.DefaultReserve
	}
	if out.Reserve < 0 {
		out.Reserve = 0
	}
	rows, err := s.a.DB.Segments(catalog.SegmentFilter{From: time.Now().Add(-time.Hour)})
	if err != nil {
		return out, err
	}
	now := time.Now()
	for i, r := range rows {
		if r.State == catalog.SegmentOpen { // being written: its size so far
			rows[i].Size, rows[i].Duration = store.SizeOf(r), now.Sub(r.Start)
		}
	}
	out.BytesPerDay = recordingRate(rows, func(id string) bool {
		return s.a.recorders != nil && s.a.recorders.Recording(id)
	})
	damaged, err := s.a.DB.Segments(catalog.SegmentFilter{State: catalog.SegmentDamaged})
	out.Damaged = len(damaged)
	return out, err
}

// recordingRate is the bytes per day the cameras recording now write,
// each at the rate of its recent segments.
func recordingRate(recent []catalog.Segment, recording func(id string) bool) float64 {
	type acc struct {
		bytes int64
		dur   time.Duration
	}
	per := map[string]*acc{}
	for _, r := range recent {
		if r.Size == 0 || r.Duration == 0 || !recording(r.CameraID) {
			continue
		}
		a := per[r.CameraID]
		if a == nil {
			a = &acc{}
			per[r.CameraID] = a
		}
		a.bytes += r.Size
		a.dur += r.Duration
	}
	var rate float64
	for _, a := range per {
		rate += float64(a.bytes) / a.dur.Seconds() * 86400
	}
	return rate
}

// StorageLimits implements ui.StorageService.
func (s *guiServices) StorageLimits(ctx context.Context) (int64, int64, error) {
	uithread.Check("catalogue: storage limits")
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	st, err := s.a.DB.Settings()
	reserve := st.Reserve
	if reserve == 0 {
		reserve = recording.DefaultReserve
	}
	return st.RecordingCap, max(reserve, 0), err
}

// SetStorageLimits implements ui.StorageService. A zero reserve means
// the default; the next sweep (within a minute) applies the limits.
func (s *guiServices) SetStorageLimits(ctx context.Context, limit, reserve int64) error {
	uithread.Check("catalogue: set storage limits")
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := s.a.DB.Settings()
	if err != nil {
		return err
	}
	st.RecordingCap, st.Reserve = limit, reserve
	if err := s.a.DB.PutSettings(st); err != nil {
		return err
	}
	s.a.Log.Info("storage limits changed", "cap", limit, "reserve", reserve)
	return nil
}
