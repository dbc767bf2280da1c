package ui

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"nightjar/internal/uithread"
)

// Services are what the main window consumes from the rest of Nightjar:
// one small interface per need, each declared beside the page that uses
// it, passed explicitly. app implements them; widget tests pass fakes. A
// nil service hides what needs it.
type Services struct {
	// Streams are the live wall's streams, at most 16.
	Streams []LiveStream
	// Cameras serves the Cameras page; the Live page counts cameras
	// through it. It is required.
	Cameras CameraService
	// Layouts keeps saved wall arrangements.
	Layouts LayoutStore
	// RecordSettings edits a camera's record settings (the Cameras page's
	// Recording… dialog).
	RecordSettings RecordSettingsStore
	// Storage reports the recordings disk and edits its limits (the
	// Settings page).
	Storage StorageService
	// Keyring says whether secrets can be kept (the Privacy page).
	Keyring KeyringStatus
	// Playback serves the Playback page: timelines, players and
	// bookmarks. Without it the page says playback is not available.
	Playback PlaybackService
	// Privacy serves the Privacy page's zones, retention and erasure.
	// Without it the page shows only the keyring and password checks.
	Privacy PrivacyService
}

// KeyringStatus is what the Privacy page needs to know about the OS
// keyring.
type KeyringStatus interface {
	// CheckKeyring reports whether the OS keyring can be used. The error's
	// text and hint are shown to the user.
	CheckKeyring(ctx context.Context) error
	// KeyringHint says how to fix a keyring error, or "".
	KeyringHint(err error) string
}

// Actions are the welcome screen's buttons. A nil action hides its button.
type Actions struct {
	FindCameras func()
	AddCamera   func()
	TryDemo     func()
}

// WindowConfig configures the main window.
type WindowConfig struct {
	Title   string
	Version string
	DataDir string
	Actions Actions
	// OnWallStats, when set, receives the wall's shown fps per tile
	// every 5 s (for 'nightjar bench live' and the debug log).
	OnWallStats func(fps []float64)
	// OnWallEvent, when set, hears the wall's timing milestones.
	OnWallEvent func(what string, d time.Duration)
	// OnTileDrawn, when set, sees each tile drawn on the wall.
	OnTileDrawn func(stream int, img *image.RGBA, r image.Rectangle)
	// Log receives the UI's own messages; nil means slog's default.
	Log *slog.Logger
	// Location is the time zone the Playback page shows times in; nil
	// means time.Local.
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Page names, in navigation order.
const (
	PageLive     = "Live"
	PagePlayback = "Playback"
	PageCameras  = "Cameras"
	PagePrivacy  = "Privacy"
	PageAudit    = "Audit"
	PageSettings = "Settings"
)

// MainWindow is Nightjar's main window: a navigation rail and one page.
type MainWindow struct {
	win  fyne.Window
	app  fyne.App
	svc  Services
	cfg  WindowConfig
	tabs *container.AppTabs

	keyringStatus  *widget.Label
	keyringChecked chan struct{} // closed once the keyring status is known
	quit           func()        // closes the walls, then the app
	extraWalls     []*Wall       // second walls, for other monitors
	wall           *Wall
	playback       *playbackPage // nil without a PlaybackService
	privacy        *privacyPage  // nil without a PrivacyService
	cameras        *camerasView
	warnings       *widget.Label
	storage        *widget.Label
}

// NewMainWindow builds the main window on a.
func NewMainWindow(a fyne.App, svc Services, cfg WindowConfig) *MainWindow {
	if cfg.Title == "" {
		cfg.Title = "Nightjar"
	}
	uithread.Mark() // callbacks run on this goroutine, as NewMainWindow does
	w := &MainWindow{app: a, svc: svc, cfg: cfg, win: a.NewWindow(cfg.Title), keyringChecked: make(chan struct{})}
	w.quit = func() { w.closeWalls(); a.Quit() }
	w.keyringStatus = widget.NewLabel("Checking the OS keyring…")
	w.warnings = widget.NewLabel("")
	w.warnings.Wrapping = fyne.TextWrapWord
	w.cameras = newCamerasView(w, svc.Cameras, svc.RecordSettings)
	w.cameras.onRows = w.showWarnings
	w.showWarnings(w.cameras.rows)
	w.keyringStatus.Wrapping = fyne.TextWrapWord
	w.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(PageLive, theme.MediaVideoIcon(), w.livePage()),
		container.NewTabItemWithIcon(PagePlayback, theme.MediaPlayIcon(), w.playbackPageObject()),
		container.NewTabItemWithIcon(PageCameras, theme.ComputerIcon(), w.cameras.object()),
		container.NewTabItemWithIcon(PagePrivacy, theme.VisibilityOffIcon(), w.privacyPage()),
		container.NewTabItemWithIcon(PageAudit, theme.ListIcon(), placeholder(PageAudit,
			"The audit log will be here: who viewed, moved, exported or erased what and when, in a hash-chained log that 'nightjar audit verify' checks.")),
		container.NewTabItemWithIcon(PageSettings, theme.SettingsIcon(), w.settingsPage()),
	)
	w.tabs.SetTabLocation(container.TabLocationLeading)
	w.tabs.OnSelected = func(t *container.TabItem) {
		if w.wall != nil {
			w.wall.StopPTZ()
		}
		if t.Text == PageSettings {
			w.refreshStorage()
		}
		if t.Text == PagePrivacy && w.privacy != nil {
			w.privacy.shown()
		}
		if w.playback != nil {
			if t.Text == PagePlayback {
				w.playback.shown()
			} else {
				w.playback.hidden()
			}
		}
	}
	w.win.SetContent(w.tabs)
	w.win.SetOnClosed(w.closeWalls)
	w.win.Resize(fyne.NewSize(1280, 800))
	w.installShortcuts()
	w.refreshKeyring()
	return w
}

