package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"nightjar/devices/camsim"
	"nightjar/player"
	"nightjar/storage/catalog"
)

// benchLatency measures glass-to-glass latency on loopback: camsim paints
// its latency marker into the next frame of camera 1 and notes when that
// frame went out; the real app's wall (four cameras, sub streams) notes
// when the marker spot turns white in the image it puts on screen. The
// baseline is a libmpv player with mpv's default caching, rendering the
// same stream at the same size, timed the same way.
func benchLatency(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench latency", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	samples := fs.Int("samples", 30, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "bench", err.Error(), benchUsage)
	}
	if os.Getenv("DISPLAY") == "" {
		return fail(stderr, errors.New("bench latency needs an X display"), "Run it under Xvfb: xvfb-run -s '-screen 0 1920x1080x24' nightjar bench latency")
	}
	exe, _ := os.Executable()
	sim, err := camsim.Start(camsim.Config{Cameras: 4, NoAuth: true, MotionEvery: -1})
	if err != nil {
		return fail(stderr, err, "")
	}
	defer sim.Close()
	cam := sim.Cameras()[0]

	wall, err := latencyOfWall(exe, sim, *samples)
	if err != nil {
		return fail(stderr, fmt.Errorf("wall: %w", err), "")
	}
	floor, err := latencyOfLive(cam, *samples)
	if err != nil {
		return fail(stderr, fmt.Errorf("floor: %w", err), "")
	}
	base, err := latencyOfMPV(cam, *samples)
	if err != nil {
		return fail(stderr, fmt.Errorf("baseline: %w", err), "")
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "glass-to-glass on loopback (360p15 sub stream, 447×251 tile)\tsamples\tp50\tp95\tmax")
	for _, r := range []struct {
		name string
		d    []time.Duration
	}{{"baseline: libmpv, mpv's default caching", base}, {"floor: the wall's live player, no UI", floor}, {"nightjar wall", wall}} {
		p50, p95, mx := percentiles(r.d)
		if os.Getenv("NIGHTJAR_BENCH_VERBOSE") != "" {
			fmt.Fprintln(stderr, r.name, r.d)
		}
		fmt.Fprintf(tw, "%s\t%d\t%v\t%v\t%v\n", r.name, len(r.d), p50, p95, mx)
	}
	tw.Flush()
	return exitOK
}

// markerRounds turns the marker on and off n times and pairs each send
// time with the first time shown() reports after it.
func markerRounds(cam *camsim.Camera, n int, shown func() []time.Time) []time.Duration {
	var out []time.Duration
	for i := 0; i < n; i++ {
		cam.SetMarker(true)
		time.Sleep(1500 * time.Millisecond)
		sent := cam.MarkerSent(camsim.Sub)
		cam.SetMarker(false)
		// Off for a while, out of step with the frame clock.
		time.Sleep(time.Second + time.Duration(rand.IntN(130))*time.Millisecond)
		if sent.IsZero() {
			continue
		}
		for _, t := range shown() {
			if !t.Before(sent) && t.Sub(sent) < 2400*time.Millisecond {
				out = append(out, t.Sub(sent))
				break
			}
		}
	}
	return out
}

func latencyOfWall(exe string, sim *camsim.Sim, n int) ([]time.Duration, error) {
	dir, err := os.MkdirTemp("", "nightjar-bench-latency-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		return nil, err
	}
	for i, c := range sim.Cameras() {
		in := c.Info()
		db.PutCamera(catalog.Camera{ID: fmt.Sprintf("cam%d", i+1), Name: in.Name, MainURI: in.MainURI, SubURI: in.SubURI, Added: time.Now()})
	}
	db.Close()
	probe := filepath.Join(dir, "marker.txt")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := exec.CommandContext(ctx, exe, "--data-dir", dir)
	app.Env = append(os.Environ(), "NIGHTJAR_MARKER_PROBE="+probe)
	if err := app.Start(); err != nil {
		return nil, err
	}
	defer stopProcess(app)
	time.Sleep(6 * time.Second) // the window opens and the tiles go live
	shown := func() []time.Time {
		f, err := os.Open(probe)
		if err != nil {
			return nil
		}
		defer f.Close()
		var out []time.Time
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if ns, err := strconv.ParseInt(strings.TrimSpace(sc.Text()), 10, 64); err == nil {
				out = append(out, time.Unix(0, ns))
			}
		}
		return out
	}
	d := markerRounds(sim.Cameras()[0], n, shown)
	if len(d) < n/2 {
		return d, fmt.Errorf("the wall showed only %d of %d markers", len(d), n)
	}
	return d, nil
}

// latencyOfLive plays the sub stream in the wall's own live player,
// rendering into memory with no UI.
func latencyOfLive(cam *camsim.Camera, n int) ([]time.Duration, error) {
	l, err := player.NewLive(player.LiveOptions{URL: cam.StreamURI(camsim.Sub), ScaleThreads: 1})
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return probeRounds(cam, n, l.Frames(), l.Render)
}

// probeRounds renders every new frame into a tile-sized image, probes it,
// and runs the marker rounds.
func probeRounds(cam *camsim.Camera, n int, frames <-chan struct{}, render func(*image.RGBA, image.Rectangle) error) ([]time.Duration, error) {
	probe := &markerProbe{}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		img := image.NewRGBA(image.Rect(0, 0, 447, 251))
		for {
			select {
			case <-stop:
				return
			case <-frames:
				if render(img, img.Bounds()) == nil {
					probe.check(img, img.Bounds())
				}
			}
		}
	}()
	defer func() { close(stop); <-done }()
	time.Sleep(4 * time.Second)
	d := markerRounds(cam, n, probe.times)
	if len(d) < n/2 {
		return d, fmt.Errorf("only %d of %d markers were seen", len(d), n)
	}
	return d, nil
}

// latencyOfMPV plays the sub stream in libmpv with its default cache and
// demuxer settings, rendering into memory at the wall's tile size.
func latencyOfMPV(cam *camsim.Camera, n int) ([]time.Duration, error) {
	core, err := player.NewCore(player.CoreOptions{"rtsp-transport": "tcp"})
	if err != nil {
		return nil, err
	}
	defer core.Close()
	if err := core.Command("loadfile", cam.StreamURI(camsim.Sub)); err != nil {
		return nil, err
	}
	return probeRounds(cam, n, core.Frames(), core.Render)
}

func percentiles(d []time.Duration) (p50, p95, mx time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	r := func(v time.Duration) time.Duration { return v.Round(time.Millisecond) }
	return r(s[len(s)/2]), r(s[(len(s)*95+99)/100-1]), r(s[len(s)-1])
}
