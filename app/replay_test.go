package app

import (
	"context"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/ui"
)

// replayStartSlack is how late, after the replay is open, its footage may
// start moving: the first frame is ready when replayOf returns, but mpv
// unpauses and refills its cache from the open segment over loopback on a
// loaded 2-core machine.
const replayStartSlack = 500 * time.Millisecond

// replayReloadSlack is what one reload of the player's window may add to
// the distance behind live: the player loads a window in 0.35 to 0.6 s
// on the reference machine (player/playback.go), doubled for the race
// detector and a loaded machine.
const replayReloadSlack = 1500 * time.Millisecond

// TestInstantReplayOfTheOpenSegment records a camsim camera into 60 s
// segments, has camsim mark the frame due 25 s before it asks for a 30 s
// instant replay, and plays that replay while the segment is still being
// written. The marker must show 5 s into the replay (within
// replayStartSlack plus one frame), at the position camsim captured it,
// and the tile must say it is 30 s behind live. Then the replay plays on
// past the end of what the segment held when it opened, across the
// segment's close: a second marker shows 30 s behind live as well.
func TestInstantReplayOfTheOpenSegment(t *testing.T) {
	if testing.Short() {
		t.Skip("records for 75 s; runs without -short, as in make test")
	}
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	cam := sim.Cameras()[0]
	ids, _ := recordSim(t, a, sim, 1, time.Minute)
	id := ids[0]
	time.Sleep(10 * time.Second)
	sent := markAll(t, []*camsim.Camera{cam}, time.Now().Add(200*time.Millisecond))[0]
	time.Sleep(time.Until(sent.Add(25 * time.Second)))
	if rows := segmentsOf(t, a, id); len(rows) != 1 || !rows[0].Start.Before(sent.Add(-5*time.Second)) {
		t.Fatalf("want one open segment holding the last 30 s, got %+v", rows)
	}

	before := time.Now()
	src, closeReplay, err := a.replayOf(id)(context.Background(), 30*time.Second)
	if err != nil {
		t.Fatalf("instant replay: %v", err)
	}
	opened := time.Now()
	defer closeReplay()
	t.Logf("replay opened in %v", opened.Sub(before).Round(time.Millisecond))
	// The replay starts at 30 s before the call (sometime in [before,
	// opened]) and plays from when it is open.
	from := before.Add(-30 * time.Second)
	due := opened.Add(sent.Sub(from))
	shown, pos, behind := replayMarker(t, src, 15*time.Second)
	if shown.IsZero() {
		t.Fatalf("the replay never showed camsim's marker of %s (due %v into the replay)", sent.Format("15:04:05.000"), sent.Sub(from).Round(time.Millisecond))
	}
	t.Logf("marker captured %s shown %v into the replay (due %v), at position %s, %v behind live",
		sent.Format("15:04:05.000"), shown.Sub(opened).Round(time.Millisecond), sent.Sub(from).Round(time.Millisecond),
		pos.Format("15:04:05.000"), behind.Round(time.Millisecond))
	if d := shown.Sub(due); d < -(opened.Sub(before)+frameLen) || d > replayStartSlack+frameLen {
		t.Errorf("the marker showed %v from when it was due %v into the replay; the footage shown is not from 30 s ago", d.Round(time.Millisecond), sent.Sub(from).Round(time.Millisecond))
	}
	if d := pos.Sub(sent).Abs(); d > 2*frameLen {
		t.Errorf("the replay's position with the marker on screen is %s, camsim captured it at %s: the map to wall time is off by %v", pos.Format("15:04:05.000"), sent.Format("15:04:05.000"), d)
	}
	if d := behind - 30*time.Second; d < -time.Second || d > time.Second+replayStartSlack {
		t.Errorf("opened in %v, the replay is %v behind live, want 30 s (within 1 s and the start slack)", opened.Sub(before).Round(time.Millisecond), behind.Round(time.Millisecond))
	}

	// On past what the open segment held when the replay opened: at its
	// end the player asks again, and by then the segment has closed at
	// 60 s and the next one is open. A marker set now shows 30 s later,
	// behind live by as much as the first.
	sent2 := markAll(t, []*camsim.Camera{cam}, time.Now().Add(2*time.Second))[0]
	shown2, pos2, behind2 := replayMarker(t, src, 45*time.Second)
	if shown2.IsZero() {
		t.Fatalf("the replay never showed camsim's second marker of %s, past the end of the segment as it was when the replay opened", sent2.Format("15:04:05.000"))
	}
	due2 := opened.Add(sent2.Sub(from))
	t.Logf("second marker captured %s shown %v into the replay (due %v), at position %s, %v behind live; segments now %d",
		sent2.Format("15:04:05.000"), shown2.Sub(opened).Round(time.Millisecond), sent2.Sub(from).Round(time.Millisecond),
		pos2.Format("15:04:05.000"), behind2.Round(time.Millisecond), len(segmentsOf(t, a, id)))
	if d := shown2.Sub(due2); d < -(opened.Sub(before)+frameLen) || d > replayStartSlack+replayReloadSlack+frameLen {
		t.Errorf("the second marker showed %v from when it was due; past the first window the replay is not 30 s behind", d.Round(time.Millisecond))
	}
	if d := pos2.Sub(sent2).Abs(); d > 2*frameLen {
		t.Errorf("with the second marker on screen the replay's position is %s, camsim captured it at %s: off by %v", pos2.Format("15:04:05.000"), sent2.Format("15:04:05.000"), d)
	}
	if d := behind2 - 30*time.Second; d < -time.Second || d > time.Second+replayStartSlack+replayReloadSlack {
		t.Errorf("past the first window the replay is %v behind live, want 30 s (within 1 s, the start slack and one reload)", behind2.Round(time.Millisecond))
	}
}

// replayMarker renders each new frame of a replay tile until camsim's
// marker shows, and returns when, the tile's position then and how far
// behind live it said it was.
func replayMarker(t *testing.T, src ui.LiveSource, within time.Duration) (shown, pos time.Time, behind time.Duration) {
	t.Helper()
	rt, ok := src.(replayTile)
	if !ok {
		t.Fatalf("the replay source is a %T, not a replay tile", src)
	}
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if !src.NewFrame() {
			time.Sleep(time.Millisecond)
			continue
		}
		now := time.Now()
		img := newTile()
		if err := src.Render(img, tileRect); err != nil {
			t.Fatalf("render the replay: %v", err)
		}
		if markerWhite(img, tileRect) {
			return now, rt.p.Status().Position, rt.Behind()
		}
	}
	return time.Time{}, time.Time{}, 0
}
