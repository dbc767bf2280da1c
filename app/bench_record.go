package app

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"

	"nightjar/devices/camsim"
	"nightjar/devices/ingest"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
	"nightjar/storage/secrets"
)

// benchRecord records N simulated main streams with Nightjar's recorder
// and, at the same time on the same streams, with 'ffmpeg -c copy -f
// segment', and compares CPU and memory per stream. It also measures
// encryption throughput against raw ChaCha20-Poly1305 and the fsync
// latency seen while recording.
func benchRecord(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench record", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("streams", 8, "")
	secs := fs.Int("seconds", 20, "")
	sub := fs.Bool("sub", false, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "bench", err.Error(), benchUsage)
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return fail(stderr, fmt.Errorf("ffmpeg is needed as the baseline"), "Run packaging/install-deps.sh.")
	}
	exe, err := os.Executable()
	if err != nil {
		return fail(stderr, err, "")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim, infos, err := startCamsimProcess(ctx, exe, *n)
	if err != nil {
		return fail(stderr, err, "")
	}
	defer stopProcess(sim)
	tmp, err := os.MkdirTemp("", "nightjar-bench-record-")
	if err != nil {
		return fail(stderr, err, "")
	}
	defer os.RemoveAll(tmp)

	// ffmpeg, one process per stream, as a user would run it.
	var ff []*exec.Cmd
	uriOf := func(in camsim.Info) string {
		if *sub {
			return in.SubURI
		}
		return in.MainURI
	}
	for i, in := range infos {
		dir := filepath.Join(tmp, fmt.Sprintf("ffmpeg-%d", i))
		os.MkdirAll(dir, 0o700)
		cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
			"-i", uriOf(in), "-c", "copy", "-f", "segment", "-segment_time", "60", filepath.Join(dir, "%03d.ts"))
		if err := cmd.Start(); err != nil {
			return fail(stderr, fmt.Errorf("start ffmpeg: %w", err), "")
		}
		ff = append(ff, cmd)
	}
	defer func() {
		for _, c := range ff {
			c.Process.Kill()
			c.Wait()
		}
	}()

	// Nightjar's recorders, in this process.
	db, err := catalog.Open(tmp, catalog.Options{})
	if err != nil {
		return fail(stderr, err, "")
	}
	defer db.Close()
	store := &recording.Store{Dir: filepath.Join(tmp, "recordings"), DB: db,
		Keys: recording.NewKeys(&secrets.Store{Backend: &secrets.Memory{}}, "bench", db)}
	runtime.GC()
	rss0 := procRSSMB(os.Getpid())
	var wg sync.WaitGroup
	var recs []*recording.Recorder
	var clients []*ingest.Client
	for i, in := range infos {
		rec := &recording.Recorder{Store: store, CameraID: fmt.Sprintf("cam%d", i)}
		rec.SetWant(true, catalog.RecordContinuous)
		c := &ingest.Client{URL: uriOf(in), Handler: ingestAdapter{rec}}
		recs, clients = append(recs, rec), append(clients, c)
		wg.Add(1)
		go func() { defer wg.Done(); c.Run(ctx) }()
	}
	tickDone := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-tickDone:
				return
			case now := <-t.C:
				for _, r := range recs {
					r.Tick(now)
				}
			}
		}
	}()
	time.Sleep(3 * time.Second)                         // connect and reach the first keyframe
	if p := os.Getenv("NIGHTJAR_CPUPROFILE"); p != "" { // a developer aid
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	self0 := procCPU(os.Getpid())
	ff0 := make([]float64, len(ff))
	for i, c := range ff {
		ff0[i] = procCPU(c.Process.Pid)
	}
	t0 := time.Now()
	time.Sleep(time.Duration(*secs) * time.Second)
	el := time.Since(t0).Seconds()
	selfCPU := 100 * (procCPU(os.Getpid()) - self0) / el
	var ffCPU, ffRSS float64
	for i, c := range ff {
		ffCPU += 100 * (procCPU(c.Process.Pid) - ff0[i]) / el
		ffRSS += procRSSMB(c.Process.Pid)
	}
	rss1 := procRSSMB(os.Getpid())
	pprof.StopCPUProfile()
	close(tickDone)
	cancel()
	wg.Wait()
	for _, r := range recs {
		r.Close()
	}
	var frames int64
	for _, c := range clients {
		frames += c.Frames()
	}
	rows, _ := db.Segments(catalog.SegmentFilter{})
	var bytes int64
	for _, r := range rows {
		bytes += r.Size
	}
	for _, c := range ff {
		c.Process.Kill()
		c.Wait()
	}
	ffBytes := dirSize(tmp, "ffmpeg-")

	k := float64(len(infos))
	perNJ, perFF := selfCPU/k, ffCPU/k
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	what := "720p25 main, ~2 Mbit/s"
	if *sub {
		what = "360p15 sub, ~0.4 Mbit/s"
	}
	fmt.Fprintf(tw, "recorder (%d × %s, %ds)\tCPU per stream (%% of one core)\tratio\tmemory per stream\tstreams per core\n", len(infos), what, *secs)
	fmt.Fprintf(tw, "ffmpeg -c copy -f segment (baseline)\t%.2f\t1.00×\t%.1f MB RSS\t%.0f\n", perFF, ffRSS/k, 100/perFF)
	fmt.Fprintf(tw, "nightjar (age-encrypted MPEG-TS)\t%.2f\t%.2f×\t%.1f MB (RSS growth)\t%.0f\n", perNJ, perNJ/perFF, (rss1-rss0)/k, 100/perNJ)
	tw.Flush()
	fmt.Fprintf(stdout, "disk: nightjar %.1f MB in %d segments (%d frames), ffmpeg %.1f MB over a slightly longer time: %.2f×\n",
		float64(bytes)/1e6, len(rows), frames, float64(ffBytes)/1e6, float64(bytes)/float64(max(ffBytes, 1)))
	lat := store.FsyncLatencies()
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Fprintf(stdout, "fsync: %d calls, p50 %v, p99 %v, max %v\n", len(lat),
			lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))
	}
	raw, ageRate := encryptionThroughput(256 << 20)
	fmt.Fprintf(stdout, "encryption: raw ChaCha20-Poly1305 %.2f GB/s, age stream %.2f GB/s (%.2f×)\n", raw/1e9, ageRate/1e9, ageRate/raw)
	return exitOK
}

