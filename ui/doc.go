// Package ui is Nightjar's Fyne user interface: the main window, its pages,
// widgets and dialogs. It is the only package (with main and assets) that
// imports Fyne.
//
// ui consumes services through small interfaces it declares beside the
// page that uses each (CameraService, LayoutStore, RecordSettingsStore,
// StorageService, KeyringStatus), passed explicitly in Services.
//
// It never blocks the UI goroutine: the catalogue, the keyring, the
// network and waiting player calls run through runAsync, which delivers
// the result with fyne.Do (through toUI, which tests replace with a UI
// loop of their own). The wall's overlay figures are read on its pump's
// goroutine. In tests, internal/uithread notes any blocking call that app's
// adapters see on the goroutine NewMainWindow marked.
//
// The live wall is split by feature: wall_model.go (what is shown where,
// Fyne-free), wall_compositor.go (the paint thread's buffers behind their
// lock), wall_pixels.go (pure pixel passes), wall_pump.go (the clock
// goroutine), wall_overlays.go (texts and toasts), wall_input.go and
// wall_keys.go (pointer and keyboard), wall_native.go (the X11 surface),
// wall_replay.go (instant replay in a tile), wall_playback.go (the
// playback mode the Playback page's tiles use), wall_render.go (the
// renderer, which owns the canvas objects) and wall.go (the widget, its
// configuration and lifecycle).
package ui
