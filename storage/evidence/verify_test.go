package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// resign rewrites the manifest of the bundle in dir through edit and
// signs it again with key, updating SHA256SUMS, as a signer who wants to
// change a bundle would.
func resign(t *testing.T, dir string, key ed25519.PrivateKey, edit func(m *Manifest)) {
	t.Helper()
	m, err := DecodeManifest(readFile(t, filepath.Join(dir, ManifestFile)))
	if err != nil {
		t.Fatal(err)
	}
	edit(&m)
	body, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := Sign(key, Namespace, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, ManifestFile), body)
	writeFile(t, filepath.Join(dir, SignatureFile), sig)
	setSum(t, dir, ManifestFile, hashHex(body))
}

// setSum replaces the hash of name in dir's SHA256SUMS.
func setSum(t *testing.T, dir, name, sum string) {
	t.Helper()
	path := filepath.Join(dir, SumsFile)
	lines := strings.Split(string(readFile(t, path)), "\n")
	found := false
	for i, l := range lines {
		if strings.HasSuffix(l, "  "+name) {
			lines[i], found = sum+"  "+name, true
		}
	}
	if !found {
		t.Fatalf("%s does not list %s", SumsFile, name)
	}
	writeFile(t, path, []byte(strings.Join(lines, "\n")))
}

