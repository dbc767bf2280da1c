package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"nightjar/player"
	"nightjar/storage/catalog"
)

// benchTmpfs is where the mpv baseline's plaintext goes: memory, never
// a disk. It is removed when the baseline ends.
const benchTmpfs = "/dev/shm"

// benchSpeedList is the speeds tried, slowest first.
var benchSpeedList = []int{1, 2, 4, 8, 16}

// cpuResult is one side of the CPU comparison.
type cpuResult struct {
	cpu float64 // % of one core
	fps string  // frames rendered per second per tile, lowest–highest
}

// benchPlayCPU plays every camera synced at 1x from the start of the
// footage, as the Playback page does, with every new frame rendered into
// its tile of one composed image, and measures this process's CPU:
// decryption, the footage server, libmpv and the render.
func benchPlayCPU(fo *benchFootage, window time.Duration) (cpuResult, error) {
	s, err := fo.a.openPlaybackSession(fo.ids)
	if err != nil {
		return cpuResult{}, err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), seekTimeout)
	err = s.group.Seek(ctx, fo.from.Add(200*time.Millisecond))
	cancel()
	if err != nil {
		return cpuResult{}, err
	}
	var tiles []frameSource
	for _, t := range s.Tiles() {
		tiles = append(tiles, t)
	}
	counts := make([]atomic.Int64, len(tiles))
	stop, done := make(chan struct{}), make(chan error, 1)
	go renderLoop(tiles, counts, stop, done)
	s.SetPaused(false)
	time.Sleep(2 * time.Second) // past the start
	c0, t0, n0 := cpuSelf(), time.Now(), snapshot(counts)
	select {
	case err := <-done:
		return cpuResult{}, err
	case <-time.After(window):
	}
	c1, el, n1 := cpuSelf(), time.Since(t0), snapshot(counts)
	close(stop)
	if err := <-done; err != nil {
		return cpuResult{}, err
	}
	return cpuResult{cpu: 100 * (c1 - c0) / el.Seconds(), fps: fpsSummary(n0, n1, el)}, nil
}

func snapshot(counts []atomic.Int64) []int {
	out := make([]int, len(counts))
	for i := range counts {
		out[i] = int(counts[i].Load())
	}
	return out
}

// benchMPVBaseline decrypts each camera's footage to a file on the tmpfs
// and plays it in its own mpv process, decoding and scaling each frame
// to a tile in RGB with no display, and returns their CPU together.
func benchMPVBaseline(fo *benchFootage, mpvPath string, window time.Duration) (float64, error) {
	if err := checkTmpfs(benchTmpfs); err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp(benchTmpfs, "nightjar-bench-plain-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	var files []string
	for _, id := range fo.ids {
		path := filepath.Join(dir, id+".ts")
		if err := writePlainFootage(fo, id, path); err != nil {
			return 0, err
		}
		files = append(files, path)
	}
	type proc struct {
		cmd  *exec.Cmd
		exit chan error
	}
	var procs []proc
	defer func() {
		for _, p := range procs {
			p.cmd.Process.Kill()
			<-p.exit
		}
	}()
	vf := fmt.Sprintf("--vf=scale=w=%d:h=%d,format=fmt=rgb0", benchTileW, benchTileH)
	for _, f := range files {
		cmd := exec.Command(mpvPath, "--no-config", "--no-audio", "--really-quiet", "--vo=null", vf, "--keep-open=yes", f)
		if err := cmd.Start(); err != nil {
			return 0, fmt.Errorf("start mpv: %w", err)
		}
		p := proc{cmd, make(chan error, 1)}
		go func() { p.exit <- cmd.Wait() }()
		procs = append(procs, p)
	}
	time.Sleep(2 * time.Second) // as Nightjar's warm-up
	c0 := make([]float64, len(procs))
	for i, p := range procs {
		c0[i] = procCPU(p.cmd.Process.Pid)
	}
	t0 := time.Now()
	time.Sleep(window)
	el := time.Since(t0)
	var cpu float64
	for i, p := range procs {
		cpu += procCPU(p.cmd.Process.Pid) - c0[i]
		select {
		case err := <-p.exit:
			p.exit <- err // for the deferred wait
			return 0, fmt.Errorf("mpv on %s stopped during the measurement: %v", files[i], err)
		default:
		}
	}
	return 100 * cpu / el.Seconds(), nil
}

// checkTmpfs makes sure dir is a tmpfs mount, so the plaintext never
// reaches a disk.
func checkTmpfs(dir string) error {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return fmt.Errorf("check %s is a tmpfs: %w", dir, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 3 && fields[1] == dir && fields[2] == "tmpfs" {
			return nil
		}
	}
	return fmt.Errorf("%s is not a tmpfs mount; the baseline's decrypted footage goes only to memory", dir)
}

// writePlainFootage writes a camera's segments, decrypted and checked,
// one after the other into path.
func writePlainFootage(fo *benchFootage, id, path string) error {
	rows, err := fo.a.DB.Segments(catalog.SegmentFilter{CameraID: id})
	if err != nil {
		return err
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Start.Before(rows[j].Start) })
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, row := range rows {
		p, err := fo.a.recordingStore().OpenPlain(ctx, row)
		if err != nil {
			out.Close()
			return fmt.Errorf("decrypt a segment of %s: %w", id, err)
		}
		_, err = io.Copy(out, io.NewSectionReader(p.R, 0, p.Size))
		p.Close()
		if err != nil {
			out.Close()
			return fmt.Errorf("write the plaintext of %s: %w", id, err)
		}
	}
	return out.Close()
}

