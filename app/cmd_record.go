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
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"nightjar/internal/when"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
)

const (
	recordUsage     = "usage: nightjar record --camera ID [--duration D] [--segment D]"
	recordingsUsage = "usage: nightjar recordings list|verify [--camera ID] [--from T] [--to T] [--json] | cat --camera ID [--from T] [--to T] | frame --camera ID --at T --out F.png | key --day YYYY-MM-DD [--camera ID]"
)

// runRecord is 'nightjar record': record one camera headless until the
// duration ends or the process is interrupted.
func runRecord(g globalFlags, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	camID := fs.String("camera", "", "")
	dur := fs.Duration("duration", 0, "")
	seg := fs.Duration("segment", 0, "")
	if err := fs.Parse(args); err != nil {
		return usageErrorFor(stderr, "record", err.Error(), recordUsage)
	}
	if *camID == "" || fs.NArg() != 0 {
		return usageErrorFor(stderr, "record", "--camera is required", recordUsage)
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	if _, err := a.DB.Camera(*camID); err != nil {
		return fail(stderr, err, "List cameras with 'nightjar cameras list'.")
	}
	if a.Demo == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := a.Secrets.Check(ctx)
		cancel()
		if err != nil {
			return fail(stderr, err, cameraHint(err))
		}
	}
	began := time.Now()
	r, err := a.startRecorders(recordingOptions{SegmentLength: *seg}, *camID)
	if err != nil {
		return fail(stderr, err, cameraHint(err))
	}
	fmt.Fprintf(stdout, "recording %s; stop with Ctrl+C\n", *camID)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	var timeout <-chan time.Time
	if *dur > 0 {
		timeout = time.After(*dur)
	}
	// Footage starts with the camera's next keyframe: say when it does.
	poll := time.NewTicker(100 * time.Millisecond)
	defer poll.Stop()
	writing := false
wait:
	for {
		select {
		case <-sig:
			break wait
		case <-timeout:
			break wait
		case <-poll.C:
			if !writing && r.Recording(*camID) {
				writing = true
				fmt.Fprintf(stdout, "writing footage of %s\n", *camID)
			}
		}
	}
	r.close()
	rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: *camID, From: began})
	if err != nil {
		return fail(stderr, err, "")
	}
	var total time.Duration
	for _, s := range rows {
		total += s.Duration
	}
	fmt.Fprintf(stdout, "recorded %d segments, %s of video\n", len(rows), total.Round(100*time.Millisecond))
	return exitOK
}

// parseWhen reads a time in the forms of internal/when, in local time;
// "" is the zero time (an unset flag).
func parseWhen(s string, now time.Time) (time.Time, error) {
	t, err := when.Parse(s, now, time.Local)
	if errors.Is(err, when.ErrEmpty) {
		return time.Time{}, nil
	}
	return t, err
}

// gap is a stretch with no footage between two segments of a camera.
type gap struct {
	CameraID string        `json:"camera"`
	From     time.Time     `json:"from"`
	Duration time.Duration `json:"duration"`
}

// gapsOf lists the gaps longer than 1 s between consecutive segments.
func gapsOf(rows []catalog.Segment) []gap {
	last := map[string]time.Time{}
	var out []gap
	for _, s := range rows {
		if end, ok := last[s.CameraID]; ok && s.Start.Sub(end) > time.Second {
			out = append(out, gap{CameraID: s.CameraID, From: end, Duration: s.Start.Sub(end)})
		}
		if s.End().After(last[s.CameraID]) {
			last[s.CameraID] = s.End()
		}
	}
	return out
}

