package player

import (
	"net/url"
	"testing"
	"time"
)

// TestPlaybackGrowingPieceSeeksWithoutReload seeks twice in a run whose
// last piece grows at every ask, as the open segment of an instant
// replay does: the second seek lands inside what mpv loaded first, so
// it shows its frame without loading the window again (no new request
// to the footage server; each load of a growing piece fetched it anew).
func TestPlaybackGrowingPieceSeeksWithoutReload(t *testing.T) {
	fs := newFootageServer(t)
	full := fs.piece(t, 0, pieceFrames)
	first := full
	first.Length = 4 * time.Second
	src := &fakeSource{runs: [][]Piece{{first}}}
	src.grow = func(runs [][]Piece, _ time.Time) {
		// a second more flushed at each ask
		runs[0][0].Length = min(full.Length, runs[0][0].Length+time.Second)
	}
	u, err := url.Parse(full.URL)
	if err != nil {
		t.Fatal(err)
	}
	hits := func() int {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		return fs.hits[u.Path]
	}
	p := newTestPlayback(t, src)
	at1 := first.Start.Add(3 * time.Second)
	mustSeek(t, p, at1)
	if got, want := shownFrame(t, p), frameAt(at1); got != want {
		t.Fatalf("first seek shows frame %d, want %d", got, want)
	}
	loaded := hits()
	at2 := first.Start.Add(time.Second)
	mustSeek(t, p, at2)
	if got, want := shownFrame(t, p), frameAt(at2); got != want {
		t.Fatalf("second seek shows frame %d, want %d", got, want)
	}
	if n := hits() - loaded; n != 0 {
		t.Errorf("a seek inside the loaded part of a piece that only grew made %d new requests for it; it reloaded the window", n)
	}
}
