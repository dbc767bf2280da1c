package camsim

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"nightjar/assets"
)

// Stream kinds.
const (
	Main = "main"
	Sub  = "sub"
)

// streamSpec describes one of a camera's streams.
type streamSpec struct {
	Kind          string
	Width, Height int
	FPS           int
	GOP           int // frames between keyframes
}

var specs = map[string]streamSpec{
	Main: {Kind: Main, Width: 1280, Height: 720, FPS: 25, GOP: 25},
	Sub:  {Kind: Sub, Width: 640, Height: 360, FPS: 15, GOP: 15},
}

// accessUnit is one frame: its NAL units without start codes, and the RTP
// payloads (RFC 6184, packetization mode 1) they make, computed once and
// shared read-only by every camera.
type accessUnit struct {
	NALUs    [][]byte
	IDR      bool
	Payloads [][]byte

	// With a name band (see overlay.go): the payloads before and after
	// the band slice, and the band slice itself.
	band                      *bandSlice
	prePayloads, restPayloads [][]byte
}

// clip is one pre-encoded view of one stream kind.
type clip struct {
	AUs      []accessUnit
	SPS, PPS []byte
}

// clipSet holds every view of a stream kind; all views share SPS and PPS.
type clipSet struct {
	spec  streamSpec
	views []*clip
	band  *bandInfo // nil when the clips cannot carry a name band
}

// clips returns the embedded clips, parsed once however many simulators
// start at the same time.
var clips = sync.OnceValues(loadClips)

func loadClips() (map[string]*clipSet, error) {
	out := map[string]*clipSet{}
	for kind, spec := range specs {
		names, err := fs.Glob(assets.CamsimClips, "camsim/"+kind+"-view*.h264")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("no embedded %s clips: %v", kind, err)
		}
		sort.Strings(names)
		set := &clipSet{spec: spec}
		for _, name := range names {
			b, err := assets.CamsimClips.ReadFile(name)
			if err != nil {
				return nil, err
			}
			c, err := parseAnnexB(b)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			if len(set.views) > 0 && (!bytes.Equal(c.SPS, set.views[0].SPS) || !bytes.Equal(c.PPS, set.views[0].PPS)) {
				return nil, fmt.Errorf("%s: parameter sets differ from the first view", name)
			}
			if err := packetize(c); err != nil {
				return nil, fmt.Errorf("packetize %s: %w", name, err)
			}
			set.views = append(set.views, c)
		}
		set.band = prepareBand(set)
		out[kind] = set
	}
	return out, nil
}

// packetize fills every access unit's RTP payloads.
func packetize(c *clip) error {
	for i := range c.AUs {
		p, err := packetizeNALUs(c.AUs[i].NALUs)
		if err != nil {
			return err
		}
		c.AUs[i].Payloads = p
	}
	return nil
}

// splitNALUs splits an Annex B byte stream at its start codes.
func splitNALUs(b []byte) [][]byte {
	var out [][]byte
	start := -1
	for i := 0; i+2 < len(b); {
		if b[i] == 0 && b[i+1] == 0 && b[i+2] == 1 {
			if start >= 0 {
				end := i
				if end > start && b[end-1] == 0 {
					end-- // 4-byte start code
				}
				out = append(out, b[start:end])
			}
			i += 3
			start = i
			continue
		}
		i++
	}
	if start >= 0 && start < len(b) {
		out = append(out, b[start:])
	}
	return out
}

// parseAnnexB groups NAL units into access units. A new access unit starts
// at an SPS, or at a slice whose first_mb_in_slice is 0 (its first coded
// bit is 1) after the current unit already has a slice.
func parseAnnexB(b []byte) (*clip, error) {
	c := &clip{}
	var cur accessUnit
	hasSlice := false
	flush := func() {
		if len(cur.NALUs) > 0 {
			c.AUs = append(c.AUs, cur)
		}
		cur, hasSlice = accessUnit{}, false
	}
	for _, n := range splitNALUs(b) {
		if len(n) < 2 {
			continue
		}
		typ := n[0] & 0x1f
		switch typ {
		case 7: // SPS
			flush()
			c.SPS = n
		case 8: // PPS
			c.PPS = n
		case 1, 5: // slice
			if hasSlice && n[1]&0x80 != 0 {
				flush()
			}
			hasSlice = true
			if typ == 5 {
				cur.IDR = true
			}
		case 9, 6: // AUD, SEI: dropped, cameras rarely send them
			continue
		}
		cur.NALUs = append(cur.NALUs, n)
	}
	flush()
	if c.SPS == nil || c.PPS == nil || len(c.AUs) == 0 || !c.AUs[0].IDR {
		return nil, fmt.Errorf("clip must start with SPS, PPS and an IDR frame")
	}
	return c, nil
}
