package app

import (
	"context"
	"image"

	"nightjar/internal/uithread"
	"nightjar/ui"
)

// guiStreams hands the wall its streams with every call that can block
// noted by the UI-goroutine checker (internal/uithread): the players'
// stats (mpv property reads), snapshots (network and mpv), the recorders'
// lock and opening a main stream. The checks sit in these adapters so that
// player, devices and storage know nothing of the UI. In a release build
// each is one atomic load.
func guiStreams(in []ui.LiveStream) []ui.LiveStream {
	out := make([]ui.LiveStream, len(in))
	for i, s := range in {
		s.Source = checkedSource(s.Source)
		if f := s.Snapshot; f != nil {
			s.Snapshot = func(ctx context.Context) (string, error) {
				uithread.Check("network and mpv: snapshot")
				return f(ctx)
			}
		}
		if f := s.Recording; f != nil {
			s.Recording = func() bool {
				uithread.Check("recorders: recording")
				return f()
			}
		}
		if f := s.ToggleRecord; f != nil {
			s.ToggleRecord = func(ctx context.Context) (bool, error) {
				uithread.Check("recorders: toggle manual recording")
				return f(ctx)
			}
		}
		if f := s.OpenMain; f != nil {
			s.OpenMain = func() (ui.LiveSource, func()) {
				uithread.Check("mpv: open the main stream")
				src, closeFn := f()
				return checkedSource(src), closeFn
			}
		}
		out[i] = s
	}
	return out
}

// checkedLive notes stats reads on the UI goroutine.
type checkedLive struct{ ui.LiveSource }

func (c checkedLive) Stats() ui.TileStats {
	uithread.Check("mpv: stats")
	return c.LiveSource.Stats()
}

// bgrRenderer is a source that draws in X11's byte order itself (the
// wall looks for it).
type bgrRenderer interface {
	RenderBGR(dst *image.RGBA, r image.Rectangle) error
}

// checkedLiveBGR keeps a source's RenderBGR visible through the wrapper.
type checkedLiveBGR struct {
	checkedLive
	bgr bgrRenderer
}

func (c checkedLiveBGR) RenderBGR(dst *image.RGBA, r image.Rectangle) error {
	return c.bgr.RenderBGR(dst, r)
}

func checkedSource(src ui.LiveSource) ui.LiveSource {
	if b, ok := src.(bgrRenderer); ok {
		return checkedLiveBGR{checkedLive{src}, b}
	}
	return checkedLive{src}
}
