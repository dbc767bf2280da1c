package camsim

import (
	"bytes"
	"image"
	"sync"

	"github.com/bluenviron/gortsplib/v5/pkg/format"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The name-and-clock band: the clips leave their top macroblock rows as
// their own slice (a dark band), and camsim replaces that slice in every
// frame with one it writes itself: I_PCM macroblocks carrying the camera's
// name and its clock on keyframes and wherever the text changed, skipped
// macroblocks elsewhere. Every camera's picture so says which camera it is
// and what its clock reads, with no decoding and no re-encoding.

// bandInfo is what the band needs of a clip set; nil when the clips do not
// have the expected slice layout (the band is then left as encoded).
type bandInfo struct {
	widthMbs, rows int // band size in macroblocks
	scale          int // font scale
}

// bandSlice is an access unit's original band slice, parsed.
type bandSlice struct {
	nalHeader byte
	hdr       sliceHeader
	isI       bool
	skipNAL   []byte // P slices only: every band macroblock skipped
}

// prepareBand parses every access unit's first slice and checks it covers
// exactly the band rows. It returns nil, and leaves the clips untouched,
// when they do not.
func prepareBand(set *clipSet) *bandInfo {
	v0 := set.views[0]
	sps, err := parseSPS(v0.SPS)
	if err != nil {
		return nil
	}
	pps, err := parsePPS(v0.PPS)
	if err != nil {
		return nil
	}
	rows := 2
	scale := 2
	if set.spec.Height <= 360 {
		rows, scale = 1, 1
	}
	bandMBs := sps.widthMbs * rows
	for _, v := range set.views {
		for i := range v.AUs {
			au := &v.AUs[i]
			var slices [][]byte
			var pre [][]byte
			for _, n := range au.NALUs {
				switch n[0] & 0x1f {
				case 1, 5:
					slices = append(slices, n)
				default:
					if len(slices) == 0 {
						pre = append(pre, n)
					}
				}
			}
			if len(slices) < 2 {
				return nil
			}
			first, err1 := parseSliceHeader(slices[0], sps, pps)
			second, err2 := parseSliceHeader(slices[1], sps, pps)
			if err1 != nil || err2 != nil || first.firstMB != 0 || second.firstMB != bandMBs {
				return nil
			}
			b := &bandSlice{nalHeader: slices[0][0], hdr: first, isI: first.sliceType%5 == 2}
			if !b.isI {
				b.skipNAL = buildBandSlice(b, nil, nil, sps.widthMbs, rows)
			}
			au.band = b
			if au.prePayloads, err = packetizeNALUs(pre); err != nil {
				return nil
			}
			if au.restPayloads, err = packetizeNALUs(slices[1:]); err != nil {
				return nil
			}
		}
	}
	// Every frame is now sent as pre + band + rest; drop the whole-frame
	// payloads to halve the clips' memory.
	for _, v := range set.views {
		for i := range v.AUs {
			v.AUs[i].Payloads = nil
		}
	}
	return &bandInfo{widthMbs: sps.widthMbs, rows: rows, scale: scale}
}

// bandPainter draws one camera's band for one stream kind and remembers
// what the decoder last received, so P frames send only what changed.
type bandPainter struct {
	info      *bandInfo
	w, h      int
	cur, sent []byte // Y plane, then Cb, then Cr
	text      string
	marker    bool   // the latency marker is painted
	second    int64  // the clock second text was made for
	pending   []bool // macroblocks where cur differs from sent
	dirty     bool   // some pending entry is set
	mu        sync.Mutex
}

func newBandPainter(info *bandInfo) *bandPainter {
	w, h := info.widthMbs*16, info.rows*16
	return &bandPainter{info: info, w: w, h: h, cur: make([]byte, w*h*3/2), sent: make([]byte, w*h*3/2),
		pending: make([]bool, info.widthMbs*info.rows), second: -1}
}

// The band is mid-grey: exactly what Intra 16×16 DC prediction yields
// with no neighbours, so a keyframe codes every plain background
// macroblock in a few bits and only the text as I_PCM.
var (
	bandBg = [3]uint8{128, 128, 128}
	bandFg = [3]uint8{16, 128, 128}
)

// paint renders text, and the latency marker when it is on, into cur and
// marks the macroblocks it changed.
func (p *bandPainter) paint(text string, marker bool) {
	if text == p.text && marker == p.marker {
		return
	}
	p.text, p.marker = text, marker
	defer p.markPending()
	if marker {
		defer p.paintMarker()
	}
	face := basicfont.Face7x13
	small := image.NewAlpha(image.Rect(0, 0, p.w/p.info.scale, p.h/p.info.scale))
	d := &font.Drawer{Dst: small, Src: image.Opaque, Face: face,
		Dot: fixed.P(4, (p.h/p.info.scale+face.Ascent-face.Descent)/2+1)}
	d.DrawString(text)
	ySize, cSize := p.w*p.h, p.w*p.h/4
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			on := small.AlphaAt(x/p.info.scale, y/p.info.scale).A > 127
			v := bandBg[0]
			if on {
				v = bandFg[0]
			}
			p.cur[y*p.w+x] = v
		}
	}
	for y := 0; y < p.h/2; y++ {
		for x := 0; x < p.w/2; x++ {
			on := small.AlphaAt(2*x/p.info.scale, 2*y/p.info.scale).A > 127
			cb, cr := bandBg[1], bandBg[2]
			if on {
				cb, cr = bandFg[1], bandFg[2]
			}
			p.cur[ySize+y*p.w/2+x] = cb
			p.cur[ySize+cSize+y*p.w/2+x] = cr
		}
	}
}

// flat reports whether macroblock mb is plain background and its left and
// top neighbours' touching edges are too, so DC prediction rebuilds it
// exactly.
func (p *bandPainter) flat(mb int) bool {
	mx, my := mb%p.info.widthMbs, mb/p.info.widthMbs
	ySize, cSize, cw := p.w*p.h, p.w*p.h/4, p.w/2
	bgY, bgC := bandBg[0], bandBg[1]
	for y := max(0, my*16-1); y < my*16+16; y++ {
		for x := max(0, mx*16-1); x < mx*16+16; x++ {
			if p.cur[y*p.w+x] != bgY {
				return false
			}
		}
	}
	for c := 0; c < 2; c++ {
		base := ySize + c*cSize
		for y := max(0, my*8-1); y < my*8+8; y++ {
			for x := max(0, mx*8-1); x < mx*8+8; x++ {
				if p.cur[base+y*cw+x] != bgC {
					return false
				}
			}
		}
	}
	return true
}

// markPending compares cur with sent per macroblock.
func (p *bandPainter) markPending() {
	var a, c []byte
	p.dirty = false
	for mb := range p.pending {
		a, c = p.mbBytes(a[:0], p.cur, mb), p.mbBytes(c[:0], p.sent, mb)
		p.pending[mb] = !bytes.Equal(a, c)
		p.dirty = p.dirty || p.pending[mb]
	}
}

// mbBytes appends macroblock mb's 384 I_PCM samples from planes.
func (p *bandPainter) mbBytes(dst []byte, planes []byte, mb int) []byte {
	mx, my := mb%p.info.widthMbs, mb/p.info.widthMbs
	ySize, cSize, cw := p.w*p.h, p.w*p.h/4, p.w/2
	for y := 0; y < 16; y++ {
		dst = append(dst, planes[(my*16+y)*p.w+mx*16:][:16]...)
	}
	for c := 0; c < 2; c++ {
		base := ySize + c*cSize
		for y := 0; y < 8; y++ {
			dst = append(dst, planes[base+(my*8+y)*cw+mx*8:][:8]...)
		}
	}
	return dst
}

// slice returns the band slice for an access unit, with the camera's name
// and the time now on its clock. Between changes of the text, P frames
// reuse a shared all-skipped slice and cost nothing. marked reports that
// this slice is the first to carry the latency marker. moment paints the
// marker into this frame alone, for SetMarkerAt.
func (p *bandPainter) slice(b *bandSlice, c *Camera, moment bool) (nal []byte, marked bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := c.now()
	latency := c.markerOn()
	marker := latency || moment
	if sec := now.Unix(); sec != p.second || marker != p.marker {
		p.second = sec
		marked = latency && !p.marker
		p.paint(c.Name+"   "+now.Format("2006-01-02 15:04:05"), marker)
	}
	if !b.isI && !p.dirty {
		return b.skipNAL, marked
	}
	out := buildBandSlice(b, p, p.pending, p.info.widthMbs, p.info.rows)
	copy(p.sent, p.cur)
	clear(p.pending)
	p.dirty = false
	return out, marked
}

// buildBandSlice writes the band slice: the original header with
// first_mb_in_slice 0, then I_PCM macroblocks (all of them in an I slice,
// the changed ones in a P slice) and skip runs. p nil means all skipped.
func buildBandSlice(b *bandSlice, p *bandPainter, changed []bool, widthMbs, rows int) []byte {
	n := widthMbs * rows
	w := &bitWriter{}
	w.ue(0)
	w.bits(b.hdr.rbsp, b.hdr.restFrom, b.hdr.restTo)
	pcm := func(mb int, mbType uint32) {
		w.ue(mbType)
		w.align()
		samples := p.mbBytes(make([]byte, 0, 384), p.cur, mb)
		for i, s := range samples {
			if s == 0 {
				samples[i] = 1 // keep PCM samples non-zero, as early decoders require
			}
		}
		w.b = append(w.b, samples...)
		w.nbit += 8 * len(samples)
	}
	if b.isI {
		flat := make([]bool, n)
		for mb := range flat {
			flat[mb] = p.flat(mb)
		}
		for mb := 0; mb < n; mb++ {
			if !flat[mb] {
				pcm(mb, 25) // I_PCM in an I slice
				continue
			}
			// I_16x16, DC prediction, no residual: mb_type 3, chroma DC,
			// mb_qp_delta 0, then an empty Intra16x16DCLevel block whose
			// coeff_token depends on the neighbours' coefficient counts
			// (16 for I_PCM, 0 for these).
			w.ue(3)
			w.ue(0)
			w.ue(0)
			nA, nB := -1, -1
			if mb%widthMbs > 0 {
				nA = map[bool]int{true: 0, false: 16}[flat[mb-1]]
			}
			if mb >= widthMbs {
				nB = map[bool]int{true: 0, false: 16}[flat[mb-widthMbs]]
			}
			nC := 0
			switch {
			case nA >= 0 && nB >= 0:
				nC = (nA + nB + 1) >> 1
			case nA >= 0:
				nC = nA
			case nB >= 0:
				nC = nB
			}
			switch {
			case nC < 2:
				w.u(1, 1)
			case nC < 4:
				w.u(2, 3)
			case nC < 8:
				w.u(4, 15)
			default:
				w.u(6, 3)
			}
		}
	} else {
		run := uint32(0)
		for mb := 0; mb < n; mb++ {
			if p == nil || !changed[mb] {
				run++
				continue
			}
			w.ue(run)
			run = 0
			pcm(mb, 30) // I_PCM in a P slice: 5 + 25
		}
		if run > 0 {
			w.ue(run)
		}
	}
	w.trailing()
	return append([]byte{b.nalHeader}, escape(w.b)...)
}

// maxRTPPayload keeps packets inside an Ethernet MTU, as cameras do.
const maxRTPPayload = 1400

// packetizeNAL splits one NAL unit into RTP payloads (RFC 6184 single NAL
// unit or FU-A).
func packetizeNAL(nal []byte, out [][]byte) [][]byte {
	if len(nal) <= maxRTPPayload {
		return append(out, nal)
	}
	ind := nal[0]&0xe0 | 28
	typ := nal[0] & 0x1f
	body := nal[1:]
	for first := true; len(body) > 0; first = false {
		n := min(len(body), maxRTPPayload-2)
		hdr := typ
		if first {
			hdr |= 0x80
		}
		if n == len(body) {
			hdr |= 0x40
		}
		pl := make([]byte, 0, n+2)
		pl = append(pl, ind, hdr)
		pl = append(pl, body[:n]...)
		out = append(out, pl)
		body = body[n:]
	}
	return out
}

// packetizeNALUs packs NAL units into RTP payloads, aggregating small ones
// (STAP-A) as cameras do, so a frame of many small slices is a few packets.
func packetizeNALUs(nals [][]byte) ([][]byte, error) {
	if len(nals) == 0 {
		return nil, nil
	}
	enc, err := (&format.H264{PayloadTyp: 96, PacketizationMode: 1}).CreateEncoder()
	if err != nil {
		return nil, err
	}
	pkts, err := enc.Encode(nals)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(pkts))
	for i, p := range pkts {
		out[i] = p.Payload
	}
	return out, nil
}
