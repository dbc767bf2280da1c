package evidence

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
)

// FuzzDecodeManifest: no input makes DecodeManifest or Check panic, and a
// manifest that decodes encodes to bytes that decode to the same manifest.
// Seeds are in testdata/fuzz/FuzzDecodeManifest.
func FuzzDecodeManifest(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeManifest(b)
		if err != nil {
			return
		}
		m.Check()
		enc, err := m.Encode()
		if err != nil {
			return // a year outside 0..9999 once in UTC: never written by Seal
		}
		again, err := DecodeManifest(enc)
		if err != nil {
			t.Fatalf("Encode wrote what DecodeManifest refuses: %v\n%s", err, enc)
		}
		enc2, err := again.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed\n%s\ninto\n%s", enc, enc2)
		}
	})
}

// FuzzVerifySignature: no input makes VerifySignature panic, and one it
// takes was made by a 32-byte key.
func FuzzVerifySignature(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	sig, err := Sign(key, Namespace, bytes.NewReader([]byte("m")))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sig, []byte("m"))
	f.Add(sig, []byte("n"))
	f.Add([]byte(armorBegin+"\nU1NIU0lH\n"+armorEnd+"\n"), []byte{})
	f.Add([]byte(armorBegin+"\nU1NIU0lHAAAAAQAAAAA=\n"+armorEnd+"\n"), []byte{})
	f.Fuzz(func(t *testing.T, armored, msg []byte) {
		pub, err := VerifySignature(armored, Namespace, bytes.NewReader(msg))
		if err == nil && len(pub) != ed25519.PublicKeySize {
			t.Fatalf("accepted with a %d-byte key", len(pub))
		}
	})
}

// FuzzParseAllowedSigners: no input makes ParseAllowedSigners panic, and
// what it returns has a principal and a 32-byte key.
func FuzzParseAllowedSigners(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, ed25519.SeedSize))
	line := AllowedSigners("alice", publicOf(key))
	f.Add(line)
	f.Add(append([]byte("# c\r\n\r\n"), bytes.Replace(line, []byte("alice"), []byte(`"a b",c`), 1)...))
	f.Add(bytes.Replace(line, []byte(`namespaces="nightjar-export"`), []byte(`namespaces="*,!x",cert-authority`), 1))
	f.Add([]byte(`a namespaces="`))
	f.Fuzz(func(t *testing.T, b []byte) {
		signers, err := ParseAllowedSigners(b)
		if err != nil {
			return
		}
		for _, s := range signers {
			if s.Principal == "" || len(s.Key) != ed25519.PublicKeySize {
				t.Fatalf("read %+v", s)
			}
			s.allows(Namespace)
		}
	})
}

// FuzzParseSums: no input makes parseSums panic, entries have plain names
// and hex hashes, and formatSums writes them back readably.
func FuzzParseSums(f *testing.F) {
	f.Add([]byte("0000000000000000000000000000000000000000000000000000000000000000  cam1.mp4\n"))
	f.Add([]byte("ABCDEF0000000000000000000000000000000000000000000000000000000000 *../x\nshort\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, problems := parseSums(b)
		// Every line is read as an entry or named as a problem.
		lines := strings.Count(string(b), "\n")
		if len(b) > 0 && b[len(b)-1] != '\n' {
			lines++
		}
		if len(entries)+len(problems) != lines {
			t.Fatalf("%d lines gave %d entries and %d problems", lines, len(entries), len(problems))
		}
		for _, e := range entries {
			if checkName(e.name) != "" || !isHexSHA256(e.sha256) {
				t.Fatalf("read %+v", e)
			}
		}
		again, bad := parseSums(formatSums(entries))
		if len(bad) != 0 || len(again) != len(entries) {
			t.Fatalf("formatSums of %+v reads back as %+v, %q", entries, again, bad)
		}
	})
}
