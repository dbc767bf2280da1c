package recording

import (
	"context"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// benchSegment records d of the 720p25 main clip into one segment, left
// open (being written) or closed.
func benchSegment(b *testing.B, fx *fixture, d time.Duration, open bool) (catalog.Segment, *Recorder) {
	b.Helper()
	params, aus := clipFrames(b, "main-view0.h264")
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	r.Start([]Track{{Codec: CodecH264, Params: params, Width: 1280, Height: 720}})
	start := time.Now()
	step := time.Second / 25
	for i := 0; i < int(d/step); i++ {
		pts := time.Duration(i) * step
		r.WriteFrame(Frame{PTS: pts, AU: aus[i%len(aus)], Arrived: start.Add(pts)})
	}
	if open {
		rows := segments(b, fx.db, catalog.SegmentFilter{State: catalog.SegmentOpen})
		if len(rows) != 1 {
			b.Fatalf("want one open row, got %d", len(rows))
		}
		return rows[0], r
	}
	r.Close()
	return r.LastSegment(), r
}

// BenchmarkOpenPlain: opening a 60 s 720p segment for a Range request,
// the first time (hashing), again (the check remembered), and while it is
// being written (the prefix decrypted into memory, then kept while the
// file is unchanged). The reported MB/s is ciphertext per open.
func BenchmarkOpenPlain(b *testing.B) {
	for _, c := range []struct {
		name        string
		open, cache bool
	}{{"closed-first", false, false}, {"closed-again", false, true}, {"growing-first", true, false}, {"growing-again", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			fx := newFixture(b)
			row, r := benchSegment(b, fx, time.Minute, c.open)
			defer r.Close()
			if row.Size > 0 {
				b.SetBytes(row.Size)
			}
			ctx := context.Background()
			if c.cache {
				// The open that decrypts or hashes happens before the timer.
				p, err := fx.store.OpenPlain(ctx, row)
				if err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if !c.cache {
					fx.store.mu.Lock()
					fx.store.checked, fx.store.prefixes = nil, nil
					fx.store.mu.Unlock()
				}
				p, err := fx.store.OpenPlain(ctx, row)
				if err != nil {
					b.Fatal(err)
				}
				if c.open && i == 0 {
					b.ReportMetric(float64(p.Size)/1e6, "MB-plain")
				}
				p.Close()
			}
		})
	}
}
