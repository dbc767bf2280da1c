package evidence

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// messages are what the signature tests sign: empty, text, and more than
// one read buffer of binary.
func messages(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"empty":  {},
		"text":   []byte("hello\n"),
		"binary": noise(t, 9, 300<<10),
	}
}

// Ed25519 is deterministic, so ssh-keygen and Sign must write the same
// bytes for the same key and message.
func TestSignMatchesSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	priv, pub := sshKeygenKey(t, dir, "key")
	if !priv.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatal("ssh-keygen's private and public key files do not match")
	}
	for name, msg := range messages(t) {
		t.Run(name, func(t *testing.T) {
			writeFile(t, filepath.Join(dir, name), msg)
			mustTool(t, dir, nil, "ssh-keygen", "-Y", "sign", "-f", "key", "-n", Namespace, name)
			want := readFile(t, filepath.Join(dir, name+".sig"))
			got, err := Sign(priv, Namespace, bytes.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Sign wrote\n%s\nssh-keygen wrote\n%s", got, want)
			}
		})
	}
}

// (a) ssh-keygen accepts what Sign and AllowedSigners write, and refuses
// it for a message changed in one byte.
func TestSSHKeygenVerifiesSign(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	writeFile(t, filepath.Join(dir, "allowed_signers"), AllowedSigners(testPrincipal, publicOf(key)))
	for name, msg := range messages(t) {
		t.Run(name, func(t *testing.T) {
			sig, err := Sign(key, Namespace, bytes.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "sig"), sig)
			args := []string{"-Y", "verify", "-f", "allowed_signers", "-I", testPrincipal, "-n", Namespace, "-s", "sig"}
			out := mustTool(t, dir, msg, "ssh-keygen", args...)
			if want := `Good "nightjar-export" signature for ` + testPrincipal + " with ED25519 key " + Fingerprint(publicOf(key)); strings.TrimSpace(out) != want {
				t.Errorf("ssh-keygen said %q, want %q", out, want)
			}
			changed := append([]byte(nil), msg...)
			if len(changed) == 0 {
				changed = []byte{0}
			} else {
				changed[len(changed)/2] ^= 0x80
			}
			if toolPasses(t, dir, changed, "ssh-keygen", args...) {
				t.Error("ssh-keygen accepts the signature for a changed message")
			}
		})
	}
}

// (b) VerifySignature accepts what ssh-keygen signs, with either hash, and
// returns ssh-keygen's key.
func TestVerifySignatureFromSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	_, pub := sshKeygenKey(t, dir, "key")
	for _, hash := range []string{"sha512", "sha256"} {
		for name, msg := range messages(t) {
			t.Run(hash+"/"+name, func(t *testing.T) {
				file := hash + "-" + name
				writeFile(t, filepath.Join(dir, file), msg)
				mustTool(t, dir, nil, "ssh-keygen", "-Y", "sign", "-f", "key", "-n", Namespace, "-O", "hashalg="+hash, file)
				sig := readFile(t, filepath.Join(dir, file+".sig"))
				got, err := VerifySignature(sig, Namespace, bytes.NewReader(msg))
				if err != nil {
					t.Fatal(err)
				}
				if !got.Equal(pub) {
					t.Errorf("signer %x, want the key of key.pub %x", got, pub)
				}
				changed := append(append([]byte(nil), msg...), '!')
				if _, err := VerifySignature(sig, Namespace, bytes.NewReader(changed)); !errors.Is(err, ErrMismatch) {
					t.Errorf("changed message: %v, want ErrMismatch", err)
				}
			})
		}
	}
}