// runRecordings is 'nightjar recordings'.
func runRecordings(g globalFlags, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageErrorFor(stderr, "recordings", "missing list, verify, cat, frame or key", recordingsUsage)
	}
	fs := flag.NewFlagSet("recordings", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	camID := fs.String("camera", "", "")
	fromS := fs.String("from", "", "")
	toS := fs.String("to", "", "")
	day := fs.String("day", "", "")
	atS := fs.String("at", "", "")
	out := fs.String("out", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		return usageErrorFor(stderr, "recordings", err.Error(), recordingsUsage)
	}
	sub := args[0]
	switch sub {
	case "list", "verify", "cat", "frame", "key":
	default:
		return usageErrorFor(stderr, "recordings", fmt.Sprintf("unknown action %q", sub), recordingsUsage)
	}
	now := time.Now()
	from, err := parseWhen(*fromS, now)
	if err != nil {
		return usageErrorFor(stderr, "recordings", err.Error(), recordingsUsage)
	}
	to, err := parseWhen(*toS, now)
	if err != nil {
		return usageErrorFor(stderr, "recordings", err.Error(), recordingsUsage)
	}
	if sub == "cat" && *camID == "" {
		return usageErrorFor(stderr, "recordings", "cat needs --camera", recordingsUsage)
	}
	at, err := parseWhen(*atS, now)
	if err != nil {
		return usageErrorFor(stderr, "recordings", err.Error(), recordingsUsage)
	}
	if sub == "frame" && (*camID == "" || *atS == "" || *out == "") {
		return usageErrorFor(stderr, "recordings", "frame needs --camera, --at and --out", recordingsUsage)
	}
	if sub == "key" && *day == "" {
		return usageErrorFor(stderr, "recordings", "key needs --day", recordingsUsage)
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	store := a.recordingStore()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if sub == "key" {
		return printDayKeys(ctx, a.DB, store, *day, *camID, stdout, stderr)
	}
	// Opening the recordings is a start-up: finish what a crash left.
	if _, err := store.Recover(ctx); err != nil {
		return fail(stderr, err, cameraHint(err))
	}
	if sub == "frame" {
		if _, err := a.DB.Camera(*camID); err != nil {
			return fail(stderr, err, "List cameras with 'nightjar cameras list'.")
		}
		if err := a.frameAt(ctx, *camID, at, *out, stdout); err != nil {
			return fail(stderr, err, "See what exists with 'nightjar recordings list --camera "+*camID+"'.")
		}
		return exitOK
	}
	rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: *camID, From: from, To: to})
	if err != nil {
		return fail(stderr, err, "")
	}
	switch sub {
	case "list":
		return listRecordings(rows, *asJSON, stdout)
	case "verify":
		return verifyRecordings(ctx, a.DB, store, rows, *asJSON, stdout, stderr)
	default:
		return catRecordings(ctx, store, rows, stdout, stderr)
	}
}

func listRecordings(rows []catalog.Segment, asJSON bool, stdout io.Writer) int {
	gaps := gapsOf(rows)
	if asJSON {
		if rows == nil {
			rows = []catalog.Segment{}
		}
		if gaps == nil {
			gaps = []gap{}
		}
		json.NewEncoder(stdout).Encode(map[string]any{"segments": rows, "gaps": gaps})
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CAMERA\tSTART\tDURATION\tSIZE\tSTATE\tTRIGGER")
	for _, s := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f MB\t%s\t%s\n", s.CameraID, s.Start.Local().Format("2006-01-02 15:04:05"),
			s.Duration.Round(100*time.Millisecond), float64(s.Size)/1e6, s.State, s.Trigger)
	}
	tw.Flush()
	for _, g := range gaps {
		fmt.Fprintf(stdout, "gap: %s %s for %s\n", g.CameraID, g.From.Local().Format("2006-01-02 15:04:05"), g.Duration.Round(100*time.Millisecond))
	}
	return exitOK
}

type verifyResult struct {
	File     string        `json:"file"`
	CameraID string        `json:"camera"`
	Start    time.Time     `json:"start"`
	OK       bool          `json:"ok"`
	Problem  string        `json:"problem,omitempty"`
	Duration time.Duration `json:"duration,omitempty"`
}

