package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"nightjar/devices/camsim"
	"nightjar/player"
)

// benchLive compares, in one run and under the same X server:
//   - the floor: bare libmpv players rendering the streams into memory;
//   - the peer: one 'mpv --vo=x11 --profile=low-latency' window per stream;
//   - Nightjar: the real app's wall on the same streams.
func benchLive(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench live", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	tiles := fs.Int("tiles", 16, "")
	secs := fs.Int("seconds", 15, "")
	masks := fs.Int("masks", 0, "")
	pairs := fs.Int("pairs", 2, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "bench", err.Error(), benchUsage)
	}
	if os.Getenv("DISPLAY") == "" {
		return fail(stderr, errors.New("bench live needs an X display"), "Run it under Xvfb: xvfb-run -s '-screen 0 1920x1080x24' nightjar bench live")
	}
	exe, _ := os.Executable()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim, infos, err := startCamsimProcess(ctx, exe, *tiles)
	if err != nil {
		return fail(stderr, err, "")
	}
	defer stopProcess(sim)
	window := time.Duration(*secs) * time.Second
	if *masks > 0 {
		return benchMasks(ctx, exe, infos, *masks, *pairs, window, stdout, stderr)
	}
	// The wall's tile size in a 1280×800 window: about what the grid
	// leaves of 1010×750 pixels.
	cols := 1
	for cols*cols < *tiles {
		cols++
	}
	tw, th := 1010/cols, 750/cols

	type row struct {
		name     string
		cpu, rss float64
		fps      string
	}
	var rows []row

	fl, err := benchFloor(infos, tw, th, window)
	if err != nil {
		return fail(stderr, fmt.Errorf("floor: %w", err), "")
	}
	rows = append(rows, row{"floor: libmpv into memory, no UI", fl.cpu, fl.rss, fl.fps})

	pr, err := benchPeer(ctx, infos, tw, th, window)
	if err != nil {
		return fail(stderr, fmt.Errorf("peer: %w", err), "Is mpv installed? packaging/install-deps.sh installs it.")
	}
	rows = append(rows, row{"peer: one mpv --vo=x11 window per stream", pr.cpu, pr.rss, pr.fps})

	nj, err := benchWall(ctx, exe, infos, window)
	if err != nil {
		return fail(stderr, fmt.Errorf("nightjar: %w", err), "")
	}
	name := "Nightjar wall"
	if nj.native {
		name += " (X11 surface)"
	}
	rows = append(rows, row{name, nj.cpu, nj.rss, nj.fps})
	if nj.native {
		// The same wall with its video drawn through Fyne, as on platforms
		// without the X11 surface: what the surface saves.
		fy, err := benchWall(ctx, exe, infos, window, "NIGHTJAR_WALL_DRAW=fyne")
		if err != nil {
			return fail(stderr, fmt.Errorf("nightjar through Fyne: %w", err), "")
		}
		rows = append(rows, row{"Nightjar wall drawn through Fyne", fy.cpu, fy.rss, fy.fps})
	}
	defer fmt.Fprintf(stdout, "Nightjar: process start to every tile live %s ms; Enter to the main stream on screen %s ms\n", nj.startMs, nj.fullMs)

	fmt.Fprintf(stdout, "%d tiles of the sub stream (640x360, 15 fps) at about %dx%d, %s each\n", *tiles, tw, th, window)
	t := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "setup\tCPU (% of one core)\t× peer\tRSS MB\tRSS MB/tile\tshown fps per tile")
	for _, r := range rows {
		fmt.Fprintf(t, "%s\t%.0f\t%.2f\t%.0f\t%.1f\t%s\n", r.name, r.cpu, r.cpu/pr.cpu, r.rss, r.rss/float64(*tiles), r.fps)
	}
	t.Flush()
	return exitOK
}

type benchResult struct {
	cpu, rss        float64
	fps             string
	startMs, fullMs string // wall only: start to all tiles live, fill to main stream
	native          bool   // wall only: it drew to the X11 surface
}

func cpuSelf() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// benchFloor renders every stream into memory in this process.
func benchFloor(infos []camsim.Info, tw, th int, window time.Duration) (benchResult, error) {
	var lives []*player.Live
	defer func() {
		for _, l := range lives {
			l.Close()
		}
	}()
	rssBefore := procRSSMB(os.Getpid())
	stop := make(chan struct{})
	counts := make([]int, len(infos))
	done := make(chan struct{}, len(infos))
	for i, in := range infos {
		l, err := player.NewLive(player.LiveOptions{URL: in.SubURI, ScaleThreads: 1})
		if err != nil {
			return benchResult{}, err
		}
		lives = append(lives, l)
		go func() {
			defer func() { done <- struct{}{} }()
			img := image.NewRGBA(image.Rect(0, 0, tw, th))
			for {
				select {
				case <-stop:
					return
				case <-l.Frames():
					if l.Render(img, img.Bounds()) == nil {
						counts[i]++
					}
				}
			}
		}()
	}
	time.Sleep(3 * time.Second)
	c0 := cpuSelf()
	n0 := append([]int(nil), counts...)
	time.Sleep(window)
	c1 := cpuSelf()
	close(stop)
	for range infos {
		<-done
	}
	return benchResult{
		cpu: 100 * (c1 - c0) / window.Seconds(),
		rss: procRSSMB(os.Getpid()) - rssBefore,
		fps: fpsSummary(n0, counts, window),
	}, nil
}

func fpsSummary(before, after []int, window time.Duration) string {
	lo, hi := 1e9, 0.0
	for i := range after {
		f := float64(after[i]-before[i]) / window.Seconds()
		lo, hi = min(lo, f), max(hi, f)
	}
	return fmt.Sprintf("%.1f–%.1f", lo, hi)
}

