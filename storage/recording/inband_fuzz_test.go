package recording

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// annexB joins NAL units with start codes, as a camera's elementary
// stream has them.
func annexB(aus [][][]byte) []byte {
	var b bytes.Buffer
	for _, au := range aus {
		for _, n := range au {
			b.Write([]byte{0, 0, 0, 1})
			b.Write(n)
		}
	}
	return b.Bytes()
}

// splitAUs cuts an Annex-B stream into access units: a unit ends before
// the first NAL unit that is not a slice, or is a slice starting a new
// picture (first_mb_in_slice 0), after a slice. At most limit units.
func splitAUs(b []byte, limit int) [][][]byte {
	var out [][][]byte
	var cur [][]byte
	slice := false
	for _, n := range bytes.Split(b, []byte{0, 0, 1}) {
		n = bytes.TrimSuffix(n, []byte{0})
		if len(n) == 0 {
			continue
		}
		t := n[0] & 0x1F
		isSlice := t == 1 || t == 5
		if slice && (!isSlice || len(n) > 1 && n[1]&0x80 != 0) {
			if out = append(out, cur); len(out) == limit {
				return out
			}
			cur, slice = nil, false
		}
		cur = append(cur, n)
		slice = slice || isSlice
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// FuzzRecorderInBand records a camera whose H.264 carries fuzzer-made NAL
// units, in-band SPS and PPS among them, after the session's own
// parameter sets. Whatever the camera sends, recording goes on (no sticky
// error), and every segment it closes verifies end to end.
func FuzzRecorderInBand(f *testing.F) {
	fx := newFixture(f)
	params, aus := clipFrames(f, "sub-view0.h264")
	f.Add(annexB(aus[:20]))
	// In-band parameter sets before each keyframe, as many cameras send.
	inband := [][][]byte{append(append([][]byte{}, params...), aus[0]...)}
	inband = append(inband, aus[1:15]...)
	f.Add(annexB(inband))
	// A new, different SPS in band (a camera that changed resolution).
	sps := bytes.Clone(params[0])
	sps[len(sps)-2] ^= 0x10
	f.Add(annexB(append([][][]byte{{sps, params[1], aus[0][0]}}, aus[1:10]...)))
	// Slices only, no keyframe: nothing may be written.
	f.Add(annexB(aus[1:10]))
	n := 0
	f.Fuzz(func(t *testing.T, stream []byte) {
		n++
		recordStream(t, fx, fmt.Sprintf("fuzz%d", n), params, stream)
	})
}

// recordStream records stream as one camera session and checks what
// FuzzRecorderInBand promises; it returns the segments written.
func recordStream(t *testing.T, fx *fixture, cam string, params [][]byte, stream []byte) []catalog.Segment {
	t.Helper()
	r := &Recorder{Store: fx.store, CameraID: cam, SegmentLength: 500 * time.Millisecond}
	r.Start([]Track{{Codec: CodecH264, Params: params, Width: 640, Height: 360}})
	r.SetWant(true, "continuous")
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	units := splitAUs(stream, 60)
	for i, au := range units {
		pts := time.Duration(i) * time.Second / 15
		r.WriteFrame(Frame{Track: 0, PTS: pts, AU: au, Arrived: start.Add(pts)})
	}
	r.Close()
	if err := r.Err(); err != nil {
		t.Fatalf("%d access units stopped recording: %v", len(units), err)
	}
	rows, err := fx.db.Segments(catalog.SegmentFilter{CameraID: cam})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if row.State != catalog.SegmentClosed {
			t.Fatalf("segment %s left %s", row.File, row.State)
		}
		if _, err := fx.store.Verify(context.Background(), row); err != nil {
			t.Fatalf("segment of %d access units does not verify: %v", len(units), err)
		}
	}
	return rows
}

// TestRecorderInBandSeeds checks the seeds reach the writing path: the
// real clip, with or without in-band parameter sets, gives segments, and
// slices without a keyframe give none.
func TestRecorderInBandSeeds(t *testing.T) {
	fx := newFixture(t)
	params, aus := clipFrames(t, "sub-view0.h264")
	inband := append([][][]byte{append(append([][]byte{}, params...), aus[0]...)}, aus[1:15]...)
	if got := splitAUs(annexB(aus[:20]), 60); len(got) != 20 {
		t.Fatalf("20 pictures split into %d access units", len(got))
	}
	if rows := recordStream(t, fx, "plain", params, annexB(aus[:20])); len(rows) == 0 {
		t.Error("the camsim clip recorded nothing")
	}
	if rows := recordStream(t, fx, "inband", params, annexB(inband)); len(rows) == 0 {
		t.Error("the clip with in-band SPS and PPS recorded nothing")
	}
	if rows := recordStream(t, fx, "nokey", params, annexB(aus[1:10])); len(rows) != 0 {
		t.Errorf("slices without a keyframe recorded %d segments", len(rows))
	}
}
