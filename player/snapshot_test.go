package player

import (
	"context"
	"net/url"
	"testing"
	"time"

	"nightjar/devices/camsim"
)

func TestSnapshotFullResolution(t *testing.T) {
	sim, err := camsim.Start(camsim.Config{Cameras: 1, MotionEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	u, err := url.Parse(sim.Cameras()[0].StreamURI(camsim.Main))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("admin", "admin")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	img, err := Snapshot(ctx, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 1280 || img.Bounds().Dy() != 720 {
		t.Fatalf("snapshot is %v, want 1280x720", img.Bounds())
	}
	if brightPixels(img, img.Bounds()) < 1280*720/4 {
		t.Fatal("snapshot is dark")
	}
}