// speedResult is one speed of the speed bench.
type speedResult struct {
	speed             int
	elapsed, advanced time.Duration
	fps               float64
}

// ratio is how much of speed × elapsed the position advanced.
func (s speedResult) ratio() float64 {
	want := float64(s.speed) * s.elapsed.Seconds()
	if want <= 0 {
		return 0
	}
	return s.advanced.Seconds() / want
}

func (s speedResult) held() bool { return s.ratio() >= 0.9 }

// benchSpeeds plays camera 1 from the start of its footage at each speed
// for up to 3 s, in one player with no group to pull it along, and
// measures how far its position advanced and how many frames it gave
// the render loop.
func benchSpeeds(fo *benchFootage) ([]speedResult, error) {
	src, err := fo.a.cameraSource(fo.ids[0])
	if err != nil {
		return nil, err
	}
	p, err := player.NewPlayback(player.PlaybackOptions{Source: src, Log: fo.a.Log.With("component", "playback", "camera", fo.ids[0])})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	counts := make([]atomic.Int64, 1)
	stop, done := make(chan struct{}), make(chan error, 1)
	go renderLoop([]frameSource{p}, counts, stop, done)
	defer func() { close(stop); <-done }()
	const warm = 300 * time.Millisecond
	var out []speedResult
	for _, x := range benchSpeedList {
		p.SetPaused(true)
		ctx, cancel := context.WithTimeout(context.Background(), seekTimeout)
		err := p.Seek(ctx, fo.from.Add(200*time.Millisecond))
		cancel()
		if err != nil {
			return nil, fmt.Errorf("seek to the start for %dx: %w", x, err)
		}
		p.SetSpeed(float64(x))
		p.SetPaused(false)
		// Up to 3 s, within the footage after the warm-up.
		d := max(200*time.Millisecond, min(3*time.Second, (fo.length()-time.Second)/time.Duration(x)-warm))
		time.Sleep(warm)
		pos0, t0, n0 := p.Status().Position, time.Now(), counts[0].Load()
		time.Sleep(d)
		pos1, el, n1 := p.Status().Position, time.Since(t0), counts[0].Load()
		p.SetPaused(true)
		out = append(out, speedResult{speed: x, elapsed: el, advanced: pos1.Sub(pos0), fps: float64(n1-n0) / el.Seconds()})
	}
	return out, nil
}
