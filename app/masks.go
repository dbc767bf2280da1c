package app

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"nightjar/internal/zones"
	"nightjar/storage/catalog"
)

// recommendedRetention is what a new camera keeps: the few days that
// regulators' guidance for CCTV names (the EDPB's video guidelines say
// 72 hours); keeping longer asks for a reason.
const recommendedRetention = 72 * time.Hour

// Lift bounds.
const (
	// maxLift is the longest a liftable zone stays revealed.
	maxLift = 30 * time.Minute
	// defaultLift is the lift the Playback page offers.
	defaultLift = 5 * time.Minute
)

// Errors of the mask hub; test with errors.Is.
var (
	// errLiftNotAllowed: the user lacks the permission to lift masks.
	errLiftNotAllowed = errors.New("lifting privacy masks is not allowed")
	// errNothingToLift: the camera has no liftable zone.
	errNothingToLift = errors.New("the camera has no liftable zone")
)

// maskable is a player that paints privacy zones.
type maskable interface{ SetMask(*zones.Mask) }

// maskHub is where every picture of a camera gets its privacy mask: live
// players, playback players, snapshots, frames and thumbnails all ask it,
// and a change of zones or a lift reaches every open player at once.
// Live pictures always carry every zone; recorded ones (playback,
// frames, thumbnails) leave out a camera's liftable zones while a lift
// lasts. It is safe for concurrent use.
type maskHub struct {
	db interface {
		Camera(id string) (catalog.Camera, error)
	}
	now func() time.Time

	mu      sync.Mutex
	zones   map[string][]zones.Zone // read through from the catalogue
	players map[string]map[*attached]bool
	lifts   map[string]lift
	gen     uint64 // bumped at every change of zones
}

type attached struct {
	p        maskable
	recorded bool
}

// lift is one camera's liftable zones revealed in playback.
type lift struct {
	Until  time.Time
	Reason string
	By     string
	timer  *time.Timer
}

func newMaskHub(db interface {
	Camera(id string) (catalog.Camera, error)
}) *maskHub {
	return &maskHub{db: db, now: time.Now, zones: map[string][]zones.Zone{},
		players: map[string]map[*attached]bool{}, lifts: map[string]lift{}}
}

// masks is the App's hub, made on first use.
func (a *App) masks() *maskHub {
	a.maskOnce.Do(func() { a.maskHub = newMaskHub(a.DB) })
	return a.maskHub
}

// zonesLocked are camera id's zones, from the catalogue the first time.
// A camera that cannot be read gets a mask over the whole frame: a
// picture whose zones are unknown is not shown bare. Called with h.mu
// held.
func (h *maskHub) zonesLocked(id string) []zones.Zone {
	if zs, ok := h.zones[id]; ok {
		return zs
	}
	cam, err := h.db.Camera(id)
	if err != nil {
		return []zones.Zone{{ID: "unknown", Name: "zones unreadable", Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(0, 0, 1, 1)}}
	}
	h.zones[id] = cam.Zones
	return cam.Zones
}

// maskLocked is the mask of camera id's live (recorded false) or
// recorded pictures. Called with h.mu held.
func (h *maskHub) maskLocked(id string, recorded bool) *zones.Mask {
	zs := h.zonesLocked(id)
	if !recorded {
		return zones.NewMask(zs)
	}
	l, ok := h.lifts[id]
	lifted := ok && h.now().Before(l.Until)
	return zones.NewMask(zones.Shown(zs, func(zones.Zone) bool { return lifted }))
}

// live is the mask for camera id's live pictures: every zone.
func (h *maskHub) live(id string) *zones.Mask {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.maskLocked(id, false)
}

// recorded is the mask for camera id's recorded pictures: every zone but
// the liftable ones while a lift lasts.
func (h *maskHub) recorded(id string) *zones.Mask {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.maskLocked(id, true)
}

// attach gives p camera id's mask now and at every change, until the
// returned detach is called.
func (h *maskHub) attach(id string, p maskable, recorded bool) (detach func()) {
	at := &attached{p: p, recorded: recorded}
	h.mu.Lock()
	if h.players[id] == nil {
		h.players[id] = map[*attached]bool{}
	}
	h.players[id][at] = true
	p.SetMask(h.maskLocked(id, recorded))
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.players[id], at)
	}
}

// refreshLocked hands camera id's players their masks again. Called
// with h.mu held; SetMask only stores a pointer, so it never blocks.
func (h *maskHub) refreshLocked(id string) {
	for at := range h.players[id] {
		at.p.SetMask(h.maskLocked(id, at.recorded))
	}
}

// changed makes the hub read camera id's zones again and repaint its
// players: call it after the zones were saved.
func (h *maskHub) changed(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.zones, id)
	h.gen++
	h.refreshLocked(id)
}

// generation changes whenever any camera's zones do: a cache of masked
// pictures keys on it.
func (h *maskHub) generation() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gen
}

// lift reveals camera id's liftable zones in playback for d (at most
// maxLift), for the reason given, once allowed says the user may. The
// lift ends by itself. Permanent zones are never lifted.
func (h *maskHub) lift(id string, d time.Duration, reason, by string, allowed error) (lift, error) {
	if allowed != nil {
		return lift{}, allowed
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return lift{}, errors.New("lifting a mask needs a reason: say why the hidden area must be seen")
	}
	if d <= 0 || d > maxLift {
		return lift{}, fmt.Errorf("a lift lasts from a second to %s; asked for %s", maxLift, d)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	any := false
	for _, z := range h.zonesLocked(id) {
		any = any || z.Kind == zones.Liftable
	}
	if !any {
		return lift{}, errNothingToLift
	}
	if old, ok := h.lifts[id]; ok && old.timer != nil {
		old.timer.Stop()
	}
	l := lift{Until: h.now().Add(d), Reason: reason, By: by}
	l.timer = time.AfterFunc(d, func() { h.endLift(id, l.Until) })
	h.lifts[id] = l
	h.refreshLocked(id)
	return l, nil
}

// endLift masks camera id again, unless a newer lift replaced the one
// ending at until.
func (h *maskHub) endLift(id string, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.lifts[id]; ok && l.Until.Equal(until) {
		delete(h.lifts, id)
		h.refreshLocked(id)
	}
}

// unlift ends camera id's lift now.
func (h *maskHub) unlift(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.lifts[id]; ok {
		if l.timer != nil {
			l.timer.Stop()
		}
		delete(h.lifts, id)
		h.refreshLocked(id)
	}
}

// lifted is camera id's lift in force, if any.
func (h *maskHub) lifted(id string) (lift, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.lifts[id]
	if !ok || !h.now().Before(l.Until) {
		return lift{}, false
	}
	return l, true
}

// mayLiftMasks is the one permission check for lifting masks, which the
// UI and the CLI both call. Until accounts exist (issue 16 makes it a
// per-role switch), the owner allows it in the settings; it is off by
// default.
func (a *App) mayLiftMasks() error {
	st, err := a.DB.Settings()
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	if !st.AllowLift {
		return fmt.Errorf("%w: it needs the permission to lift masks; the owner can turn on \"Liftable zones may be revealed in playback\" on the Privacy page, or run 'nightjar masks allow-lift on'", errLiftNotAllowed)
	}
	return nil
}
