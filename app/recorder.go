package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"nightjar/devices"
	"nightjar/devices/ingest"
	"nightjar/devices/onvif"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
	"nightjar/storage/secrets"
)

// recordingOptions tune the recording service; tests shorten them.
type recordingOptions struct {
	SegmentLength time.Duration // default 60 s
	SweepEvery    time.Duration // default 1 min
	FlushInterval time.Duration // default: the store's
	MotionExpiry  time.Duration // default defaultMotionExpiry
}

// recorders runs one recorder per camera whose mode or manual switch asks
// for footage, and the retention sweeper.
type recorders struct {
	a     *App
	store *recording.Store
	opt   recordingOptions
	log   *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu   sync.Mutex
	cams map[string]*camRecorder
}

// camRecorder is one camera's ingest and recorder.
type camRecorder struct {
	cam    catalog.Camera
	rec    *recording.Recorder
	client *ingest.Client
	cancel context.CancelFunc
	done   chan struct{}
	manual bool
	motion motionState
}

// recordingStore opens the store on the data directory. Demo mode keys it
// with an in-memory master key.
func (a *App) recordingStore() *recording.Store {
	a.storeOnce.Do(func() {
		install, err := a.DB.InstallID()
		if err != nil {
			a.Log.Error("read install id", "err", err) // Keys then fail with the keyring's error
		}
		ring := a.Secrets
		if a.Demo != nil { // a demo never writes into the user's keyring
			ring = &secrets.Store{Backend: &secrets.Memory{}}
		}
		a.store = &recording.Store{
			Dir:  filepath.Join(a.DataDir, "recordings"),
			DB:   a.DB,
			Keys: recording.NewKeys(ring, recording.MasterKeyName(install), a.DB),
			Log:  a.Log.With("component", "recordings"),
		}
	})
	return a.store
}

// startRecorders recovers unfinished segments, then starts a recorder for
// every camera with a record mode (or, when only is set, a manual recorder
// for that camera alone), and the sweeper.
func (a *App) startRecorders(opt recordingOptions, only string) (*recorders, error) {
	store := a.recordingStore()
	if opt.FlushInterval != 0 {
		store.FlushInterval = opt.FlushInterval
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &recorders{a: a, store: store, opt: opt, log: a.Log.With("component", "recorder"),
		ctx: ctx, cancel: cancel, cams: map[string]*camRecorder{}}
	rctx, rcancel := context.WithTimeout(ctx, 2*time.Minute)
	rep, err := store.Recover(rctx)
	rcancel()
	if err != nil {
		cancel()
		return nil, fmt.Errorf("recover recordings: %w", err)
	}
	if len(rep.Recovered)+len(rep.Removed) > 0 {
		r.log.Info("recovered after an unclean stop", "recovered", len(rep.Recovered), "removed", len(rep.Removed))
	}
	a.recorders = r
	a.onClose("recorders", func() error { r.close(); return nil })
	if only != "" {
		cam, err := a.DB.Camera(only)
		if err != nil {
			return r, err
		}
		r.mu.Lock()
		r.startLocked(cam, true)
		r.updateWantLocked(time.Now())
		r.mu.Unlock()
	} else {
		cams, err := a.DB.Cameras()
		if err != nil {
			return r, err
		}
		for _, c := range cams {
			r.apply(c)
		}
	}
	events, unsub := a.Bus.Subscribe("recorder", 64)
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		defer unsub()
		r.watchEvents(events)
	}()
	go func() {
		defer r.wg.Done()
		r.loop()
	}()
	return r, nil
}

func (r *recorders) close() {
	r.cancel()
	r.mu.Lock()
	for _, c := range r.cams {
		r.stopLocked(c)
	}
	r.cams = map[string]*camRecorder{}
	r.mu.Unlock()
	r.wg.Wait()
}

// apply starts or stops cam's recorder to match its settings.
func (r *recorders) apply(cam catalog.Camera) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cams[cam.ID]
	if c != nil {
		c.cam = cam
	}
	need := cam.Record.Mode != catalog.RecordOff || (c != nil && c.manual)
	switch {
	case need && c == nil:
		r.startLocked(cam, false)
	case !need && c != nil:
		r.stopLocked(c)
		delete(r.cams, cam.ID)
	case need && c != nil:
		c.rec.SetPreRoll(preRollOf(cam.Record))
	}
	r.updateWantLocked(time.Now())
}

func preRollOf(s catalog.RecordSettings) time.Duration {
	if s.PreRoll > 0 {
		return min(s.PreRoll, 10*time.Second)
	}
	return 5 * time.Second
}

