package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"nightjar/storage/evidence"
)

// A bundle is a folder of payload files that Seal signs; Verify checks it
// against the signer's fingerprint, confirmed out of band. (The
// fingerprint below is what ssh-keygen -l prints for this key.)
func Example() {
	dir, err := os.MkdirTemp("", "bundle")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	clip := filepath.Join(dir, "cam1.mp4")
	if err := os.WriteFile(clip, []byte("...video..."), 0o600); err != nil {
		fmt.Println(err)
		return
	}

	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)) // from the keyring in Nightjar
	from := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	to := from.Add(10 * time.Minute)
	m := evidence.Manifest{
		App: "Nightjar 0.1.0", Created: to.Add(time.Hour), Exporter: "alice", Reason: "incident 42",
		From: from, To: to,
		Cameras: []evidence.Camera{{
			ID: "cam1", Name: "Front door", From: from, To: to,
			Present: []evidence.Span{{From: from, To: to}},
			Clips:   []string{"cam1.mp4"},
		}},
	}
	if err := evidence.Seal(context.Background(), dir, m, key, "alice@example.org"); err != nil {
		fmt.Println(err)
		return
	}

	signer := evidence.Fingerprint(key.Public().(ed25519.PublicKey))
	r := evidence.Verify(context.Background(), dir, signer)
	fmt.Println(r.OK, r.Principal, r.Signer)

	if err := os.WriteFile(clip, []byte("...edited..."), 0o600); err != nil {
		fmt.Println(err)
		return
	}
	r = evidence.Verify(context.Background(), dir, signer)
	fmt.Println(r.OK, r.Problems)
	// Output:
	// true alice@example.org SHA256:z/fSv0Z0RZS+Lccbc6ZoOWwt/fbj1VFJGSBKQbo4icE
	// false [cam1.mp4: 12 bytes, the manifest says 11]
}
