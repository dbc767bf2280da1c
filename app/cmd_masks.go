package app

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"nightjar/internal/zones"
)

const masksUsage = "usage: nightjar masks add --camera ID (--polygon x1,y1,x2,y2,… | --rect x,y,w,h) [--name N] [--kind permanent|liftable] [--fill #RRGGBB|pixelate:N] | list --camera ID [--json] | remove --camera ID ZONE | push --camera ID | allow-lift on|off\n(coordinates are 0 to 1 of the frame, from its top-left corner)"

// runMasks is 'nightjar masks': a camera's privacy zones.
func runMasks(g globalFlags, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageErrorFor(stderr, "masks", "missing add, list, remove, push or allow-lift", masksUsage)
	}
	fs := flag.NewFlagSet("masks", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	camID := fs.String("camera", "", "")
	polygon := fs.String("polygon", "", "")
	rect := fs.String("rect", "", "")
	name := fs.String("name", "", "")
	kind := fs.String("kind", string(zones.Permanent), "")
	fill := fs.String("fill", "#000000", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := interspersed(fs, args[1:])
	if err != nil {
		return usageErrorFor(stderr, "masks", err.Error(), masksUsage)
	}
	sub := args[0]
	var z zones.Zone
	switch {
	case sub == "allow-lift":
		if len(pos) != 1 || (pos[0] != "on" && pos[0] != "off") {
			return usageErrorFor(stderr, "masks", "allow-lift takes on or off", masksUsage)
		}
	case sub != "add" && sub != "list" && sub != "remove" && sub != "push":
		return usageErrorFor(stderr, "masks", fmt.Sprintf("unknown action %q", sub), masksUsage)
	case *camID == "":
		return usageErrorFor(stderr, "masks", sub+" needs --camera", masksUsage)
	case sub == "remove" && len(pos) != 1:
		return usageErrorFor(stderr, "masks", "remove takes one zone ID or name", masksUsage)
	case sub != "remove" && len(pos) != 0:
		return usageErrorFor(stderr, "masks", fmt.Sprintf("%s takes no argument %q", sub, pos[0]), masksUsage)
	case sub == "add":
		if z, err = zoneFromFlags(*polygon, *rect, *name, *kind, *fill); err != nil {
			return usageErrorFor(stderr, "masks", err.Error(), masksUsage)
		}
	}
	a, err := Open(g)
	if err != nil {
		return reportOpenError(stderr, err)
	}
	defer a.Close()
	switch sub {
	case "add":
		saved, err := a.addZone(*camID, z)
		if err != nil {
			return fail(stderr, err, "")
		}
		if *asJSON {
			return writeJSON(stdout, stderr, saved)
		}
		fmt.Fprintf(stdout, "added zone %s %q (%s, %s) to camera %s; it is painted over every picture from now on\n", saved.ID, saved.Name, saved.Kind, saved.Fill, *camID)
	case "list":
		cam, err := a.DB.Camera(*camID)
		if err != nil {
			return fail(stderr, err, "List cameras with 'nightjar cameras list'.")
		}
		if *asJSON {
			zs := cam.Zones
			if zs == nil {
				zs = []zones.Zone{}
			}
			return writeJSON(stdout, stderr, zs)
		}
		listZones(stdout, cam.Zones)
	case "remove":
		z, err := a.removeZone(*camID, pos[0])
		if err != nil {
			return fail(stderr, err, "")
		}
		fmt.Fprintf(stdout, "removed zone %s %q from camera %s\n", z.ID, z.Name, *camID)
	case "push":
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, err := a.pushZones(ctx, *camID)
		if err != nil {
			return fail(stderr, err, "")
		}
		fmt.Fprintf(stdout, "pushed %d zone(s) to camera %s (removed %d mask(s) pushed before)\n", res.Pushed, *camID, res.Removed)
		for _, n := range res.Notes {
			fmt.Fprintf(stdout, "note: %s\n", n)
		}
	case "allow-lift":
		st, err := a.DB.Settings()
		if err != nil {
			return fail(stderr, err, "")
		}
		st.AllowLift = pos[0] == "on"
		if err := a.DB.PutSettings(st); err != nil {
			return fail(stderr, err, "")
		}
		if st.AllowLift {
			fmt.Fprintln(stdout, "liftable zones may now be revealed in playback, one camera at a time, for at most 30 minutes, with a reason")
		} else {
			fmt.Fprintln(stdout, "no zone can be lifted any more")
		}
	}
	return exitOK
}

// zoneFromFlags builds the zone 'masks add' describes.
func zoneFromFlags(polygon, rect, name, kind, fill string) (zones.Zone, error) {
	var pts []zones.Point
	var err error
	switch {
	case polygon != "" && rect != "":
		return zones.Zone{}, fmt.Errorf("give --polygon or --rect, not both")
	case polygon != "":
		pts, err = zones.ParsePolygon(polygon)
	case rect != "":
		pts, err = zones.ParseRect(rect)
	default:
		return zones.Zone{}, fmt.Errorf("add needs --polygon or --rect")
	}
	if err != nil {
		return zones.Zone{}, err
	}
	f, err := zones.ParseFill(fill)
	if err != nil {
		return zones.Zone{}, err
	}
	z := zones.Zone{Name: name, Kind: zones.Kind(strings.ToLower(kind)), Fill: f, Points: pts}
	if err := z.Validate(); err != nil {
		return zones.Zone{}, err
	}
	return z, nil
}

func listZones(w io.Writer, zs []zones.Zone) {
	if len(zs) == 0 {
		fmt.Fprintln(w, "no privacy zones")
		return
	}
	t := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(t, "ID\tNAME\tKIND\tFILL\tPOINTS")
	for _, z := range zs {
		var ps []string
		for _, p := range z.Points {
			ps = append(ps, fmt.Sprintf("%.4g,%.4g", p.X, p.Y))
		}
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\n", z.ID, z.Name, z.Kind, z.Fill, strings.Join(ps, " "))
	}
	t.Flush()
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(stderr, err, "")
	}
	return exitOK
}
