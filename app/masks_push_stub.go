package app

import (
	"context"
	"errors"
)

// TEMPORARY until p-onvif merges.
type pushResult struct {
	Pushed, Removed int
	Notes           []string
}

func (a *App) pushZones(ctx context.Context, cameraID string) (pushResult, error) {
	return pushResult{}, errors.New("not yet")
}
