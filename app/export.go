package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nightjar/internal/zones"
	"nightjar/player"
	"nightjar/storage/catalog"
	"nightjar/storage/evidence"
	"nightjar/storage/secrets"
	"nightjar/storage/timeline"
)

// maxExportRange bounds one export: a day of footage per camera.
const maxExportRange = 24 * time.Hour

// exportRequest says what an export bundle holds.
type exportRequest struct {
	Cameras  []string
	From, To time.Time
	Reason   string
	By       string
	// ExportZones are extra zones for this export alone, per camera ID:
	// burned in with the camera's own, which they do not change.
	ExportZones map[string][]zones.Zone
	// Out is the bundle folder to create; it must not exist.
	Out string
	// Progress, when set, gets the share of the whole export done, 0–1.
	Progress func(done float64)
}

// exportKeyName is the keyring entry of the install's export signing key.
func exportKeyName(install string) string { return "export/signing-key/" + install }

// exportKey loads the install's Ed25519 export signing key from the
// keyring, creating it on first use. A demo signs with a key of its own
// run, never the user's keyring.
func (a *App) exportKey(ctx context.Context) (ed25519.PrivateKey, error) {
	install, err := a.DB.InstallID()
	if err != nil {
		return nil, fmt.Errorf("read the install id: %w", err)
	}
	ring := a.Secrets
	if a.Demo != nil {
		a.demoRingOnce.Do(func() { a.demoRing = &secrets.Store{Backend: &secrets.Memory{}} })
		ring = a.demoRing
	}
	s, err := ring.Get(ctx, exportKeyName(install))
	switch {
	case err == nil:
		seed, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, errors.New("the export signing key in the keyring is malformed")
		}
		return ed25519.NewKeyFromSeed(seed), nil
	case errors.Is(err, secrets.ErrNotFound):
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		if err := ring.Set(ctx, exportKeyName(install), base64.StdEncoding.EncodeToString(seed)); err != nil {
			return nil, fmt.Errorf("store the export signing key: %w", err)
		}
		return ed25519.NewKeyFromSeed(seed), nil
	default:
		return nil, fmt.Errorf("read the export signing key: %w", err)
	}
}

// exportPrincipal names the signer in allowed_signers: the install, so a
// recipient can tell two Nightjar PCs apart.
func (a *App) exportPrincipal() string {
	install, err := a.DB.InstallID()
	if err != nil || install == "" {
		return "nightjar"
	}
	return "nightjar-" + install
}

// ExportBundle writes a signed evidence bundle: per camera a redacted
// clip of [From, To) with its zones and the export's own burned in, and
// manifest.json tying it to the catalogue's hash of every recorded
// segment it was made from. The bundle is built in a hidden folder next
// to Out and renamed into place at the end, so a failed or cancelled
// export leaves nothing behind.
func (a *App) ExportBundle(ctx context.Context, req exportRequest) (evidence.Manifest, error) {
	var m evidence.Manifest
	if err := checkExportRequest(req); err != nil {
		return m, err
	}
	key, err := a.exportKey(ctx)
	if err != nil {
		return m, err
	}
	parent := filepath.Dir(req.Out)
	work, err := os.MkdirTemp(parent, "."+filepath.Base(req.Out)+".partial-")
	if err != nil {
		return m, fmt.Errorf("create the bundle next to %s: %w", req.Out, err)
	}
	defer os.RemoveAll(work) // gone once renamed
	srv, err := a.footageServer()
	if err != nil {
		return m, err
	}
	m = evidence.Manifest{Schema: evidence.SchemaVersion, App: "Nightjar " + Version, Created: time.Now().UTC(),
		Exporter: req.By, Reason: req.Reason, From: req.From.UTC(), To: req.To.UTC()}
	for i, id := range req.Cameras {
		progress := func(done float64) {
			if req.Progress != nil {
				req.Progress((float64(i) + done) / float64(len(req.Cameras)))
			}
		}
		cam, err := a.exportCamera(ctx, srv.URL, id, req, work, progress)
		if err != nil {
			return m, err
		}
		m.Cameras = append(m.Cameras, cam)
	}
	if err := evidence.Seal(ctx, work, m, key, a.exportPrincipal()); err != nil {
		return m, err
	}
	if err := os.Rename(work, req.Out); err != nil {
		return m, fmt.Errorf("move the bundle into place: %w", err)
	}
	r := evidence.Verify(ctx, req.Out, evidence.Fingerprint(key.Public().(ed25519.PublicKey)))
	if !r.OK {
		return r.Manifest, fmt.Errorf("the bundle at %s does not verify: %s", req.Out, strings.Join(r.Problems, "; "))
	}
	return r.Manifest, nil
}

