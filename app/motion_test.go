package app

import (
	"testing"
	"time"
)

// TestMotionState steps one camera's motion through reports on a clock of
// its own: expiry 4 s, post-roll 2 s.
func TestMotionState(t *testing.T) {
	const expiry, post = 4 * time.Second, 2 * time.Second
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	type report struct {
		at     float64
		source string
		on     bool
	}
	tests := []struct {
		name    string
		reports []report
		active  []float64 // times it must record
		idle    []float64 // times it must not
	}{
		{"an off for a source never on starts no post-roll",
			[]report{{0, "a", false}}, nil, []float64{0, 1}},
		{"off, then the post-roll",
			[]report{{0, "a", true}, {3, "a", false}}, []float64{0, 2.9, 4.9}, []float64{5, 9}},
		{"an unconfirmed on expires, then the post-roll",
			[]report{{0, "a", true}}, []float64{3.9, 5.9}, []float64{6, 20}},
		{"re-confirmed, it lasts",
			[]report{{0, "a", true}, {3, "a", true}, {6, "a", true}}, []float64{9.9, 11.9}, []float64{12}},
		{"on while any source is on",
			[]report{{0, "a", true}, {0, "b", true}, {1, "a", false}, {3, "b", true}}, []float64{6.9}, []float64{9}},
		{"a late off after the expiry does not lengthen it",
			[]report{{0, "a", true}, {10, "a", false}}, []float64{5.9}, []float64{6, 10, 11}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check := func(now float64, want bool) {
				t.Helper()
				m := motionState{expiry: expiry}
				for _, r := range tc.reports {
					if r.at <= now {
						m.set(r.source, r.on, at(r.at))
					}
				}
				if got := m.active(at(now), post); got != want {
					t.Errorf("at %v s: active %v, want %v", now, got, want)
				}
				m.expire(at(now))
				if got := m.active(at(now), post); got != want {
					t.Errorf("at %v s, after expire: active %v, want %v", now, got, want)
				}
			}
			for _, s := range tc.active {
				check(s, true)
			}
			for _, s := range tc.idle {
				check(s, false)
			}
		})
	}
}
