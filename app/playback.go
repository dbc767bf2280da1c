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
	"nightjar/storage/recording"
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
			Store: damageMarker{a}, DB: a.DB, Log: a.Log.With("component", "footage"),
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
	for tries := 0; ok && tries < maxDamageRebuilds; tries++ {
		// A file damaged since it was catalogued is found here, before mpv
		// gets it: one piece that does not open fails the whole edl://
		// timeline. It is marked in the catalogue and the run rebuilt
		// without it.
		marked, err := s.a.checkRunNear(ctx, run, at)
		if err != nil {
			return nil, time.Time{}, false, err
		}
		if !marked {
			break
		}
		if tl, err = s.a.timelineOf(s.camera, at.Add(-runLookaround), at.Add(runLookaround)); err != nil {
			return nil, time.Time{}, false, err
		}
		run, ok = tl.RunAt(at)
	}
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

// maxDamageRebuilds bounds how often one Run rebuilds its run after
// marking segments damaged.
const maxDamageRebuilds = 4

// checkedAround is how many segments of a run, from the one before at,
// are checked before the run is handed to the player: as many as it
// loads at once (its window of 16), and one more. The player asks again
// at the end of its window, which checks the next ones.
const checkedAround = 18

// checkRunNear opens the finished segments of run from the one before at
// on (OpenPlain checks the size and SHA-256 of each, once per file
// state) and marks those that fail damaged. It reports whether it marked
// any.
func (a *App) checkRunNear(ctx context.Context, run timeline.Run, at time.Time) (bool, error) {
	first := 0
	for i, seg := range run.Segments {
		if !seg.Start.After(at) {
			first = max(0, i-1)
		}
	}
	marked := false
	for _, seg := range run.Segments[first:min(len(run.Segments), first+checkedAround)] {
		if seg.State != catalog.SegmentClosed && seg.State != catalog.SegmentRecovered {
			continue
		}
		p, err := a.recordingStore().OpenPlain(ctx, seg)
		if err == nil {
			p.Close()
			continue
		}
		var d *recording.DamageError
		if !errors.As(err, &d) {
			return false, err
		}
		if err := a.markDamaged(seg, d.Reason); err != nil {
			return false, err
		}
		marked = true
	}
	return marked, nil
}

// markDamaged records in the catalogue that a segment failed its check,
// so the timeline shows it as damaged and playback skips it.
func (a *App) markDamaged(seg catalog.Segment, reason string) error {
	if seg.State == catalog.SegmentDamaged {
		return nil
	}
	a.Log.Warn("segment damaged; it is skipped in playback", "camera", seg.CameraID, "file", seg.File, "problem", reason)
	seg.State, seg.Problem = catalog.SegmentDamaged, reason
	if err := a.DB.PutSegment(seg); err != nil {
		return fmt.Errorf("mark %s damaged: %w", seg.File, err)
	}
	return nil
}

// damageMarker is the footage server's view of the store: a segment that
// fails its check when served (damaged after the player was given it)
// is marked damaged too, so the next look at the timeline shows it.
type damageMarker struct{ a *App }

func (m damageMarker) OpenPlain(ctx context.Context, row catalog.Segment) (*recording.Plain, error) {
	p, err := m.a.recordingStore().OpenPlain(ctx, row)
	var d *recording.DamageError
	if errors.As(err, &d) && row.State != catalog.SegmentOpen {
		if merr := m.a.markDamaged(row, d.Reason); merr != nil {
			m.a.Log.Error("mark a damaged segment", "err", merr)
		}
	}
	return p, err
}
