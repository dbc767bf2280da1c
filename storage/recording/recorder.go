package recording

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"syscall"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	tscodecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"

	"nightjar/storage/catalog"
)

// Codecs a Track can carry.
const (
	CodecH264 = "h264"
	CodecH265 = "h265"
	CodecAAC  = "aac"
)

// Track is one elementary stream of a camera session.
type Track struct {
	Codec string
	// AAC is the audio config of CodecAAC tracks.
	AAC *mpeg4audio.AudioSpecificConfig
	// Params are the parameter sets from the session description (SPS and
	// PPS, plus VPS first for H.265); they are put in front of keyframes
	// that lack them.
	Params [][]byte
	Width  int
	Height int
}

// Frame is one access unit.
type Frame struct {
	Track int
	// PTS is the presentation time on the camera's clock, from any origin.
	PTS time.Duration
	// AU holds the NAL units of a video frame, or the AAC access units.
	AU [][]byte
	// Arrived is the local time the frame arrived; it carries a monotonic
	// reading.
	Arrived time.Time
}

// Recorder turns one camera's frames into segments. It keeps a short ring
// of frames for pre-roll while it is not recording. Its methods are safe for
// concurrent use.
type Recorder struct {
	Store    *Store
	CameraID string
	// SegmentLength is the target segment duration; segments start on a
	// keyframe. It defaults to 60 s.
	SegmentLength time.Duration
	// PreRoll is how much video before a start is kept, at most 10 s. Set
	// it before the first frame; SetPreRoll changes it later.
	PreRoll time.Duration
	// DriftLimit is how far the camera's clock may run from the local one
	// before the local one wins. It defaults to 2 s.
	DriftLimit time.Duration
	Log        *slog.Logger

	mu       sync.Mutex
	tracks   []Track
	video    int // index of the video track, -1 without one
	want     bool
	trigger  string
	ring     []ringFrame
	cur      *segment
	session  clockAnchor
	failed   error // sticky write error, cleared by Resume
	lastSeg  catalog.Segment
	segments int
}

// ringFrame is a frame in the pre-roll ring, with its keyframe flag worked
// out once on arrival.
type ringFrame struct {
	Frame
	key bool
}

type clockAnchor struct {
	set       bool
	wall      time.Time // local time of the anchor frame
	pts       time.Duration
	offset    time.Duration // added to camera PTS so the local clock wins
	lastOut   time.Duration
	windowMin time.Duration
	windowEnd time.Time
	warned    bool
}

type segment struct {
	file     *SegmentFile
	buf      *bufio.Writer // gathers a frame's packets into one write
	mux      *mpegts.Writer
	tsTracks []*mpegts.Track
	dts      []dtsExtractor
	base     int64         // 90 kHz wall-clock time of the session's origin
	first    time.Duration // output PTS of the first frame
	last     time.Duration
	lastDur  time.Duration
}

type dtsExtractor interface {
	Extract(au [][]byte, pts int64) (int64, error)
}

func (r *Recorder) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default().With("component", "recorder", "camera", r.CameraID)
}

func (r *Recorder) segmentLength() time.Duration {
	if r.SegmentLength > 0 {
		return r.SegmentLength
	}
	return time.Minute
}

func (r *Recorder) preRoll() time.Duration {
	return min(max(r.PreRoll, 0), 10*time.Second)
}

// Start begins a stream session with its tracks. A session that was going
// ends, and the time between the two is a gap.
func (r *Recorder) Start(tracks []Track) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endSegment()
	r.tracks = tracks
	r.video = -1
	for i, t := range tracks {
		if t.Codec == CodecH264 || t.Codec == CodecH265 {
			r.video = i
			break
		}
	}
	r.ring = nil
	r.session = clockAnchor{}
}

// Stop ends the stream session: the stream was lost or closed.
func (r *Recorder) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endSegment()
	r.ring = nil
}

// SetPreRoll changes PreRoll while the recorder runs. A longer pre-roll
// fills as frames arrive.
func (r *Recorder) SetPreRoll(d time.Duration) {
	r.mu.Lock()
	r.PreRoll = d
	r.mu.Unlock()
}

// SetWant switches recording on or off; trigger names why it records.
func (r *Recorder) SetWant(on bool, trigger string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if on == r.want && trigger == r.trigger {
		return
	}
	r.want, r.trigger = on, trigger
	if !on {
		r.endSegment()
	}
}

// Recording reports whether a segment is being written.
func (r *Recorder) Recording() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur != nil
}

// Err returns the write error that stopped recording, if any.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// Resume clears a write error so that recording starts again at the next
// keyframe.
func (r *Recorder) Resume() {
	r.mu.Lock()
	r.failed = nil
	r.mu.Unlock()
}

// Close ends the current segment.
func (r *Recorder) Close() {
	r.Stop()
}

