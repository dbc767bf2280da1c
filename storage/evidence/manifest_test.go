package evidence

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/manifest.golden.json")

// withFiles is sampleManifest with Files as Seal would fill them for the
// payload (dummy hashes).
func withFiles() Manifest {
	m := sampleManifest()
	for name, size := range payloadFiles {
		m.Files = append(m.Files, File{Name: name, Size: int64(size), SHA256: strings.Repeat("0", 63) + "1"})
	}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	m.Signer = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
	m.Schema = SchemaVersion
	return m
}

// The golden file was read by hand: snake_case names, every time in UTC
// (created was given as 11:30 CET, so it reads 10:30Z), [] for empty lists,
// no HTML escapes, a newline at the end.
func TestManifestEncodeGolden(t *testing.T) {
	m := withFiles()
	got, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "manifest.golden.json")
	if *update {
		writeFile(t, golden, got)
	}
	if want := readFile(t, golden); !bytes.Equal(got, want) {
		t.Errorf("Encode differs from %s:\n%s", golden, got)
	}
	again, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, again) {
		t.Error("two encodings of one manifest differ")
	}
	if m.Created.Location().String() != "CET" || m.Cameras[0].From.Location().String() != "CET" {
		t.Error("Encode changed the times of the manifest it was given")
	}
	for _, want := range []string{`"created": "2026-03-14T10:30:00Z"`, `"clip_offset_s": 240`, `"export_only": true`,
		`"length_s": 299.96`, `"gaps": []`, `<car park> & gate`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("no %s in\n%s", want, got)
		}
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := withFiles()
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Errorf("decode and encode changed the manifest:\n%s\nbecame\n%s", b, again)
	}
	if !d.Created.Equal(m.Created) || !d.Cameras[0].Gaps[0].To.Equal(at(6)) || d.Cameras[0].Present[1].ClipOffset != 240 {
		t.Errorf("decoded %+v", d)
	}
	nano := Manifest{Schema: 1, Created: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}
	b, err = nano.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if d, err := DecodeManifest(b); err != nil || !d.Created.Equal(nano.Created) {
		t.Errorf("nanoseconds: %v, %v", d.Created, err)
	}
}