func (r *recorders) startLocked(cam catalog.Camera, manual bool) *camRecorder {
	log := r.log.With("camera", cam.ID)
	rec := &recording.Recorder{Store: r.store, CameraID: cam.ID, SegmentLength: r.opt.SegmentLength,
		PreRoll: preRollOf(cam.Record), Log: log}
	expiry := r.opt.MotionExpiry
	if expiry <= 0 {
		expiry = defaultMotionExpiry
	}
	c := &camRecorder{cam: cam, rec: rec, manual: manual, done: make(chan struct{}), motion: motionState{expiry: expiry}}
	ctx, cancel := context.WithCancel(r.ctx)
	c.cancel = cancel
	r.cams[cam.ID] = c
	go func() {
		defer close(c.done)
		uri := cam.MainURI
		if cam.Record.Stream == "sub" && cam.SubURI != "" {
			uri = cam.SubURI
		}
		if uri == "" {
			log.Error("camera has no stream address; not recording")
			return
		}
		pass, err := r.a.cameraPassword(ctx, cam.ID)
		if err != nil {
			log.Error("no password; not recording", "err", err)
			return
		}
		full, err := r.a.streamURL(cam, uri, pass, "record")
		if err != nil {
			log.Error("stream address", "err", err)
			return
		}
		c.client = &ingest.Client{URL: full, Handler: ingestAdapter{rec}, Log: log}
		c.client.Run(ctx)
	}()
	return c
}

func (r *recorders) stopLocked(c *camRecorder) {
	c.cancel()
	<-c.done
	c.rec.Close()
}

// ingestAdapter feeds ingest sessions into a recorder.
type ingestAdapter struct{ rec *recording.Recorder }

func (a ingestAdapter) SessionStart(tracks []ingest.Track) {
	out := make([]recording.Track, len(tracks))
	for i, t := range tracks {
		out[i] = recording.Track{Codec: t.Codec, AAC: t.AAC, Params: t.Params, Width: t.Width, Height: t.Height}
	}
	a.rec.Start(out)
}

func (a ingestAdapter) SessionFrame(f ingest.Frame) {
	a.rec.WriteFrame(recording.Frame{Track: f.Track, PTS: f.PTS, AU: f.AU, Arrived: f.Arrived})
}

func (a ingestAdapter) SessionStop(error) { a.rec.Stop() }

// want decides whether c records at now, and why.
func (c *camRecorder) want(now time.Time) (bool, string) {
	if c.manual {
		return true, catalog.RecordManual
	}
	s := c.cam.Record
	switch s.Mode {
	case catalog.RecordContinuous:
		return true, catalog.RecordContinuous
	case catalog.RecordScheduled:
		return s.Scheduled(now), "schedule"
	case catalog.RecordEvent:
		post := s.PostRoll
		if post <= 0 {
			post = 10 * time.Second
		}
		return c.motion.active(now, post), catalog.RecordEvent
	}
	return false, ""
}

func (r *recorders) updateWantLocked(now time.Time) {
	for id, c := range r.cams {
		for _, src := range c.motion.expire(now) {
			r.log.Warn("motion not confirmed again in time; taken as ended", "camera", id, "source", src, "expiry", c.motion.expiry)
		}
		on, why := c.want(now)
		c.rec.SetWant(on, why)
	}
}

// watchEvents follows motion for event-mode recording. Changes and the
// states a camera sends again (Initialized) alike refresh it.
func (r *recorders) watchEvents(events <-chan devices.CameraEvent) {
	for {
		select {
		case <-r.ctx.Done():
			return
		case e := <-events:
			if e.Kind != onvif.EventMotion {
				continue
			}
			r.mu.Lock()
			if c := r.cams[e.CameraID]; c != nil {
				now := time.Now()
				c.motion.set(e.Topic+" "+e.Source, e.State, now)
				r.updateWantLocked(now)
			}
			r.mu.Unlock()
		}
	}
}