// Tick pads an idle segment so that nothing waits in memory too long. Call
// it about every 100 ms.
func (r *Recorder) Tick(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil {
		if err := r.cur.file.Tick(now); err != nil {
			r.fail(err)
		}
	}
}

// WriteFrame records f, or keeps it in the pre-roll ring.
func (r *Recorder) WriteFrame(f Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.Track < 0 || f.Track >= len(r.tracks) || len(f.AU) == 0 {
		return
	}
	f.PTS = r.localPTS(f)
	key := f.Track == r.video && r.isKey(f)
	if !r.want || r.failed != nil {
		r.keepInRing(f, key)
		return
	}
	if r.cur == nil {
		// Start on the oldest keyframe of the ring, or on this one.
		pending := append(r.ring, ringFrame{f, key})
		r.ring = nil
		start := -1
		for i, g := range pending {
			if g.key {
				start = i
				break
			}
		}
		if r.video >= 0 && start < 0 {
			r.keepInRing(f, key)
			return
		}
		for _, g := range pending[max(start, 0):] {
			if r.failed != nil {
				return
			}
			r.write(g.Frame, g.key)
		}
		return
	}
	r.write(f, key)
}

// write writes one frame, rotating on a keyframe past the segment length.
func (r *Recorder) write(f Frame, key bool) {
	if r.cur != nil && key && f.PTS-r.cur.first >= r.segmentLength() {
		r.endSegment()
	}
	if r.cur == nil {
		if err := r.openSegment(f); err != nil {
			r.fail(err)
			return
		}
	}
	if err := r.cur.writeFrame(r.tracks, f, key); err != nil {
		r.fail(err)
		return
	}
	// Nothing waits in the buffer between frames.
	if err := r.cur.buf.Flush(); err != nil {
		r.fail(err)
	}
}

func (r *Recorder) fail(err error) {
	if r.failed == nil {
		if errors.Is(err, syscall.ENOSPC) {
			r.log().Error("disk full: recording paused until space is freed", "err", err)
		} else {
			r.log().Error("recording stopped by a write error", "err", err)
		}
	}
	r.failed = err
	if r.cur != nil {
		// Leave the file as a crash would; Recover keeps its authentic
		// prefix once there is room.
		r.cur.file.Abort()
		r.cur = nil
	}
}

// keepInRing keeps frames from the oldest keyframe within the pre-roll.
func (r *Recorder) keepInRing(f Frame, key bool) {
	pre := r.preRoll()
	if pre <= 0 {
		return
	}
	r.ring = append(r.ring, ringFrame{f, key})
	// Drop from the front while a later keyframe still covers the window.
	cut := 0
	for i, g := range r.ring {
		if i > 0 && g.key && f.PTS-g.PTS >= pre {
			cut = i
		}
	}
	if cut > 0 {
		r.ring = append(r.ring[:0], r.ring[cut:]...)
	}
	// Without keyframes, bound the ring by time alone.
	for len(r.ring) > 1 && f.PTS-r.ring[0].PTS > pre+5*time.Second {
		r.ring = r.ring[1:]
	}
}

func (r *Recorder) isKey(f Frame) bool {
	switch r.tracks[f.Track].Codec {
	case CodecH264:
		return h264.IsRandomAccess(f.AU)
	case CodecH265:
		return h265.IsRandomAccess(f.AU)
	}
	return false
}

// localPTS maps camera time onto the local clock: the camera's PTS while it
// keeps time, the local clock when it drifts more than DriftLimit.
func (r *Recorder) localPTS(f Frame) time.Duration {
	a := &r.session
	if !a.set {
		*a = clockAnchor{set: true, wall: f.Arrived, pts: f.PTS, windowMin: 1<<62 - 1, windowEnd: f.Arrived.Add(10 * time.Second)}
		a.lastOut = f.PTS - a.pts - time.Millisecond
	}
	limit := r.DriftLimit
	if limit <= 0 {
		limit = 2 * time.Second
	}
	out := f.PTS - a.pts + a.offset
	if !f.Arrived.IsZero() && f.Track == r.video {
		lag := f.Arrived.Sub(a.wall) - out // > 0: the frame came late
		a.windowMin = min(a.windowMin, lag)
		shift := time.Duration(0)
		switch {
		case lag < -limit:
			shift = lag // the camera's clock runs fast: no delay explains that
		case f.Arrived.After(a.windowEnd):
			if a.windowMin > limit {
				shift = a.windowMin // late for a whole window: its clock runs slow
			}
			a.windowMin, a.windowEnd = 1<<62-1, f.Arrived.Add(10*time.Second)
		}
		if shift != 0 {
			a.offset += shift
			out += shift
			if !a.warned {
				r.log().Warn("camera clock drifts from the local clock; using the local clock", "drift", shift.Round(time.Millisecond))
				a.warned = true
			}
		}
	}
	if out <= a.lastOut && f.Track == r.video {
		out = a.lastOut + time.Millisecond
	}
	if f.Track == r.video {
		a.lastOut = out
	}
	return out
}

