package evidence

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestSealVerify(t *testing.T) {
	key := newKey(t)
	dir := sealedBundle(t, key)

	// What the standard tools say the bundle is.
	var payload []string
	for name := range payloadFiles {
		payload = append(payload, name)
	}
	slices.Sort(payload)
	var want []File
	for _, line := range strings.Split(strings.TrimSpace(mustTool(t, dir, nil, "sha256sum", payload...)), "\n") {
		hash, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("sha256sum printed %q", line)
		}
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, File{Name: name, Size: fi.Size(), SHA256: hash})
	}
	good := strings.Fields(mustTool(t, dir, readFile(t, filepath.Join(dir, ManifestFile)), "ssh-keygen",
		"-Y", "verify", "-f", AllowedSignersFile, "-I", testPrincipal, "-n", Namespace, "-s", SignatureFile))
	fingerprint := good[len(good)-1] // Good "nightjar-export" signature for alice@example.org with ED25519 key SHA256:...

	for _, wantSigner := range []string{"", fingerprint} {
		r := Verify(context.Background(), dir, wantSigner)
		if !r.OK || r.Problems != nil {
			t.Fatalf("wantSigner %q: OK %v, problems %q", wantSigner, r.OK, r.Problems)
		}
		if r.Signer != fingerprint || r.Principal != testPrincipal {
			t.Errorf("signer %q %q, want %q %q", r.Signer, r.Principal, fingerprint, testPrincipal)
		}
		if !slices.Equal(r.Manifest.Files, want) {
			t.Errorf("files\n  %+v\nsha256sum says\n  %+v", r.Manifest.Files, want)
		}
		if r.Manifest.Signer != fingerprint || r.Manifest.Schema != SchemaVersion || r.Manifest.Reason != sampleManifest().Reason {
			t.Errorf("manifest %+v", r.Manifest)
		}
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if isBundleFile(e.Name()) && runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
	wantNames := append(slices.Clone(payload), bundleFiles...)
	slices.Sort(wantNames)
	if !slices.Equal(names, wantNames) {
		t.Errorf("the bundle holds %q, want %q (no temporary files)", names, wantNames)
	}
}

// TestStandardToolsAcceptSealedBundle runs the commands VERIFY.txt gives,
// as written there.
func TestStandardToolsAcceptSealedBundle(t *testing.T) {
	key := newKey(t)
	dir := sealedBundle(t, key)
	sshLine := verifyLine(t, dir, "ssh-keygen -Y verify")
	if want := "ssh-keygen -Y verify -f allowed_signers -I " + testPrincipal + " -n nightjar-export -s manifest.json.sig < manifest.json"; sshLine != want {
		t.Errorf("VERIFY.txt says\n  %s\nwant\n  %s", sshLine, want)
	}
	out := mustTool(t, dir, nil, "sh", "-c", sshLine)
	if want := verifyLine(t, dir, `Good "`); strings.TrimSpace(out) != want {
		t.Errorf("ssh-keygen printed %q; VERIFY.txt says it prints %q", out, want)
	}
	if !strings.Contains(out, Fingerprint(publicOf(key))) || !strings.Contains(string(readFile(t, filepath.Join(dir, VerifyFile))), Fingerprint(publicOf(key))) {
		t.Errorf("the fingerprint %s is not in ssh-keygen's output %q or VERIFY.txt", Fingerprint(publicOf(key)), out)
	}
	if got, want := verifyLine(t, dir, "cmd /c"), `cmd /c "`+sshLine+`"`; got != want {
		t.Errorf("Windows line %q, want %q", got, want)
	}
	verifyLine(t, dir, "Get-Content -Encoding UTF8 SHA256SUMS | ForEach-Object")

	for _, prefix := range []string{"sha256sum -c", "shasum -a 256 -c"} {
		line := verifyLine(t, dir, prefix)
		out := mustTool(t, dir, nil, "sh", "-c", line)
		if n := strings.Count(out, ": OK\n"); n != len(payloadFiles)+1 {
			t.Errorf("%s: %d files OK, want %d:\n%s", line, n, len(payloadFiles)+1, out)
		}
	}
}

func TestSealRefuses(t *testing.T) {
	key := newKey(t)
	tests := []struct {
		name      string
		prepare   func(t *testing.T, dir string)
		m         func() Manifest
		key       ed25519.PrivateKey
		principal string
		want      string
	}{
		{name: "subfolder", prepare: func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "extra"), 0o700); err != nil {
				t.Fatal(err)
			}
		}, want: "extra is a folder"},
		{name: "symbolic link", prepare: func(t *testing.T, dir string) {
			if err := os.Symlink("cam2.mp4", filepath.Join(dir, "link.mp4")); err != nil {
				t.Fatal(err)
			}
		}, want: "link.mp4 is a symbolic link"},
		{name: "sealed before", prepare: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ManifestFile), []byte("{}"))
		}, want: "manifest.json is already there"},
		{name: "hidden file", prepare: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".notes"), []byte("x"))
		}, want: `file ".notes": starts with '.'`},
		{name: "clip not in the folder", prepare: func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "cam2.mp4")); err != nil {
				t.Fatal(err)
			}
		}, want: "the manifest is inconsistent: camera cam2: clip cam2.mp4 is not among the files"},
		{name: "gap missing", m: func() Manifest { m := sampleManifest(); m.Cameras[0].Gaps = nil; return m },
			want: "is neither present nor a gap"},
		{name: "schema 2", m: func() Manifest { m := sampleManifest(); m.Schema = 2; return m }, want: "schema 2"},
		{name: "principal with a space", principal: "alice smith", want: `principal "alice smith"`},
		{name: "short key", key: []byte{1, 2, 3}, want: "the key is 3 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writePayload(t, dir)
			if tt.prepare != nil {
				tt.prepare(t, dir)
			}
			m, k, p := sampleManifest(), key, testPrincipal
			if tt.m != nil {
				m = tt.m()
			}
			if tt.key != nil {
				k = tt.key
			}
			if tt.principal != "" {
				p = tt.principal
			}
			err := Seal(context.Background(), dir, m, k, p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			for _, name := range bundleFiles {
				if name == ManifestFile && tt.name == "sealed before" {
					continue
				}
				if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s after a failed Seal: %v", name, err)
				}
			}
		})
	}
}

func TestSealCanceled(t *testing.T) {
	dir := t.TempDir()
	writePayload(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Seal(ctx, dir, sampleManifest(), newKey(t), testPrincipal)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, ManifestFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("manifest.json after a canceled Seal: %v", err)
	}
	// The hashing itself stops, not only the writing after it.
	if _, _, err := HashFile(ctx, dir, "cam2.mp4"); !errors.Is(err, context.Canceled) {
		t.Errorf("hashFile: %v, want context.Canceled", err)
	}
}
