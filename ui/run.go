package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"nightjar/assets"
)

// AppID is Nightjar's application id, used by Fyne for preferences and by
// the desktop for window grouping.
const AppID = "org.nightjar.Nightjar"

// reportWall hands the shown frame rate of every tile to report every 5 s.
func reportWall(ctx context.Context, wl *Wall, report func(fps []float64)) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	prev, at := wl.Renders(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wl.stop:
			return
		case now := <-t.C:
			cur := wl.Renders()
			fps := make([]float64, len(cur))
			for i := range cur {
				fps[i] = float64(cur[i]-prev[i]) / now.Sub(at).Seconds()
			}
			prev, at = cur, now
			report(fps)
		}
	}
}

// Run creates the Fyne app and the main window and blocks until the user
// quits or ctx is cancelled.
func Run(ctx context.Context, svc Services, cfg WindowConfig) error {
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("nightjar.png", assets.IconPNG))
	a.Settings().SetTheme(nightjarTheme{mode: ThemeSystem})
	w := NewMainWindow(a, svc, cfg)
	w.Window().SetMaster()
	stop := context.AfterFunc(ctx, func() { fyne.Do(w.quit) })
	defer stop()
	if w.wall != nil && cfg.OnWallStats != nil {
		go reportWall(ctx, w.wall, cfg.OnWallStats)
	}
	w.Window().ShowAndRun()
	w.closeWalls() // when the loop ended some other way; a no-op after quit
	return nil
}
