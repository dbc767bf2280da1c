package app

import (
	"context"
	"fmt"
	"time"

	"nightjar/player"
	"nightjar/ui"
)

// replayTimeout bounds opening an instant replay.
const replayTimeout = 10 * time.Second

// replayOf returns the live wall's instant replay for a camera: a player
// of its recorded footage from ago before now, the open segment included.
func (a *App) replayOf(cameraID string) func(ctx context.Context, ago time.Duration) (ui.LiveSource, func(), error) {
	return func(ctx context.Context, ago time.Duration) (ui.LiveSource, func(), error) {
		src, err := a.cameraSource(cameraID)
		if err != nil {
			return nil, nil, err
		}
		p, err := player.NewPlayback(player.PlaybackOptions{Source: src, Log: a.Log.With("component", "replay", "camera", cameraID)})
		if err != nil {
			return nil, nil, fmt.Errorf("start a replay player: %w", err)
		}
		ctx, cancel := context.WithTimeout(ctx, replayTimeout)
		defer cancel()
		at := time.Now().Add(-ago)
		if err := p.Seek(ctx, at); err != nil {
			p.Close()
			return nil, nil, err
		}
		if st := p.Status(); st.NoFootage {
			p.Close()
			return nil, nil, fmt.Errorf("no footage in the last %s", ago.Round(time.Second))
		}
		p.SetPaused(false)
		a.Log.Info("instant replay", "camera", cameraID, "from", at)
		return replayTile{playbackTile{p}}, p.Close, nil
	}
}

// replayTile is a playback tile that says how far behind live it is.
type replayTile struct{ playbackTile }

// Behind implements ui.ReplaySource.
func (t replayTile) Behind() time.Duration {
	pos := t.p.Status().Position
	if pos.IsZero() {
		return 0
	}
	return time.Since(pos)
}