// wallOf is the local wall time of an output PTS.
func (r *Recorder) wallOf(pts time.Duration) time.Time {
	return r.session.wall.Add(pts).Round(0)
}

func (r *Recorder) openSegment(f Frame) error {
	if r.Store == nil {
		return fmt.Errorf("no store")
	}
	info := SegmentInfo{Trigger: r.trigger}
	if r.video >= 0 {
		t := r.tracks[r.video]
		info.Codec, info.Width, info.Height = t.Codec, t.Width, t.Height
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	file, err := r.Store.Create(ctx, r.CameraID, r.wallOf(f.PTS), info)
	if err != nil {
		return err
	}
	seg := &segment{file: file, first: f.PTS, last: f.PTS, base: wallTicks(r.session.wall)}
	for _, t := range r.tracks {
		var c tscodecs.Codec
		var dts dtsExtractor
		switch t.Codec {
		case CodecH264:
			c = &tscodecs.H264{}
			dts = h264.NewDTSExtractor()
		case CodecH265:
			c = &tscodecs.H265{}
			dts = h265.NewDTSExtractor()
		case CodecAAC:
			if t.AAC == nil {
				c = nil
				break
			}
			c = &tscodecs.MPEG4Audio{Config: *t.AAC}
		}
		var tt *mpegts.Track
		if c != nil {
			tt = &mpegts.Track{Codec: c}
		}
		seg.tsTracks = append(seg.tsTracks, tt)
		seg.dts = append(seg.dts, dts)
	}
	var list []*mpegts.Track
	for _, t := range seg.tsTracks {
		if t != nil {
			list = append(list, t)
		}
	}
	seg.buf = bufio.NewWriterSize(file, 64<<10)
	seg.mux = &mpegts.Writer{W: seg.buf, Tracks: list}
	if err := seg.mux.Initialize(); err != nil {
		file.Abort()
		return fmt.Errorf("start MPEG-TS: %w", err)
	}
	r.cur = seg
	r.segments++
	return nil
}

// ptsWrap is where 33-bit MPEG-TS timestamps wrap, about 26.5 hours.
const ptsWrap = 1 << 33

// wallTicks is t on a 90 kHz clock modulo the wrap. Timestamps follow the
// wall clock, so the segments of a camera concatenate into one stream whose
// timeline shows the gaps.
func wallTicks(t time.Time) int64 {
	return (t.UnixNano() / 100000 * 9) % ptsWrap
}

func (s *segment) writeFrame(tracks []Track, f Frame, key bool) error {
	tt := s.tsTracks[f.Track]
	if tt == nil {
		return nil
	}
	if f.PTS < s.first {
		return nil // audio from before the first keyframe
	}
	pts := (s.base + int64(f.PTS)*9/100000) % ptsWrap
	switch tracks[f.Track].Codec {
	case CodecH264, CodecH265:
		au := f.AU
		if key {
			au = withParams(tracks[f.Track], au)
		}
		dts, err := s.dts[f.Track].Extract(au, pts)
		if err != nil {
			// An AU the extractor cannot place is written with DTS = PTS.
			dts = pts
		}
		var werr error
		if tracks[f.Track].Codec == CodecH264 {
			werr = s.mux.WriteH264(tt, pts, dts, au)
		} else {
			werr = s.mux.WriteH265(tt, pts, dts, au)
		}
		if werr != nil {
			return werr
		}
		if f.PTS > s.last {
			s.lastDur = f.PTS - s.last
			s.last = f.PTS
		}
	case CodecAAC:
		return s.mux.WriteMPEG4Audio(tt, pts, f.AU)
	}
	return nil
}

// withParams puts the session's parameter sets in front of a keyframe that
// lacks them, so each segment decodes by itself.
func withParams(t Track, au [][]byte) [][]byte {
	if len(t.Params) == 0 {
		return au
	}
	has := false
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		switch t.Codec {
		case CodecH264:
			has = has || h264.NALUType(n[0]&0x1F) == h264.NALUTypeSPS
		case CodecH265:
			has = has || h265.NALUType((n[0]>>1)&0x3F) == h265.NALUType_SPS_NUT
		}
	}
	if has {
		return au
	}
	return append(append([][]byte{}, t.Params...), au...)
}

// endSegment closes the current segment.
func (r *Recorder) endSegment() {
	if r.cur == nil {
		return
	}
	seg := r.cur
	r.cur = nil
	if err := seg.buf.Flush(); err != nil {
		seg.file.Abort()
		r.fail(err)
		return
	}
	dur := seg.last - seg.first + seg.lastDur
	row, err := seg.file.Close(dur)
	if err != nil {
		r.failed = err
		r.log().Error("finish segment", "err", err)
		return
	}
	r.lastSeg = row
}

// LastSegment returns the row of the last closed segment.
func (r *Recorder) LastSegment() catalog.Segment {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastSeg
}