func checkExportRequest(req exportRequest) error {
	switch {
	case len(req.Cameras) == 0:
		return errors.New("export: no camera given")
	case !req.From.Before(req.To):
		return errors.New("export: the start must be before the end")
	case req.To.Sub(req.From) > maxExportRange:
		return fmt.Errorf("export: %v is longer than the %v one export may hold; export it in parts", req.To.Sub(req.From), maxExportRange)
	case req.Out == "":
		return errors.New("export: no output folder given")
	}
	if _, err := os.Lstat(req.Out); err == nil {
		return fmt.Errorf("export: %s already exists; choose a new name", req.Out)
	} else if !os.IsNotExist(err) {
		return fmt.Errorf("export: %w", err)
	}
	for id, zs := range req.ExportZones {
		if err := zones.ValidateAll(zs); err != nil {
			return fmt.Errorf("export-only zones of %s: %w", id, err)
		}
	}
	return nil
}

// exportCamera writes one camera's clip into dir and returns its part of
// the manifest.
func (a *App) exportCamera(ctx context.Context, url func(catalog.Segment) string, id string, req exportRequest, dir string, progress func(float64)) (evidence.Camera, error) {
	cam, err := a.DB.Camera(id)
	if err != nil {
		return evidence.Camera{}, fmt.Errorf("export camera %s: %w", id, err)
	}
	out := evidence.Camera{ID: cam.ID, Name: cam.Name, Maker: cam.Manufacturer, Model: cam.Model,
		From: req.From.UTC(), To: req.To.UTC(), Present: []evidence.Span{}, Gaps: []evidence.Span{},
		Segments: []evidence.Segment{}, Clips: []string{}, Snapshots: []string{}}
	tl, err := timeline.Build(a.DB, id, req.From, req.To)
	if err != nil {
		return out, fmt.Errorf("export camera %s: %w", cam.Name, err)
	}
	var pieces []player.Piece
	for _, run := range tl.Runs {
		for _, seg := range run.Segments {
			if seg.State == catalog.SegmentOpen || seg.SHA256 == "" || seg.Duration <= 0 {
				continue // still being written: its hash is not known yet
			}
			if err := a.checkSegmentHash(ctx, seg); err != nil {
				return out, err
			}
			pieces = append(pieces, player.Piece{URL: url(seg), Start: seg.Start, Length: seg.Duration})
			out.Segments = append(out.Segments, evidence.Segment{ID: seg.File, Start: seg.Start.UTC(),
				Length: seg.Duration.Seconds(), SHA256: seg.SHA256})
		}
	}
	zs := a.masks().live(id).Zones()
	for _, z := range zs {
		out.Masks.Zones = append(out.Masks.Zones, manifestZone(z, false))
	}
	for _, z := range req.ExportZones[id] {
		zs = append(zs, z)
		out.Masks.Zones = append(out.Masks.Zones, manifestZone(z, true))
	}
	if out.Masks.Zones == nil {
		out.Masks.Zones = []evidence.Zone{}
	}
	out.Masks.Applied = true
	if len(pieces) == 0 {
		out.Gaps = append(out.Gaps, evidence.Span{From: out.From, To: out.To})
		return out, nil
	}
	name := clipName(cam)
	res, err := player.EncodeClip(ctx, player.ClipOptions{Pieces: pieces, From: req.From, To: req.To,
		Mask: zones.NewMask(zs), Out: filepath.Join(dir, name),
		Progress: func(done, total time.Duration) {
			if total > 0 {
				progress(float64(done) / float64(total))
			}
		}})
	if err != nil {
		return out, fmt.Errorf("export camera %s: %w", cam.Name, err)
	}
	out.Clips = append(out.Clips, name)
	at := out.From
	for _, s := range res.Spans {
		if s.From.After(at) {
			out.Gaps = append(out.Gaps, evidence.Span{From: at, To: s.From.UTC()})
		}
		out.Present = append(out.Present, evidence.Span{From: s.From.UTC(), To: s.To.UTC(), ClipOffset: s.Offset.Seconds()})
		at = s.To.UTC()
	}
	if at.Before(out.To) {
		out.Gaps = append(out.Gaps, evidence.Span{From: at, To: out.To})
	}
	return out, nil
}

// checkSegmentHash hashes a segment's file as stored and compares it with
// the catalogue, so a bundle never claims a hash its source no longer
// has.
func (a *App) checkSegmentHash(ctx context.Context, seg catalog.Segment) error {
	_, got, err := evidence.HashFile(ctx, a.recordingStore().Dir, seg.File)
	if err != nil {
		return fmt.Errorf("export: read segment %s: %w", seg.File, err)
	}
	if got != seg.SHA256 {
		return fmt.Errorf("export: segment %s does not match the catalogue's hash: it changed on disk since it was recorded; run 'nightjar recordings verify'", seg.File)
	}
	return nil
}

func manifestZone(z zones.Zone, exportOnly bool) evidence.Zone {
	pts := make([][2]float64, len(z.Points))
	for i, p := range z.Points {
		pts[i] = [2]float64{p.X, p.Y}
	}
	return evidence.Zone{ID: z.ID, Name: z.Name, Kind: string(z.Kind), Fill: z.Fill.String(), Points: pts, ExportOnly: exportOnly}
}

// clipName is a camera's redacted clip in a bundle: its ID, which is
// plain and unique, then a marker of what the clip is.
func clipName(cam catalog.Camera) string { return cam.ID + "-redacted.mp4" }
