package ui

import (
	"context"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"nightjar/assets"
)

// AppID is Nightjar's application id, used by Fyne for preferences and by
// the desktop for window grouping.
const AppID = "org.nightjar.Nightjar"

// Run creates the Fyne app and the main window and blocks until the user
// quits or ctx is cancelled.
func Run(ctx context.Context, svc Services, cfg WindowConfig) error {
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("nightjar.png", assets.IconPNG))
	a.Settings().SetTheme(nightjarTheme{mode: ThemeSystem})
	w := NewMainWindow(a, svc, cfg)
	w.Window().SetMaster()
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.Window().ShowAndRun()
	if w.wall != nil {
		w.wall.StopPTZ()
		w.wall.Close()
	}
	return nil
}