// Window returns the underlying Fyne window.
func (w *MainWindow) Window() fyne.Window { return w.win }

// ShowPage switches to the named page.
func (w *MainWindow) ShowPage(name string) {
	for _, it := range w.tabs.Items {
		if it.Text == name {
			w.tabs.Select(it)
			return
		}
	}
}

// playbackPageObject is the Playback page, or a note when playback is
// not available.
func (w *MainWindow) playbackPageObject() fyne.CanvasObject {
	if w.svc.Playback == nil {
		return placeholder(PagePlayback, "Playback is not available here: the recordings could not be opened. The log says why.")
	}
	w.playback = newPlaybackPage(w)
	return w.playback.obj
}

// shownPlayback is the Playback page when it is on show, else nil.
func (w *MainWindow) shownPlayback() *playbackPage {
	if w.playback == nil || w.tabs.Selected() == nil || w.tabs.Selected().Text != PagePlayback {
		return nil
	}
	return w.playback
}

// liveWall is the wall when the Live page is on show, else nil.
func (w *MainWindow) liveWall() *Wall {
	if w.wall == nil || w.tabs.Selected() == nil || w.tabs.Selected().Text != PageLive {
		return nil
	}
	return w.wall
}

// closeWalls stops every wall's pump and PTZ moves. It runs on the UI
// goroutine before the app's loop ends: a pump that went on ticking after
// the loop would reach widgets from its own goroutine, since fyne.Do runs
// the function at once when no loop is left. Closing a wall twice is safe.
func (w *MainWindow) closeWalls() {
	if w.wall != nil {
		w.wall.Close() // stops its PTZ moves before the app closes the controls
	}
	for _, wl := range w.extraWalls {
		wl.Close()
	}
	if w.playback != nil {
		w.playback.close()
	}
}

// CurrentPage returns the name of the page on show.
func (w *MainWindow) CurrentPage() string { return w.tabs.Selected().Text }

func (w *MainWindow) installShortcuts() {
	// Ctrl+Q on Linux and Windows, Cmd+Q on macOS.
	w.win.Canvas().AddShortcut(&desktopShortcut{key: fyne.KeyQ, mod: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.quit()
	})
	w.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyF11 {
			w.win.SetFullScreen(!w.win.FullScreen())
			return
		}
		if wl := w.liveWall(); wl != nil {
			wl.TypedKey(ev)
		}
		if pb := w.shownPlayback(); pb != nil {
			pb.TypedKey(ev)
		}
	})
	w.win.Canvas().SetOnTypedRune(func(r rune) {
		if pb := w.shownPlayback(); pb != nil {
			pb.TypedRune(r)
		}
	})
	if dc, ok := w.win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(ev *fyne.KeyEvent) {
			if wl := w.liveWall(); wl != nil {
				wl.KeyDown(ev.Name)
			}
			if pb := w.shownPlayback(); pb != nil {
				pb.KeyDown(ev.Name)
			}
		})
		dc.SetOnKeyUp(func(ev *fyne.KeyEvent) {
			if wl := w.liveWall(); wl != nil {
				wl.KeyUp(ev.Name)
			}
			if pb := w.shownPlayback(); pb != nil {
				pb.KeyUp(ev.Name)
			}
		})
	}
	// Ctrl+P goes to the Playback page and Ctrl+L to the Live page, from
	// anywhere.
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.ShowPage(PagePlayback)
	})
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.ShowPage(PageLive)
	})
	// Ctrl+N opens another wall window, for a second monitor.
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		openSecondWall(w)
	})
	// Ctrl+1–9 save presets (with Ctrl held, Fyne reports shortcuts, not
	// typed keys).
	for k := fyne.Key1; k <= fyne.Key9; k = fyne.KeyName(string(rune(k[0] + 1))) {
		n := int(k[0] - '0')
		w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			if wl := w.liveWall(); wl != nil {
				if p := wl.selectedPTZ(); p != nil {
					p.SetPreset(n)
				}
			}
		})
	}
	// A camera never keeps spinning: stop moves when the app loses focus.
	w.app.Lifecycle().SetOnExitedForeground(func() {
		if w.wall != nil {
			w.wall.StopPTZ()
		}
	})
}

