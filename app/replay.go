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

// replayCatchUp is how much later than asked an opened replay may start
// before it seeks on to the moment asked for.
const replayCatchUp = 200 * time.Millisecond

// replayOf returns the live wall's instant replay for a camera: a player
// of its recorded footage from ago before now, the open segment included.
func (a *App) replayOf(cameraID string) func(ctx context.Context, ago time.Duration) (ui.LiveSource, func(), error) {
	return func(ctx context.Context, ago time.Duration) (ui.LiveSource, func(), error) {
		src, err := a.cameraSource(cameraID)
		if err != nil {
			return nil, nil, err
		}
		// The replay shows on the live wall: every zone, never lifted.
		p, err := player.NewPlayback(player.PlaybackOptions{Source: src, Log: a.Log.With("component", "replay", "camera", cameraID),
			Mask: a.masks().live(cameraID)})
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
		// Loading took a while (a second or more with the open segment on
		// a loaded machine): seek on to ago before now, inside what is
		// loaded, so the replay is ago behind live and not that plus the
		// load.
		if late := time.Now().Add(-ago); late.Sub(at) > replayCatchUp {
			if err := p.Seek(ctx, late); err != nil {
				p.Close()
				return nil, nil, err
			}
			at = late
		}
		p.SetPaused(false)
		a.Log.Info("instant replay", "camera", cameraID, "from", at)
		detach := a.masks().attach(cameraID, p, false)
		return replayTile{playbackTile{p}}, func() { detach(); p.Close() }, nil
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