func TestDecodeManifestRefuses(t *testing.T) {
	good, err := withFiles().Encode()
	if err != nil {
		t.Fatal(err)
	}
	padded := func(n int) []byte {
		return append(bytes.TrimSuffix(good, []byte("\n")), bytes.Repeat([]byte(" "), n-len(good)+1)...)
	}
	if _, err := DecodeManifest(padded(MaxManifestSize)); err != nil {
		t.Fatalf("a manifest of exactly %d bytes: %v", MaxManifestSize, err)
	}
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"unknown field", bytes.Replace(good, []byte(`"app"`), []byte(`"notes": "x", "app"`), 1), `unknown field "notes"`},
		{"unknown camera field", bytes.Replace(good, []byte(`"maker"`), []byte(`"serial": "x", "maker"`), 1), `unknown field "serial"`},
		{"unknown span field", bytes.Replace(good, []byte(`"clip_offset_s"`), []byte(`"note": 1, "clip_offset_s"`), 1), `unknown field "note"`},
		{"schema 2", bytes.Replace(good, []byte(`"schema": 1`), []byte(`"schema": 2, "new": true`), 1), "schema 2; this Nightjar reads schema 1"},
		{"schema 0", bytes.Replace(good, []byte(`"schema": 1`), []byte(`"schema": 0`), 1), "schema 0"},
		{"no schema", bytes.Replace(good, []byte(`"schema": 1,`), nil, 1), "no schema version"},
		{"schema as text", bytes.Replace(good, []byte(`"schema": 1`), []byte(`"schema": "1"`), 1), "not valid JSON"},
		{"second object", append(good[:len(good):len(good)], []byte("{}")...), "not valid JSON"},
		{"not JSON", []byte("schema: 1\n"), "not valid JSON"},
		{"empty", nil, "not valid JSON"},
		{"bad time", bytes.Replace(good, []byte(`"2026-03-14T10:30:00Z"`), []byte(`"yesterday"`), 1), "manifest: parsing time"},
		{"over 16 MiB", padded(MaxManifestSize + 1), "more than the 16777216 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeManifest(tt.b)
			if err == nil {
				t.Fatalf("decoded %+v", m)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := DecodeManifest(tests[3].b); !errors.Is(err, ErrSchema) {
		t.Errorf("schema 2: %v, want ErrSchema", err)
	}
}

func TestManifestCheck(t *testing.T) {
	if p := withFiles().Check(); p != nil {
		t.Fatalf("the sample manifest has problems: %q", p)
	}
	const cam1 = "camera cam1: "
	tests := []struct {
		name   string
		change func(m *Manifest)
		want   []string
	}{
		{"requested range reversed", func(m *Manifest) { m.From, m.To = m.To, m.From },
			[]string{"requested range: from 2026-03-14T09:10:00Z is not before to 2026-03-14T09:00:00Z",
				cam1 + "range [2026-03-14T09:00:00Z, 2026-03-14T09:10:00Z) is outside the requested range [2026-03-14T09:10:00Z, 2026-03-14T09:00:00Z)",
				"camera cam2: range [2026-03-14T09:00:00Z, 2026-03-14T09:10:00Z) is outside the requested range [2026-03-14T09:10:00Z, 2026-03-14T09:00:00Z)"}},
		{"camera range empty", func(m *Manifest) { m.Cameras[1].To = m.Cameras[1].From },
			[]string{"camera cam2: from 2026-03-14T09:00:00Z is not before to 2026-03-14T09:00:00Z"}},
		{"camera range outside", func(m *Manifest) { m.Cameras[1].To = at(11); m.Cameras[1].Present[0].To = at(11) },
			[]string{"camera cam2: range [2026-03-14T09:00:00Z, 2026-03-14T09:11:00Z) is outside the requested range [2026-03-14T09:00:00Z, 2026-03-14T09:10:00Z)"}},
		{"hole", func(m *Manifest) { m.Cameras[0].Gaps[0].To = at(5) },
			[]string{cam1 + "[2026-03-14T09:05:00Z, 2026-03-14T09:06:00Z) is neither present nor a gap"}},
		{"hole at the end", func(m *Manifest) { m.Cameras[1].Present[0].To = at(9.5) },
			[]string{"camera cam2: [2026-03-14T09:09:30Z, 2026-03-14T09:10:00Z) is neither present nor a gap"}},
		{"hole at the start", func(m *Manifest) { m.Cameras[0].Present[0].From = at(1) },
			[]string{cam1 + "[2026-03-14T09:00:00Z, 2026-03-14T09:01:00Z) is neither present nor a gap"}},
		{"present and gap overlap", func(m *Manifest) { m.Cameras[0].Gaps[0].From = at(3) },
			[]string{cam1 + "[2026-03-14T09:03:00Z, 2026-03-14T09:04:00Z) is both present and a gap"}},
		{"gap covers a present span", func(m *Manifest) { m.Cameras[1].Gaps = []Span{{From: at(2), To: at(3)}} },
			[]string{"camera cam2: [2026-03-14T09:02:00Z, 2026-03-14T09:03:00Z) is both present and a gap"}},
		{"present out of order", func(m *Manifest) { p := m.Cameras[0].Present; p[0], p[1] = p[1], p[0] },
			[]string{cam1 + "present [2026-03-14T09:00:00Z, 2026-03-14T09:04:00Z) is out of time order"}},
		{"present overlapping", func(m *Manifest) {
			m.Cameras[1].Present = []Span{{From: at(0), To: at(6)}, {From: at(5), To: at(10)}}
		}, []string{"camera cam2: present [2026-03-14T09:05:00Z, 2026-03-14T09:10:00Z) overlaps the one before"}},
		{"present empty span", func(m *Manifest) { m.Cameras[0].Present[0].To = at(0) },
			[]string{cam1 + "present [2026-03-14T09:00:00Z, 2026-03-14T09:00:00Z) is empty or reversed"}},
		{"gap outside", func(m *Manifest) { m.Cameras[0].Gaps = append(m.Cameras[0].Gaps, Span{From: at(10), To: at(12)}) },
			[]string{cam1 + "gap [2026-03-14T09:10:00Z, 2026-03-14T09:12:00Z) is outside the camera's range [2026-03-14T09:00:00Z, 2026-03-14T09:10:00Z)"}},
		{"negative clip offset", func(m *Manifest) { m.Cameras[0].Present[1].ClipOffset = -1 },
			[]string{cam1 + "present [2026-03-14T09:06:00Z, 2026-03-14T09:10:00Z) has a clip offset of -1s"}},
		{"clip not among files", func(m *Manifest) { m.Cameras[1].Clips = append(m.Cameras[1].Clips, "cam2-original.mp4") },
			[]string{"camera cam2: clip cam2-original.mp4 is not among the files"}},
		{"snapshot not among files", func(m *Manifest) { m.Cameras[0].Snapshots[0] = "cam1-0903.png" },
			[]string{cam1 + "snapshot cam1-0903.png is not among the files"}},
		{"clip in a folder", func(m *Manifest) { m.Cameras[1].Clips[0] = "clips/cam2.mp4" },
			[]string{`camera cam2: clip "clips/cam2.mp4": names a folder or a drive; only plain names are allowed`}},
		{"file name with ..", func(m *Manifest) { m.Files[0].Name = "..cam1-0902.png" },
			[]string{`file "..cam1-0902.png": contains ".."`, cam1 + "snapshot cam1-0902.png is not among the files"}},
		{"file name with leading dot", func(m *Manifest) { m.Files = append(m.Files, File{Name: ".hidden", SHA256: strings.Repeat("a", 64)}) },
			[]string{`file ".hidden": starts with '.'`, "files: not sorted by name"}},
		{"file name with backslash", func(m *Manifest) { m.Files[3].Name = `a\cam2.mp4` },
			[]string{`file "a\\cam2.mp4": names a folder or a drive; only plain names are allowed`, "files: not sorted by name", "camera cam2: clip cam2.mp4 is not among the files"}},
		{"file name with a drive", func(m *Manifest) { m.Files = append(m.Files, File{Name: "C:x", SHA256: strings.Repeat("a", 64)}) },
			[]string{`file "C:x": names a folder or a drive; only plain names are allowed`, "files: not sorted by name"}},
		{"file name with newline", func(m *Manifest) { m.Files = append(m.Files, File{Name: "x\ny", SHA256: strings.Repeat("a", 64)}) },
			[]string{`file "x\ny": contains a control character`}},
		{"bundle file listed", func(m *Manifest) {
			m.Files = append(m.Files, File{Name: "manifest.json", SHA256: strings.Repeat("a", 64)})
		},
			[]string{"file manifest.json: a bundle file, which the file list must not hold"}},
		{"file twice", func(m *Manifest) { m.Files = append(m.Files, m.Files[3]) },
			[]string{"file cam2.mp4: listed twice"}},
		{"file hash in capitals", func(m *Manifest) { m.Files[0].SHA256 = strings.ToUpper(strings.Repeat("ab", 32)) },
			[]string{`file cam1-0902.png: sha256 "` + strings.Repeat("AB", 32) + `" is not 64 lowercase hex digits`}},
		{"segment hash short", func(m *Manifest) { m.Cameras[1].Segments[0].SHA256 = "ef" },
			[]string{`camera cam2: segment 1 (cam2/2026-03-14/0900): sha256 "ef" is not 64 lowercase hex digits`}},
		{"camera id missing and twice", func(m *Manifest) { m.Cameras = append(m.Cameras, m.Cameras[1]); m.Cameras[0].ID = "" },
			[]string{"camera 1: no id", "camera cam2: listed twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := withFiles()
			tt.change(&m)
			if got := m.Check(); !slices.Equal(got, tt.want) {
				t.Errorf("problems\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
}
