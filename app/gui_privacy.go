package app

import (
	"context"
	"fmt"
	"image"
	"strings"
	"time"

	"nightjar/internal/uithread"
	"nightjar/internal/zones"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
	"nightjar/ui"
)

// guiPrivacy implements ui.PrivacyService over the same code the CLI's
// masks, retention and erase commands use.
type guiPrivacy struct{ a *App }

// Summary implements ui.PrivacyService: what is recorded, for how long,
// how it is encrypted and where it lives, one sentence each.
func (g guiPrivacy) Summary(ctx context.Context) (ui.PrivacySummary, error) {
	uithread.Check("catalogue: privacy summary")
	cams, err := g.a.DB.Cameras()
	if err != nil {
		return ui.PrivacySummary{}, err
	}
	modes := map[string]int{}
	var keeps []time.Duration
	recording := 0
	zoned := 0
	for _, c := range cams {
		if c.Record.Mode != catalog.RecordOff {
			recording++
			modes[modeText(c.Record.Mode)]++
			keeps = append(keeps, c.Record.Retention)
		}
		if len(c.Zones) > 0 {
			zoned++
		}
	}
	var s ui.PrivacySummary
	switch {
	case len(cams) == 0:
		s.Recorded = "No cameras yet: nothing is recorded."
	case recording == 0:
		s.Recorded = fmt.Sprintf("%d camera(s), none recording: live view only, nothing is stored.", len(cams))
	default:
		var parts []string
		for m, n := range modes {
			parts = append(parts, fmt.Sprintf("%d %s", n, m))
		}
		s.Recorded = fmt.Sprintf("%d of %d camera(s) record (%s), video only, no sound; %d have privacy zones painted over every picture.",
			recording, len(cams), strings.Join(parts, ", "), zoned)
	}
	s.Kept = keepSummary(keeps)
	s.Encryption = "Every recording is encrypted with age, with one key per camera per day; the keys are locked by a master key that only your OS keyring holds. Erasing a whole day destroys its key."
	s.Location = "Footage stays on this PC, in " + g.a.DataDir + ". Nothing is sent anywhere: no cloud, no telemetry."
	return s, nil
}

func modeText(m string) string {
	switch m {
	case catalog.RecordContinuous:
		return "all the time"
	case catalog.RecordEvent:
		return "on motion"
	case catalog.RecordScheduled:
		return "on a schedule"
	case catalog.RecordManual:
		return "by hand"
	}
	return m
}

func keepSummary(keeps []time.Duration) string {
	if len(keeps) == 0 {
		return "Nothing is kept."
	}
	lo, hi, forever := time.Duration(0), time.Duration(0), false
	for _, k := range keeps {
		if k == 0 {
			forever = true
			continue
		}
		if lo == 0 || k < lo {
			lo = k
		}
		hi = max(hi, k)
	}
	switch {
	case forever && hi == 0:
		return "Footage is kept until the disk cap or reserve needs the space: set a retention below (3 days is recommended)."
	case forever:
		return fmt.Sprintf("Footage is kept %s to %s, and on some cameras until the disk fills: set a retention on those.", durationText(lo), durationText(hi))
	case lo == hi:
		return fmt.Sprintf("Footage is kept %s, then deleted by itself.", durationText(lo))
	}
	return fmt.Sprintf("Footage is kept %s to %s, depending on the camera, then deleted by itself.", durationText(lo), durationText(hi))
}

// Zones implements ui.PrivacyService.
func (g guiPrivacy) Zones(ctx context.Context, id string) ([]zones.Zone, error) {
	uithread.Check("catalogue: zones")
	cam, err := g.a.DB.Camera(id)
	return cam.Zones, err
}

// SaveZones implements ui.PrivacyService.
func (g guiPrivacy) SaveZones(ctx context.Context, id string, zs []zones.Zone) error {
	uithread.Check("catalogue: save zones")
	_, err := g.a.saveZones(id, zs)
	return err
}