// (c) A signature made for another namespace fails both ways.
func TestNamespaceRejected(t *testing.T) {
	dir := t.TempDir()
	priv, pub := sshKeygenKey(t, dir, "key")
	msg := []byte("manifest\n")
	writeFile(t, filepath.Join(dir, "msg"), msg)

	mustTool(t, dir, nil, "ssh-keygen", "-Y", "sign", "-f", "key", "-n", "file", "msg")
	_, err := VerifySignature(readFile(t, filepath.Join(dir, "msg.sig")), Namespace, bytes.NewReader(msg))
	var nsErr *NamespaceError
	if !errors.As(err, &nsErr) {
		t.Fatalf("ssh-keygen's signature in namespace file: %v, want a NamespaceError", err)
	}
	if want := `signature: namespace is "file", want "nightjar-export"`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}

	// ssh-keygen, given a line that allows every namespace, still refuses
	// Sign's signature in namespace file when asked for nightjar-export.
	sig, err := Sign(priv, "file", bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "ours.sig"), sig)
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "any_namespace"), append([]byte(testPrincipal+" "), ssh.MarshalAuthorizedKey(k)...))
	base := []string{"-Y", "verify", "-f", "any_namespace", "-I", testPrincipal, "-s", "ours.sig", "-n"}
	if !toolPasses(t, dir, msg, "ssh-keygen", append(base, "file")...) {
		t.Fatal("ssh-keygen refuses Sign's signature in its own namespace; the next check would prove nothing")
	}
	if toolPasses(t, dir, msg, "ssh-keygen", append(base, Namespace)...) {
		t.Error("ssh-keygen accepts a signature in namespace file as nightjar-export")
	}
}

// (d) Fingerprint is what ssh-keygen -l prints.
func TestFingerprintMatchesSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"k1", "k2", "k3"} {
		_, pub := sshKeygenKey(t, dir, name)
		fields := strings.Fields(mustTool(t, dir, nil, "ssh-keygen", "-lf", name+".pub"))
		if len(fields) < 2 {
			t.Fatalf("ssh-keygen -lf printed %q", fields)
		}
		if got := Fingerprint(pub); got != fields[1] {
			t.Errorf("%s: Fingerprint %q, ssh-keygen %q", name, got, fields[1])
		}
	}
	if got := Fingerprint(ed25519.PublicKey{1, 2, 3}); got != "" {
		t.Errorf("Fingerprint of a 3-byte key: %q, want empty", got)
	}
}

// sigParts are the fields of an sshsig blob, for building bad ones.
type sigParts struct {
	magic     string
	version   uint32
	key       []byte
	namespace string
	reserved  string
	hash      string
	sigType   string
	sig       []byte
	trailing  []byte
}

func (p sigParts) blob() []byte {
	b := binary.BigEndian.AppendUint32([]byte(p.magic), p.version)
	b = appendString(b, p.key)
	b = appendString(b, []byte(p.namespace))
	b = appendString(b, []byte(p.reserved))
	b = appendString(b, []byte(p.hash))
	b = appendString(b, appendString(appendString(nil, []byte(p.sigType)), p.sig))
	return append(b, p.trailing...)
}