// TestVerifyNamesTampering changes a sealed bundle in one way each and
// checks that Verify names exactly that, and what the standard tools of
// VERIFY.txt say of it: where they pass, only Verify catches it.
func TestVerifyNamesTampering(t *testing.T) {
	key, other := newKey(t), newKey(t)
	fp, otherFP := Fingerprint(publicOf(key)), Fingerprint(publicOf(other))

	// A bundle of the same payload with another reason, by the same key.
	otherBundle := sealedBundle(t, key)
	resign(t, otherBundle, key, func(m *Manifest) { m.Reason = "another request" })
	// What someone who changed cam2.mp4 and sealed again with their own key
	// would hand over.
	forged := filepath.Join(t.TempDir(), "forged")
	if err := os.Mkdir(forged, 0o700); err != nil {
		t.Fatal(err)
	}
	writePayload(t, forged)
	flipByte(t, filepath.Join(forged, "cam2.mp4"))
	if err := Seal(context.Background(), forged, sampleManifest(), other, testPrincipal); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		tamper     func(t *testing.T, dir string)
		wantSigner string
		want       []string // "{KEY}" and "{OTHER}" stand for the fingerprints
		sshOK      bool     // the ssh-keygen line of VERIFY.txt passes
		sumsOK     bool     // sha256sum -c SHA256SUMS passes
	}{
		{name: "one byte of a clip changed",
			tamper: func(t *testing.T, dir string) { flipByte(t, filepath.Join(dir, "cam2.mp4")) },
			want:   []string{"cam2.mp4: hash mismatch"}, sshOK: true},
		{name: "clip cut short",
			tamper: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "cam1-redacted.mp4")
				writeFile(t, path, readFile(t, path)[:100])
			},
			want: []string{"cam1-redacted.mp4: 100 bytes, the manifest says 204800"}, sshOK: true},
		{name: "manifest edited",
			tamper: func(t *testing.T, dir string) {
				path := filepath.Join(dir, ManifestFile)
				b := readFile(t, path)
				edited := bytes.Replace(b, []byte(`"exporter": "alice"`), []byte(`"exporter": "bobby"`), 1)
				if bytes.Equal(b, edited) {
					t.Fatal("no exporter to edit")
				}
				writeFile(t, path, edited)
			},
			want: []string{"signature: does not match the manifest",
				"SHA256SUMS: the hash of manifest.json is not that of the manifest.json here"}},
		{name: "file deleted",
			tamper: func(t *testing.T, dir string) { remove(t, filepath.Join(dir, "cam1-0902.png")) },
			want:   []string{"cam1-0902.png: missing"}, sshOK: true},
		{name: "file added",
			tamper: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "notes.txt"), []byte("hi")) },
			want:   []string{"extra file: notes.txt"}, sshOK: true, sumsOK: true},
		{name: "folder added",
			tamper: func(t *testing.T, dir string) {
				if err := os.Mkdir(filepath.Join(dir, "more"), 0o700); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"extra folder: more"}, sshOK: true, sumsOK: true},
		{name: "another bundle's signature",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, SignatureFile), readFile(t, filepath.Join(otherBundle, SignatureFile)))
			},
			want: []string{"signature: does not match the manifest"}, sumsOK: true},
		{name: "signature deleted",
			tamper: func(t *testing.T, dir string) { remove(t, filepath.Join(dir, SignatureFile)) },
			want:   []string{"manifest.json.sig: missing"}, sumsOK: true},
		{name: "allowed_signers replaced",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, AllowedSignersFile), AllowedSigners(testPrincipal, publicOf(other)))
			},
			want: []string{"allowed_signers: does not list the signing key {KEY}"}, sumsOK: true},
		{name: "allowed_signers for another namespace",
			tamper: func(t *testing.T, dir string) {
				line := bytes.Replace(AllowedSigners(testPrincipal, publicOf(key)), []byte(Namespace), []byte("file"), 1)
				writeFile(t, filepath.Join(dir, AllowedSignersFile), line)
			},
			want: []string{"allowed_signers: the signing key {KEY} may not sign in namespace nightjar-export"}, sumsOK: true},
		{name: "sealed again by another key, no expected signer",
			tamper: func(t *testing.T, dir string) { replaceDir(t, dir, forged) },
			want:   nil, sshOK: true, sumsOK: true},
		{name: "sealed again by another key, expected signer given",
			tamper:     func(t *testing.T, dir string) { replaceDir(t, dir, forged) },
			wantSigner: "{KEY}",
			want:       []string{"signature: not made by {KEY}; made by {OTHER}"}, sshOK: true, sumsOK: true},
		{name: "clip and its SHA256SUMS line changed together",
			tamper: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "cam2.mp4")
				flipByte(t, path)
				setSum(t, dir, "cam2.mp4", hashHex(readFile(t, path)))
			},
			want:  []string{"cam2.mp4: hash mismatch", "SHA256SUMS: the hash of cam2.mp4 is not the one in the manifest"},
			sshOK: true, sumsOK: true},
		{name: "clip replaced by a link to a copy",
			tamper: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "cam2.mp4")
				copyPath := filepath.Join(t.TempDir(), "cam2.mp4")
				writeFile(t, copyPath, readFile(t, path))
				remove(t, path)
				if err := os.Symlink(copyPath, path); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"cam2.mp4: not a regular file"}, sshOK: true, sumsOK: true},
		{name: "SHA256SUMS deleted",
			tamper: func(t *testing.T, dir string) { remove(t, filepath.Join(dir, SumsFile)) },
			want:   []string{"SHA256SUMS: missing"}, sshOK: true},
		{name: "SHA256SUMS with a line more",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "notes.txt"), []byte("hi"))
				path := filepath.Join(dir, SumsFile)
				writeFile(t, path, append(readFile(t, path), []byte(hashHex([]byte("hi"))+"  notes.txt\n")...))
			},
			want:  []string{"extra file: notes.txt", "SHA256SUMS: lists notes.txt, which the manifest does not"},
			sshOK: true, sumsOK: true},
		{name: "VERIFY.txt deleted",
			tamper: func(t *testing.T, dir string) { remove(t, filepath.Join(dir, VerifyFile)) },
			want:   []string{"VERIFY.txt: missing"}, sshOK: true, sumsOK: true},
		{name: "manifest names another signer, signed again",
			tamper: func(t *testing.T, dir string) {
				resign(t, dir, key, func(m *Manifest) { m.Signer = otherFP })
			},
			want: []string{"manifest: names the signer {OTHER}, but {KEY} signed it"}, sshOK: true, sumsOK: true},
		{name: "inconsistent manifest, signed again",
			tamper: func(t *testing.T, dir string) {
				resign(t, dir, key, func(m *Manifest) { m.Cameras[0].Gaps = nil })
			},
			want:  []string{"manifest: camera cam1: [2026-03-14T09:04:00Z, 2026-03-14T09:06:00Z) is neither present nor a gap"},
			sshOK: true, sumsOK: true},
		{name: "expected signer is not a fingerprint",
			tamper:     func(t *testing.T, dir string) {},
			wantSigner: "SHA256:abc",
			want: []string{`the expected signer "SHA256:abc" is not a key fingerprint (SHA256: and 43 characters)`,
				"signature: not made by SHA256:abc; made by {KEY}"},
			sshOK: true, sumsOK: true},
	}
	fill := strings.NewReplacer("{KEY}", fp, "{OTHER}", otherFP)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sealedBundle(t, key)
			tt.tamper(t, dir)
			var want []string
			for _, w := range tt.want {
				want = append(want, fill.Replace(w))
			}
			r := Verify(context.Background(), dir, fill.Replace(tt.wantSigner))
			if !slices.Equal(r.Problems, want) {
				t.Errorf("problems\n  %q\nwant\n  %q", r.Problems, want)
			}
			if r.OK != (len(want) == 0) {
				t.Errorf("OK %v with problems %q", r.OK, r.Problems)
			}

			ssh := toolPasses(t, dir, nil, "sh", "-c", "ssh-keygen -Y verify -f allowed_signers -I "+testPrincipal+
				" -n nightjar-export -s manifest.json.sig < manifest.json")
			if ssh != tt.sshOK {
				t.Errorf("ssh-keygen passes: %v, the test says %v", ssh, tt.sshOK)
			}
			if sums := toolPasses(t, dir, nil, "sha256sum", "-c", SumsFile); sums != tt.sumsOK {
				t.Errorf("sha256sum -c passes: %v, the test says %v", sums, tt.sumsOK)
			}
		})
	}
}

