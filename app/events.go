package app

import (
	"context"
	"sync"

	"nightjar/devices"
	"nightjar/devices/onvif"
	"nightjar/storage/catalog"
)

// eventWatchers keeps one pull-point subscription per camera that has
// events, publishing each change on the bus and storing it. The states a
// camera sends on subscribing and when asked again (Initialized) go on the
// bus too, for the recorder's motion expiry, but not into the catalogue.
type eventWatchers struct {
	a      *App
	opt    onvif.WatchOptions
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	byID   map[string]context.CancelFunc
}

// startEvents watches every camera with events until Close.
func (a *App) startEvents() { a.startEventsWith(onvif.WatchOptions{}) }

// startEventsWith is startEvents with the subscriptions' timing; tests
// shorten it. The motion expiry of the recorders must cover its sync
// cadence (see defaultMotionExpiry).
func (a *App) startEventsWith(opt onvif.WatchOptions) {
	ctx, cancel := context.WithCancel(context.Background())
	a.events = &eventWatchers{a: a, opt: opt, ctx: ctx, cancel: cancel, byID: map[string]context.CancelFunc{}}
	a.onClose("event watchers", func() error {
		cancel()
		a.events.wg.Wait()
		return nil
	})
	cams, err := a.DB.Cameras()
	if err != nil {
		a.Log.Error("list cameras for events", "err", err)
		return
	}
	for _, c := range cams {
		a.events.watch(c)
	}
}

func (w *eventWatchers) watch(cam catalog.Camera) {
	if !cam.Events || cam.DeviceURL == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.byID[cam.ID]; ok {
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	w.byID[cam.ID] = cancel
	log := w.a.Log.With("component", "events", "camera", cam.ID)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		pass, err := w.a.cameraPassword(ctx, cam.ID)
		if err != nil {
			log.Warn("no password; not watching events", "err", err)
			return
		}
		c := &onvif.Client{DeviceURL: cam.DeviceURL, Username: cam.Username, Password: pass}
		c.SetClockOffset(cam.ClockOffset)
		opt := w.opt
		opt.Log = log
		c.WatchEvents(ctx, opt, func(e onvif.Event) {
			w.a.Bus.Publish(devices.CameraEvent{CameraID: cam.ID, Event: e})
			if e.Initial {
				return // a property's state, not something that happened
			}
			if err := w.a.DB.PutEvent(catalog.Event{CameraID: cam.ID, Time: e.Time, Kind: string(e.Kind), Topic: e.Topic, Source: e.Source, State: e.State}); err != nil {
				log.Error("store event", "err", err)
			}
		})
	}()
}

// unwatch stops a camera's watcher, when it is removed.
func (w *eventWatchers) unwatch(id string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if cancel, ok := w.byID[id]; ok {
		cancel()
		delete(w.byID, id)
	}
}