// encryptionThroughput measures bytes per second of raw ChaCha20-Poly1305
// sealing in 64 KiB chunks and of age's stream writer, over n bytes each.
func encryptionThroughput(n int) (raw, ageRate float64) {
	chunk := make([]byte, 64<<10)
	rand.Read(chunk)
	key := make([]byte, chacha20poly1305.KeySize)
	rand.Read(key)
	aead, _ := chacha20poly1305.New(key)
	out := make([]byte, 0, len(chunk)+aead.Overhead())
	nonce := make([]byte, aead.NonceSize())
	raw = measureRate(n, func() {
		for done := 0; done < n; done += len(chunk) {
			nonce[0]++
			out = aead.Seal(out[:0], nonce, chunk, nil)
		}
	})
	id, _ := age.GenerateX25519Identity()
	ageRate = measureRate(n, func() {
		w, _ := age.Encrypt(io.Discard, id.Recipient())
		for done := 0; done < n; done += len(chunk) {
			w.Write(chunk)
		}
		w.Close()
	})
	return raw, ageRate
}

func measureRate(n int, f func()) float64 {
	best := 0.0
	for range 3 {
		t := time.Now()
		f()
		best = max(best, float64(n)/time.Since(t).Seconds())
	}
	return best
}

// dirSize sums the files under the folders of root whose names start with
// prefix.
func dirSize(root, prefix string) int64 {
	var n int64
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		filepath.WalkDir(filepath.Join(root, e.Name()), func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					n += fi.Size()
				}
			}
			return nil
		})
	}
	return n
}
