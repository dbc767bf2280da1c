package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"nightjar/internal/zones"
	"nightjar/storage/catalog"
)

// saveZones replaces camera id's privacy zones with zs, after checking
// them: zones without an ID get the next free one ("z1", "z2", …),
// without a name "Zone N", without a kind permanent. Every open picture
// of the camera takes the new zones at its next frame.
func (a *App) saveZones(id string, zs []zones.Zone) ([]zones.Zone, error) {
	cam, err := a.DB.Camera(id)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			return nil, fmt.Errorf("no camera %q; list them with 'nightjar cameras list'", id)
		}
		return nil, err
	}
	zs = completeZones(zs)
	if err := zones.ValidateAll(zs); err != nil {
		return nil, err
	}
	cam.Zones = zs
	if err := a.DB.PutCamera(cam); err != nil {
		return nil, fmt.Errorf("save the zones of %s: %w", cam.Name, err)
	}
	a.masks().changed(id)
	a.Log.Info("privacy zones saved", slog.String("component", "privacy"), slog.String("camera", id), slog.Int("zones", len(zs)))
	return zs, nil
}

// completeZones fills in the IDs, names and kinds zs leave out.
func completeZones(zs []zones.Zone) []zones.Zone {
	out := make([]zones.Zone, len(zs))
	used := map[string]bool{}
	for _, z := range zs {
		used[z.ID] = true
	}
	next := 1
	for i, z := range zs {
		if z.ID == "" {
			for used["z"+strconv.Itoa(next)] {
				next++
			}
			z.ID = "z" + strconv.Itoa(next)
			used[z.ID] = true
		}
		if strings.TrimSpace(z.Name) == "" {
			z.Name = "Zone " + strings.TrimPrefix(z.ID, "z")
		}
		if z.Kind == "" {
			z.Kind = zones.Permanent
		}
		if !z.Fill.Pixelated() && z.Fill.Color.A == 0 {
			z.Fill = zones.Black
		}
		out[i] = z
	}
	return out
}

// addZone adds z to camera id's zones and returns it as saved.
func (a *App) addZone(id string, z zones.Zone) (zones.Zone, error) {
	cam, err := a.DB.Camera(id)
	if err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			return zones.Zone{}, fmt.Errorf("no camera %q; list them with 'nightjar cameras list'", id)
		}
		return zones.Zone{}, err
	}
	z.ID = ""
	saved, err := a.saveZones(id, append(cam.Zones, z))
	if err != nil {
		return zones.Zone{}, err
	}
	return saved[len(saved)-1], nil
}

// removeZone removes the zone of camera id whose ID or name is ref.
func (a *App) removeZone(id, ref string) (zones.Zone, error) {
	cam, err := a.DB.Camera(id)
	if err != nil {
		return zones.Zone{}, err
	}
	for i, z := range cam.Zones {
		if z.ID == ref || strings.EqualFold(z.Name, ref) {
			rest := append(append([]zones.Zone(nil), cam.Zones[:i]...), cam.Zones[i+1:]...)
			if _, err := a.saveZones(id, rest); err != nil {
				return zones.Zone{}, err
			}
			return z, nil
		}
	}
	return zones.Zone{}, fmt.Errorf("camera %s has no zone %q; list them with 'nightjar masks list --camera %s'", cam.Name, ref, id)
}
