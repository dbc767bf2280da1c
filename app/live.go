package app

import (
	"context"
	"errors"
	"net/url"
	"time"

	"nightjar/player"
	"nightjar/storage/secrets"
	"nightjar/ui"
)

// maxWallTiles is the largest wall layout, 4×4.
const maxWallTiles = 16

// openLiveStreams starts a live player on the sub stream of each of the
// first cameras, with credentials injected at connect time: the demo's
// known ones, or the password from the keyring. It runs before the window
// opens, so no keyring call blocks the UI.
func (a *App) openLiveStreams(ctx context.Context) []ui.LiveStream {
	cams, err := a.DB.Cameras()
	if err != nil {
		a.Log.Error("list cameras for the wall", "err", err)
		return nil
	}
	var out []ui.LiveStream
	for _, c := range cams {
		if len(out) == maxWallTiles {
			break
		}
		uri := c.SubURI
		if uri == "" {
			uri = c.MainURI
		}
		u, err := url.Parse(uri)
		if err != nil || uri == "" {
			a.Log.Warn("camera has no usable stream URI", "camera", c.ID)
			continue
		}
		if c.Username != "" {
			pass, err := a.cameraPassword(ctx, c.ID)
			if err != nil {
				a.Log.Warn("no password for camera", "camera", c.ID, "err", err)
			}
			u.User = url.UserPassword(c.Username, pass)
		}
		l, err := player.NewLive(player.LiveOptions{URL: u.String(), Log: a.Log.With("component", "live", "camera", c.ID)})
		if err != nil {
			a.Log.Error("start live player", "camera", c.ID, "err", err)
			continue
		}
		a.onClose("live "+c.ID, func() error { l.Close(); return nil })
		out = append(out, ui.LiveStream{Name: c.Name, Source: l})
	}
	return out
}

// cameraPassword returns a camera's password: the simulator's in demo
// mode, otherwise the keyring entry under the camera's id.
func (a *App) cameraPassword(ctx context.Context, id string) (string, error) {
	if pass, ok := a.demoPassword(id); ok {
		return pass, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	pass, err := a.Secrets.Get(ctx, keyringKey(id))
	if errors.Is(err, secrets.ErrNotFound) {
		return "", nil
	}
	return pass, err
}

// demoPassword returns a demo camera's password, kept in memory only so a
// demo never writes into the user's keyring.
func (a *App) demoPassword(id string) (string, bool) {
	a.demoMu.Lock()
	defer a.demoMu.Unlock()
	p, ok := a.demoPass[id]
	return p, ok
}
