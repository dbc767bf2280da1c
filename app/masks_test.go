package app

import (
	"context"
	"errors"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"nightjar/internal/zones"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
)

// fakeCameras is the hub's catalogue: cameras by id.
type fakeCameras map[string]catalog.Camera

func (f fakeCameras) Camera(id string) (catalog.Camera, error) {
	c, ok := f[id]
	if !ok {
		return catalog.Camera{}, catalog.ErrNotFound
	}
	return c, nil
}

// maskSink records the masks a player is handed.
type maskSink struct {
	mu sync.Mutex
	m  *zones.Mask
}

func (s *maskSink) SetMask(m *zones.Mask) { s.mu.Lock(); s.m = m; s.mu.Unlock() }
func (s *maskSink) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, z := range s.m.Zones() {
		out = append(out, z.Name)
	}
	return out
}

func twoZoneCamera() fakeCameras {
	return fakeCameras{"cam1": {ID: "cam1", Zones: []zones.Zone{
		{ID: "z1", Name: "street", Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(0, 0, 0.5, 0.5)},
		{ID: "z2", Name: "till", Kind: zones.Liftable, Fill: zones.Fill{Block: 16}, Points: zones.Rect(0.5, 0.5, 0.5, 0.5)},
	}}, "cam2": {ID: "cam2", Zones: []zones.Zone{
		{ID: "z1", Name: "door", Kind: zones.Liftable, Fill: zones.Black, Points: zones.Rect(0, 0, 1, 1)},
	}}}
}

