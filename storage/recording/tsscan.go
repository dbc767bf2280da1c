package recording

import (
	"fmt"
	"time"
)

// tsScan walks MPEG-TS packets and tracks the video presentation times. It
// reads untrusted bytes, so it only indexes within bounds.
type tsScan struct {
	packets  int64
	first    int64 // first video PTS, 90 kHz; -1 before one is seen
	last     int64
	prevLast int64
	frames   int64
	videoPID int
	badSync  bool
}

func newTSScan() *tsScan { return &tsScan{first: -1, videoPID: -1} }

// packet inspects one 188-byte packet.
func (s *tsScan) packet(p []byte) {
	s.packets++
	if p[0] != 0x47 {
		s.badSync = true
		return
	}
	pusi := p[1]&0x40 != 0
	pid := int(p[1]&0x1F)<<8 | int(p[2])
	if !pusi || pid == headerPID || pid == nullPID || pid < 0x20 {
		return
	}
	off := 4
	switch (p[3] >> 4) & 3 {
	case 2: // adaptation only
		return
	case 3:
		off += 1 + int(p[4])
	}
	if off+14 > len(p) {
		return
	}
	pes := p[off:]
	if pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || pes[3]&0xF0 != 0xE0 {
		return // not a video PES
	}
	if s.videoPID == -1 {
		s.videoPID = pid
	}
	if pid != s.videoPID || pes[7]&0x80 == 0 {
		return
	}
	b := pes[9:14]
	pts := int64(b[0]>>1&0x07)<<30 | int64(b[1])<<22 | int64(b[2]>>1)<<15 | int64(b[3])<<7 | int64(b[4]>>1)
	if s.first < 0 {
		s.first = pts
	}
	s.prevLast, s.last = s.last, pts
	s.frames++
}

// duration is the span of the video seen, plus one frame interval.
func (s *tsScan) duration() time.Duration {
	if s.frames == 0 {
		return 0
	}
	d := wrapDiff(s.last, s.first)
	if s.frames > 1 {
		d += wrapDiff(s.last, s.prevLast)
	}
	if d < 0 {
		d = 0
	}
	return time.Duration(d) * time.Second / 90000
}

func (s *tsScan) err() error {
	if s.badSync {
		return fmt.Errorf("MPEG-TS sync byte missing")
	}
	return nil
}

// wrapDiff is a-b on the 33-bit timestamp circle.
func wrapDiff(a, b int64) int64 {
	d := (a - b) % (1 << 33)
	if d < 0 {
		d += 1 << 33
	}
	return d
}
