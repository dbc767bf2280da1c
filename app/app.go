package app

import (
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"

	"nightjar/devices"
	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
	"nightjar/storage/logging"
	"nightjar/storage/recording"
	"nightjar/storage/secrets"
	"nightjar/ui"
)

// processStart is when this process started, for start-up timings.
var processStart = time.Now()

// App holds the services of one Nightjar process.
type App struct {
	DataDir string
	Log     *slog.Logger
	DB      *catalog.DB
	Secrets *secrets.Store
	Bus     *devices.Bus
	events  *eventWatchers

	// Demo is set in demo mode: the in-process simulated cameras, and the
	// address of their WS-Discovery responder.
	Demo          *camsim.Sim
	DemoDiscovery string
	demoMu        sync.Mutex
	demoPass      map[string]string // demo camera id -> password; never in the keyring
	streams       []ui.LiveStream
	// streamHook, for tests, sees every stream URL handed to a player or
	// to ingest, credentials included.
	streamHook func(use, url string)

	storeOnce sync.Once
	// demoRing keeps a demo's export signing key for the run: a demo never
	// writes into the user's keyring.
	demoRing     *secrets.Store
	demoRingOnce sync.Once
	store        *recording.Store
	recorders    *recorders
	recordErr    error // why recording could not start
	playback     playbackState
	maskOnce     sync.Once
	maskHub      *maskHub
	thumbOnce    sync.Once
	thumbs       *thumbCache // the Playback page's thumbnails, in memory only

	closersMu sync.Mutex // services started on first use register late
	closers   []closer
}

type closer struct {
	name string
	fn   func() error
}

// onClose registers fn to run at Close; closers run in reverse order.
func (a *App) onClose(name string, fn func() error) {
	a.closersMu.Lock()
	a.closers = append(a.closers, closer{name, fn})
	a.closersMu.Unlock()
}