func eqNames(a []string, b ...string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLiftRevealsOnlyThatCameraInPlaybackAndExpires(t *testing.T) {
	h := newMaskHub(twoZoneCamera())
	live, play, other := &maskSink{}, &maskSink{}, &maskSink{}
	defer h.attach("cam1", live, false)()
	defer h.attach("cam1", play, true)()
	defer h.attach("cam2", other, true)()
	if !eqNames(play.names(), "street", "till") || !eqNames(live.names(), "street", "till") {
		t.Fatalf("before a lift: live %v, playback %v", live.names(), play.names())
	}
	l, err := h.lift("cam1", 300*time.Millisecond, "police asked for the till", "owner", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !eqNames(play.names(), "street") {
		t.Fatalf("lifted playback shows zones %v, want only the permanent street", play.names())
	}
	if !eqNames(live.names(), "street", "till") {
		t.Fatalf("a lift reached the live picture: %v", live.names())
	}
	if !eqNames(other.names(), "door") {
		t.Fatalf("a lift of cam1 reached cam2: %v", other.names())
	}
	if got, ok := h.lifted("cam1"); !ok || got.Reason != "police asked for the till" || !got.Until.Equal(l.Until) {
		t.Fatalf("lifted = %+v, %v", got, ok)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !eqNames(play.names(), "street", "till") {
		if time.Now().After(deadline) {
			t.Fatalf("the lift did not end by itself: playback shows %v", play.names())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ok := h.lifted("cam1"); ok {
		t.Fatal("the lift is still reported after it ended")
	}
}

func TestLiftRefusals(t *testing.T) {
	h := newMaskHub(fakeCameras{"perm": {ID: "perm", Zones: []zones.Zone{
		{ID: "z1", Name: "street", Kind: zones.Permanent, Fill: zones.Black, Points: zones.Rect(0, 0, 1, 1)}}}})
	play := &maskSink{}
	defer h.attach("perm", play, true)()
	denied := errLiftNotAllowed
	if _, err := h.lift("perm", time.Minute, "why", "op", denied); !errors.Is(err, errLiftNotAllowed) {
		t.Fatalf("a lift without the permission: %v", err)
	}
	if _, err := h.lift("perm", time.Minute, "why", "owner", nil); !errors.Is(err, errNothingToLift) {
		t.Fatalf("lifting a camera with only a permanent zone: %v", err)
	}
	if !eqNames(play.names(), "street") {
		t.Fatalf("the permanent zone is not painted: %v", play.names())
	}
	h2 := newMaskHub(twoZoneCamera())
	if _, err := h2.lift("cam1", time.Minute, "  ", "owner", nil); err == nil {
		t.Fatal("a lift without a reason was taken")
	}
	if _, err := h2.lift("cam1", maxLift+time.Second, "why", "owner", nil); err == nil {
		t.Fatal("a lift longer than the bound was taken")
	}
}

func TestUnreadableCameraIsMaskedWhole(t *testing.T) {
	h := newMaskHub(fakeCameras{})
	s := &maskSink{}
	defer h.attach("gone", s, false)()
	zs := s.m.Zones()
	if len(zs) != 1 || zs[0].Kind != zones.Permanent || len(zs[0].Points) != 4 || zs[0].Points[2] != (zones.Point{X: 1, Y: 1}) {
		t.Fatalf("a camera whose zones cannot be read gets %v, want the whole frame masked", zs)
	}
}

func TestZoneChangeReachesOpenPlayers(t *testing.T) {
	cams := twoZoneCamera()
	h := newMaskHub(cams)
	s := &maskSink{}
	defer h.attach("cam2", s, false)()
	g := h.generation()
	c := cams["cam2"]
	c.Zones = nil
	cams["cam2"] = c
	h.changed("cam2")
	if s.m != nil {
		t.Fatalf("after removing every zone the player still paints %v", s.names())
	}
	if h.generation() == g {
		t.Fatal("the generation did not change with the zones")
	}
}

func TestLiftFromThePlaybackPageNeedsThePermission(t *testing.T) {
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "error"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.DB.PutCamera(catalog.Camera{ID: "cam1", Name: "Till", Zones: twoZoneCamera()["cam1"].Zones}); err != nil {
		t.Fatal(err)
	}
	g := &guiPlayback{a: a, thumbs: newThumbCache(8)}
	ctx := context.Background()
	_, err = g.LiftMasks(ctx, "cam1", time.Minute, "insurer asked")
	if !errors.Is(err, errLiftNotAllowed) || !strings.Contains(err.Error(), "permission to lift masks") {
		t.Fatalf("a lift before the owner allowed it: %v", err)
	}
	if _, ok := a.masks().lifted("cam1"); ok {
		t.Fatal("a refused lift took effect")
	}
	st, err := a.DB.Settings()
	if err != nil {
		t.Fatal(err)
	}
	st.AllowLift = true
	if err := a.DB.PutSettings(st); err != nil {
		t.Fatal(err)
	}
	until, err := g.LiftMasks(ctx, "cam1", time.Minute, "insurer asked")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(until); d <= 0 || d > time.Minute {
		t.Fatalf("the lift ends in %v, want within the minute asked for", d)
	}
	if names := zoneNames(a.masks().recorded("cam1")); !eqNames(names, "street") {
		t.Fatalf("playback paints %v during the lift, want only the permanent zone", names)
	}
	if names := zoneNames(a.masks().live("cam1")); !eqNames(names, "street", "till") {
		t.Fatalf("live pictures paint %v during the lift, want every zone", names)
	}
}

func zoneNames(m *zones.Mask) []string {
	var out []string
	for _, z := range m.Zones() {
		out = append(out, z.Name)
	}
	return out
}

func TestEraseEmptiesTheThumbnailCache(t *testing.T) {
	a, err := Open(globalFlags{dataDir: t.TempDir(), logLevel: "error"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.DB.PutCamera(catalog.Camera{ID: "cam1", Name: "Till"}); err != nil {
		t.Fatal(err)
	}
	k := thumbKey{url: "/tok/seg/cam1/1.ts", at: time.Now(), width: 160}
	a.thumbCache().put(k, image.NewRGBA(image.Rect(0, 0, 1, 1)))
	if _, ok := a.thumbCache().get(k); !ok {
		t.Fatal("the thumbnail was not cached")
	}
	if _, err := a.EraseRange(context.Background(), recording.EraseRequest{CameraIDs: []string{"cam1"},
		From: time.Now().Add(-time.Hour), To: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.thumbCache().get(k); ok {
		t.Fatal("a thumbnail is still cached after the erase")
	}
}
