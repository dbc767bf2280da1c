package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tileTexts are the words over one stream's tile. The UI goroutine owns
// them; the renderer copies them into its canvas texts.
type tileTexts struct {
	badge string // connection state: "connecting…", "offline · …"
	rec   string // "● REC" while the camera records
	stats string // the stats line, when shown
	warn  string // "⚠ factory password"
	// replay is the instant replay's badge: "REPLAY −00:30", "Opening
	// replay…" or, for a while, why a replay failed.
	replay string
}

// toastState is the message shown over the wall for a few seconds.
type toastState struct {
	msg   string
	on    bool
	seq   int
	timer *time.Timer // hides it; stopped when the wall closes
}

// toastFor is how long a toast stays.
const toastFor = 5 * time.Second

// badgeText is what a tile says about its connection.
func badgeText(st TileState, since time.Time, now time.Time) string {
	switch st {
	case TileConnecting:
		return "connecting…"
	case TileReconnecting:
		d := now.Sub(since)
		if d >= offlineAfter {
			return "offline · last seen " + since.Format("15:04:05")
		}
		return fmt.Sprintf("reconnecting… %ds", int(d.Seconds()))
	}
	return ""
}

// overlaySample is what the tiles' texts are made from, read off the UI
// goroutine: each player's state, whether its camera records (the
// recorders' lock) and, with the stats lines on, the shown player's
// figures (several mpv property reads each).
type overlaySample struct {
	at    time.Time
	tiles []tileSample
}

type tileSample struct {
	state    TileState
	since    time.Time
	rec      bool
	stats    TileStats
	hasStats bool
	// replay is the stream's replay when it has one, replayOn whether the
	// tile shows it yet and behind how far it is behind live.
	replay   *replayTile
	replayOn bool
	behind   time.Duration
	status   string // WallConfig.TileStatus's text
}

// sampleOverlays reads the figures for the overlays. It may block, so it
// runs on the pump's goroutine or through runAsync, never on the UI
// goroutine.
func (w *Wall) sampleOverlays(withStats bool) overlaySample {
	s := overlaySample{at: time.Now(), tiles: make([]tileSample, len(w.streams))}
	for i, st := range w.streams {
		t := &s.tiles[i]
		t.replay, t.replayOn = w.comp.replayOf(i)
		if t.replayOn {
			t.state, t.since = t.replay.State()
			t.behind = t.replay.behind()
		} else {
			t.state, t.since = st.Source.State()
		}
		t.rec = !w.playback && st.Recording != nil && st.Recording()
		if w.tileStatus != nil {
			t.status = w.tileStatus(i)
		}
		if withStats {
			src := w.comp.shownSource(i)
			if src == nil {
				src = st.Source
			}
			t.stats, t.hasStats = src.Stats(), true
		}
	}
	return s
}

// applyOverlays sets the badges, REC marks and stats lines from s. It
// repaints only when a text changed: on software GL every repaint redraws
// the whole window. UI goroutine.
func (w *Wall) applyOverlays(s overlaySample) {
	changed := false
	set := func(t *string, v string) {
		if *t != v {
			*t = v
			changed = true
		}
	}
	for i, ts := range s.tiles {
		tt := &w.texts[i]
		switch {
		case ts.status != "":
			set(&tt.badge, ts.status)
		case w.playback:
			set(&tt.badge, "")
		default:
			set(&tt.badge, badgeText(ts.state, ts.since, s.at))
		}
		if w.comp.setPanel(i, ts.status != "") {
			w.pump.dirty.Store(true)
		}
		set(&tt.replay, w.replayText(i, ts))
		rec := ""
		if ts.rec {
			rec = "● REC"
		}
		set(&tt.rec, rec)
		switch {
		case !w.showStats:
			set(&tt.stats, "")
		case ts.hasStats:
			set(&tt.stats, statsLine(ts.stats))
		}
	}
	if changed {
		w.overlaysChanged()
	}
}

// updateOverlays brings the overlays up to date now, reading the figures
// off the UI goroutine.
func (w *Wall) updateOverlays() {
	withStats := w.showStats
	runAsync(5*time.Second, func(context.Context) (overlaySample, error) {
		return w.sampleOverlays(withStats), nil
	}, func(s overlaySample, _ error) { w.applyOverlays(s) })
}

// statsLine is a tile's stats line.
func statsLine(ts TileStats) string {
	return fmt.Sprintf("%dx%d %s %.0f fps %.0f kbit/s ~%.0f ms", ts.Width, ts.Height, shortCodec(ts.Codec), ts.FPS, ts.BitrateKbps, ts.LatencyMs)
}

// shortCodec turns mpv's "h264 (H.264 / AVC / …)" into "h264".
func shortCodec(c string) string {
	if i := strings.IndexByte(c, ' '); i > 0 {
		return c[:i]
	}
	return c
}

// ToggleStats shows or hides every tile's stats line.
func (w *Wall) ToggleStats() {
	w.showStats = !w.showStats
	w.statsOn.Store(w.showStats)
	w.updateOverlays()
}

// Toast shows msg over the wall for a few seconds.
func (w *Wall) Toast(msg string) {
	w.toast.seq++
	seq := w.toast.seq
	w.toast.msg, w.toast.on = msg, true
	w.overlaysChanged()
	if w.toast.timer != nil {
		w.toast.timer.Stop()
	}
	w.toast.timer = time.AfterFunc(toastFor, func() {
		select {
		case <-w.stop:
			return // the wall is gone
		default:
		}
		toUI(func() {
			if w.toast.seq == seq {
				w.toast.on = false
				w.overlaysChanged()
			}
		})
	})
}

// ToastText is the message on show, or "".
func (w *Wall) ToastText() string {
	if !w.toast.on {
		return ""
	}
	return w.toast.msg
}

// SnapshotSelected saves a snapshot of the selected camera and says where.
func (w *Wall) SnapshotSelected() {
	sel := w.model.selected
	if sel < 0 || sel >= len(w.streams) || w.streams[sel].Snapshot == nil {
		return
	}
	s := w.streams[sel]
	w.Toast("Saving a snapshot of " + s.Name + "…")
	runAsync(20*time.Second, s.Snapshot, func(path string, err error) {
		if err != nil {
			w.Toast("Snapshot of " + s.Name + " failed: " + err.Error() + ". Test the camera on the Cameras page and check the disk has room, then press S again.")
			return
		}
		w.Toast("Snapshot saved: " + path)
	})
}

// ToggleRecordSelected starts or stops manual recording of the selected
// camera.
func (w *Wall) ToggleRecordSelected() {
	sel := w.model.selected
	if w.playback || sel < 0 || sel >= len(w.streams) || w.streams[sel].ToggleRecord == nil {
		return
	}
	s := w.streams[sel]
	runAsync(15*time.Second, s.ToggleRecord, func(on bool, err error) {
		switch {
		case err != nil:
			w.Toast("Recording " + s.Name + " failed: " + err.Error() + ". See the storage line on the Settings page and test the camera on the Cameras page, then press R again.")
		case on:
			w.Toast("Recording " + s.Name + " (R stops)")
		default:
			w.Toast("Stopped recording " + s.Name)
		}
		if err == nil {
			w.texts[sel].rec = map[bool]string{true: "● REC"}[on]
			w.overlaysChanged()
		}
		w.updateOverlays()
	})
}

// RecordText is what a stream's tile shows about recording, for tests.
func (w *Wall) RecordText(stream int) string { return w.texts[stream].rec }

// fitText is s, or as much of it as fits in width followed by "…".
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if size <= 0 {
		size = theme.TextSize()
	}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return string(runes[:lo]) + "…"
}
