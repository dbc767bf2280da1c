package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"nightjar/devices/camsim"
	"nightjar/player"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
	"nightjar/storage/timeline"
)

// The tile size the Playback page gives each camera of a 2×2 layout,
// about: every tile is rendered at this size, as the wall would.
const benchTileW, benchTileH = 640, 360

// benchPollEvery is how often the bench's render loops ask the players
// for a new frame: a 60 Hz display.
const benchPollEvery = time.Second / 60

// benchThumbWidth is the Playback page's hover thumbnail width.
const benchThumbWidth = 192

// benchPlayback records N camsim main streams (720p25) into a throwaway
// data directory with a memory keyring, then measures playback of that
// footage, side by side in one run: seek latency, the CPU of a synced
// 4-camera playback against four mpv processes, the highest speed held,
// and the thumbnail time per hour of footage.
func benchPlayback(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench playback", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("cameras", 4, "")
	record := fs.Duration("record", 60*time.Second, "")
	seeks := fs.Int("seeks", 20, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "bench", err.Error(), benchUsage)
	}
	switch {
	case *n < 1 || *n > 16:
		return usageErrorFor(stderr, "bench", fmt.Sprintf("--cameras %d: give 1 to 16", *n), benchUsage)
	case *record < 4*time.Second:
		return usageErrorFor(stderr, "bench", fmt.Sprintf("--record %v: give at least 4s of footage", *record), benchUsage)
	case *seeks < 1:
		return usageErrorFor(stderr, "bench", fmt.Sprintf("--seeks %d: give at least 1", *seeks), benchUsage)
	}
	mpvPath, err := exec.LookPath("mpv")
	if err != nil {
		return fail(stderr, errors.New("mpv is needed as the baseline"), "Run packaging/install-deps.sh.")
	}
	fmt.Fprintf(stderr, "recording %d camsim main streams for %v...\n", *n, *record)
	fo, err := recordBenchFootage(*n, *record)
	if err != nil {
		return fail(stderr, fmt.Errorf("record the footage: %w", err), "")
	}
	defer fo.close()
	rng := rand.New(rand.NewPCG(13, uint64(*seeks))) // the same targets every run

	fmt.Fprintln(stderr, "seeking...")
	one, err := benchSeeks(fo, fo.ids[:1], *seeks, rng, stderr)
	if err != nil {
		return fail(stderr, fmt.Errorf("seek latency, 1 camera: %w", err), "")
	}
	all, err := benchSeeks(fo, fo.ids, *seeks, rng, stderr)
	if err != nil {
		return fail(stderr, fmt.Errorf("seek latency, %d cameras: %w", len(fo.ids), err), "")
	}
	// Nightjar and the baseline take turns, twice, so a change in the
	// machine's other load falls on both.
	const rounds = 2
	window := min(10*time.Second, fo.length()-3*time.Second)
	var nj cpuResult
	var base float64
	var turns []string
	for r := range rounds {
		fmt.Fprintf(stderr, "round %d: playing %d cameras at 1x for %v, then the mpv baseline...\n", r+1, len(fo.ids), window.Round(100*time.Millisecond))
		n, err := benchPlayCPU(fo, window)
		if err != nil {
			return fail(stderr, fmt.Errorf("synced playback at 1x: %w", err), "")
		}
		b, err := benchMPVBaseline(fo, mpvPath, window)
		if err != nil {
			return fail(stderr, fmt.Errorf("mpv baseline: %w", err), "Is /dev/shm a tmpfs here? The baseline's plaintext goes only there.")
		}
		nj.cpu, nj.fps, base = nj.cpu+n.cpu/rounds, n.fps, base+b/rounds
		turns = append(turns, fmt.Sprintf("%.0f against %.0f (%.2f×)", n.cpu, b, n.cpu/b))
	}
	fmt.Fprintln(stderr, "playing at 1x to 16x...")
	speeds, err := benchSpeeds(fo)
	if err != nil {
		return fail(stderr, fmt.Errorf("speeds: %w", err), "")
	}
	fmt.Fprintln(stderr, "decoding thumbnails...")
	thumbs, err := benchThumbnails(fo)
	if err != nil {
		return fail(stderr, fmt.Errorf("thumbnails: %w", err), "")
	}

	fmt.Fprintf(stdout, "footage: %d camsim cameras, main stream 1280x720 at 25 fps (1 s GOP), recorded %v each: %d segments, %.1f MB, age-encrypted, played over the loopback footage server\n",
		len(fo.ids), fo.length().Round(100*time.Millisecond), fo.segments, float64(fo.bytes)/1e6)
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "seek latency: from the seek call to the new frame rendered into a %dx%d tile in memory, paused, %d random targets\n", benchTileW, benchTileH, *seeks)
	t := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "seek\ttimed\tp50\tp95\tmax\ttarget p95\tnew frame drawn\tat the target ±1 frame")
	fmt.Fprintf(t, "1 camera, first seek (loads the run)\t%s\t-\t%s\n", one.firstCells(), one.firstTail())
	fmt.Fprintf(t, "1 camera\t%s\t250 ms\t%s\n", latencyCells(one.lat), one.tail(*seeks))
	fmt.Fprintf(t, "%d synced cameras, first seek (loads the run)\t%s\t-\t%s\n", len(fo.ids), all.firstCells(), all.firstTail())
	fmt.Fprintf(t, "%d synced cameras, all showing the new frame\t%s\t400 ms\t%s\n", len(fo.ids), latencyCells(all.lat), all.tail(*seeks))
	t.Flush()
	fmt.Fprintln(stdout, "A seek whose new frame was not drawn within 3 s is left out of the times: the tile would keep its old picture.")
	fmt.Fprintln(stdout, "On screen add the wall's wait for its next poll (it polls a little faster than the stream's frame rate, so under 40 ms at 25 fps) and one display frame for the repaint (17 ms at 60 Hz).")
	fmt.Fprintln(stdout)

	fmt.Fprintf(stdout, "CPU: %d cameras from the start of the footage at 1x, each rendered at %dx%d; %d rounds of %v each, taking turns, averaged\n", len(fo.ids), benchTileW, benchTileH, rounds, window.Round(100*time.Millisecond))
	t = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "playback\tCPU (% of one core)\t× baseline\tframes rendered/s per tile")
	fmt.Fprintf(t, "baseline: %d × mpv --vo=null --vf=scale=w=%d:h=%d,format=fmt=rgb0, plaintext on /dev/shm\t%.0f\t1.00×\t-\n", len(fo.ids), benchTileW, benchTileH, base)
	fmt.Fprintf(t, "nightjar: %d synced players, decrypted over loopback, rendered into RGBA\t%.0f\t%.2f×\t%s\n", len(fo.ids), nj.cpu, nj.cpu/base, nj.fps)
	t.Flush()
	fmt.Fprintf(stdout, "rounds: %s\n", strings.Join(turns, "; "))
	fmt.Fprintf(stdout, "The baseline decodes the same files and has mpv's filters scale each frame to %dx%d and convert it to RGB, the work Nightjar's software render does, without a display: mpv windows would add the X server's work to the peer but not to Nightjar's in-memory render. Target: ≤ 1.00× the baseline.\n", benchTileW, benchTileH)
	fmt.Fprintln(stdout)

	fmt.Fprintln(stdout, "speed: one 720p25 main stream, one player (no group correction), polled at 60 Hz; held = the position advanced ≥ 90 % of speed × elapsed")
	t = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "speed\tseconds\tfootage advanced (s)\tof speed × elapsed\theld\tframes rendered/s")
	best, slower := 0, true // the highest speed held with every slower one held too
	for _, s := range speeds {
		held := "no"
		if s.held() {
			held = "yes"
		}
		if slower = slower && s.held(); slower {
			best = s.speed
		}
		fmt.Fprintf(t, "%dx\t%.1f\t%.1f\t%.0f %%\t%s\t%.1f\n", s.speed, s.elapsed.Seconds(), s.advanced.Seconds(), 100*s.ratio(), held, s.fps)
	}
	t.Flush()
	top := speeds[len(speeds)-1]
	if best > 0 {
		fmt.Fprintf(stdout, "highest speed held: %dx; at 16x it rendered %.1f frames/s\n", best, top.fps)
	} else {
		fmt.Fprintf(stdout, "highest speed held: none; at 16x it rendered %.1f frames/s\n", top.fps)
	}
	fmt.Fprintln(stdout)

	p50, _, mx := percentiles(thumbs.each)
	fmt.Fprintf(stdout, "thumbnails: player.Thumbnail at %d px wide (the nearest keyframe), one at a time, on camera 1\n", benchThumbWidth)
	t = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "thumbnails\tcount\tp50 each\tmax each\tper hour of footage (60, one a minute)")
	fmt.Fprintf(t, "%s\t%d\t%s\t%s\t%.1f s\n", thumbs.spread, len(thumbs.each), ms(p50), ms(mx), thumbs.perHour().Seconds())
	t.Flush()
	return exitOK
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
}