// Without a manifest, Verify still checks the files against SHA256SUMS
// and looks for files SHA256SUMS does not list.
func TestVerifyWithoutManifest(t *testing.T) {
	key := newKey(t)
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
		want   []string
	}{
		{"deleted", func(t *testing.T, dir string) { remove(t, filepath.Join(dir, ManifestFile)) },
			[]string{"manifest.json: missing", "cam2.mp4: hash mismatch (against SHA256SUMS)", "extra file: notes.txt"}},
		{"newer schema", func(t *testing.T, dir string) {
			path := filepath.Join(dir, ManifestFile)
			writeFile(t, path, bytes.Replace(readFile(t, path), []byte(`"schema": 1`), []byte(`"schema": 2`), 1))
		}, []string{"signature: does not match the manifest",
			"manifest: schema not known: schema 2; this Nightjar reads schema 1, a newer one may read it",
			"cam2.mp4: hash mismatch (against SHA256SUMS)", "extra file: notes.txt",
			"SHA256SUMS: the hash of manifest.json is not that of the manifest.json here"}},
		{"not JSON", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, ManifestFile), []byte("<xml/>")) },
			[]string{"signature: does not match the manifest",
				"manifest: not valid JSON: invalid character '<' looking for beginning of value",
				"cam2.mp4: hash mismatch (against SHA256SUMS)", "extra file: notes.txt",
				"SHA256SUMS: the hash of manifest.json is not that of the manifest.json here"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sealedBundle(t, key)
			tt.tamper(t, dir)
			flipByte(t, filepath.Join(dir, "cam2.mp4"))
			writeFile(t, filepath.Join(dir, "notes.txt"), []byte("hi"))
			r := Verify(context.Background(), dir, "")
			if r.OK || !slices.Equal(r.Problems, tt.want) {
				t.Errorf("OK %v, problems\n  %q\nwant\n  %q", r.OK, r.Problems, tt.want)
			}
		})
	}
}

func TestVerifyMissingFolder(t *testing.T) {
	r := Verify(context.Background(), filepath.Join(t.TempDir(), "nothing"), "")
	if r.OK || len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0], "bundle: ") {
		t.Errorf("OK %v, problems %q", r.OK, r.Problems)
	}
}

func TestVerifyCanceled(t *testing.T) {
	dir := sealedBundle(t, newKey(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Verify(ctx, dir, "")
	if r.OK {
		t.Fatal("OK after cancel")
	}
	want := "verify: stopped before the end (context canceled), so the bundle is not checked"
	if r.Problems[len(r.Problems)-1] != want || !slices.Contains(r.Problems, "cam2.mp4: not checked: hash cam2.mp4: context canceled") {
		t.Errorf("problems %q", r.Problems)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// replaceDir makes dir hold a copy of the files of src.
func replaceDir(t *testing.T, dir, src string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}
