package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// Keyboard control of the wall, for guards who drive it all shift:
//
//	arrows        pan/tilt the selected PTZ camera while held
//	+ / -         zoom while held
//	H             home position
//	1–9           go to preset n; Ctrl+1–9 saves it
//	Enter         fill the wall with the selected camera; Esc goes back
//	Tab           select the next camera
//	I             show or hide the stats lines
//	S             save a snapshot of the selected camera
//	R             start or stop recording the selected camera
//	P             replay the selected camera from 30 s ago, in its tile
//	L             next layout
//	Esc or L      on a replay: back to live first (then as above)
//
// A playback wall (WallConfig.Playback) has no PTZ, recording or replay
// keys.

// ptzKeys are the keys that move while held.
var ptzKeys = map[fyne.KeyName]bool{
	fyne.KeyLeft: true, fyne.KeyRight: true, fyne.KeyUp: true, fyne.KeyDown: true,
	fyne.KeyPlus: true, fyne.KeyEqual: true, fyne.KeyMinus: true, "KP_Add": true, "KP_Subtract": true,
}

type wallKeys struct {
	held  map[fyne.KeyName]bool
	ctrl  bool
	speed float64
	// moving is the stream a continuous move was sent to, or -1.
	moving int
	// nudged is the PTZ a pad tap moved, and nudge the timer that stops
	// it; both nil when no nudge runs.
	nudged PTZControl
	nudge  *time.Timer
}

func (w *Wall) keys() *wallKeys {
	if w.kb == nil {
		w.kb = &wallKeys{held: map[fyne.KeyName]bool{}, speed: 0.5, moving: -1}
	}
	return w.kb
}

// SetPTZSpeed sets the speed of keyboard and pad moves (0.05..1).
func (w *Wall) SetPTZSpeed(v float64) { w.keys().speed = min(1, max(0.05, v)) }

// PTZSpeed returns the current move speed.
func (w *Wall) PTZSpeed() float64 { return w.keys().speed }

// KeyDown handles a key press (desktop key-down events).
func (w *Wall) KeyDown(k fyne.KeyName) {
	kb := w.keys()
	switch k {
	case "LeftControl", "RightControl":
		kb.ctrl = true
		return
	}
	if ptzKeys[k] && !kb.held[k] {
		kb.held[k] = true
		w.applyPTZ()
	}
}

// KeyUp handles a key release: a move stops when its key is let go.
func (w *Wall) KeyUp(k fyne.KeyName) {
	kb := w.keys()
	switch k {
	case "LeftControl", "RightControl":
		kb.ctrl = false
		return
	}
	if kb.held[k] {
		delete(kb.held, k)
		w.applyPTZ()
	}
}

// applyPTZ sends the velocity the held keys ask for; none held stops.
func (w *Wall) applyPTZ() {
	kb := w.keys()
	v := func(pos []fyne.KeyName, neg ...fyne.KeyName) float64 {
		d := 0.0
		for _, k := range pos {
			if kb.held[k] {
				d = 1
			}
		}
		for _, k := range neg {
			if kb.held[k] {
				d--
			}
		}
		return d * kb.speed
	}
	pan := v([]fyne.KeyName{fyne.KeyRight}, fyne.KeyLeft)
	tilt := v([]fyne.KeyName{fyne.KeyUp}, fyne.KeyDown)
	zoom := v([]fyne.KeyName{fyne.KeyPlus, fyne.KeyEqual, "KP_Add"}, fyne.KeyMinus, "KP_Subtract")
	if pan == 0 && tilt == 0 && zoom == 0 {
		w.StopPTZ()
		return
	}
	ptz := w.selectedPTZ()
	if ptz == nil {
		return
	}
	if kb.moving >= 0 && kb.moving != w.model.selected {
		w.StopPTZ() // the selection changed mid-move: stop the old camera
	}
	kb.moving = w.model.selected
	ptz.Move(pan, tilt, zoom)
}

// StopPTZ stops any move the wall started, held key or pad nudge. It is
// called on key release, on focus loss, when the page changes and when
// the window closes, so a camera never keeps spinning.
func (w *Wall) StopPTZ() {
	kb := w.keys()
	if kb.moving >= 0 && kb.moving < len(w.streams) {
		if p := w.streams[kb.moving].PTZ; p != nil {
			p.Stop()
		}
	}
	kb.moving = -1
	clear(kb.held)
	w.endNudge()
}

// nudge is how long a tap on the pad moves the camera.
const nudge = 400 * time.Millisecond

// NudgePTZ moves the selected camera for a moment: a tap on the pad.
// pan, tilt and zoom are directions in -1..1, scaled by the move speed.
// The stop comes through the UI goroutine, and never after the wall has
// closed: Close stops the camera at once instead.
func (w *Wall) NudgePTZ(pan, tilt, zoom float64) {
	ptz := w.selectedPTZ()
	if ptz == nil || w.closed() {
		return
	}
	kb := w.keys()
	w.endNudge() // a nudge of another camera stops first
	s := kb.speed
	ptz.Move(pan*s, tilt*s, zoom*s)
	kb.nudged = ptz
	var t *time.Timer
	t = time.AfterFunc(nudge, func() {
		toUI(func() {
			if kb.nudge == t {
				w.endNudge()
			}
		})
	})
	kb.nudge = t
}

// endNudge stops the camera a pad tap moved, if it still moves.
func (w *Wall) endNudge() {
	kb := w.keys()
	if kb.nudge == nil {
		return
	}
	kb.nudge.Stop()
	kb.nudge = nil
	if !w.closed() {
		kb.nudged.Stop()
	}
	kb.nudged = nil
}

func (w *Wall) selectedPTZ() PTZControl {
	if w.playback || w.model.selected < 0 || w.model.selected >= len(w.streams) {
		return nil
	}
	return w.streams[w.model.selected].PTZ
}

// TypedKey handles the wall's single-press keys.
func (w *Wall) TypedKey(ev *fyne.KeyEvent) {
	kb := w.keys()
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		w.Fullscreen(w.model.selected)
	case fyne.KeyEscape:
		if !w.BackToLiveSelected() {
			w.Fullscreen(-1)
		}
	case fyne.KeyTab:
		w.StopPTZ()
		w.Select((w.model.selected + 1) % max(1, len(w.streams)))
	case fyne.KeyI:
		w.ToggleStats()
	case fyne.KeyS:
		w.SnapshotSelected()
	case fyne.KeyR:
		w.ToggleRecordSelected()
	case fyne.KeyP:
		w.ReplaySelected()
	case fyne.KeyL:
		if !w.BackToLiveSelected() {
			w.SetLayout(nextLayout(w.model.layout))
		}
	case fyne.KeyH:
		if p := w.selectedPTZ(); p != nil {
			p.Home()
		}
	case fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9:
		n := int(ev.Name[0] - '0')
		if p := w.selectedPTZ(); p != nil {
			if kb.ctrl {
				p.SetPreset(n)
			} else {
				p.GotoPreset(n)
			}
		}
	}
}

func nextLayout(cur Layout) Layout {
	for i, l := range Layouts {
		if l.Name == cur.Name {
			return Layouts[(i+1)%len(Layouts)]
		}
	}
	return Layouts[0]
}