// loop pads idle segments, follows schedules and post-roll, sweeps, and
// resumes recording after a full disk.
func (r *recorders) loop() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	sweepEvery := r.opt.SweepEvery
	if sweepEvery <= 0 {
		sweepEvery = time.Minute
	}
	nextSweep := time.Now()
	nextWant := time.Now()
	nextFree := time.Now()
	nextResume := time.Now()
	for {
		select {
		case <-r.ctx.Done():
			return
		case now := <-tick.C:
			r.mu.Lock()
			var failed []*camRecorder
			for _, c := range r.cams {
				c.rec.Tick(now)
				if c.rec.Err() != nil {
					failed = append(failed, c)
				}
			}
			if !now.Before(nextWant) {
				r.updateWantLocked(now)
				nextWant = now.Add(time.Second)
			}
			r.mu.Unlock()
			if !now.Before(nextFree) {
				// Between sweeps, a cheap look at the disk keeps the
				// reserve ahead of a fast writer.
				nextFree = now.Add(2 * time.Second)
				if r.belowReserve() {
					nextSweep = now
				}
			}
			retry := len(failed) > 0 && !now.Before(nextResume)
			if retry || !now.Before(nextSweep) {
				r.sweep()
				nextSweep = now.Add(sweepEvery)
			}
			if retry {
				// A full disk or a lost key does not mend in 100 ms.
				nextResume = now.Add(2 * time.Second)
				r.resume(failed)
			}
		}
	}
}

// policy reads the retention settings.
func (r *recorders) policy() recording.Policy { return retentionPolicy(r.a.DB, r.log) }

// retentionPolicy reads the retention settings: per-camera retention, the
// cap and the reserve. Protected is left to the caller.
func retentionPolicy(db *catalog.DB, log *slog.Logger) recording.Policy {
	st, err := db.Settings()
	if err != nil {
		log.Warn("read settings; using defaults", "err", err)
	}
	ret := map[string]time.Duration{}
	if cams, err := db.Cameras(); err == nil {
		for _, c := range cams {
			ret[c.ID] = c.Record.Retention
		}
	}
	return recording.Policy{
		Retention: func(id string) time.Duration { return ret[id] },
		Cap:       st.RecordingCap,
		Reserve:   st.Reserve,
	}
}

func (r *recorders) sweep() {
	ctx, cancel := context.WithTimeout(r.ctx, time.Minute)
	defer cancel()
	p := r.policy()
	p.Protected = protectedBy(r.a.DB, r.log) // read once a sweep, not at every reserve check
	rep, err := r.store.Sweep(ctx, p)
	if err != nil && !errors.Is(err, context.Canceled) {
		r.log.Error("retention sweep", "err", err)
		return
	}
	if rep.Short {
		r.log.Warn("disk reserve not met and nothing finished is left to delete", "free", rep.Free,
			"protected_segments", rep.Kept, "protected_bytes", rep.KeptBytes)
	}
}

// belowReserve reports whether the disk has less free space than the
// reserve.
func (r *recorders) belowReserve() bool {
	reserve := r.policy().Reserve
	if reserve == 0 {
		reserve = recording.DefaultReserve
	}
	if reserve < 0 {
		return false
	}
	free, err := r.store.FreeBytes()
	return err == nil && free < reserve
}

// resumeFree is the free space a recorder stopped by a full disk waits for.
const resumeFree = 4 << 20

// resume restarts recorders stopped by a write error once the disk has
// room: recover their unfinished segments, then write again.
func (r *recorders) resume(failed []*camRecorder) {
	free, err := r.store.FreeBytes()
	if err != nil || free < resumeFree {
		return // still full
	}
	ctx, cancel := context.WithTimeout(r.ctx, time.Minute)
	defer cancel()
	if _, err := r.store.Recover(ctx); err != nil {
		r.log.Warn("recover after a write error", "err", err)
		return
	}
	for _, c := range failed {
		r.log.Info("disk has room again; recording resumes", "camera", c.cam.ID)
		c.rec.Resume()
	}
}

// ToggleManual starts or stops manual recording of a camera and reports
// whether it is now on.
func (r *recorders) ToggleManual(id string) (bool, error) {
	cam, err := r.a.DB.Camera(id)
	if err != nil {
		return false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cams[id]
	if c == nil {
		c = r.startLocked(cam, true)
	} else {
		c.manual = !c.manual
	}
	on := c.manual
	if !on && cam.Record.Mode == catalog.RecordOff {
		r.stopLocked(c)
		delete(r.cams, id)
	}
	r.updateWantLocked(time.Now())
	r.log.Info("manual recording", "camera", id, "on", on)
	return on, nil
}

// Recording reports whether a camera is writing footage now.
func (r *recorders) Recording(id string) bool {
	r.mu.Lock()
	c := r.cams[id]
	r.mu.Unlock()
	return c != nil && c.rec.Recording()
}

// remove stops a camera's recorder, for a camera being removed.
func (r *recorders) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.cams[id]; c != nil {
		r.stopLocked(c)
		delete(r.cams, id)
	}
}