// EditorFrame implements ui.PrivacyService: a fresh frame of the main
// stream with the saved zones painted in.
func (g guiPrivacy) EditorFrame(ctx context.Context, id string) (*image.RGBA, error) {
	uithread.Check("camera: editor frame")
	_, img, err := g.a.grabFrame(ctx, id)
	return img, err
}

// MaskSupport implements ui.PrivacyService.
func (g guiPrivacy) MaskSupport(ctx context.Context, id string) (ui.MaskSupport, error) {
	uithread.Check("camera: mask support")
	ms, err := g.a.maskSupport(ctx, id)
	if err != nil {
		return ui.MaskSupport{}, err
	}
	out := ui.MaskSupport{Supported: ms.Supported, MaxMasks: ms.MaxMasks, MaxPoints: ms.MaxPoints, Note: ms.Reason}
	if ms.Supported && out.Note == "" {
		out.Note = fmt.Sprintf("This camera can hold %d masks of up to %d points.", ms.MaxMasks, ms.MaxPoints)
		if ms.RectangleOnly {
			out.Note += " It takes rectangles only: each zone goes as its bounding box."
		}
	}
	return out, nil
}

// PushZones implements ui.PrivacyService.
func (g guiPrivacy) PushZones(ctx context.Context, id string) (string, error) {
	uithread.Check("camera: push zones")
	res, err := g.a.pushZones(ctx, id)
	if err != nil {
		return "", err
	}
	msg := fmt.Sprintf("Pushed %d zone(s) to the camera; removed %d mask(s) pushed before.", res.Pushed, res.Removed)
	if len(res.Notes) > 0 {
		msg += " " + strings.Join(res.Notes, " ")
	}
	return msg, nil
}

// Retention implements ui.PrivacyService.
func (g guiPrivacy) Retention(ctx context.Context) (ui.RetentionView, error) {
	uithread.Check("catalogue: retention")
	now := time.Now()
	cams, err := g.a.DB.Cameras()
	if err != nil {
		return ui.RetentionView{}, err
	}
	pv, err := g.a.RetentionPreview(now)
	if err != nil {
		return ui.RetentionView{}, err
	}
	byID := map[string]recording.CameraRetention{}
	for _, c := range pv.Cameras {
		byID[c.CameraID] = c
	}
	v := ui.RetentionView{Recommended: recommendedRetention, Used: pv.Space.Bytes, Free: -1}
	for _, c := range cams {
		cr, ok := byID[c.ID]
		if !ok {
			cr = recording.CameraRetention{CameraID: c.ID, Keep: c.Record.Retention}
		}
		v.Cameras = append(v.Cameras, ui.RetentionRow{CameraID: c.ID, Name: c.Name, Keep: c.Record.Retention,
			Reason: c.Record.RetentionReason, Next: strings.TrimPrefix(retentionLine(c.Name, cr, now), c.Name+": ")})
	}
	st, err := g.a.DB.Settings()
	if err != nil {
		return v, err
	}
	v.Cap, v.Reserve = st.RecordingCap, st.Reserve
	if v.Reserve == 0 {
		v.Reserve = recording.DefaultReserve
	}
	if f, err := g.a.recordingStore().FreeBytes(); err == nil {
		v.Free = f
	}
	return v, nil
}

// SetRetention implements ui.PrivacyService. Keeping footage beyond the
// recommended days needs a reason.
func (g guiPrivacy) SetRetention(ctx context.Context, id string, keep time.Duration, reason string) error {
	uithread.Check("catalogue: set retention")
	reason = strings.TrimSpace(reason)
	if keep > recommendedRetention && reason == "" {
		return fmt.Errorf("keeping footage longer than %s needs a reason (regulators expect one)", durationText(recommendedRetention))
	}
	if keep < 0 {
		return fmt.Errorf("retention cannot be negative")
	}
	cam, err := g.a.DB.Camera(id)
	if err != nil {
		return err
	}
	cam.Record.Retention, cam.Record.RetentionReason = keep, reason
	if keep <= recommendedRetention {
		cam.Record.RetentionReason = ""
	}
	if err := g.a.DB.PutCamera(cam); err != nil {
		return err
	}
	g.a.Log.Info("retention changed", "component", "privacy", "camera", id, "keep", keep, "reason", reason)
	return nil
}

