package recording

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"nightjar/assets"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
)

type fixture struct {
	dir   string
	db    *catalog.DB
	ring  *secrets.Store
	store *Store
	now   time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx := &fixture{dir: dir, db: db, ring: &secrets.Store{Backend: &secrets.Memory{}}, now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	fx.store = &Store{Dir: filepath.Join(dir, "recordings"), DB: db, Keys: NewKeys(fx.ring, "mk", db),
		Now: func() time.Time { return fx.now }}
	return fx
}

// clipFrames returns the access units of an embedded camsim clip.
func clipFrames(t testing.TB, name string) (params [][]byte, aus [][][]byte) {
	t.Helper()
	b, err := assets.CamsimClips.ReadFile("camsim/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var cur [][]byte
	hasSlice := false
	flush := func() {
		if len(cur) > 0 {
			aus = append(aus, cur)
		}
		cur, hasSlice = nil, false
	}
	for _, n := range bytes.Split(b, []byte{0, 0, 1}) {
		n = bytes.TrimSuffix(n, []byte{0})
		if len(n) < 2 {
			continue
		}
		switch n[0] & 0x1F {
		case 7:
			flush()
			if len(params) == 0 {
				params = append(params, n)
			}
			continue
		case 8:
			if len(params) == 1 {
				params = append(params, n)
			}
			continue
		case 1, 5:
			if hasSlice && n[1]&0x80 != 0 {
				flush()
			}
			hasSlice = true
		default:
			continue
		}
		cur = append(cur, n)
	}
	flush()
	return params, aus
}

// feed sends d of the 15 fps sub clip to r, arriving in real-time order
// from start.
func feed(t testing.TB, r *Recorder, start time.Time, from, d time.Duration) {
	t.Helper()
	params, aus := clipFrames(t, "sub-view0.h264")
	r.mu.Lock()
	started := r.tracks != nil
	r.mu.Unlock()
	if !started {
		r.Start([]Track{{Codec: CodecH264, Params: params, Width: 640, Height: 360}})
	}
	step := time.Second / 15
	for i := int(from / step); i < int((from+d)/step); i++ {
		pts := time.Duration(i) * step
		r.WriteFrame(Frame{Track: 0, PTS: pts, AU: aus[i%len(aus)], Arrived: start.Add(pts)})
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SegmentFilterAll matches every segment.
func SegmentFilterAll() catalog.SegmentFilter { return catalog.SegmentFilter{} }

// segments returns the catalogue rows f matches, failing t when the
// catalogue cannot be read.
func segments(t testing.TB, db *catalog.DB, f catalog.SegmentFilter) []catalog.Segment {
	t.Helper()
	rows, err := db.Segments(f)
	if err != nil {
		t.Fatalf("list segments %+v: %v", f, err)
	}
	return rows
}

// writeFile writes b to path, failing t when it cannot.
func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// identity returns the day's age identity, failing t when there is none.
func identity(t testing.TB, fx *fixture, day string) *age.X25519Identity {
	t.Helper()
	id, err := fx.store.Keys.Identity(context.Background(), day)
	if err != nil {
		t.Fatalf("identity of %s: %v", day, err)
	}
	return id
}

// check fails t when err is not nil.
func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
