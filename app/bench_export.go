package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"nightjar/internal/zones"
	"nightjar/player"
)

// benchExportZones are the zones 'bench export' burns in: n solid
// rectangles spread over the frame, the same ones the ffmpeg baseline
// draws with drawbox (ffmpegBoxes).
func benchExportZones(n int) []zones.Zone {
	var zs []zones.Zone
	for i := range n {
		x, y := 0.05+0.22*float64(i%4), 0.1+0.45*float64(i/4%2)
		zs = append(zs, zones.Zone{ID: fmt.Sprint(i), Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(x, y, 0.15, 0.3)})
	}
	return zs
}

// ffmpegBoxes is the ffmpeg -vf of the same zones on a w×h frame.
func ffmpegBoxes(n, w, h int) string {
	s := ""
	for i, z := range benchExportZones(n) {
		if i > 0 {
			s += ","
		}
		p := z.Points[0]
		s += fmt.Sprintf("drawbox=x=%d:y=%d:w=%d:h=%d:t=fill:c=black", int(p.X*float64(w)), int(p.Y*float64(h)), int(0.15*float64(w)), int(0.3*float64(h)))
	}
	return s
}

// benchExport is 'nightjar bench export --input F.ts --length D --out
// F.mp4': one redacted export of a recorded file, as the export command
// makes it, for timing as a whole process against the ffmpeg command it
// prints (same zones as drawbox, same x264 preset and CRF).
func benchExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	in := fs.String("input", "", "")
	out := fs.String("out", "", "")
	length := fs.Duration("length", 60*time.Second, "")
	n := fs.Int("zones", 4, "")
	preset := fs.String("preset", "ultrafast", "")
	if err := fs.Parse(args); err != nil || *in == "" || *out == "" {
		return usageErrorFor(stderr, "bench", "bench export needs --input FILE --out FILE.mp4 [--length 60s] [--zones 4]", benchUsage)
	}
	t0 := time.Unix(0, 0).UTC()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := player.EncodeClip(ctx, player.ClipOptions{Pieces: []player.Piece{{URL: *in, Start: t0, Length: *length}},
		From: t0, To: t0.Add(*length), Mask: zones.NewMask(benchExportZones(*n)), Out: *out, Preset: *preset})
	if err != nil {
		return fail(stderr, err, "")
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "exported %v of %dx%d in %v: %.2fx real time\n", res.Duration, res.Width, res.Height, took.Round(time.Millisecond), res.Duration.Seconds()/took.Seconds())
	fmt.Fprintf(stdout, "baseline: ffmpeg -y -v error -i %s -vf %s -t %.3f -an -c:v libx264 -preset %s -crf 23 BASELINE.mp4\n", *in, ffmpegBoxes(*n, res.Width, res.Height), length.Seconds(), *preset)
	return exitOK
}