// Close closes every service in the reverse order of opening and returns
// every error, joined.
func (a *App) Close() error {
	var errs []error
	a.closersMu.Lock()
	closers := a.closers
	a.closers = nil
	a.closersMu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		c := closers[i]
		if err := c.fn(); err != nil {
			if a.Log != nil {
				a.Log.Warn("close failed", "service", c.name, "err", err)
			}
			errs = append(errs, fmt.Errorf("close %s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// Open builds the services on the data directory in g. On error every
// service opened so far is closed again, and the error carries a hint.
func Open(g globalFlags) (*App, error) {
	a := &App{}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()

	dir := g.dataDir
	if g.demo && dir == "" {
		d, err := demoDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
		a.onClose("demo data directory", func() error { return os.RemoveAll(d) })
	}
	if dir == "" {
		d, err := defaultDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errDataDir, err)
	}
	a.DataDir = dir
	if err := prepareDataDir(dir); err != nil {
		return nil, err
	}
	level, err := logging.ParseLevel(g.logLevel)
	if err != nil {
		return nil, err
	}

	// The catalogue's file lock is the single-instance guard, so it comes
	// before anything else writes into the data directory.
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		return nil, err
	}
	a.DB = db
	a.onClose("catalogue", db.Close)

	logDir, err := logging.Dir(dir)
	if err != nil {
		return nil, err
	}
	lf, err := logging.OpenRotating(filepath.Join(logDir, "nightjar.log"))
	if err != nil {
		return nil, err
	}
	a.onClose("log file", lf.Close)
	a.Log = logging.NewLogger(lf, level)

	crash, err := os.OpenFile(filepath.Join(logDir, "crash.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open crash log: %w", err)
	}
	if err := debug.SetCrashOutput(crash, debug.CrashOptions{}); err != nil {
		crash.Close()
		return nil, fmt.Errorf("set crash output: %w", err)
	}
	a.onClose("crash log", func() error {
		debug.SetCrashOutput(nil, debug.CrashOptions{})
		return crash.Close()
	})

	a.Secrets = &secrets.Store{}
	a.Bus = &devices.Bus{Log: a.Log.With("component", "events")}
	a.onClose("event bus", a.Bus.Close) // summarises losses not yet logged
	a.Log.Info("nightjar started", "version", Version, "data_dir", dir, "pid", os.Getpid(), "demo", g.demo)
	if g.demo {
		if err := a.startDemo(); err != nil {
			return nil, err
		}
	}
	ok = true
	return a, nil
}

// hintFor returns the hint for errors from Open.
func hintFor(err error) string {
	var oe *catalog.OpenError
	switch {
	case errors.As(err, &oe):
		return oe.Hint()
	case errors.Is(err, errDataDir):
		return "Choose a folder you can write to with --data-dir DIR, or fix the folder's permissions."
	}
	return secrets.Hint(err)
}

func runGUI(g globalFlags, stderr io.Writer) int {
	softwareGLSingleThread()
	tightGC()
	if g.demoIfEmpty && !g.demo {
		empty, err := catalogueEmpty(g)
		if err != nil {
			return reportOpenError(stderr, err)
		}
		g.demo = empty
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	if p := os.Getenv("NIGHTJAR_CPUPROFILE"); p != "" { // a developer aid for the wall's CPU
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	if p := os.Getenv("NIGHTJAR_MEMPROFILE"); p != "" { // a developer aid: the Go heap at exit
		defer func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	ctx, stop := signalContext()
	defer stop()
	a.startEvents()
	if _, err := a.startRecorders(recordingOptions{}, ""); err != nil {
		a.recordErr = err
		a.Log.Error("recording unavailable", "err", err)
	}
	a.streams = a.openLiveStreams(ctx)
	title := "Nightjar"
	if a.Demo != nil {
		title = "Nightjar (demo cameras)"
	}
	var onTile func(int, *image.RGBA, image.Rectangle)
	if path := os.Getenv("NIGHTJAR_MARKER_PROBE"); path != "" { // for 'bench latency'
		if f, err := os.Create(path); err == nil {
			defer f.Close()
			probe := &markerProbe{out: f}
			onTile = func(stream int, img *image.RGBA, r image.Rectangle) {
				if stream == 0 {
					probe.check(img, r)
				}
			}
		}
	}
	err = ui.Run(ctx, a.guiServices(), ui.WindowConfig{
		OnTileDrawn: onTile,
		Log:         a.Log,
		Title:       title,
		Version:     versionString(),
		DataDir:     a.DataDir,
		Actions:     ui.Actions{TryDemo: relaunchDemo(a)},
		OnWallStats: func(fps []float64) {
			a.Log.Debug("wall", "shown_fps", fmt.Sprintf("%.1f", fps))
		},
		OnWallEvent: func(what string, d time.Duration) {
			since := d
			if what == "all tiles live" {
				since = time.Since(processStart) // from the user's point of view
			}
			a.Log.Info("wall "+what, "after_ms", since.Milliseconds())
		},
	})
	if err != nil {
		a.Log.Error("ui stopped", "err", err)
		return fail(stderr, err, "")
	}
	a.Log.Info("nightjar stopped")
	return exitOK
}

func reportOpenError(stderr io.Writer, err error) int {
	if errors.Is(err, catalog.ErrLocked) {
		// One clear line: the guard must not bury the message.
		fmt.Fprintf(stderr, "nightjar: another Nightjar is already running with data dir %s; switch to that window or use --data-dir\n", filepath.Dir(pathOf(err)))
		return exitError
	}
	return fail(stderr, err, hintFor(err))
}

// catalogueEmpty reports whether the data directory in g has no camera.
// It opens only the catalogue, and creates nothing when there is none yet,
// so a first 'make run' leaves the user's config folder untouched.
func catalogueEmpty(g globalFlags) (bool, error) {
	dir := g.dataDir
	if dir == "" {
		d, err := defaultDataDir()
		if err != nil {
			return false, err
		}
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, catalog.FileName)); errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		return false, err
	}
	defer db.Close()
	cams, err := db.Cameras()
	return len(cams) == 0, err
}

// relaunchDemo returns the welcome screen's "Try the demo": it starts a
// second Nightjar in demo mode (its own throwaway data directory) and
// leaves this one running.
func relaunchDemo(a *App) func() {
	if a.Demo != nil {
		return nil
	}
	return func() {
		exe, err := os.Executable()
		if err != nil {
			a.Log.Error("find own executable for demo", "err", err)
			return
		}
		cmd := exec.Command(exe, "--demo")
		if err := cmd.Start(); err != nil {
			a.Log.Error("start demo", "err", err)
			return
		}
		go cmd.Wait()
	}
}

func pathOf(err error) string {
	var oe *catalog.OpenError
	if errors.As(err, &oe) {
		return oe.Path
	}
	return ""
}

// tightGC lets the GUI's Go heap grow a quarter past its live size before
// a collection, not double it. The wall allocates almost nothing per
// frame, so collections stay rare; on a 16-tile wall it kept about 35 MB
// less resident (bench live). A user's GOGC wins.
func tightGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(25)
	}
}

// softwareGLSingleThread asks Mesa's software rasterizer (llvmpipe), when it
// is the one in use, to draw on the calling thread. The wall uploads one
// composed image per repaint, and handing that to rasterizer threads cost
// more than it saved: about a fifth of the wall's CPU on a 2-core machine
// (bench live). GPU drivers ignore the variable; a user's own setting wins.
func softwareGLSingleThread() {
	if _, set := os.LookupEnv("LP_NUM_THREADS"); !set {
		os.Setenv("LP_NUM_THREADS", "0")
	}
}