// benchPeer runs one mpv window per stream, tiled.
func benchPeer(ctx context.Context, infos []camsim.Info, tw, th int, window time.Duration) (benchResult, error) {
	mpvPath, err := exec.LookPath("mpv")
	if err != nil {
		return benchResult{}, err
	}
	cols := 1
	for cols*cols < len(infos) {
		cols++
	}
	var cmds []*exec.Cmd
	defer func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}()
	for i, in := range infos {
		c := exec.CommandContext(ctx, mpvPath, "--no-config", "--vo=x11", "--profile=low-latency", "--no-audio", "--no-border",
			"--really-quiet", "--rtsp-transport=tcp", fmt.Sprintf("--geometry=%dx%d+%d+%d", tw, th, (i%cols)*tw, (i/cols)*th), in.SubURI)
		if err := c.Start(); err != nil {
			return benchResult{}, err
		}
		cmds = append(cmds, c)
	}
	time.Sleep(4 * time.Second)
	var c0, c1, rss float64
	for _, c := range cmds {
		c0 += procCPU(c.Process.Pid)
	}
	time.Sleep(window)
	for _, c := range cmds {
		c1 += procCPU(c.Process.Pid)
		rss += procRSSMB(c.Process.Pid)
	}
	return benchResult{cpu: 100 * (c1 - c0) / window.Seconds(), rss: rss, fps: "n/a"}, nil
}

var (
	wallFPSRE      = regexp.MustCompile(`msg=wall shown_fps="\[([0-9. ]+)\]"`)
	wallLiveRE     = regexp.MustCompile(`msg="wall all tiles live" after_ms=(\d+)`)
	wallMainRE     = regexp.MustCompile(`msg="wall main stream shown" after_ms=(\d+)`)
	wallNativeLine = []byte("live wall draws to an X11 surface")
)

// benchWall runs the real app on the streams and reads its wall fps, and
// how long the wall took to go live and to show a main stream, from its
// debug log. A figure the log does not give is an error that says why.
func benchWall(ctx context.Context, exe string, infos []camsim.Info, window time.Duration, env ...string) (benchResult, error) {
	return benchWallZones(ctx, exe, infos, 0, window, env...)
}

// benchWallZones is benchWall with zonesPer privacy zones on every camera.
func benchWallZones(ctx context.Context, exe string, infos []camsim.Info, zonesPer int, window time.Duration, env ...string) (benchResult, error) {
	dir, err := os.MkdirTemp("", "nightjar-bench-")
	if err != nil {
		return benchResult{}, err
	}
	defer os.RemoveAll(dir)
	for i, in := range infos {
		out, err := exec.CommandContext(ctx, exe, "--data-dir", dir, "cameras", "add", in.DeviceURL, "--name", fmt.Sprintf("Cam %02d", i+1)).CombinedOutput()
		if err != nil {
			return benchResult{}, fmt.Errorf("add camera: %v: %s", err, out)
		}
	}
	if zonesPer > 0 {
		if err := addBenchZones(dir, zonesPer); err != nil {
			return benchResult{}, err
		}
	}
	app := exec.CommandContext(ctx, exe, "--data-dir", dir, "--log-level", "debug")
	app.Env = append(os.Environ(), env...)
	if err := app.Start(); err != nil {
		return benchResult{}, err
	}
	defer stopProcess(app)
	logPath := filepath.Join(dir, "logs", "nightjar.log")
	live, err := waitLog(ctx, logPath, wallLiveRE, 60*time.Second)
	if err != nil {
		return benchResult{}, fmt.Errorf("every tile live: %w", err)
	}
	time.Sleep(3 * time.Second) // past the start-up work
	c0 := procCPU(app.Process.Pid)
	time.Sleep(window)
	c1 := procCPU(app.Process.Pid)
	res := benchResult{cpu: 100 * (c1 - c0) / window.Seconds(), rss: procRSSMB(app.Process.Pid), startMs: string(live[1])}
	log, err := os.ReadFile(logPath)
	if err != nil {
		return benchResult{}, fmt.Errorf("read the wall's log: %w", err)
	}
	m := wallFPSRE.FindAllSubmatch(log, -1)
	if len(m) == 0 {
		return benchResult{}, fmt.Errorf("shown fps: the wall logged no frame rates in %v", window)
	}
	lo, hi := 1e9, 0.0
	for _, f := range strings.Fields(string(m[len(m)-1][1])) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return benchResult{}, fmt.Errorf("shown fps: read %q from the wall's log: %w", f, err)
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	res.fps = fmt.Sprintf("%.1f–%.1f", lo, hi)
	res.native = bytes.Contains(log, wallNativeLine)

	// Fill the wall with the first camera and wait for its main stream. A
	// click selects a tile only once the double-click time has passed, so
	// Enter waits that out.
	if out, err := exec.CommandContext(ctx, "xdotool", "mousemove", "300", "130", "click", "1", "sleep", "0.6", "key", "Return").CombinedOutput(); err != nil {
		return benchResult{}, fmt.Errorf("main stream: press Enter on the first tile with xdotool: %v: %s", err, bytes.TrimSpace(out))
	}
	full, err := waitLog(ctx, logPath, wallMainRE, 20*time.Second)
	if err != nil {
		return benchResult{}, fmt.Errorf("main stream after Enter on the first tile: %w", err)
	}
	res.fullMs = string(full[1])
	return res, nil
}

// waitLog polls the log at path until a line matches re, and returns the
// match; after within, an error says what the log never showed.
func waitLog(ctx context.Context, path string, re *regexp.Regexp, within time.Duration) ([][]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		b, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if m := re.FindSubmatch(b); m != nil {
			return m, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("the app logged no line matching %q within %v", re, within)
		case <-t.C:
		}
	}
}
