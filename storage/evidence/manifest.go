package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// SchemaVersion is the manifest schema this package writes and reads.
const SchemaVersion = 1

// MaxManifestSize is the largest manifest.json DecodeManifest reads: 16 MiB.
const MaxManifestSize = 16 << 20

// Manifest is manifest.json, the signed description of a bundle.
type Manifest struct {
	Schema   int       `json:"schema"`   // SchemaVersion
	App      string    `json:"app"`      // the exporting program and version, "Nightjar 0.1.0"
	Created  time.Time `json:"created"`  // when the bundle was made
	Exporter string    `json:"exporter"` // the user who exported it
	Reason   string    `json:"reason"`   // why, as the user gave it
	From     time.Time `json:"from"`     // the requested range, [From, To)
	To       time.Time `json:"to"`
	Signer   string    `json:"signer"` // Fingerprint of the signing key
	Cameras  []Camera  `json:"cameras"`
	// Files is every file of the bundle but the five bundle files
	// (manifest.json, manifest.json.sig, allowed_signers, SHA256SUMS and
	// VERIFY.txt), sorted by name. Seal fills it in.
	Files []File `json:"files"`
}

// Camera is what a bundle holds of one camera.
type Camera struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Maker string `json:"maker"`
	Model string `json:"model"`
	// From and To are the range requested for this camera, [From, To).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Present is the footage actually in the bundle and Gaps the rest of
	// [From, To), each in time order; together they cover it exactly.
	Present  []Span    `json:"present"`
	Gaps     []Span    `json:"gaps"`
	Segments []Segment `json:"segments"` // the recorded segments the clips were made from
	Masks    Masks     `json:"masks"`
	// Clips and Snapshots name the bundle's files made from this camera,
	// such as "cam1-redacted.mp4" and "cam1-original.mp4".
	Clips     []string `json:"clips"`
	Snapshots []string `json:"snapshots"`
}

// Span is a time range [From, To).
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// ClipOffset is where a present span starts in the camera's clips, in
	// seconds.
	ClipOffset float64 `json:"clip_offset_s,omitempty"`
}

// Segment is a recorded segment a clip was made from.
type Segment struct {
	ID     string    `json:"id"`
	Start  time.Time `json:"start"`
	Length float64   `json:"length_s"` // seconds
	SHA256 string    `json:"sha256"`   // of the segment file as stored, hex
}

// Masks are the privacy masks of a camera's redacted clip.
type Masks struct {
	Applied bool   `json:"applied"` // whether the zones are burned into the redacted clip
	Zones   []Zone `json:"zones"`
}

// Zone is one privacy mask.
type Zone struct {
	ID     string       `json:"id"`
	Name   string       `json:"name"`
	Kind   string       `json:"kind"`
	Fill   string       `json:"fill"`
	Points [][2]float64 `json:"points"` // the polygon, in the coordinates the masks editor uses
	// ExportOnly marks a zone that is not masked in live view or
	// recordings, only in exports.
	ExportOnly bool `json:"export_only"`
}

// File is one file of the bundle.
type File struct {
	Name   string `json:"name"` // plain: no folders
	Size   int64  `json:"size"` // bytes
	SHA256 string `json:"sha256"`
}

// Encode is the manifest.json text of m: indented JSON with every time in
// UTC (RFC 3339 with nanoseconds where needed), empty lists as [] rather
// than null, and a newline at the end. The same manifest always encodes to
// the same bytes. m itself is not changed.
func (m Manifest) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m.canonical()); err != nil {
		return nil, fmt.Errorf("encode the manifest: %w", err)
	}
	return b.Bytes(), nil
}

// DecodeManifest reads manifest.json. It takes only schema SchemaVersion
// (another is ErrSchema), no fields it does not know, nothing after the
// object, and at most MaxManifestSize bytes. It does not check the content;
// see Check.
func DecodeManifest(b []byte) (Manifest, error) {
	if len(b) > MaxManifestSize {
		return Manifest{}, fmt.Errorf("manifest: %d bytes, more than the %d allowed", len(b), MaxManifestSize)
	}
	// The schema first, so that a newer manifest fails on its version
	// rather than on the first field this version does not know.
	var head struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return Manifest{}, fmt.Errorf("manifest: not valid JSON: %w", err)
	}
	switch {
	case head.Schema == nil:
		return Manifest{}, fmt.Errorf("manifest: no schema version")
	case *head.Schema != SchemaVersion:
		return Manifest{}, fmt.Errorf("%w: schema %d; this Nightjar reads schema %d, a newer one may read it", ErrSchema, *head.Schema, SchemaVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Manifest{}, fmt.Errorf("manifest: data after the manifest")
	}
	return m, nil
}

// canonical is a deep copy of m with times in UTC and no nil lists.
func (m Manifest) canonical() Manifest {
	m.Created, m.From, m.To = m.Created.UTC(), m.From.UTC(), m.To.UTC()
	cams := make([]Camera, len(m.Cameras))
	for i, c := range m.Cameras {
		c.From, c.To = c.From.UTC(), c.To.UTC()
		c.Present, c.Gaps = canonicalSpans(c.Present), canonicalSpans(c.Gaps)
		segs := make([]Segment, len(c.Segments))
		for j, s := range c.Segments {
			s.Start = s.Start.UTC()
			segs[j] = s
		}
		c.Segments = segs
		zones := make([]Zone, len(c.Masks.Zones))
		for j, z := range c.Masks.Zones {
			z.Points = append(make([][2]float64, 0, len(z.Points)), z.Points...)
			zones[j] = z
		}
		c.Masks.Zones = zones
		c.Clips = append(make([]string, 0, len(c.Clips)), c.Clips...)
		c.Snapshots = append(make([]string, 0, len(c.Snapshots)), c.Snapshots...)
		cams[i] = c
	}
	m.Cameras = cams
	m.Files = append(make([]File, 0, len(m.Files)), m.Files...)
	return m
}

func canonicalSpans(spans []Span) []Span {
	out := make([]Span, len(spans))
	for i, s := range spans {
		out[i] = Span{From: s.From.UTC(), To: s.To.UTC(), ClipOffset: s.ClipOffset}
	}
	return out
}
