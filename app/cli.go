package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// Version is the release version; the build may override it with
// -ldflags "-X nightjar/app.Version=...".
var Version = "0.1.0-dev"

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

const usageLine = "usage: nightjar [--data-dir DIR] [--log-level LEVEL] [--demo] [COMMAND] (see 'nightjar help')"

const helpText = `Nightjar: a privacy-first video management client for IP cameras.

Usage:
  nightjar [flags]            start the desktop app
  nightjar [flags] COMMAND    run a command without the GUI

Flags:
  --data-dir DIR      where the catalogue and logs live (default: %s)
  --log-level LEVEL   debug, info, warn or error (default: info)
  --demo              start with 4 simulated cameras in a throwaway data dir
  --demo-if-empty     the same, but only when no camera is configured

Commands:
  camsim              serve simulated ONVIF/RTSP cameras on loopback
                      (nightjar camsim --cameras 4 --listen 127.0.0.1:8000)
  probe ADDRESS       show what an ONVIF camera offers (--user U --password-stdin --json)
  cameras list|add|remove
                      manage cameras in the data dir; passwords go to the OS keyring
  record --camera ID [--duration D]
                      record one camera headless into encrypted segments
  recordings list|verify|cat|frame|key
                      list footage and gaps, check it for damage, decrypt a
                      time range to stdout as MPEG-TS, write the frame at a
                      moment as a PNG (frame --camera ID --at T --out F.png),
                      or print a day's age keys (key --day D [--camera ID])
  bookmarks add|list|remove
                      mark a stretch of a camera's footage with a note; a
                      bookmark keeps its footage from retention unless
                      added with --no-protect
                      (nightjar bookmarks add --camera ID --from -10m --to now --note TEXT)
  masks add|list|remove|push|allow-lift
                      privacy zones painted over every picture of a camera
                      (nightjar masks add --camera ID --rect 0.6,0.1,0.3,0.4
                      --name Window --fill pixelate:16); push sends them to
                      the camera over ONVIF Media2; allow-lift on|off
  erase --camera ID|--all --from T --to T [--reason TEXT] [--yes]
                      erase a time range for a deletion request: shows what
                      goes (footage, whole days whose keys are destroyed,
                      bookmarks), asks, then erases and prints a receipt;
                      'erase receipts' lists the erasure record
  export --camera ID [--camera ID…] --from T --to T --out FOLDER
                      a signed evidence bundle: per camera an MP4 with its
                      privacy zones burned in (--export-mask ID=rect:X,Y,W,H
                      adds one for this export alone), manifest.json with
                      the hash of every recorded segment used, its sshsig
                      signature and VERIFY.txt; 'export key' prints the
                      signer's fingerprint
  verify BUNDLE [--signer SHA256:…]
                      check a bundle's signature, hashes and files; needs
                      neither a data dir nor a keyring
  retention           say what retention, the disk cap and the reserve
                      delete next, and when
  bench camsim        measure the simulator's CPU and memory
  bench live          measure the live wall against bare libmpv and mpv windows (needs X)
  bench record        measure recording against ffmpeg -c copy on the same streams
  bench latency       measure glass-to-glass latency of the wall against libmpv (needs X)
  bench playback      measure seeks, synced playback CPU against mpv, speeds and thumbnails
  bench export        one redacted export of a recorded file, to time against the ffmpeg command it prints
  version             print the version
  help                print this help

Times (--from, --to, --at) are RFC 3339, 2006-01-02 15:04[:05] in local time, a day word with a time
(yesterday 18:00, tuesday 13:00, last fri 09:00),
an offset from now such as -10m, or now.

Nothing Nightjar records or stores leaves this PC.
`

// globalFlags are accepted before any command.
type globalFlags struct {
	dataDir  string
	logLevel string
	demo     bool
	// demoIfEmpty starts demo mode when the data directory has no camera;
	// 'make run' uses it.
	demoIfEmpty bool
}

// Main runs Nightjar with the arguments after the program name and returns
// the process exit code.
func Main(args []string) int {
	return run(args, os.Stdout, os.Stderr)
}

func run(args []string, stdout, stderr io.Writer) int {
	var g globalFlags
	fs := flag.NewFlagSet("nightjar", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.dataDir, "data-dir", "", "")
	fs.StringVar(&g.logLevel, "log-level", "info", "")
	fs.BoolVar(&g.demo, "demo", false, "")
	fs.BoolVar(&g.demoIfEmpty, "demo-if-empty", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout)
			return exitOK
		}
		return usageError(stderr, err.Error())
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return runGUI(g, stderr)
	}
	switch cmd := rest[0]; cmd {
	case "version":
		if len(rest) > 1 {
			return usageError(stderr, fmt.Sprintf("version takes no arguments, got %q", rest[1]))
		}
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "help":
		printHelp(stdout)
		return exitOK
	case "camsim":
		return runCamsim(rest[1:], stdout, stderr)
	case "bench":
		return runBench(rest[1:], stdout, stderr)
	case "probe":
		return runProbe(rest[1:], stdout, stderr)
	case "cameras":
		return runCameras(g, rest[1:], stdout, stderr)
	case "record":
		return runRecord(g, rest[1:], stdout, stderr)
	case "recordings":
		return runRecordings(g, rest[1:], stdout, stderr)
	case "bookmarks":
		return runBookmarks(g, rest[1:], stdout, stderr)
	case "masks":
		return runMasks(g, rest[1:], stdout, stderr)
	case "erase":
		return runErase(g, rest[1:], stdinConsole(), stdout, stderr)
	case "retention":
		return runRetention(g, rest[1:], stdout, stderr)
	case "export":
		return runExport(g, rest[1:], stdout, stderr)
	case "verify":
		return runVerify(rest[1:], stdout, stderr)
	default:
		return usageError(stderr, fmt.Sprintf("unknown command %q", cmd))
	}
}

func usageError(w io.Writer, msg string) int {
	fmt.Fprintf(w, "nightjar: %s\n%s\n", msg, usageLine)
	return exitUsage
}

func printHelp(w io.Writer) {
	def, err := defaultDataDir()
	if err != nil {
		def = "the OS config directory + /nightjar"
	}
	fmt.Fprintf(w, helpText, def)
}

func versionString() string {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " " + s.Value[:12]
			}
		}
	}
	return fmt.Sprintf("nightjar %s%s (%s, %s/%s)", Version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// signalContext is cancelled on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// fail prints a one-line error and, when there is one, a hint line, in the
// style of age's CLI, and returns exitError.
func fail(w io.Writer, err error, hint string) int {
	fmt.Fprintf(w, "nightjar: %v\n", err)
	if hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
	return exitError
}