func latencyCells(d []time.Duration) string {
	if len(d) == 0 {
		return "0\t-\t-\t-"
	}
	p50, p95, mx := percentiles(d)
	return fmt.Sprintf("%d\t%s\t%s\t%s", len(d), ms(p50), ms(p95), ms(mx))
}

// benchFootage is the recorded footage and the app that plays it.
type benchFootage struct {
	a        *App
	dir      string
	ids      []string
	from, to time.Time // every camera has footage throughout
	segments int
	bytes    int64
}

func (f *benchFootage) length() time.Duration { return f.to.Sub(f.from) }

func (f *benchFootage) close() {
	f.a.Close()
	os.RemoveAll(f.dir)
}

// recordBenchFootage records n camsim cameras' main streams for d into a
// throwaway data directory, with a memory keyring so the bench never
// writes into the user's, and returns the span every camera covers.
func recordBenchFootage(n int, d time.Duration) (*benchFootage, error) {
	dir, err := os.MkdirTemp("", "nightjar-bench-playback-")
	if err != nil {
		return nil, err
	}
	a, err := Open(globalFlags{dataDir: dir, logLevel: "info"})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	a.Secrets = &secrets.Store{Backend: &secrets.Memory{}}
	fo := &benchFootage{a: a, dir: dir}
	ok := false
	defer func() {
		if !ok {
			fo.close()
		}
	}()
	sim, err := camsim.Start(camsim.Config{Cameras: n, NoAuth: true, MotionEvery: -1})
	if err != nil {
		return nil, err
	}
	defer sim.Close() // stopped before anything is measured
	for i, c := range sim.Cameras() {
		in := c.Info()
		id := fmt.Sprintf("bench-%d", i+1)
		err := a.DB.PutCamera(catalog.Camera{ID: id, Name: in.Name, MainURI: in.MainURI, SubURI: in.SubURI,
			Added: time.Now(), Record: catalog.RecordSettings{Mode: catalog.RecordContinuous}})
		if err != nil {
			return nil, err
		}
		fo.ids = append(fo.ids, id)
	}
	began := time.Now()
	r, err := a.startRecorders(recordingOptions{}, "")
	if err != nil {
		return nil, err
	}
	time.Sleep(d + 1500*time.Millisecond) // ingest connects and waits for a keyframe first
	r.close()
	sim.Close()
	for i, id := range fo.ids {
		tl, err := timeline.Build(a.DB, id, began.Add(-time.Minute), time.Now().Add(time.Minute))
		if err != nil {
			return nil, err
		}
		if len(tl.Runs) == 0 {
			return nil, fmt.Errorf("camera %s recorded nothing", id)
		}
		run := tl.Runs[0]
		if i == 0 || run.From.After(fo.from) {
			fo.from = run.From
		}
		if i == 0 || run.To.Before(fo.to) {
			fo.to = run.To
		}
		for _, seg := range run.Segments {
			fo.segments++
			fo.bytes += seg.Size
		}
	}
	if fo.length() < 3*time.Second {
		return nil, fmt.Errorf("the cameras' footage overlaps only %v", fo.length())
	}
	ok = true
	return fo, nil
}

