package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// toolTimeout bounds each run of ssh-keygen, sha256sum or shasum.
const toolTimeout = 30 * time.Second

// tool runs name with args in dir, stdin fed from stdin when it is not
// nil, and returns stdout and stderr together. A non-zero exit is err (an
// *exec.ExitError); a program that is missing, does not start or times out
// fails the test.
func tool(t testing.TB, dir string, stdin []byte, name string, args ...string) (string, error) {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed for this test: %v (Debian: bash packaging/install-deps.sh)", name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: no answer in %v", name, strings.Join(args, " "), toolTimeout)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s: %v", name, err)
	}
	return string(out), err
}

// mustTool is tool for a run that must succeed.
func mustTool(t testing.TB, dir string, stdin []byte, name string, args ...string) string {
	t.Helper()
	out, err := tool(t, dir, stdin, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// toolPasses says whether a run exited 0.
func toolPasses(t testing.TB, dir string, stdin []byte, name string, args ...string) bool {
	t.Helper()
	_, err := tool(t, dir, stdin, name, args...)
	return err == nil
}

// sshKeygenKey makes an Ed25519 key with ssh-keygen in dir as key and
// key.pub, and returns both halves as read by x/crypto/ssh.
func sshKeygenKey(t testing.TB, dir, name string) (ed25519.PrivateKey, ed25519.PublicKey) {
	t.Helper()
	mustTool(t, dir, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", name)
	k, _, _, _, err := ssh.ParseAuthorizedKey(readFile(t, filepath.Join(dir, name+".pub")))
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := k.(ssh.CryptoPublicKey).CryptoPublicKey().(ed25519.PublicKey)
	if !ok {
		t.Fatalf("%s.pub: %s, not an Ed25519 key", name, k.Type())
	}
	raw, err := ssh.ParseRawPrivateKey(readFile(t, filepath.Join(dir, name)))
	if err != nil {
		t.Fatal(err)
	}
	priv, ok := raw.(*ed25519.PrivateKey)
	if !ok {
		t.Fatalf("%s: %T, not an Ed25519 key", name, raw)
	}
	return *priv, pub
}

func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func publicOf(key ed25519.PrivateKey) ed25519.PublicKey { return key.Public().(ed25519.PublicKey) }

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// noise is n reproducible bytes that stand in for video.
func noise(t testing.TB, seed uint64, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := mrand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)}).Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// flipByte changes one byte in the middle of the file at path.
func flipByte(t testing.TB, path string) {
	t.Helper()
	b := readFile(t, path)
	b[len(b)/2] ^= 0x01
	writeFile(t, path, b)
}

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// at is t0 plus min minutes.
func at(min float64) time.Time { return t0.Add(time.Duration(min * float64(time.Minute))) }

// payloadFiles are the clips and snapshots of sampleManifest.
var payloadFiles = map[string]int{
	"cam1-original.mp4": 300 << 10,
	"cam1-redacted.mp4": 200 << 10,
	"cam1-0902.png":     20 << 10,
	"cam2.mp4":          250 << 10,
}

// sampleManifest is an export of two cameras over ten minutes: cam1 with
// a two-minute gap and masks, cam2 whole. Files is left for Seal.
func sampleManifest() Manifest {
	berlin := time.FixedZone("CET", 3600)
	return Manifest{
		App:      "Nightjar 0.1.0",
		Created:  time.Date(2026, 3, 14, 11, 30, 0, 0, berlin),
		Exporter: "alice",
		Reason:   "incident 2026-042 <car park> & gate",
		From:     at(0),
		To:       at(10),
		Cameras: []Camera{{
			ID: "cam1", Name: "Front door", Maker: "Acme", Model: "IPC-1",
			From: at(0).In(berlin), To: at(10),
			Present: []Span{{From: at(0), To: at(4)}, {From: at(6), To: at(10), ClipOffset: 240}},
			Gaps:    []Span{{From: at(4), To: at(6)}},
			Segments: []Segment{
				{ID: "cam1/2026-03-14/0900", Start: at(-1), Length: 300, SHA256: strings.Repeat("ab", 32)},
				{ID: "cam1/2026-03-14/0906", Start: at(6), Length: 299.96, SHA256: strings.Repeat("cd", 32)},
			},
			Masks: Masks{Applied: true, Zones: []Zone{
				{ID: "z1", Name: "Neighbour's window", Kind: "privacy", Fill: "#000000", Points: [][2]float64{{0.1, 0.1}, {0.3, 0.1}, {0.3, 0.4}}},
				{ID: "z2", Name: "Plates", Kind: "privacy", Fill: "blur", Points: [][2]float64{{0.5, 0.8}, {0.9, 0.8}, {0.9, 1}, {0.5, 1}}, ExportOnly: true},
			}},
			Clips:     []string{"cam1-redacted.mp4", "cam1-original.mp4"},
			Snapshots: []string{"cam1-0902.png"},
		}, {
			ID: "cam2", Name: "Yard", Maker: "Acme", Model: "IPC-2",
			From: at(0), To: at(10),
			Present:  []Span{{From: at(0), To: at(10)}},
			Segments: []Segment{{ID: "cam2/2026-03-14/0900", Start: at(0), Length: 600, SHA256: strings.Repeat("ef", 32)}},
			Clips:    []string{"cam2.mp4"},
		}},
	}
}

const testPrincipal = "alice@example.org"

// writePayload puts the payload files of sampleManifest into dir.
func writePayload(t testing.TB, dir string) {
	t.Helper()
	seed := uint64(1)
	for name, size := range payloadFiles {
		writeFile(t, filepath.Join(dir, name), noise(t, seed, size))
		seed++
	}
}

// sealedBundle makes a bundle of sampleManifest signed by key and returns
// its folder.
func sealedBundle(t testing.TB, key ed25519.PrivateKey) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writePayload(t, dir)
	if err := Seal(context.Background(), dir, sampleManifest(), key, testPrincipal); err != nil {
		t.Fatal(err)
	}
	return dir
}

// verifyLine is the line of VERIFY.txt that starts with prefix, trimmed.
func verifyLine(t testing.TB, dir, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(string(readFile(t, filepath.Join(dir, VerifyFile))), "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("%s has no line starting with %q", VerifyFile, prefix)
	return ""
}
