package app

import (
	"time"

	"nightjar/devices/onvif"
)

// defaultMotionExpiry is how long a motion "on" is believed without being
// confirmed again. ONVIF cameras send motion as a property: a Changed
// message when it changes, and its state as Initialized when subscribed or
// asked (SetSynchronizationPoint). The event watcher asks every
// onvif.DefaultSyncEvery (20 s), and the answer comes with the next pull,
// within one long poll (onvif.DefaultPullWait, 10 s); 15 s more covers
// the two calls on a slow camera (5 s each) with room to spare. So a
// camera still seeing motion confirms it in time, and an "on" whose "off"
// was lost, on the bus or on the way, or whose camera went away, ends
// 45 s after it was last confirmed. Event-mode recording then stops a
// post-roll later.
const defaultMotionExpiry = onvif.DefaultSyncEvery + onvif.DefaultPullWait + 15*time.Second

// motionState is one camera's motion, per event source (topic and source
// item, as a camera may report motion on several): on while any source is
// on and was confirmed within the expiry.
type motionState struct {
	expiry time.Duration
	on     map[string]time.Time // source -> when it was last reported on
	ended  time.Time            // when motion last ended: an off, or an expired on
}

// set takes a report, at now, that source's motion is on or off. An off
// for a source that was not on changes nothing: it ends no motion.
func (m *motionState) set(source string, on bool, now time.Time) {
	if on {
		if m.on == nil {
			m.on = map[string]time.Time{}
		}
		m.on[source] = now
		return
	}
	if seen, was := m.on[source]; was {
		delete(m.on, source)
		end := now
		if exp := seen.Add(m.expiry); exp.Before(now) {
			end = exp // it had expired already: a late off does not lengthen it
		}
		m.ended = later(m.ended, end)
	}
}

// active reports whether motion is on at now, or ended less than post
// before it.
func (m *motionState) active(now time.Time, post time.Duration) bool {
	ended := m.ended
	for _, seen := range m.on {
		if now.Sub(seen) < m.expiry {
			return true
		}
		ended = later(ended, seen.Add(m.expiry))
	}
	return !ended.IsZero() && now.Sub(ended) < post
}

// expire ends the motion of the sources not confirmed within the expiry,
// and returns them.
func (m *motionState) expire(now time.Time) []string {
	var out []string
	for src, seen := range m.on {
		if now.Sub(seen) >= m.expiry {
			delete(m.on, src)
			m.ended = later(m.ended, seen.Add(m.expiry))
			out = append(out, src)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