// verifyRecordings checks every segment, and marks the damaged ones in the
// catalogue so the app shows them too.
func verifyRecordings(ctx context.Context, db *catalog.DB, store *recording.Store, rows []catalog.Segment, asJSON bool, stdout, stderr io.Writer) int {
	var results []verifyResult
	bad := 0
	for _, s := range rows {
		v, err := store.Verify(ctx, s)
		r := verifyResult{File: s.File, CameraID: s.CameraID, Start: s.Start, OK: err == nil, Duration: v.Duration}
		if err == nil && s.State == catalog.SegmentDamaged {
			// The file was put back as it was recorded.
			s.State, s.Problem = catalog.SegmentClosed, ""
			db.PutSegment(s)
		}
		if err != nil {
			bad++
			r.Problem = err.Error()
			var d *recording.DamageError
			if errors.As(err, &d) {
				r.Problem = d.Reason
				if s.State != catalog.SegmentDamaged {
					s.State, s.Problem = catalog.SegmentDamaged, d.Reason
					if err := db.PutSegment(s); err != nil {
						fmt.Fprintf(stderr, "nightjar: mark %s damaged: %v\n", s.File, err)
					}
				}
			}
		}
		results = append(results, r)
	}
	if asJSON {
		if results == nil {
			results = []verifyResult{}
		}
		json.NewEncoder(stdout).Encode(results)
	} else {
		for _, r := range results {
			if r.OK {
				fmt.Fprintf(stdout, "ok       %s\n", r.File)
			} else {
				fmt.Fprintf(stdout, "DAMAGED  %s: %s\n", r.File, r.Problem)
			}
		}
		fmt.Fprintf(stdout, "%d segments checked, %d damaged\n", len(results), bad)
	}
	if bad > 0 {
		return exitError
	}
	return exitOK
}

// catRecordings writes the checked segments as one MPEG-TS stream. Damaged
// segments are skipped, named on stderr, and make the exit code non-zero.
func catRecordings(ctx context.Context, store *recording.Store, rows []catalog.Segment, stdout, stderr io.Writer) int {
	if len(rows) == 0 {
		return fail(stderr, fmt.Errorf("no recordings in that range"), "See what exists with 'nightjar recordings list'.")
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	bad := 0
	for _, s := range rows {
		if err := store.WriteTo(ctx, s, w); err != nil {
			if !recording.IsDamaged(err) && !errors.Is(err, recording.ErrShredded) {
				w.Flush()
				return fail(stderr, err, "")
			}
			bad++
			fmt.Fprintf(stderr, "nightjar: skipped %s\n", strings.TrimPrefix(err.Error(), "segment "))
		}
	}
	if err := w.Flush(); err != nil {
		return fail(stderr, err, "")
	}
	if bad > 0 {
		return exitError
	}
	return exitOK
}

// printDayKeys prints, one a line, the age identities that decrypt the
// footage of day (UTC): each camera's own key of the day and the day's
// shared key of older segments; with cameraID, only those its footage
// uses. stderr names them.
func printDayKeys(ctx context.Context, db *catalog.DB, store *recording.Store, day, cameraID string, stdout, stderr io.Writer) int {
	ids, err := store.Keys.IDs()
	if err != nil {
		return fail(stderr, err, "")
	}
	var printed []string
	for _, k := range ids {
		if recording.DayOfKey(k) != day {
			continue
		}
		if cameraID != "" && k != recording.KeyOf(day, cameraID) {
			if k != day || !usesKey(db, cameraID, day) {
				continue
			}
		}
		id, err := store.Keys.Identity(ctx, k)
		if err != nil {
			return fail(stderr, err, "")
		}
		fmt.Fprintln(stdout, id.String())
		printed = append(printed, k)
	}
	if len(printed) == 0 {
		what := day
		if cameraID != "" {
			what = recording.KeyOf(day, cameraID)
		}
		return fail(stderr, fmt.Errorf("no key of %s: %w", what, recording.ErrShredded),
			"Days deleted by retention or erased cannot be decrypted by anyone.")
	}
	fmt.Fprintf(stderr, "nightjar: these keys (%s) decrypt that footage of %s (UTC); keep them secret\n", strings.Join(printed, ", "), day)
	return exitOK
}

// usesKey reports whether some footage of cameraID is on day's shared key.
func usesKey(db *catalog.DB, cameraID, day string) bool {
	start, err := time.Parse("2006-01-02", day)
	if err != nil {
		return false
	}
	rows, err := db.Segments(catalog.SegmentFilter{CameraID: cameraID, From: start, To: start.Add(24 * time.Hour)})
	if err != nil {
		return true // say more rather than less to the owner asking
	}
	for _, r := range rows {
		if r.KeyID() == day {
			return true
		}
	}
	return false
}