// AllowLift implements ui.PrivacyService.
func (g guiPrivacy) AllowLift(ctx context.Context) (bool, error) {
	uithread.Check("catalogue: allow lift")
	st, err := g.a.DB.Settings()
	return st.AllowLift, err
}

// SetAllowLift implements ui.PrivacyService.
func (g guiPrivacy) SetAllowLift(ctx context.Context, on bool) error {
	uithread.Check("catalogue: set allow lift")
	st, err := g.a.DB.Settings()
	if err != nil {
		return err
	}
	st.AllowLift = on
	if err := g.a.DB.PutSettings(st); err != nil {
		return err
	}
	g.a.Log.Info("lifting liftable zones in playback", "component", "privacy", "allowed", on)
	return nil
}

func eraseRequest(req ui.EraseRequest) recording.EraseRequest {
	r := recording.EraseRequest{From: req.From, To: req.To, Reason: req.Reason}
	if req.CameraID != "" {
		r.CameraIDs = []string{req.CameraID}
	}
	return r
}

// cameraNames maps camera IDs to names, for people.
func (g guiPrivacy) cameraNames(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if c, err := g.a.DB.Camera(id); err == nil {
			out = append(out, c.Name)
		} else {
			out = append(out, id+" (removed)")
		}
	}
	return out
}

func bookmarkNames(bs []catalog.Bookmark) []string {
	var out []string
	for _, b := range bs {
		note := b.Note
		if note == "" {
			note = "(no note)"
		}
		out = append(out, fmt.Sprintf("%s %s–%s: %s", b.CameraID, b.From.Local().Format("2006-01-02 15:04"), b.To.Local().Format("15:04"), note))
	}
	return out
}

// PlanErase implements ui.PrivacyService.
func (g guiPrivacy) PlanErase(ctx context.Context, req ui.EraseRequest) (ui.ErasePlan, error) {
	uithread.Check("catalogue: plan erase")
	p, err := g.a.PlanErase(ctx, eraseRequest(req))
	if err != nil {
		return ui.ErasePlan{}, err
	}
	out := ui.ErasePlan{Cameras: g.cameraNames(p.Cameras), Segments: len(p.Segments), Bytes: p.Bytes, Duration: p.Duration,
		From: p.ErasedFrom, To: p.ErasedTo, WholeDays: p.WholeDays, Bookmarks: bookmarkNames(p.Bookmarks)}
	var notes []string
	if n := len(p.Rekey); n > 0 {
		notes = append(notes, fmt.Sprintf("%d segment(s) of other cameras are re-encrypted first, so only this footage becomes unreadable.", n))
	}
	notes = append(notes, p.Kept...)
	out.Note = strings.Join(notes, " ")
	return out, nil
}

// Erase implements ui.PrivacyService.
func (g guiPrivacy) Erase(ctx context.Context, req ui.EraseRequest) (ui.EraseReceipt, error) {
	uithread.Check("catalogue: erase")
	rec, err := g.a.EraseRange(ctx, eraseRequest(req))
	if err != nil {
		return ui.EraseReceipt{}, err
	}
	return g.receipt(rec), nil
}

func (g guiPrivacy) receipt(e catalog.Erasure) ui.EraseReceipt {
	return ui.EraseReceipt{ID: e.ID, At: e.At, By: e.By, Cameras: g.cameraNames(e.Cameras), From: e.ErasedFrom, To: e.ErasedTo,
		Segments: e.Segments, Bytes: e.Bytes, ShreddedDays: e.ShreddedKeys, Bookmarks: bookmarkNames(e.Bookmarks), Reason: e.Reason}
}

// Receipts implements ui.PrivacyService.
func (g guiPrivacy) Receipts(ctx context.Context) ([]ui.EraseReceipt, error) {
	uithread.Check("catalogue: erasure record")
	es, err := g.a.Erasures()
	if err != nil {
		return nil, err
	}
	out := make([]ui.EraseReceipt, 0, len(es))
	for _, e := range es {
		out = append(out, g.receipt(e))
	}
	return out, nil
}
