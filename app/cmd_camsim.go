package app

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/logging"
)

// runCamsim is 'nightjar camsim': simulated cameras until SIGINT.
func runCamsim(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("camsim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("cameras", 4, "")
	listen := fs.String("listen", "127.0.0.1:0", "")
	user := fs.String("user", "admin", "")
	pass := fs.String("pass", "admin", "")
	noAuth := fs.Bool("no-auth", false, "")
	noPTZ := fs.String("no-ptz", "", "")
	clock := fs.Duration("clock-offset", 0, "")
	asJSON := fs.Bool("json", false, "")
	discovery := fs.String("discovery", "127.0.0.1:3702", "")
	verbose := fs.Bool("v", false, "")
	cpuProfile := fs.String("cpuprofile", "", "")
	var faults faultFlags
	fs.Var(&faults, "fault", "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "camsim", err.Error(), camsimUsage)
	}
	if fs.NArg() > 0 {
		return usageErrorFor(stderr, "camsim", fmt.Sprintf("unexpected argument %q", fs.Arg(0)), camsimUsage)
	}
	host, portStr, err := net.SplitHostPort(*listen)
	if err != nil {
		return usageErrorFor(stderr, "camsim", fmt.Sprintf("--listen %q: %v", *listen, err), camsimUsage)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65000 {
		return usageErrorFor(stderr, "camsim", fmt.Sprintf("--listen %q: bad port", *listen), camsimUsage)
	}
	cfg := camsim.Config{Cameras: *n, Host: host, BasePort: port, User: *user, Pass: *pass, NoAuth: *noAuth, ClockOffset: *clock}
	if *noPTZ != "" {
		for _, f := range strings.Split(*noPTZ, ",") {
			i, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || i < 1 {
				return usageErrorFor(stderr, "camsim", fmt.Sprintf("--no-ptz %q: want camera numbers from 1, such as 2,3", *noPTZ), camsimUsage)
			}
			cfg.NoPTZ = append(cfg.NoPTZ, i-1)
		}
	}
	if *verbose {
		cfg.Log = logging.NewLogger(stderr, slog.LevelDebug)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fail(stderr, err, "")
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	sim, err := camsim.Start(cfg)
	if err != nil {
		return fail(stderr, err, "Pick other ports with --listen, or fewer cameras.")
	}
	defer sim.Close()
	var discAddr string
	if *discovery != "" && *discovery != "off" {
		d, err := sim.StartDiscovery(*discovery)
		if err != nil {
			return fail(stderr, err, "Another program uses that port; pick another with --discovery HOST:PORT, or --discovery off.")
		}
		discAddr = d.Addr()
	}
	if err := faults.apply(sim); err != nil {
		return usageErrorFor(stderr, "camsim", err.Error(), camsimUsage)
	}
	infos := make([]camsim.Info, 0, *n)
	for _, c := range sim.Cameras() {
		infos = append(infos, c.Info())
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(infos)
	} else {
		for _, in := range infos {
			ptz := "no PTZ"
			if in.PTZ {
				ptz = "PTZ"
			}
			fmt.Fprintf(stdout, "%s (%s)\n  ONVIF: %s\n  main:  %s\n  sub:   %s\n", in.Name, ptz, in.DeviceURL, in.MainURI, in.SubURI)
		}
		if !*noAuth {
			fmt.Fprintf(stdout, "credentials: %s / %s\n", *user, strings.Repeat("*", len(*pass)))
		}
		if discAddr != "" {
			fmt.Fprintf(stdout, "WS-Discovery: unicast probes to %s\n", discAddr)
		}
		fmt.Fprintln(stdout, "serving; press Ctrl+C to stop")
	}
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}
	ctx, stop := signalContext()
	defer stop()
	<-ctx.Done()
	return exitOK
}

const camsimUsage = "usage: nightjar camsim [--cameras N] [--listen HOST:PORT] [--user U --pass P | --no-auth] [--no-ptz 2,3] [--clock-offset D] [--fault SPEC]... [--discovery HOST:PORT|off] [--json]"

func usageErrorFor(w io.Writer, cmd, msg, usage string) int {
	fmt.Fprintf(w, "nightjar %s: %s\n%s\n", cmd, msg, usage)
	return exitUsage
}

// faultFlags collects --fault specs: "CAM:KIND[=ARG]", for example
// "1:drop=10s", "2:stall", "1:reboot=5s", "1:foreign-host=127.0.0.2". CAM is a camera number from 1,
// or "all".
type faultFlags []string

func (f *faultFlags) String() string     { return strings.Join(*f, ",") }
func (f *faultFlags) Set(s string) error { *f = append(*f, s); return nil }

func (f faultFlags) apply(sim *camsim.Sim) error {
	for _, spec := range f {
		ft, err := parseFault(spec, len(sim.Cameras()))
		if err != nil {
			return err
		}
		if ft.kind == camsim.FaultForeignHost {
			for _, i := range ft.cams {
				sim.Cameras()[i].ReportForeignHost(ft.host)
			}
			continue
		}
		for _, i := range ft.cams {
			if err := sim.Cameras()[i].InjectFault(ft.kind, ft.d); err != nil {
				return fmt.Errorf("--fault %q: %v", spec, err)
			}
		}
	}
	return nil
}

// fault is one parsed --fault spec.
type fault struct {
	cams []int // camera indexes, from 0
	kind string
	d    time.Duration
	host string // for foreign-host: HOST, HOST:PORT or SCHEME://HOST
}

// parseFault reads a --fault spec for a simulator of n cameras. The kind
// is checked by camsim's InjectFault.
func parseFault(spec string, n int) (fault, error) {
	camPart, rest, ok := strings.Cut(spec, ":")
	if !ok {
		return fault{}, fmt.Errorf("--fault %q: want CAM:KIND[=ARG]", spec)
	}
	var ft fault
	if camPart == "all" {
		for i := range n {
			ft.cams = append(ft.cams, i)
		}
	} else {
		i, err := strconv.Atoi(camPart)
		if err != nil || i < 1 || i > n {
			return fault{}, fmt.Errorf("--fault %q: no camera %q", spec, camPart)
		}
		ft.cams = []int{i - 1}
	}
	kind, arg, _ := strings.Cut(rest, "=")
	ft.kind = kind
	if kind == camsim.FaultForeignHost {
		if arg == "" || !printableASCII(arg) {
			return fault{}, fmt.Errorf("--fault %q: want %s=HOST[:PORT], such as 127.0.0.2", spec, kind)
		}
		ft.host = arg
		return ft, nil
	}
	if arg != "" {
		var err error
		if ft.d, err = time.ParseDuration(arg); err != nil {
			// Not time's own message: it leaves a DEL in the input as is.
			return fault{}, fmt.Errorf("--fault %q: %q is not a duration such as 10s", spec, arg)
		}
	}
	if ft.d < 0 && kind != camsim.FaultClock {
		// Only a clock runs behind; a drop, stall or reboot would
		// silently not happen, or last forever.
		return fault{}, fmt.Errorf("--fault %q: %q takes a duration of 0 or more", spec, kind)
	}
	return ft, nil
}

// printableASCII reports whether s is all printable ASCII, as a host is.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
