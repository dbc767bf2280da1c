package app

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/bluenviron/gortsplib/v5"
	"github.com/bluenviron/gortsplib/v5/pkg/base"
	"github.com/bluenviron/gortsplib/v5/pkg/description"
	"github.com/bluenviron/gortsplib/v5/pkg/format"
	"github.com/pion/rtp"

	"nightjar/devices/camsim"
)

const benchUsage = "usage: nightjar bench camsim [--cameras N] [--seconds S] | live [--tiles N] [--seconds S] [--masks N [--pairs P]] | record [--streams N] [--seconds S] [--sub] | latency [--samples N] | playback [--cameras N] [--record D] [--seeks N] | export --input F.ts --out F.mp4 [--length D] [--zones N]"

// runBench is 'nightjar bench WHAT'.
func runBench(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageErrorFor(stderr, "bench", "missing what to measure (camsim, live, record, latency or playback)", benchUsage)
	}
	switch args[0] {
	case "camsim":
		return benchCamsim(args[1:], stdout, stderr)
	case "live":
		return benchLive(args[1:], stdout, stderr)
	case "record":
		return benchRecord(args[1:], stdout, stderr)
	case "latency":
		return benchLatency(args[1:], stdout, stderr)
	case "playback":
		return benchPlayback(args[1:], stdout, stderr)
	case "export":
		return benchExport(args[1:], stdout, stderr)
	default:
		return usageErrorFor(stderr, "bench", fmt.Sprintf("unknown benchmark %q", args[0]), benchUsage)
	}
}

// benchCamsim measures the simulator's CPU and memory serving N cameras
// with both streams read, against one camera with one reader, in the same
// run. The simulator runs as its own process ('nightjar camsim') so its CPU
// is counted apart from the readers'.
func benchCamsim(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench camsim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("cameras", 16, "")
	secs := fs.Int("seconds", 10, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "bench", err.Error(), benchUsage)
	}
	type scenario struct {
		name    string
		cameras int
		kinds   []string
	}
	scenarios := []scenario{
		{"baseline: 1 camera, main read once", 1, []string{camsim.Main}},
		{fmt.Sprintf("%d cameras, main+sub each read", *n), *n, []string{camsim.Main, camsim.Sub}},
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\treaders\tCPU (% of one core)\tratio\tRSS MB\tMbit/s out")
	var base float64
	for i, sc := range scenarios {
		r, err := measureCamsim(sc.cameras, sc.kinds, time.Duration(*secs)*time.Second)
		if err != nil {
			return fail(stderr, fmt.Errorf("bench %s: %w", sc.name, err), "")
		}
		if i == 0 {
			base = r.cpu
		}
		ratio := "1.00×"
		if i > 0 && base > 0 {
			ratio = fmt.Sprintf("%.2f×", r.cpu/base)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%.1f\t%.1f\n", sc.name, r.readers, r.cpu, ratio, r.rssMB, r.mbps)
	}
	tw.Flush()
	return exitOK
}

type camsimResult struct {
	readers int
	cpu     float64 // percent of one core
	rssMB   float64
	mbps    float64
}

func measureCamsim(cameras int, kinds []string, window time.Duration) (camsimResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return camsimResult{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd, infos, err := startCamsimProcess(ctx, exe, cameras)
	if err != nil {
		return camsimResult{}, err
	}
	defer stopProcess(cmd)
	var bytes atomic.Int64
	var clients []*gortsplib.Client
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	for _, in := range infos {
		for _, kind := range kinds {
			uri := in.MainURI
			if kind == camsim.Sub {
				uri = in.SubURI
			}
			c, err := readStream(uri, func(n int) { bytes.Add(int64(n)) })
			if err != nil {
				return camsimResult{}, err
			}
			clients = append(clients, c)
		}
	}
	time.Sleep(2 * time.Second) // warm up
	cpu0, t0, b0 := procCPU(cmd.Process.Pid), time.Now(), bytes.Load()
	time.Sleep(window)
	cpu1, t1, b1 := procCPU(cmd.Process.Pid), time.Now(), bytes.Load()
	el := t1.Sub(t0).Seconds()
	return camsimResult{
		readers: len(clients),
		cpu:     100 * (cpu1 - cpu0) / el,
		rssMB:   procRSSMB(cmd.Process.Pid),
		mbps:    float64(b1-b0) * 8 / el / 1e6,
	}, nil
}

// readStream plays uri over TCP and counts payload bytes, with no decoding.
func readStream(uri string, count func(int)) (*gortsplib.Client, error) {
	u, err := base.ParseURL(uri)
	if err != nil {
		return nil, err
	}
	tcp := gortsplib.ProtocolTCP
	c := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Protocol: &tcp}
	if err := c.Start(); err != nil {
		return nil, err
	}
	desc, _, err := c.Describe(u)
	if err == nil {
		err = c.SetupAll(desc.BaseURL, desc.Medias)
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("read %s: %w", uri, err)
	}
	c.OnPacketRTPAny(func(_ *description.Media, _ format.Format, p *rtp.Packet) { count(len(p.Payload)) })
	if _, err := c.Play(nil); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// procCPU returns a process's user+system CPU time in seconds (Linux).
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

// procRSSMB returns a process's resident set size in MB (Linux).
func procRSSMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			kb, _ := strconv.ParseFloat(strings.Fields(l)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// startCamsimProcess runs 'nightjar camsim' as its own process (so its CPU
// is counted apart) with n cameras and no auth, and reads its camera list.
func startCamsimProcess(ctx context.Context, exe string, n int) (*exec.Cmd, []camsim.Info, error) {
	cmd := exec.CommandContext(ctx, exe, "camsim", "--cameras", strconv.Itoa(n), "--no-auth", "--json", "--discovery", "off")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	var infos []camsim.Info
	if err := json.NewDecoder(bufio.NewReader(out)).Decode(&infos); err != nil {
		stopProcess(cmd)
		return nil, nil, fmt.Errorf("read camsim's camera list: %w", err)
	}
	return cmd, infos, nil
}

// stopProcess interrupts cmd and waits for it.
func stopProcess(cmd *exec.Cmd) {
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
}
