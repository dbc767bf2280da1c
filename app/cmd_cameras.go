package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"nightjar/devices/onvif"
	"nightjar/internal/redact"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
)

const (
	probeUsage   = "usage: nightjar probe ADDRESS [--user U] [--password-stdin] [--json]"
	camerasUsage = "usage: nightjar cameras list [--json] | add ADDRESS [--user U] [--password-stdin] [--name N] [--group G] [--main TOKEN|URL] [--sub TOKEN|URL] [--json] | remove ID [--delete-recordings]"
)

// stdin is read for --password-stdin; tests replace it.
var stdin io.Reader = os.Stdin

func readPassword(enabled bool) (string, error) {
	if !enabled {
		return "", nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// interspersed parses flags that may come before or after positional
// arguments, as users type them.
func interspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func cameraHint(err error) string {
	if h := onvif.Hint(err); h != "" {
		return h
	}
	var oe *catalog.OpenError
	if errors.As(err, &oe) {
		return oe.Hint()
	}
	return secrets.Hint(err)
}

// runProbe is 'nightjar probe': what an ONVIF camera offers, without
// adding it. URLs are printed without credentials.
func runProbe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	user := fs.String("user", "", "")
	pwStdin := fs.Bool("password-stdin", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := interspersed(fs, args)
	if err != nil {
		return usageErrorFor(stderr, "probe", err.Error(), probeUsage)
	}
	if len(pos) != 1 {
		return usageErrorFor(stderr, "probe", "give one camera address", probeUsage)
	}
	pass, err := readPassword(*pwStdin)
	if err != nil {
		return fail(stderr, err, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := ProbeCamera(ctx, pos[0], *user, pass)
	if err != nil {
		return fail(stderr, err, cameraHint(err))
	}
	factory := *user != "" && onvif.IsFactoryCredential(*user, pass)
	if *asJSON {
		out := struct {
			*onvif.ProbeResult
			ClockOffsetSeconds float64 `json:"clock_offset_seconds"`
			FactoryPassword    bool    `json:"factory_password"`
		}{res, res.ClockOffset.Seconds(), factory}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return exitOK
	}
	fmt.Fprintf(stdout, "%s %s (firmware %s, serial %s)\n", res.Info.Manufacturer, res.Info.Model, res.Info.Firmware, res.Info.Serial)
	fmt.Fprintf(stdout, "device:   %s\n", redact.RedactURL(res.DeviceURL))
	fmt.Fprintf(stdout, "clock:    %s from this PC\n", res.ClockOffset)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "profile\tcodec\tsize\tfps\tkbit/s\tuse\tstream")
	for _, p := range res.Profiles {
		use := ""
		if p.Token == res.Main {
			use = "main"
		}
		if p.Token == res.Sub {
			use = strings.TrimPrefix(use+",sub", ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%dx%d\t%d\t%d\t%s\t%s\n", p.Token, p.Encoding, p.Width, p.Height, p.FPS, p.BitrateKbps, use, redact.RedactURL(p.StreamURI))
	}
	tw.Flush()
	for _, r := range res.StreamRefused {
		fmt.Fprintf(stdout, "refused:  %s\n", r)
	}
	if res.SnapshotURI != "" {
		fmt.Fprintf(stdout, "snapshot: %s\n", redact.RedactURL(res.SnapshotURI))
	}
	if res.PTZ != nil {
		fmt.Fprintf(stdout, "PTZ:      node %s, %d presets, home %v\n", res.PTZ.NodeToken, len(res.PTZ.Presets), res.PTZ.HomeSupported)
	}
	fmt.Fprintf(stdout, "events:   pull-point %v\n", res.Services.PullPoint)
	if factory {
		fmt.Fprintln(stdout, "WARNING:  this camera uses a factory default password; change it (Nightjar can, from the Cameras page).")
	}
	return exitOK
}

// runCameras is 'nightjar cameras list|add|remove'.
func runCameras(g globalFlags, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageErrorFor(stderr, "cameras", "missing list, add or remove", camerasUsage)
	}
	fs := flag.NewFlagSet("cameras", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	user := fs.String("user", "", "")
	pwStdin := fs.Bool("password-stdin", false, "")
	name := fs.String("name", "", "")
	group := fs.String("group", "", "")
	delRec := fs.Bool("delete-recordings", false, "")
	mainP := fs.String("main", "", "")
	subP := fs.String("sub", "", "")
	pos, err := interspersed(fs, args[1:])
	if err != nil {
		return usageErrorFor(stderr, "cameras", err.Error(), camerasUsage)
	}
	sub := args[0]
	switch sub {
	case "list", "add", "remove":
	default:
		return usageErrorFor(stderr, "cameras", fmt.Sprintf("unknown action %q", sub), camerasUsage)
	}
	if (sub == "list" && len(pos) != 0) || (sub != "list" && len(pos) != 1) {
		return usageErrorFor(stderr, "cameras", "wrong number of arguments", camerasUsage)
	}
	pass, err := readPassword(*pwStdin)
	if err != nil {
		return fail(stderr, err, "")
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	switch sub {
	case "list":
		cams, err := a.DB.Cameras()
		if err != nil {
			return fail(stderr, err, "")
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.Encode(cams)
			return exitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "id\tname\tgroup\taddress\tptz\twarning")
		for _, c := range cams {
			addr := c.DeviceURL
			if addr == "" {
				addr = c.MainURI
			}
			var warns []string
			if c.FactoryPassword {
				warns = append(warns, "factory password")
			}
			if c.StreamWarning != "" {
				warns = append(warns, "stream on another host")
			}
			warn := strings.Join(warns, ", ")
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", c.ID, c.Name, c.Group, redact.RedactURL(addr), c.PTZ, warn)
		}
		tw.Flush()
	case "add":
		req := AddRequest{Address: pos[0], User: *user, Pass: pass, Name: *name, Group: *group}
		// --main and --sub take a profile token, or a stream URL given by hand.
		for _, o := range []struct{ v, token, url *string }{{mainP, &req.MainProfile, &req.MainURL}, {subP, &req.SubProfile, &req.SubURL}} {
			if strings.Contains(*o.v, "://") {
				*o.url = *o.v
			} else {
				*o.token = *o.v
			}
		}
		cam, err := a.AddCamera(ctx, req)
		if err != nil {
			return fail(stderr, err, cameraHint(err))
		}
		if *asJSON {
			json.NewEncoder(stdout).Encode(cam)
		} else {
			fmt.Fprintf(stdout, "added %s: %s\n", cam.ID, cam.Name)
		}
		if cam.FactoryPassword {
			fmt.Fprintln(stderr, "warning: this camera uses a factory default password; change it from the Cameras page.")
		}
		if cam.StreamWarning != "" {
			fmt.Fprintln(stderr, "warning: "+cam.StreamWarning+".")
		}
	case "remove":
		if err := a.RemoveCamera(ctx, pos[0], *delRec); err != nil {
			hint := ""
			if errors.Is(err, catalog.ErrNotFound) {
				hint = "See the ids with 'nightjar cameras list'."
			}
			return fail(stderr, err, hint)
		}
		fmt.Fprintf(stdout, "removed %s\n", pos[0])
	}
	return exitOK
}
