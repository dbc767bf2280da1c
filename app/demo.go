package app

import (
	"fmt"
	"os"
	"time"

	"nightjar/devices/camsim"
	"nightjar/devices/onvif"
	"nightjar/storage/catalog"
)

// demoCameras is how many simulated cameras demo mode starts: a 2×2 wall.
const demoCameras = 4

// demoDataDir makes the throwaway data directory demo mode runs in, so a
// demo never touches the user's own catalogue.
func demoDataDir() (string, error) {
	d, err := os.MkdirTemp("", "nightjar-demo-")
	if err != nil {
		return "", fmt.Errorf("%w: create demo data directory: %w", errDataDir, err)
	}
	return d, nil
}

// startDemo starts simulated cameras in-process on loopback and adds them
// to the catalogue. Camera 4 has no PTZ, like a fixed bullet camera.
func (a *App) startDemo() error {
	const user, pass = "admin", "admin" // camsim's factory default, so the warning shows
	a.demoPass = map[string]string{}
	sim, err := camsim.Start(camsim.Config{
		Cameras: demoCameras,
		User:    user,
		Pass:    pass,
		NoPTZ:   []int{3},
		Log:     a.Log.With("component", "camsim"),
	})
	if err != nil {
		return fmt.Errorf("start demo cameras: %w", err)
	}
	a.onClose("demo cameras", sim.Close)
	disc, err := sim.StartDiscovery("127.0.0.1:0")
	if err != nil {
		return err
	}
	a.DemoDiscovery = disc.Addr()
	for i, c := range sim.Cameras() {
		in := c.Info()
		id := fmt.Sprintf("demo-%d", i+1)
		a.demoPass[id] = pass
		err := a.DB.PutCamera(catalog.Camera{
			ID:              id,
			Name:            in.Name,
			Group:           "Demo",
			DeviceURL:       in.DeviceURL,
			Username:        in.User,
			MainProfile:     camsim.Main,
			SubProfile:      camsim.Sub,
			MainURI:         in.MainURI,
			SubURI:          in.SubURI,
			PTZ:             in.PTZ,
			Events:          true,
			Added:           time.Now().UTC(),
			Manufacturer:    "Nightjar",
			Model:           "Camsim",
			FactoryPassword: onvif.IsFactoryCredential(user, pass),
			Record:          demoRecord(i),
		})
		if err != nil {
			return fmt.Errorf("add demo camera: %w", err)
		}
	}
	a.Demo = sim
	a.Log.Info("demo cameras started", "cameras", demoCameras, "discovery", a.DemoDiscovery)
	return nil
}

// demoRecord shows two record modes: the first camera records all the
// time, the second on motion; the rest record when the user presses R.
// Demo footage lives in the throwaway data directory for an hour at most.
func demoRecord(i int) catalog.RecordSettings {
	switch i {
	case 0:
		return catalog.RecordSettings{Mode: catalog.RecordContinuous, Retention: time.Hour}
	case 1:
		return catalog.RecordSettings{Mode: catalog.RecordEvent, Retention: time.Hour}
	}
	return catalog.RecordSettings{Retention: time.Hour}
}
