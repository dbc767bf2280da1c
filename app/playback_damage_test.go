package app

import (
	"context"
	"os"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
	"nightjar/storage/timeline"
)

// TestPlaybackSkipsADamagedSegment records a camsim camera into 4 s
// segments while camsim marks one frame in each of the first three, then
// flips a byte in the middle one's file (the catalogue still calls it
// closed) and plays the three through in a playback session. The tile
// must show the first and third markers and never the middle one, and
// play on past the damaged segment; afterwards the catalogue row is
// marked damaged and the timeline lists it in Damaged.
func TestPlaybackSkipsADamagedSegment(t *testing.T) {
	if testing.Short() {
		t.Skip("records for 14 s and plays for 12 s; runs without -short, as in make test")
	}
	a := requireKeyring(t)
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	cam := sim.Cameras()[0]
	ids, stop := recordSim(t, a, sim, 1, 4*time.Second)
	id := ids[0]
	t0 := segmentsOf(t, a, id)[0].Start
	var sent []time.Time
	for _, off := range []time.Duration{2 * time.Second, 6 * time.Second, 10 * time.Second} {
		sent = append(sent, markAll(t, []*camsim.Camera{cam}, t0.Add(off))[0])
	}
	time.Sleep(time.Until(t0.Add(14 * time.Second)))
	stop()

	rows := segmentsOf(t, a, id)
	if len(rows) < 3 {
		t.Fatalf("want at least 3 segments of 4 s in 14 s, got %d", len(rows))
	}
	for i, at := range sent {
		if at.Before(rows[i].Start) || !at.Before(rows[i].End()) {
			t.Fatalf("camsim's marker %d at %s is not in segment %d (%s to %s)", i, at.Format("15:04:05.000"), i, rows[i].Start.Format("15:04:05.000"), rows[i].End().Format("15:04:05.000"))
		}
	}
	bad := rows[1]
	if bad.State != catalog.SegmentClosed {
		t.Fatalf("the middle segment is %s before the test damages it", bad.State)
	}
	flipByte(t, a.recordingStore().Path(bad))

	s, err := a.openPlaybackSession([]string{id})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.group.Seek(ctx, sent[0].Add(-time.Second)); err != nil {
		t.Fatalf("seek before the first marker: %v", err)
	}
	s.SetPaused(false)

	// Play until well past the third marker, noting every marker shown
	// and every position.
	tile := s.Tiles()[0]
	var shown []time.Time // positions at which the marker was on screen
	var inBad []time.Time // positions reported inside the damaged segment
	var last time.Time
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && last.Before(sent[2].Add(time.Second)) {
		st := s.TileStatus(0)
		if !st.NoFootage && !st.Position.IsZero() {
			last = st.Position
			if !st.Position.Before(bad.Start) && st.Position.Before(bad.End()) {
				inBad = append(inBad, st.Position)
			}
		}
		if !tile.NewFrame() {
			time.Sleep(2 * time.Millisecond)
			continue
		}
		img := newTile()
		if err := tile.Render(img, tileRect); err != nil {
			t.Fatalf("render: %v", err)
		}
		if markerWhite(img, tileRect) {
			shown = append(shown, s.TileStatus(0).Position)
		}
	}
	t.Logf("played to %s; marker shown at positions %v; positions inside the damaged segment: %d", last.Format("15:04:05.000"), shown, len(inBad))
	near := func(at time.Time) bool {
		for _, p := range shown {
			if p.Sub(at).Abs() <= 500*time.Millisecond {
				return true
			}
		}
		return false
	}
	if !near(sent[0]) {
		t.Errorf("the segment before the damaged one did not play: its marker at %s was not shown", sent[0].Format("15:04:05.000"))
	}
	if !near(sent[2]) {
		t.Errorf("the segment after the damaged one did not play: its marker at %s was not shown (played to %s)", sent[2].Format("15:04:05.000"), last.Format("15:04:05.000"))
	}
	if len(shown) > 0 && near(sent[1]) || len(shown) > 2 {
		t.Errorf("the damaged segment's footage was shown: markers at %v", shown)
	}
	if len(inBad) > 0 {
		t.Errorf("the player reported %d positions inside the damaged segment (%s to %s), first %s", len(inBad), bad.Start.Format("15:04:05.000"), bad.End().Format("15:04:05.000"), inBad[0].Format("15:04:05.000"))
	}

	// The damage is visible: the row is marked, the timeline lists it.
	for _, r := range segmentsOf(t, a, id) {
		if r.Start.Equal(bad.Start) && (r.State != catalog.SegmentDamaged || r.Problem == "") {
			t.Errorf("after playing over it, the damaged segment's row is %q (problem %q), want damaged with the reason", r.State, r.Problem)
		}
	}
	tl, err := timeline.Build(a.DB, id, t0.Add(-time.Minute), t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Damaged) != 1 || !tl.Damaged[0].From.Equal(bad.Start) || !tl.Damaged[0].To.Equal(bad.End()) {
		t.Errorf("the timeline's damaged spans are %+v, want the one segment %s to %s", tl.Damaged, bad.Start, bad.End())
	}
}

// flipByte inverts one byte in the middle of a file.
func flipByte(t *testing.T, path string) {
	t.Helper()
	b := readFile(t, path)
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
