package player

import (
	"context"
	"image"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmarks of seek latency and thumbnail time, reported as figures
// (p50/p95 in ms), never asserted. Footage: two 60 s pieces of 640x360
// 25 fps H.264 per camera over loopback HTTP.

const benchPieceFrames = 60 * testFPS

func benchSources(b *testing.B, n int) []*fakeSource {
	fs := newFootageServer(b)
	srcs := make([]*fakeSource, n)
	for i := range srcs {
		var run []Piece
		for k := range 2 {
			f := k * benchPieceFrames
			p := fs.piece(b, f, benchPieceFrames)
			p.URL = fs.add("/bench/"+string(rune('a'+i))+"/"+string(rune('0'+k))+".ts", makeSegment(b, f, benchPieceFrames))
			run = append(run, p)
		}
		srcs[i] = &fakeSource{runs: [][]Piece{run}}
	}
	return srcs
}

// renderLoops draw every player whenever it has a new frame, as the
// wall does (libmpv's output waits for each frame to be drawn, so a seek
// nobody draws is slow), and note when each last drew.
func renderLoops(b *testing.B, ps []*Playback) []*atomic.Int64 {
	stop := make(chan struct{})
	b.Cleanup(func() { close(stop) })
	drawn := make([]*atomic.Int64, len(ps))
	for i, p := range ps {
		drawn[i] = new(atomic.Int64)
		go func() {
			buf := image.NewRGBA(image.Rect(0, 0, 320, 180))
			for {
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
				if p.NewFrame() {
					p.Render(buf, buf.Bounds())
					drawn[i].Store(time.Now().UnixNano())
				}
			}
		}()
	}
	return drawn
}

// untilDrawn waits until every player has drawn a frame after since.
func untilDrawn(b *testing.B, drawn []*atomic.Int64, since time.Time) {
	deadline := time.Now().Add(10 * time.Second)
	for _, d := range drawn {
		for d.Load() < since.UnixNano() {
			if time.Now().After(deadline) {
				b.Fatal("no frame drawn within 10 s of a seek")
			}
			time.Sleep(time.Millisecond)
		}
	}
}

func reportPercentiles(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	ms := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkSeek is the latency of a seek to a random moment of a loaded
// 2-minute run, from the call to the new frame drawn by a render loop
// like the wall's, for one player and for four in a synced Group.
func BenchmarkSeek(b *testing.B) {
	for _, n := range []int{1, 4} {
		b.Run(map[int]string{1: "one", 4: "four-synced"}[n], func(b *testing.B) {
			srcs := benchSources(b, n)
			var ps []*Playback
			for _, s := range srcs {
				ps = append(ps, newTestPlayback(b, s))
			}
			g := NewGroup(ps)
			defer g.Close()
			drawn := renderLoops(b, ps)
			ctx := context.Background()
			if err := g.Seek(ctx, testBase); err != nil { // the load, not measured
				b.Fatal(err)
			}
			var ds []time.Duration
			rng := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				at := wallOfFrame(rng.IntN(2 * benchPieceFrames))
				start := time.Now()
				if err := g.Seek(ctx, at); err != nil {
					b.Fatal(err)
				}
				// mpv announces the seek done once the frame was drawn.
				untilDrawn(b, drawn, start)
				ds = append(ds, time.Since(start))
			}
			reportPercentiles(b, ds)
		})
	}
}

// BenchmarkThumbnail is the time of one 160 px thumbnail at a random
// moment of a 60 s piece, and per hour of footage at one a minute.
func BenchmarkThumbnail(b *testing.B) {
	src := benchSources(b, 1)[0]
	piece := src.runs[0][0]
	rng := rand.New(rand.NewPCG(3, 4))
	var ds []time.Duration
	for b.Loop() {
		at := piece.Start.Add(time.Duration(rng.Int64N(int64(piece.Length))))
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		if _, err := Thumbnail(ctx, piece, at, 160, nil); err != nil {
			cancel()
			b.Fatal(err)
		}
		cancel()
		ds = append(ds, time.Since(start))
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	reportPercentiles(b, ds)
	b.ReportMetric(float64(sum)/float64(len(ds))*60/1e9, "s-per-hour")
}
