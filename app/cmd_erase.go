package app

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"nightjar/storage/catalog"
	"nightjar/storage/recording"
)

const (
	eraseUsage     = "usage: nightjar erase --camera ID|--all --from T --to T [--reason TEXT] [--yes] [--json] | receipts [--json]"
	retentionUsage = "usage: nightjar retention [--json]"
)

// console is the standard input of a command and whether a person sits at
// it.
type console struct {
	in       io.Reader
	terminal bool
}

// stdinConsole is the process's standard input.
func stdinConsole() console {
	st, err := os.Stdin.Stat()
	return console{in: os.Stdin, terminal: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

// runErase is 'nightjar erase': show what a range's erase destroys, ask,
// erase it and print the receipt; or list the erasure record.
func runErase(g globalFlags, args []string, con console, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("erase", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	camID := fs.String("camera", "", "")
	all := fs.Bool("all", false, "")
	fromS := fs.String("from", "", "")
	toS := fs.String("to", "", "")
	reason := fs.String("reason", "", "")
	yes := fs.Bool("yes", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := interspersed(fs, args)
	if err != nil {
		return usageErrorFor(stderr, "erase", err.Error(), eraseUsage)
	}
	if len(pos) == 1 && pos[0] == "receipts" {
		return listReceipts(g, *asJSON, stdout, stderr)
	}
	now := time.Now()
	from, err := parseWhen(*fromS, now)
	if err != nil {
		return usageErrorFor(stderr, "erase", err.Error(), eraseUsage)
	}
	to, err := parseWhen(*toS, now)
	if err != nil {
		return usageErrorFor(stderr, "erase", err.Error(), eraseUsage)
	}
	switch {
	case len(pos) != 0:
		return usageErrorFor(stderr, "erase", fmt.Sprintf("unknown argument %q", pos[0]), eraseUsage)
	case (*camID == "") == !*all:
		return usageErrorFor(stderr, "erase", "give one of --camera ID or --all", eraseUsage)
	case from.IsZero() || to.IsZero():
		return usageErrorFor(stderr, "erase", "--from and --to are required", eraseUsage)
	case !from.Before(to):
		return usageErrorFor(stderr, "erase", "--from must be before --to", eraseUsage)
	}
	req := recording.EraseRequest{From: from, To: to, Reason: strings.TrimSpace(*reason), By: bookmarkAuthor()}
	if *camID != "" {
		req.CameraIDs = []string{*camID}
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	// Opening the recordings is a start-up: finish what a crash left, so
	// that its segments can be erased or re-keyed like any other.
	if _, err := a.recordingStore().Recover(ctx); err != nil {
		return fail(stderr, err, cameraHint(err))
	}
	plan, err := a.PlanErase(ctx, req)
	if err != nil {
		return fail(stderr, err, "List cameras with 'nightjar cameras list'.")
	}
	names := cameraNames(a.DB)
	if !*asJSON || !*yes {
		if *asJSON {
			json.NewEncoder(stdout).Encode(plan)
		} else {
			printPlan(stdout, plan, names)
		}
	}
	if !*yes {
		if len(plan.Segments) == 0 && len(plan.Bookmarks) == 0 && len(plan.ShredKeys) == 0 {
			fmt.Fprintln(stderr, "nightjar: nothing to erase in that range")
			return exitOK
		}
		if !con.terminal {
			return fail(stderr, fmt.Errorf("erase needs a confirmation, and standard input is not a terminal"),
				"Check the plan above, then run the same command with --yes to erase without asking.")
		}
		fmt.Fprint(stderr, "Erase this footage for good? It cannot be undone. Type yes to erase: ")
		line, _ := bufio.NewReader(con.in).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "yes" && a != "y" {
			fmt.Fprintln(stderr, "nightjar: nothing erased")
			return exitError
		}
	}
	rec, err := a.EraseRange(ctx, req)
	if err != nil {
		hint := "Free some disk space if it is full, then run the same erase again: it finishes what is left."
		if rec.ID != "" {
			hint = fmt.Sprintf("Receipt %s records how far it got. %s", rec.ID, hint)
		}
		return fail(stderr, err, hint)
	}
	if *asJSON {
		json.NewEncoder(stdout).Encode(rec)
		return exitOK
	}
	printReceipt(stdout, rec, names)
	return exitOK
}

// cameraNames maps camera IDs to names, for the plan and the preview.
func cameraNames(db *catalog.DB) map[string]string {
	out := map[string]string{}
	if cams, err := db.Cameras(); err == nil {
		for _, c := range cams {
			out[c.ID] = c.Name
		}
	}
	return out
}

func camText(id string, names map[string]string) string {
	if n := names[id]; n != "" && n != id {
		return fmt.Sprintf("%s (%s)", n, id)
	}
	return id
}

func camsText(ids []string, names map[string]string) string {
	if len(ids) == 0 {
		return "none"
	}
	var out []string
	for _, id := range ids {
		out = append(out, camText(id, names))
	}
	return strings.Join(out, ", ")
}

const localTime = "2006-01-02 15:04:05"

func printPlan(w io.Writer, p recording.ErasePlan, names map[string]string) {
	asked := "every camera"
	if len(p.Request.CameraIDs) > 0 {
		asked = camsText(p.Request.CameraIDs, names)
	}
	fmt.Fprintf(w, "Erase %s from %s to %s (local time):\n", asked,
		p.Request.From.Local().Format(localTime), p.Request.To.Local().Format(localTime))
	fmt.Fprintf(w, "  cameras:    %s\n", camsText(p.Cameras, names))
	fmt.Fprintf(w, "  footage:    %d segments, %s, %s\n", len(p.Segments), p.Duration.Round(time.Second), sizeText(p.Bytes))
	if len(p.Segments) > 0 {
		fmt.Fprintf(w, "  really:     %s to %s (a segment across a bound goes whole)\n",
			p.ErasedFrom.Local().Format(localTime), p.ErasedTo.Local().Format(localTime))
	}
	if len(p.WholeDays) > 0 {
		fmt.Fprintf(w, "  whole days: %s (UTC)\n", strings.Join(p.WholeDays, ", "))
	}
	if len(p.ShredKeys) > 0 {
		fmt.Fprintf(w, "  keys destroyed: %s; copies of these days' files can never be decrypted\n", strings.Join(p.ShredKeys, ", "))
	}
	if len(p.Rekey) > 0 {
		fmt.Fprintf(w, "  re-encrypted first: %d segments of other cameras that share a day key being destroyed\n", len(p.Rekey))
	}
	for _, b := range p.Bookmarks {
		fmt.Fprintf(w, "  bookmark deleted: %s\n", bookmarkText(b, names))
	}
	for _, k := range p.Kept {
		fmt.Fprintf(w, "  kept: %s\n", k)
	}
}

func bookmarkText(b catalog.Bookmark, names map[string]string) string {
	s := fmt.Sprintf("%s %s %s to %s", b.ID, camText(b.CameraID, names), b.From.Local().Format(localTime), b.To.Local().Format(localTime))
	if b.Note != "" {
		s += fmt.Sprintf(" %q", b.Note)
	}
	if b.Protect {
		s += " (protected)"
	}
	return s
}

func printReceipt(w io.Writer, r recording.EraseReceipt, names map[string]string) {
	fmt.Fprintf(w, "erased %d segments (%s, %s) of %s", r.Segments, r.Duration.Round(time.Second), sizeText(r.Bytes), camsText(r.Cameras, names))
	if r.Segments > 0 {
		fmt.Fprintf(w, " from %s to %s", r.ErasedFrom.Local().Format(localTime), r.ErasedTo.Local().Format(localTime))
	}
	fmt.Fprintln(w)
	if len(r.ShreddedKeys) > 0 {
		fmt.Fprintf(w, "destroyed day keys: %s\n", strings.Join(r.ShreddedKeys, ", "))
	}
	if r.Rekeyed > 0 {
		fmt.Fprintf(w, "re-encrypted %d segments of other cameras to their own day key\n", r.Rekeyed)
	}
	for _, b := range r.Bookmarks {
		fmt.Fprintf(w, "deleted bookmark: %s\n", bookmarkText(b, names))
	}
	for _, k := range r.Kept {
		fmt.Fprintf(w, "kept: %s\n", k)
	}
	fmt.Fprintf(w, "receipt %s, %s, by %s", r.ID, r.At.Local().Format(localTime), r.By)
	if r.Reason != "" {
		fmt.Fprintf(w, ": %s", r.Reason)
	}
	fmt.Fprintln(w)
}

func listReceipts(g globalFlags, asJSON bool, stdout, stderr io.Writer) int {
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	recs, err := a.Erasures()
	if err != nil {
		return fail(stderr, err, "")
	}
	if asJSON {
		if recs == nil {
			recs = []catalog.Erasure{}
		}
		json.NewEncoder(stdout).Encode(recs)
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAT\tBY\tCAMERAS\tFROM\tTO\tSEGMENTS\tSIZE\tKEYS\tBOOKMARKS\tCOMPLETE\tREASON")
	for _, r := range recs {
		cams := "all"
		if len(r.CameraIDs) > 0 {
			cams = strings.Join(r.CameraIDs, ",")
		}
		done := "yes"
		if !r.Complete {
			done = "no: " + r.Problem
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\t%s\n", r.ID, r.At.Local().Format(localTime), r.By, cams,
			r.From.Local().Format(localTime), r.To.Local().Format(localTime), r.Segments, sizeText(r.Bytes),
			len(r.ShreddedKeys), len(r.Bookmarks), done, r.Reason)
	}
	tw.Flush()
	return exitOK
}

// runRetention is 'nightjar retention': what retention, the cap and the
// reserve delete next.
func runRetention(g globalFlags, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "retention", err.Error(), retentionUsage)
	}
	if fs.NArg() != 0 {
		return usageErrorFor(stderr, "retention", fmt.Sprintf("unknown argument %q", fs.Arg(0)), retentionUsage)
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	now := time.Now()
	pv, err := a.RetentionPreview(now)
	if err != nil {
		return fail(stderr, err, "")
	}
	if *asJSON {
		if pv.Cameras == nil {
			pv.Cameras = []recording.CameraRetention{}
		}
		json.NewEncoder(stdout).Encode(pv)
		return exitOK
	}
	names := cameraNames(a.DB)
	if len(pv.Cameras) == 0 {
		fmt.Fprintln(stdout, "no footage recorded")
	}
	for _, c := range pv.Cameras {
		name := names[c.CameraID]
		if name == "" {
			name = c.CameraID
		}
		fmt.Fprintln(stdout, retentionLine(name, c, now))
	}
	sp := pv.Space
	fmt.Fprintf(stdout, "All footage: %s, recording about %s a day", sizeText(sp.Bytes), sizeText(sp.PerDay))
	switch {
	case sp.Limit < 0:
		fmt.Fprint(stdout, "; no disk cap or reserve bounds it")
	case sp.FullAt.IsZero():
		fmt.Fprintf(stdout, "; the %s (%s) is not reached at this rate", sp.LimitReason, sizeText(sp.Limit))
	default:
		fmt.Fprintf(stdout, "; the %s (%s) is reached %s", sp.LimitReason, sizeText(sp.Limit), whenText(sp.FullAt, now))
	}
	fmt.Fprintln(stdout)
	return exitOK
}
