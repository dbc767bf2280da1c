package app

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"nightjar/internal/zones"
	"nightjar/storage/evidence"
	"nightjar/storage/secrets"
)

const (
	exportUsage = "usage: nightjar export --camera ID [--camera ID…] --from T --to T [--export-mask ID=rect:X,Y,W,H|ID=polygon:X1,Y1,…] [--reason TEXT] --out FOLDER [--json] | key [--json]"
	verifyUsage = "usage: nightjar verify BUNDLE [--signer SHA256:…] [--json]"
)

// listFlag collects a flag given more than once.
type listFlag []string

func (f *listFlag) String() string     { return strings.Join(*f, ",") }
func (f *listFlag) Set(s string) error { *f = append(*f, s); return nil }

// exportTimeout bounds one export: a day of footage from several cameras
// re-encodes in well under this on the reference machine.
const exportTimeout = 6 * time.Hour

// runExport is 'nightjar export': a signed evidence bundle of a time
// range from one camera or several, or 'export key': the signer's
// fingerprint.
func runExport(g globalFlags, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var cams, masks listFlag
	fs.Var(&cams, "camera", "")
	fs.Var(&masks, "export-mask", "")
	fromS := fs.String("from", "", "")
	toS := fs.String("to", "", "")
	reason := fs.String("reason", "", "")
	out := fs.String("out", "", "")
	asJSON := fs.Bool("json", false, "")
	fs.Bool("redacted", true, "")
	original := fs.Bool("original", false, "")
	both := fs.Bool("both", false, "")
	zip := fs.Bool("zip", false, "")
	pass := fs.Bool("passphrase-stdin", false, "")
	pos, err := interspersed(fs, args)
	if err != nil {
		return usageErrorFor(stderr, "export", err.Error(), exportUsage)
	}
	if len(pos) == 1 && pos[0] == "key" {
		return printExportKey(g, *asJSON, stdout, stderr)
	}
	now := time.Now()
	from, err := parseWhen(*fromS, now)
	if err != nil {
		return usageErrorFor(stderr, "export", err.Error(), exportUsage)
	}
	to, err := parseWhen(*toS, now)
	if err != nil {
		return usageErrorFor(stderr, "export", err.Error(), exportUsage)
	}
	switch {
	case len(pos) != 0:
		return usageErrorFor(stderr, "export", fmt.Sprintf("unknown argument %q", pos[0]), exportUsage)
	case len(cams) == 0:
		return usageErrorFor(stderr, "export", "give --camera ID at least once", exportUsage)
	case from.IsZero() || to.IsZero():
		return usageErrorFor(stderr, "export", "--from and --to are required", exportUsage)
	case *out == "":
		return usageErrorFor(stderr, "export", "--out FOLDER is required", exportUsage)
	case *original || *both || *zip || *pass:
		return fail(stderr, fmt.Errorf("export: --original, --both, --zip and --passphrase-stdin are not built yet"),
			"Export the redacted bundle (the default) for now; see issue 15's note.")
	}
	extra, err := parseExportMasks(masks, cams)
	if err != nil {
		return usageErrorFor(stderr, "export", err.Error(), exportUsage)
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	sig, stop := signalContext() // Ctrl+C stops the export, which cleans up
	defer stop()
	ctx, cancel := context.WithTimeout(sig, exportTimeout)
	defer cancel()
	abs, err := filepath.Abs(*out)
	if err != nil {
		return fail(stderr, err, "")
	}
	req := exportRequest{Cameras: cams, From: from, To: to, Reason: strings.TrimSpace(*reason), By: bookmarkAuthor(),
		ExportZones: extra, Out: abs}
	enc := json.NewEncoder(stdout)
	last := -1
	req.Progress = func(done float64) {
		pct := int(done * 100)
		if pct == last {
			return
		}
		last = pct
		if *asJSON {
			enc.Encode(map[string]any{"progress": done})
		} else {
			fmt.Fprintf(stderr, "\rexporting: %3d %%", pct)
		}
	}
	m, err := a.ExportBundle(ctx, req)
	if !*asJSON {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return fail(stderr, err, "Nothing was written. List the footage with 'nightjar recordings list --camera ID'.")
	}
	if *asJSON {
		enc.Encode(map[string]any{"bundle": abs, "signer": m.Signer, "manifest": m})
		return exitOK
	}
	fmt.Fprintf(stdout, "wrote %s\nsigned by %s\n", abs, m.Signer)
	for _, c := range m.Cameras {
		fmt.Fprintf(stdout, "  %s: %d clip(s), %d gap(s), %d zone(s) burned in\n", c.Name, len(c.Clips), len(c.Gaps), len(c.Masks.Zones))
	}
	fmt.Fprintf(stdout, "Check it with 'nightjar verify %s', or with the commands in its VERIFY.txt.\n", abs)
	return exitOK
}

// parseExportMasks reads --export-mask ID=rect:X,Y,W,H or
// ID=polygon:X1,Y1,…: black zones for one camera of this export.
func parseExportMasks(specs, cams []string) (map[string][]zones.Zone, error) {
	out := map[string][]zones.Zone{}
	for i, spec := range specs {
		id, shape, ok := strings.Cut(spec, "=")
		kind, pts, ok2 := strings.Cut(shape, ":")
		if !ok || !ok2 {
			return nil, fmt.Errorf("--export-mask %q: give ID=rect:X,Y,W,H or ID=polygon:X1,Y1,…", spec)
		}
		found := false
		for _, c := range cams {
			found = found || c == id
		}
		if !found {
			return nil, fmt.Errorf("--export-mask %q: camera %s is not one of the --camera ones", spec, id)
		}
		var ps []zones.Point
		var err error
		switch kind {
		case "rect":
			ps, err = zones.ParseRect(pts)
		case "polygon":
			ps, err = zones.ParsePolygon(pts)
		default:
			err = fmt.Errorf("shape %q: use rect or polygon", kind)
		}
		if err != nil {
			return nil, fmt.Errorf("--export-mask %q: %w", spec, err)
		}
		z := zones.Zone{ID: fmt.Sprintf("export-%d", i+1), Name: fmt.Sprintf("Export zone %d", i+1), Kind: zones.Permanent, Fill: zones.Black, Points: ps}
		if err := z.Validate(); err != nil {
			return nil, fmt.Errorf("--export-mask %q: %w", spec, err)
		}
		out[id] = append(out[id], z)
	}
	return out, nil
}

// printExportKey prints the export signing key's fingerprint, for a
// recipient to confirm by phone, and its allowed_signers line.
func printExportKey(g globalFlags, asJSON bool, stdout, stderr io.Writer) int {
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key, err := a.exportKey(ctx)
	if err != nil {
		return fail(stderr, err, secrets.Hint(err))
	}
	pub := key.Public().(ed25519.PublicKey)
	fp, line := evidence.Fingerprint(pub), strings.TrimSpace(string(evidence.AllowedSigners(a.exportPrincipal(), pub)))
	if asJSON {
		json.NewEncoder(stdout).Encode(map[string]string{"fingerprint": fp, "principal": a.exportPrincipal(), "allowed_signers": line})
		return exitOK
	}
	fmt.Fprintf(stdout, "export signing key: %s\nprincipal: %s\nallowed_signers line: %s\n", fp, a.exportPrincipal(), line)
	return exitOK
}

// runVerify is 'nightjar verify BUNDLE': every check of the bundle, each
// failure named; exit 0 only when all hold. It needs no data directory
// and no keyring.
func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	signer := fs.String("signer", "", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := interspersed(fs, args)
	if err != nil {
		return usageErrorFor(stderr, "verify", err.Error(), verifyUsage)
	}
	if len(pos) != 1 {
		return usageErrorFor(stderr, "verify", "give one bundle folder", verifyUsage)
	}
	if *signer != "" && !strings.HasPrefix(*signer, "SHA256:") {
		return usageErrorFor(stderr, "verify", "--signer takes a fingerprint such as SHA256:…, as 'nightjar export key' prints it", verifyUsage)
	}
	ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
	defer cancel()
	r := evidence.Verify(ctx, pos[0], *signer)
	if *asJSON {
		json.NewEncoder(stdout).Encode(map[string]any{"ok": r.OK, "signer": r.Signer, "principal": r.Principal, "problems": r.Problems})
	} else if r.OK {
		fmt.Fprintf(stdout, "VERIFIED: %s\nsigned by %s (%s)\n", pos[0], r.Signer, r.Principal)
		for _, c := range r.Manifest.Cameras {
			fmt.Fprintf(stdout, "  %s: %s to %s, %d gap(s)\n", c.Name, c.From.Local().Format("2006-01-02 15:04:05"), c.To.Local().Format("2006-01-02 15:04:05"), len(c.Gaps))
		}
		if *signer == "" {
			fmt.Fprintln(stdout, "Confirm the fingerprint with the sender, or run again with --signer SHA256:… to require it.")
		}
	} else {
		fmt.Fprintf(stdout, "NOT VERIFIED: %s\n", pos[0])
		for _, p := range r.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	if !r.OK {
		return exitError
	}
	return exitOK
}
