package recording

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

const (
	tsPacketSize = 188
	// headerPID carries the binding packet. It is not in the PMT, so players
	// skip it.
	headerPID   = 0x1FF0
	nullPID     = 0x1FFF
	headerMagic = "NJSEG1\x00"
)

// Header binds a segment to its camera and start time.
type Header struct {
	CameraID string
	Start    time.Time
	Day      string
}

var errNoHeader = errors.New("segment does not start with a Nightjar binding packet")

// marshal returns the 188-byte binding packet.
func (h Header) marshal() ([]byte, error) {
	if len(h.CameraID) > 100 || len(h.Day) != 10 {
		return nil, fmt.Errorf("segment header: camera id too long or bad day %q", h.Day)
	}
	p := make([]byte, tsPacketSize)
	p[0] = 0x47
	p[1] = 0x40 | byte(headerPID>>8) // payload unit start
	p[2] = byte(headerPID & 0xFF)
	p[3] = 0x10 // payload only, continuity 0
	b := p[4:4]
	b = append(b, headerMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(h.Start.UnixNano()))
	b = append(b, h.Day...)
	b = append(b, byte(len(h.CameraID)))
	b = append(b, h.CameraID...)
	for i := 4 + len(b); i < tsPacketSize; i++ {
		p[i] = 0xFF
	}
	return p, nil
}

// parseHeader reads the binding packet at the start of a segment's plaintext.
func parseHeader(p []byte) (Header, error) {
	if len(p) < tsPacketSize || p[0] != 0x47 || int(p[1]&0x1F)<<8|int(p[2]) != headerPID {
		return Header{}, errNoHeader
	}
	b := p[4:tsPacketSize]
	if !bytes.HasPrefix(b, []byte(headerMagic)) {
		return Header{}, errNoHeader
	}
	b = b[len(headerMagic):]
	if len(b) < 8+10+1 {
		return Header{}, errNoHeader
	}
	var h Header
	h.Start = time.Unix(0, int64(binary.BigEndian.Uint64(b))).UTC()
	h.Day = string(b[8:18])
	n := int(b[18])
	if len(b) < 19+n {
		return Header{}, errNoHeader
	}
	h.CameraID = string(b[19 : 19+n])
	return h, nil
}

// matches reports how h differs from the catalogue's idea of the segment.
func (h Header) mismatch(want Header) string {
	switch {
	case h.CameraID != want.CameraID:
		return fmt.Sprintf("segment belongs to camera %q, not %q", h.CameraID, want.CameraID)
	case !h.Start.Equal(want.Start):
		return fmt.Sprintf("segment starts at %s, not %s", h.Start.Format(time.RFC3339Nano), want.Start.UTC().Format(time.RFC3339Nano))
	case h.Day != want.Day:
		return fmt.Sprintf("segment is keyed to day %s, not %s", h.Day, want.Day)
	}
	return ""
}

// nullPackets returns n MPEG-TS null packets.
func nullPackets(n int) []byte {
	out := make([]byte, n*tsPacketSize)
	for i := 0; i < n; i++ {
		p := out[i*tsPacketSize:]
		p[0], p[1], p[2], p[3] = 0x47, 0x1F, 0xFF, 0x10
		for j := 4; j < tsPacketSize; j++ {
			p[j] = 0xFF
		}
	}
	return out
}