func TestVerifySignatureRejectsMalformed(t *testing.T) {
	key := newKey(t)
	pubKey, err := ssh.NewPublicKey(publicOf(key))
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ssh.NewPublicKey(&ec.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("manifest")
	digest, err := digestOf(sha512.New(), bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	good := sigParts{magic: "SSHSIG", version: 1, key: pubKey.Marshal(), namespace: Namespace, hash: "sha512",
		sigType: "ssh-ed25519", sig: ed25519.Sign(key, signedData(Namespace, "sha512", digest))}

	tests := []struct {
		name   string
		change func(p *sigParts)
		blob   func(b []byte) []byte
		want   error // nil: accepted
	}{
		{name: "good", want: nil},
		{name: "magic", change: func(p *sigParts) { p.magic = "SSHSIH" }, want: ErrNotSignature},
		{name: "version 2", change: func(p *sigParts) { p.version = 2 }, want: ErrUnsupported},
		{name: "version 0", change: func(p *sigParts) { p.version = 0 }, want: ErrUnsupported},
		{name: "reserved in use", change: func(p *sigParts) { p.reserved = "tag" }, want: ErrUnsupported},
		{name: "hash md5", change: func(p *sigParts) { p.hash = "md5" }, want: ErrUnsupported},
		{name: "ecdsa key", change: func(p *sigParts) { p.key = ecKey.Marshal() }, want: ErrUnsupported},
		{name: "key blob junk", change: func(p *sigParts) { p.key = []byte("junk") }, want: ErrNotSignature},
		{name: "signature type rsa", change: func(p *sigParts) { p.sigType = "rsa-sha2-512" }, want: ErrUnsupported},
		{name: "short signature", change: func(p *sigParts) { p.sig = p.sig[:63] }, want: ErrNotSignature},
		{name: "empty namespace", change: func(p *sigParts) { p.namespace = "" }, want: ErrNotSignature},
		{name: "trailing bytes", change: func(p *sigParts) { p.trailing = []byte{0} }, want: ErrNotSignature},
		{name: "cut short", blob: func(b []byte) []byte { return b[:len(b)-10] }, want: ErrNotSignature},
		{name: "length past the end", blob: func(b []byte) []byte { return append(b[:len(b)-1:len(b)-1], 0xff, 0xff, 0xff, 0xff) }, want: ErrNotSignature},
		{name: "only magic", blob: func(b []byte) []byte { return []byte("SSHSIG") }, want: ErrNotSignature},
		{name: "other signature bytes", change: func(p *sigParts) { p.sig = ed25519.Sign(key, []byte("other")) }, want: ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			if tt.change != nil {
				tt.change(&p)
			}
			b := p.blob()
			if tt.blob != nil {
				b = tt.blob(b)
			}
			got, err := VerifySignature(armor(b), Namespace, bytes.NewReader(msg))
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want == nil && !got.Equal(publicOf(key)):
				t.Fatalf("signer %x, want %x", got, publicOf(key))
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}

// TestDearmor reads variants of the armor, and has ssh-keygen read them
// too: the verdicts differ only where noted.
func TestDearmor(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	msg := []byte("m")
	writeFile(t, filepath.Join(dir, "allowed_signers"), AllowedSigners(testPrincipal, publicOf(key)))
	sig, err := Sign(key, Namespace, bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	s := string(sig)
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	body := strings.Join(lines[1:len(lines)-1], "")
	tests := []struct {
		name      string
		text      string
		ok        bool // VerifySignature takes it
		sshKeygen bool // ssh-keygen -Y verify takes it
	}{
		{"as written", s, true, true},
		{"no final newline", strings.TrimSuffix(s, "\n"), true, true},
		{"blank lines after", s + "\n\n", true, true},
		{"one long line", armorBegin + "\n" + body + "\n" + armorEnd + "\n", true, true},
		{"76 columns", armorBegin + "\n" + body[:76] + "\n" + body[76:] + "\n" + armorEnd + "\n", true, true},
		{"crlf", strings.ReplaceAll(s, "\n", "\r\n"), false, false},
		{"text before", "Signature:\n" + s, false, false},
		{"text after: refused here, unlike ssh-keygen", s + "more\n", false, true},
		{"no footer", strings.TrimSuffix(s, armorEnd+"\n"), false, false},
		{"another footer", strings.Replace(s, armorEnd, "-----END PGP SIGNATURE-----", 1), false, false},
		{"no body", armorBegin + "\n" + armorEnd + "\n", false, false},
		{"bad base64", strings.Replace(s, body[:4], "!!!!", 1), false, false},
		{"ssh public key", "ssh-ed25519 AAAA\n", false, false},
		{"empty", "", false, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifySignature([]byte(tt.text), Namespace, bytes.NewReader(msg))
			if tt.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tt.ok && !errors.Is(err, ErrNotSignature) {
				t.Errorf("error %v, want ErrNotSignature", err)
			}
			file := fmt.Sprintf("sig%d", i)
			writeFile(t, filepath.Join(dir, file), []byte(tt.text))
			got := toolPasses(t, dir, msg, "ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", testPrincipal, "-n", Namespace, "-s", file)
			if got != tt.sshKeygen {
				t.Errorf("ssh-keygen takes it: %v, the test says %v", got, tt.sshKeygen)
			}
		})
	}
}

func TestSignRefuses(t *testing.T) {
	if _, err := Sign(ed25519.PrivateKey{1, 2}, Namespace, strings.NewReader("m")); err == nil {
		t.Error("Sign with a 2-byte key: no error")
	}
	if _, err := Sign(newKey(t), "", strings.NewReader("m")); err == nil {
		t.Error("Sign in the empty namespace: no error")
	}
	if _, err := Sign(newKey(t), Namespace, errReader{}); err == nil {
		t.Error("Sign of a message that cannot be read: no error")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }
