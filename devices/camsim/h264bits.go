package camsim

import "errors"

// Just enough H.264 bitstream handling for the name-and-clock band: read
// parameter sets and slice headers, write slices of I_PCM and skipped
// macroblocks (CAVLC only).

var errBits = errors.New("h264: bitstream ended early")

// unescape removes emulation prevention bytes (00 00 03 -> 00 00).
func unescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

// escape inserts emulation prevention bytes into an RBSP.
func escape(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/64+4)
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c <= 3 {
			out = append(out, 3)
			zeros = 0
		}
		out = append(out, c)
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return out
}

type bitReader struct {
	b   []byte
	pos int // in bits
	err error
}

func (r *bitReader) u(n int) uint32 {
	var v uint32
	for i := 0; i < n; i++ {
		if r.pos >= len(r.b)*8 {
			r.err = errBits
			return 0
		}
		bit := (r.b[r.pos/8] >> (7 - r.pos%8)) & 1
		v = v<<1 | uint32(bit)
		r.pos++
	}
	return v
}

func (r *bitReader) ue() uint32 {
	zeros := 0
	for r.u(1) == 0 {
		if r.err != nil || zeros > 31 {
			r.err = errBits
			return 0
		}
		zeros++
	}
	return (uint32(1)<<zeros - 1) + r.u(zeros)
}

func (r *bitReader) se() int32 {
	v := r.ue()
	if v%2 == 1 {
		return int32((v + 1) / 2)
	}
	return -int32(v / 2)
}

type bitWriter struct {
	b    []byte
	nbit int
}

func (w *bitWriter) u(n int, v uint32) {
	for i := n - 1; i >= 0; i-- {
		if w.nbit%8 == 0 {
			w.b = append(w.b, 0)
		}
		if (v>>i)&1 == 1 {
			w.b[len(w.b)-1] |= 1 << (7 - w.nbit%8)
		}
		w.nbit++
	}
}

func (w *bitWriter) ue(v uint32) {
	v++
	n := 0
	for t := v; t > 1; t >>= 1 {
		n++
	}
	w.u(n, 0)
	w.u(n+1, v)
}

// bits copies bits [from, to) of src.
func (w *bitWriter) bits(src []byte, from, to int) {
	for p := from; p < to; p++ {
		w.u(1, uint32(src[p/8]>>(7-p%8))&1)
	}
}

func (w *bitWriter) align() {
	for w.nbit%8 != 0 {
		w.u(1, 0)
	}
}

func (w *bitWriter) trailing() {
	w.u(1, 1)
	w.align()
}

// spsInfo and ppsInfo hold the fields a slice header's layout depends on.
type spsInfo struct {
	log2MaxFrameNum     int
	pocType             int
	log2MaxPocLsb       int
	deltaPocAlwaysZero  bool
	widthMbs, heightMbs int
	frameMbsOnly        bool
}

type ppsInfo struct {
	cabac              bool
	bottomFieldPocInPP bool
	sliceGroups        int
	weightedPred       bool
	deblockingControl  bool
	redundantPicCnt    bool
}

func parseSPS(nal []byte) (spsInfo, error) {
	r := &bitReader{b: unescape(nal[1:])}
	var s spsInfo
	profile := r.u(8)
	r.u(16) // constraint flags, level
	r.ue()  // sps id
	switch profile {
	case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135:
		return s, errors.New("h264: only Baseline/Main parameter sets are handled")
	}
	s.log2MaxFrameNum = int(r.ue()) + 4
	s.pocType = int(r.ue())
	switch s.pocType {
	case 0:
		s.log2MaxPocLsb = int(r.ue()) + 4
	case 1:
		s.deltaPocAlwaysZero = r.u(1) == 1
		r.se()
		r.se()
		for n := r.ue(); n > 0 && r.err == nil; n-- {
			r.se()
		}
	}
	r.ue() // max_num_ref_frames
	r.u(1) // gaps
	s.widthMbs = int(r.ue()) + 1
	s.heightMbs = int(r.ue()) + 1
	s.frameMbsOnly = r.u(1) == 1
	return s, r.err
}

func parsePPS(nal []byte) (ppsInfo, error) {
	r := &bitReader{b: unescape(nal[1:])}
	var p ppsInfo
	r.ue() // pps id
	r.ue() // sps id
	p.cabac = r.u(1) == 1
	p.bottomFieldPocInPP = r.u(1) == 1
	p.sliceGroups = int(r.ue()) + 1
	if p.sliceGroups != 1 {
		return p, errors.New("h264: slice groups are not handled")
	}
	r.ue() // num_ref_idx_l0_default_active_minus1
	r.ue() // l1
	p.weightedPred = r.u(1) == 1
	r.u(2) // weighted_bipred_idc
	r.se() // pic_init_qp_minus26
	r.se() // pic_init_qs_minus26
	r.se() // chroma_qp_index_offset
	p.deblockingControl = r.u(1) == 1
	r.u(1) // constrained_intra_pred
	p.redundantPicCnt = r.u(1) == 1
	return p, r.err
}

// sliceHeader is a parsed slice header: where it ends, and the raw bits
// after first_mb_in_slice, which the band slice copies verbatim so that it
// belongs to the same picture.
type sliceHeader struct {
	firstMB   int
	sliceType int // 0..9
	rbsp      []byte
	restFrom  int // bit after first_mb_in_slice
	restTo    int // bit after the whole header
}

func parseSliceHeader(nal []byte, sps spsInfo, pps ppsInfo) (sliceHeader, error) {
	h := sliceHeader{rbsp: unescape(nal[1:])}
	r := &bitReader{b: h.rbsp}
	idr := nal[0]&0x1f == 5
	refIdc := nal[0] >> 5 & 3
	h.firstMB = int(r.ue())
	h.restFrom = r.pos
	h.sliceType = int(r.ue())
	isP := h.sliceType%5 == 0
	isI := h.sliceType%5 == 2
	if !isP && !isI {
		return h, errors.New("h264: only I and P slices are handled")
	}
	r.ue() // pps id
	r.u(sps.log2MaxFrameNum)
	if !sps.frameMbsOnly {
		return h, errors.New("h264: interlaced streams are not handled")
	}
	if idr {
		r.ue()
	}
	if sps.pocType == 0 {
		r.u(sps.log2MaxPocLsb)
		if pps.bottomFieldPocInPP {
			r.se()
		}
	}
	if sps.pocType == 1 && !sps.deltaPocAlwaysZero {
		r.se()
		if pps.bottomFieldPocInPP {
			r.se()
		}
	}
	if pps.redundantPicCnt {
		r.ue()
	}
	if isP {
		if r.u(1) == 1 { // num_ref_idx_active_override_flag
			r.ue()
		}
		if r.u(1) == 1 { // ref_pic_list_modification_flag_l0
			for {
				idc := r.ue()
				if idc == 3 || r.err != nil {
					break
				}
				r.ue()
			}
		}
		if pps.weightedPred {
			return h, errors.New("h264: weighted prediction is not handled")
		}
	}
	if refIdc != 0 {
		if idr {
			r.u(2)
		} else if r.u(1) == 1 { // adaptive_ref_pic_marking_mode_flag
			for {
				op := r.ue()
				if op == 0 || r.err != nil {
					break
				}
				if op == 1 || op == 3 {
					r.ue()
				}
				if op == 2 || op == 3 || op == 6 {
					r.ue()
				}
				if op == 4 {
					r.ue()
				}
			}
		}
	}
	if pps.cabac {
		return h, errors.New("h264: CABAC is not handled")
	}
	r.se() // slice_qp_delta
	if pps.deblockingControl {
		if r.ue() != 1 {
			r.se()
			r.se()
		}
	}
	h.restTo = r.pos
	return h, r.err
}
