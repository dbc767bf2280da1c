package app

import (
	"context"
	"strings"

	"nightjar/internal/redact"
	"nightjar/internal/uithread"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
	"nightjar/ui"
)

// guiServices adapts App to the services the window consumes (ui.Services).
// The adapters for each page live in the gui_*.go files beside this one.
type guiServices struct{ a *App }

// guiServices is what the window gets: every service, passed explicitly.
func (a *App) guiServices() ui.Services {
	s := &guiServices{a}
	return ui.Services{
		Streams:        guiStreams(a.streams),
		Cameras:        s,
		Layouts:        s,
		RecordSettings: s,
		Storage:        s,
		Keyring:        s,
		Playback:       newGUIPlayback(a),
		Privacy:        guiPrivacy{a},
	}
}

// CheckKeyring implements ui.KeyringStatus.
func (s *guiServices) CheckKeyring(ctx context.Context) error {
	uithread.Check("keyring: check")
	err := s.a.Secrets.Check(ctx)
	if err != nil {
		s.a.Log.Warn("keyring unavailable", "err", err)
	}
	return err
}

// KeyringHint implements ui.KeyringStatus.
func (s *guiServices) KeyringHint(err error) string { return secrets.Hint(err) }

// Cameras implements ui.CameraService.
func (s *guiServices) Cameras(ctx context.Context) ([]ui.CameraRow, error) {
	uithread.Check("catalogue: cameras")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cams, err := s.a.DB.Cameras()
	rows := make([]ui.CameraRow, 0, len(cams))
	for _, c := range cams {
		rows = append(rows, cameraRow(c))
	}
	return rows, err
}

func cameraRow(c catalog.Camera) ui.CameraRow {
	return ui.CameraRow{
		ID: c.ID, Name: c.Name, Group: c.Group, Address: redact.RedactURL(c.DeviceURL),
		MainURI: redact.RedactURL(c.MainURI), SubURI: redact.RedactURL(c.SubURI), PTZ: c.PTZ,
		Model: strings.TrimSpace(c.Manufacturer + " " + c.Model), FactoryPassword: c.FactoryPassword,
		RecordMode: c.Record.Mode, StreamWarning: c.StreamWarning,
	}
}
