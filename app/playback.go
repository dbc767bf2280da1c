package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"nightjar/player"
	"nightjar/storage/catalog"
	"nightjar/storage/footage"
	"nightjar/storage/timeline"
)

// runLookaround is how far around the playhead a Source looks for the run
// that holds it. A run longer than this is cut at its edges and asked for
// again when the player reaches an edge.
const runLookaround = 2 * time.Hour

// nextLookahead bounds the search for the next footage after a gap.
const nextLookahead = 40 * 24 * time.Hour

// playbackState is the footage server of this process, started on first
// use and closed with the app.
type playbackState struct {
	once sync.Once
	srv  *footage.Server
	err  error
}

// footageServer starts the loopback server of decrypted footage once.
func (a *App) footageServer() (*footage.Server, error) {
	a.playback.once.Do(func() {
		srv, err := footage.Start(context.Background(), footage.Config{
			Store: a.recordingStore(), DB: a.DB, Log: a.Log.With("component", "footage"),
		})
		if err != nil {
			a.playback.err = fmt.Errorf("start the footage server: %w", err)
			return
		}
		a.playback.srv = srv
		a.onClose("footage server", srv.Close)
	})
	return a.playback.srv, a.playback.err
}

// timelineOf builds a camera's timeline over [from, to).
func (a *App) timelineOf(cameraID string, from, to time.Time) (timeline.Timeline, error) {
	return timeline.Build(a.DB, cameraID, from, to)
}

// cameraSource is player.Source for one camera: the runs of its timeline,
// as pieces served by the footage server.
type cameraSource struct {
	a      *App
	camera string
	srv    *footage.Server
}

func (a *App) cameraSource(cameraID string) (*cameraSource, error) {
	srv, err := a.footageServer()
	if err != nil {
		return nil, err
	}
	return &cameraSource{a: a, camera: cameraID, srv: srv}, nil
}

// Run implements player.Source.
func (s *cameraSource) Run(ctx context.Context, at time.Time) ([]player.Piece, time.Time, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, time.Time{}, false, err
	}
	tl, err := s.a.timelineOf(s.camera, at.Add(-runLookaround), at.Add(runLookaround))
	if err != nil {
		return nil, time.Time{}, false, err
	}
	run, ok := tl.RunAt(at)
	if !ok {
		next, found := tl.NextFootage(at)
		if !found {
			far, err := s.a.timelineOf(s.camera, at, at.Add(nextLookahead))
			if err != nil {
				return nil, time.Time{}, false, err
			}
			next, _ = far.NextFootage(at)
		}
		return nil, next, false, nil
	}
	pieces := make([]player.Piece, 0, len(run.Segments))
	for _, seg := range run.Segments {
		length := seg.Duration
		if seg.State == catalog.SegmentOpen {
			// A segment being written: as long as what it holds now.
			p, err := s.a.recordingStore().OpenPlain(ctx, seg)
			if err != nil {
				break // the run ends before it; asked again at its end
			}
			length = p.Duration
			p.Close()
		}
		if length <= 0 {
			continue
		}
		pieces = append(pieces, player.Piece{URL: s.srv.URL(seg), Start: seg.Start, Length: length})
	}
	if len(pieces) == 0 {
		return nil, time.Time{}, false, errors.New("the footage here cannot be played")
	}
	return pieces, time.Time{}, true, nil
}