// renderLoop polls tiles at benchPollEvery and renders each new frame
// into its tile of a composed image, as the wall does, counting frames,
// until stop is closed.
func renderLoop(tiles []frameSource, counts []atomic.Int64, stop <-chan struct{}, done chan<- error) {
	cols := 1
	for cols*cols < len(tiles) {
		cols++
	}
	rows := (len(tiles) + cols - 1) / cols
	img := image.NewRGBA(image.Rect(0, 0, cols*benchTileW, rows*benchTileH))
	tick := time.NewTicker(benchPollEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			done <- nil
			return
		case <-tick.C:
		}
		for i, tile := range tiles {
			if !tile.NewFrame() {
				continue
			}
			x, y := (i%cols)*benchTileW, (i/cols)*benchTileH
			if err := tile.Render(img, image.Rect(x, y, x+benchTileW, y+benchTileH)); err != nil {
				done <- fmt.Errorf("render tile %d: %w", i, err)
				return
			}
			counts[i].Add(1)
		}
	}
}

// frameSource is what renderLoop draws: a wall tile.
type frameSource interface {
	NewFrame() bool
	Render(dst *image.RGBA, r image.Rectangle) error
}

// thumbResult is the thumbnail bench.
type thumbResult struct {
	each   []time.Duration
	spread string
}

