package app

import (
	"context"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"nightjar/devices/camsim"
	"nightjar/internal/zones"
	"nightjar/storage/catalog"
)

// benchMasks is 'nightjar bench live --masks N': the wall's CPU with N
// privacy zones on every camera against the same wall without, run in
// pairs one after the other so that the machine's drift hits both.
func benchMasks(ctx context.Context, exe string, infos []camsim.Info, n, pairs int, window time.Duration, stdout, stderr io.Writer) int {
	pairs = max(pairs, 1)
	var bare, masked []float64
	var fps [2]string
	for i := range pairs {
		b, err := benchWallZones(ctx, exe, infos, 0, window)
		if err != nil {
			return fail(stderr, fmt.Errorf("wall without zones, run %d: %w", i+1, err), "")
		}
		m, err := benchWallZones(ctx, exe, infos, n, window)
		if err != nil {
			return fail(stderr, fmt.Errorf("wall with %d zones per camera, run %d: %w", n, i+1, err), "")
		}
		bare, masked = append(bare, b.cpu), append(masked, m.cpu)
		fps = [2]string{b.fps, m.fps}
	}
	fmt.Fprintf(stdout, "%d tiles of the sub stream, %s per run, %d pairs; zones: %d polygons of 8 points per camera, solid and pixelated in turn\n", len(infos), window, pairs, n)
	t := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "setup\tCPU per run (% of one core)\tmean\t× without zones\tshown fps per tile (last run)")
	mb, mm := mean(bare), mean(masked)
	fmt.Fprintf(t, "Nightjar wall, no zones\t%s\t%.0f\t1.00\t%s\n", cpuList(bare), mb, fps[0])
	fmt.Fprintf(t, "Nightjar wall, %d zones per camera\t%s\t%.0f\t%.3f\t%s\n", n, cpuList(masked), mm, mm/mb, fps[1])
	t.Flush()
	return exitOK
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}

func cpuList(v []float64) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.0f", x)
	}
	return s
}

// addBenchZones gives every camera in the data dir n octagons of 8
// points, spread over the frame, alternately solid and pixelated.
func addBenchZones(dir string, n int) error {
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	cams, err := db.Cameras()
	if err != nil {
		return err
	}
	for _, c := range cams {
		c.Zones = benchZones(n)
		if err := db.PutCamera(c); err != nil {
			return err
		}
	}
	return nil
}

func benchZones(n int) []zones.Zone {
	var out []zones.Zone
	for i := range n {
		cx := 0.15 + 0.7*float64(i%4)/3
		cy := 0.25 + 0.5*float64((i/4)%2)
		var ps []zones.Point
		for k := range 8 {
			a := 2 * math.Pi * float64(k) / 8
			ps = append(ps, zones.Point{X: cx + 0.1*math.Cos(a), Y: cy + 0.15*math.Sin(a)})
		}
		f := zones.Black
		if i%2 == 1 {
			f = zones.Fill{Block: 12}
		}
		out = append(out, zones.Zone{ID: fmt.Sprintf("z%d", i+1), Name: fmt.Sprintf("Zone %d", i+1), Kind: zones.Permanent, Fill: f, Points: ps})
	}
	return out
}