// livePage is the wall when there are streams. Otherwise it asks the
// catalogue, off the UI goroutine, whether any camera is set up: the
// welcome screen when none is, a note when they are but none plays.
func (w *MainWindow) livePage() fyne.CanvasObject {
	if streams := w.svc.Streams; len(streams) > 0 {
		w.wall = NewWall(streams, WallConfig{
			Window:      w.win,
			OnShow:      func() bool { return w.liveWall() != nil },
			OnEvent:     w.cfg.OnWallEvent,
			OnTileDrawn: w.cfg.OnTileDrawn,
			Log:         w.cfg.Log,
		})
		return newLivePage(w, w.wall)
	}
	page := container.NewStack(placeholder(PageLive, "Reading the camera list…"))
	runAsync(10*time.Second, w.svc.Cameras.Cameras, func(rows []CameraRow, err error) {
		var content fyne.CanvasObject
		switch {
		case err != nil:
			content = placeholder(PageLive, "The camera list could not be read: "+err.Error()+". Check that the data folder is readable, then restart Nightjar.")
		case len(rows) == 0:
			content = newWelcome(w.cfg.Actions, w.ShowPage)
		default:
			content = placeholder(PageLive, fmt.Sprintf("None of your %d cameras could be started on the live wall. The Cameras page tests each one; the log says why a player did not start.", len(rows)))
		}
		page.Objects = []fyne.CanvasObject{content}
		page.Refresh()
	})
	return page
}

// now is the window's clock.
func (w *MainWindow) now() time.Time {
	if w.cfg.Now != nil {
		return w.cfg.Now()
	}
	return time.Now()
}

// location is the time zone the window shows times in.
func (w *MainWindow) location() *time.Location {
	if w.cfg.Location != nil {
		return w.cfg.Location
	}
	return time.Local
}

// showWarnings lists cameras still on a factory password.
func (w *MainWindow) showWarnings(rows []CameraRow) {
	var names []string
	for _, r := range rows {
		if r.FactoryPassword {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		w.warnings.SetText("No camera uses a known factory password.")
		return
	}
	w.warnings.SetText(fmt.Sprintf("%d cameras still use a factory default password, which anyone can look up: %s. Change it from the Cameras page (select the camera, then Change password).",
		len(names), strings.Join(names, ", ")))
}

func (w *MainWindow) settingsPage() fyne.CanvasObject {
	themeChoice := widget.NewRadioGroup([]string{"Follow the system", "Light", "Dark"}, func(s string) {
		mode := ThemeSystem
		switch s {
		case "Light":
			mode = ThemeLight
		case "Dark":
			mode = ThemeDark
		}
		w.app.Settings().SetTheme(nightjarTheme{mode: mode})
	})
	themeChoice.SetSelected("Follow the system")
	themeChoice.Horizontal = true
	w.storage = widget.NewLabel("")
	w.storage.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Theme", themeChoice),
		widget.NewFormItem("Storage", w.storage),
		widget.NewFormItem("Data folder", widget.NewLabel(w.cfg.DataDir)),
		widget.NewFormItem("Version", widget.NewLabel(w.cfg.Version)),
		widget.NewFormItem("Shortcuts", widget.NewLabel("Ctrl+Q quit · F11 fullscreen")),
	)
	if w.svc.Storage != nil {
		form.AppendItem(widget.NewFormItem("Limits", w.storageLimitsForm(w.svc.Storage)))
	}
	return container.NewVBox(widget.NewLabelWithStyle(PageSettings, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), form)
}

// refreshStorage shows the recordings disk's use and the days left.
func (w *MainWindow) refreshStorage() {
	if w.svc.Storage == nil {
		w.storage.SetText("Recording is not available.")
		return
	}
	runAsync(10*time.Second, w.svc.Storage.StorageUsage, func(u StorageUsage, err error) {
		if err != nil {
			w.storage.SetText("Cannot read the recordings disk: " + err.Error() + ". Check that the data folder's disk is mounted and readable; this page tries again each time it opens.")
			return
		}
		w.storage.SetText(storageText(u))
	})
}

func (w *MainWindow) refreshKeyring() {
	if w.svc.Keyring == nil {
		w.keyringStatus.SetText("The OS keyring is not checked here.")
		close(w.keyringChecked)
		return
	}
	runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, w.svc.Keyring.CheckKeyring(ctx)
	}, func(_ struct{}, err error) {
		defer close(w.keyringChecked)
		if err == nil {
			w.keyringStatus.SetText("Passwords and keys are kept in the OS keyring. None is written to disk in plain text.")
			return
		}
		text := "The OS keyring is not available: " + err.Error() + "."
		if h := w.svc.Keyring.KeyringHint(err); h != "" {
			text += " " + h
		}
		w.keyringStatus.SetText(text)
	})
}

// placeholder is a page that says what will be on it.
func placeholder(title, text string) fyne.CanvasObject {
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), body)
}

// desktopShortcut is a key plus modifier shortcut.
type desktopShortcut struct {
	key fyne.KeyName
	mod fyne.KeyModifier
}

func (s *desktopShortcut) ShortcutName() string {
	return fmt.Sprintf("nightjar:%d+%s", s.mod, s.key)
}
func (s *desktopShortcut) Key() fyne.KeyName     { return s.key }
func (s *desktopShortcut) Mod() fyne.KeyModifier { return s.mod }
