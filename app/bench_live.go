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
	defer fmt.Fprintf(stdout, "Nightjar: process start to every tile live %s ms; Enter to the main stream on screen %s ms\n", orQ(nj.startMs), orQ(nj.fullMs))

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

var wallFPSRE = regexp.MustCompile(`msg=wall shown_fps="\[([0-9. ]+)\]"`)

// benchWall runs the real app on the streams and reads its wall fps from
// its debug log.
func benchWall(ctx context.Context, exe string, infos []camsim.Info, window time.Duration, env ...string) (benchResult, error) {
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
	app := exec.CommandContext(ctx, exe, "--data-dir", dir, "--log-level", "debug")
	app.Env = append(os.Environ(), env...)
	if err := app.Start(); err != nil {
		return benchResult{}, err
	}
	defer stopProcess(app)
	time.Sleep(6 * time.Second)
	c0 := procCPU(app.Process.Pid)
	time.Sleep(window)
	c1 := procCPU(app.Process.Pid)
	res := benchResult{cpu: 100 * (c1 - c0) / window.Seconds(), rss: procRSSMB(app.Process.Pid), fps: "?"}
	log, _ := os.ReadFile(filepath.Join(dir, "logs", "nightjar.log"))
	if m := wallFPSRE.FindAllSubmatch(log, -1); len(m) > 0 {
		lo, hi := 1e9, 0.0
		for _, f := range strings.Fields(string(m[len(m)-1][1])) {
			v, _ := strconv.ParseFloat(f, 64)
			lo, hi = min(lo, v), max(hi, v)
		}
		res.fps = fmt.Sprintf("%.1f–%.1f", lo, hi)
	}
	// Fill the wall with the first camera (a click, then Enter) and wait
	// for its main stream.
	exec.Command("xdotool", "mousemove", "300", "130", "click", "1", "sleep", "0.3", "key", "Return").Run()
	time.Sleep(3 * time.Second)
	log, _ = os.ReadFile(filepath.Join(dir, "logs", "nightjar.log"))
	if m := regexp.MustCompile(`msg="wall all tiles live" after_ms=(\d+)`).FindSubmatch(log); m != nil {
		res.startMs = string(m[1])
	}
	if m := regexp.MustCompile(`msg="wall main stream shown" after_ms=(\d+)`).FindSubmatch(log); m != nil {
		res.fullMs = string(m[1])
	}
	res.native = bytes.Contains(log, []byte("live wall draws to an X11 surface"))
	return res, nil
}

func orQ(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
