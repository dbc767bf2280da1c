// Package ui is Nightjar's Fyne user interface: the main window, its pages,
// widgets and dialogs. It is the only package (with main and assets) that
// imports Fyne.
//
// ui consumes services through small interfaces it declares beside the
// page that uses each (CameraService, LayoutStore, RecordSettingsStore,
// StorageService, KeyringStatus, PlaybackService), passed explicitly in Services.
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
//
// The Playback page consumes PlaybackService (playback_service.go) and is
// split the same way: playback.go (the page: choosing cameras, the
// calendar, typed times, lanes), playback_keys.go (transport and keys),
// playback_bookmarks.go, playback_tiles.go (the session's players on a
// wall, with a slate and "no recording · next …" where a camera has no
// footage), playback_session.go (the goroutine that hands commands to the
// session, coalescing seeks, and the ~12 Hz poller), playback_thumbs.go
// (hover thumbnails, one decode at a time, cached in memory),
// playback_when.go (typed times, as the CLI reads them), calendar.go,
// timeline.go and timeline_render.go (the widget and its renderer) and
// timeline_math.go (zoom, pan, x and time, and ticks in local time that
// stay right on 23- and 25-hour days; Fyne-free).
//
// The Privacy page consumes PrivacyService (privacy_service.go):
// privacy.go (the summary, masking zones, the camera push, the lifting
// switch and the page's checks), privacy_retention.go (keep-days with a
// reason above the recommendation, the preview lines, erase now with its
// confirmation and the erasure record), privacy_editor.go (the mask
// editor's window: tools, the selected zone's form, Ctrl+Z, Delete,
// Enter, save after zones.ValidateAll), and mask_editor.go with
// mask_editor_polygon.go (the widget: zones in normalized coordinates of
// the frame, drawn as outlines over the picture that already shows the
// saved zones painted; undo keeps every change).
package ui
