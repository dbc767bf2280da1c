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

type maskSupport struct {
	Supported           bool
	MaxMasks, MaxPoints int
	RectangleOnly       bool
	Pixelate            bool
	Reason              string
}

func (a *App) maskSupport(ctx context.Context, cameraID string) (maskSupport, error) {
	return maskSupport{Reason: "not yet"}, nil
}
