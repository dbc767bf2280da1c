package camsim

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"time"
)

// ptzState is a PTZ head that moves at a realistic speed: positions are in
// ONVIF's generic spaces, pan and tilt in [-1, 1] and zoom in [0, 1].
type ptzState struct {
	mu sync.Mutex

	pan, tilt, zoom float64
	// continuous velocity and when it stops
	vPan, vTilt, vZoom float64
	vUntil             time.Time
	// target for absolute moves, presets and home
	target    *[3]float64
	tgtSpeed  float64
	last      time.Time
	home      [3]float64
	presets   map[string]preset
	nextToken int
}

type preset struct {
	Token, Name string
	Pos         [3]float64
}

// Speeds at velocity 1.0, in position units per second: a full pan sweep
// (2 units) takes about 2 s, like a fast dome.
const (
	maxPanTiltSpeed = 1.0
	maxZoomSpeed    = 0.5
)

func newPTZState(i int) *ptzState {
	home := [3]float64{math.Mod(float64(i)*0.5, 2) - 1 + 0.5, 0, 0}
	if home[0] > 1 {
		home[0] -= 2
	}
	return &ptzState{pan: home[0], home: home, presets: map[string]preset{}, last: time.Now(), nextToken: 1}
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func (p *ptzState) position() (pan, tilt, zoom float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pan, p.tilt, p.zoom
}

// moving reports whether pan/tilt and zoom are in motion.
func (p *ptzState) moving() (panTilt, zoom bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.target != nil {
		t := *p.target
		return math.Abs(t[0]-p.pan) > 1e-6 || math.Abs(t[1]-p.tilt) > 1e-6, math.Abs(t[2]-p.zoom) > 1e-6
	}
	active := time.Now().Before(p.vUntil)
	return active && (p.vPan != 0 || p.vTilt != 0), active && p.vZoom != 0
}

// continuous starts a velocity move that stops after timeout (0: 10 s).
func (p *ptzState) continuous(vp, vt, vz float64, timeout time.Duration) {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = nil
	p.vPan, p.vTilt, p.vZoom = clamp(vp, -1, 1), clamp(vt, -1, 1), clamp(vz, -1, 1)
	p.vUntil = time.Now().Add(timeout)
}

// stop halts pan/tilt and/or zoom where they are.
func (p *ptzState) stop(panTilt, zoom bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if panTilt {
		p.vPan, p.vTilt = 0, 0
	}
	if zoom {
		p.vZoom = 0
	}
	if p.target != nil {
		t := *p.target
		if panTilt {
			t[0], t[1] = p.pan, p.tilt
		}
		if zoom {
			t[2] = p.zoom
		}
		p.target = &t
	}
}

// moveTo starts a move to pos at speed (0..1, 0 meaning full speed).
func (p *ptzState) moveTo(pos [3]float64, speed float64) {
	if speed <= 0 || speed > 1 {
		speed = 1
	}
	pos = [3]float64{clamp(pos[0], -1, 1), clamp(pos[1], -1, 1), clamp(pos[2], 0, 1)}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.vPan, p.vTilt, p.vZoom = 0, 0, 0
	p.target, p.tgtSpeed = &pos, speed
}

func (p *ptzState) relative(d [3]float64, speed float64) {
	pan, tilt, zoom := p.position()
	p.moveTo([3]float64{pan + d[0], tilt + d[1], zoom + d[2]}, speed)
}

func (p *ptzState) gotoHome(speed float64) {
	p.mu.Lock()
	h := p.home
	p.mu.Unlock()
	p.moveTo(h, speed)
}

func (p *ptzState) setHome() {
	p.mu.Lock()
	p.home = [3]float64{p.pan, p.tilt, p.zoom}
	p.mu.Unlock()
}

// step advances the head to now.
func (p *ptzState) step(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	dt := now.Sub(p.last).Seconds()
	p.last = now
	if dt <= 0 {
		return
	}
	if p.target != nil {
		t := *p.target
		p.pan = approach(p.pan, t[0], maxPanTiltSpeed*p.tgtSpeed*dt)
		p.tilt = approach(p.tilt, t[1], maxPanTiltSpeed*p.tgtSpeed*dt)
		p.zoom = approach(p.zoom, t[2], maxZoomSpeed*p.tgtSpeed*dt)
		if p.pan == t[0] && p.tilt == t[1] && p.zoom == t[2] {
			p.target = nil
		}
		return
	}
	if now.After(p.vUntil) {
		p.vPan, p.vTilt, p.vZoom = 0, 0, 0
		return
	}
	p.pan = clamp(p.pan+p.vPan*maxPanTiltSpeed*dt, -1, 1)
	p.tilt = clamp(p.tilt+p.vTilt*maxPanTiltSpeed*dt, -1, 1)
	p.zoom = clamp(p.zoom+p.vZoom*maxZoomSpeed*dt, 0, 1)
}

func approach(v, target, maxStep float64) float64 {
	d := target - v
	if math.Abs(d) <= maxStep {
		return target
	}
	return v + math.Copysign(maxStep, d)
}

// maxPresets is how many presets the head stores, like a real dome's limit.
const maxPresets = 64

func (p *ptzState) setPreset(token, name string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if token == "" {
		if len(p.presets) >= maxPresets {
			return "", fmt.Errorf("too many presets")
		}
		token = fmt.Sprintf("preset-%d", p.nextToken)
		p.nextToken++
	} else if _, ok := p.presets[token]; !ok {
		return "", errNoPreset
	}
	if name == "" {
		name = token
	}
	p.presets[token] = preset{Token: token, Name: name, Pos: [3]float64{p.pan, p.tilt, p.zoom}}
	return token, nil
}

var errNoPreset = fmt.Errorf("no such preset")

func (p *ptzState) gotoPreset(token string, speed float64) error {
	p.mu.Lock()
	pr, ok := p.presets[token]
	p.mu.Unlock()
	if !ok {
		return errNoPreset
	}
	p.moveTo(pr.Pos, speed)
	return nil
}

func (p *ptzState) removePreset(token string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.presets[token]; !ok {
		return errNoPreset
	}
	delete(p.presets, token)
	return nil
}

func (p *ptzState) listPresets() []preset {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]preset, 0, len(p.presets))
	for _, pr := range p.presets {
		out = append(out, pr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Token < out[j].Token })
	return out
}

// Position returns the camera's PTZ position (for tests), or ok false
// without PTZ.
func (c *Camera) Position() (pan, tilt, zoom float64, ok bool) {
	if c.ptz == nil {
		return 0, 0, 0, false
	}
	pan, tilt, zoom = c.ptz.position()
	return pan, tilt, zoom, true
}