// perHour scales the mean time per thumbnail to one a minute for an hour.
func (r thumbResult) perHour() time.Duration {
	var sum time.Duration
	for _, d := range r.each {
		sum += d
	}
	return sum * 60 / time.Duration(max(1, len(r.each)))
}

// benchThumbnails decodes one thumbnail per minute of camera 1's
// footage, or, with less than 20 minutes of it, 20 spread evenly over
// it, one at a time as the page's hover does, and times each.
func benchThumbnails(fo *benchFootage) (thumbResult, error) {
	src, err := fo.a.cameraSource(fo.ids[0])
	if err != nil {
		return thumbResult{}, err
	}
	count := max(20, int(fo.length()/time.Minute))
	step := fo.length() / time.Duration(count)
	res := thumbResult{spread: fmt.Sprintf("every %v over %v", step.Round(100*time.Millisecond), fo.length().Round(time.Second))}
	if step >= time.Minute {
		res.spread = fmt.Sprintf("one a minute over %v", fo.length().Round(time.Second))
	}
	for i := range count {
		at := fo.from.Add(step/2 + time.Duration(i)*step)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		t0 := time.Now()
		pieces, _, ok, err := src.Run(ctx, at)
		if err == nil && !ok {
			err = fmt.Errorf("no footage at %s", at.Format(time.RFC3339))
		}
		if err == nil {
			piece := pieces[0]
			for _, p := range pieces {
				if !at.Before(p.Start) {
					piece = p
				}
			}
			var img *image.RGBA
			img, err = player.Thumbnail(ctx, piece, at, benchThumbWidth, nil)
			if err == nil && img.Bounds().Dx() != benchThumbWidth {
				err = fmt.Errorf("thumbnail %d px wide, asked for %d", img.Bounds().Dx(), benchThumbWidth)
			}
		}
		d := time.Since(t0)
		cancel()
		if err != nil {
			return res, err
		}
		res.each = append(res.each, d)
	}
	sort.Slice(res.each, func(i, j int) bool { return res.each[i] < res.each[j] })
	return res, nil
}
