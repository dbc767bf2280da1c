package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"

	"golang.org/x/crypto/ssh"
)

// Namespace is the sshsig namespace of every export signature. A
// signature made for another purpose (git commits, files) does not verify
// in it, and an export signature does not verify in theirs.
const Namespace = "nightjar-export"

// The sshsig format, from OpenSSH's PROTOCOL.sshsig.
const (
	sigMagic   = "SSHSIG"
	sigVersion = 1
	armorBegin = "-----BEGIN SSH SIGNATURE-----"
	armorEnd   = "-----END SSH SIGNATURE-----"
	// armorWidth is where ssh-keygen wraps the base64 text.
	armorWidth = 70
	signHash   = "sha512"
)

// Sign makes a detached sshsig signature over message with an Ed25519 key
// in namespace, hashing the message with SHA-512. It returns the armored
// text byte for byte as `ssh-keygen -Y sign -n namespace` writes it for the
// same key (Ed25519 signatures are deterministic).
func Sign(key ed25519.PrivateKey, namespace string, message io.Reader) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("sign: the key is %d bytes, not an Ed25519 private key", len(key))
	}
	if namespace == "" {
		return nil, errors.New("sign: the namespace is empty")
	}
	digest, err := digestOf(sha512.New(), message)
	if err != nil {
		return nil, fmt.Errorf("sign: read the message: %w", err)
	}
	pub, err := ssh.NewPublicKey(key.Public())
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sig := ed25519.Sign(key, signedData(namespace, signHash, digest))

	blob := []byte(sigMagic)
	blob = binary.BigEndian.AppendUint32(blob, sigVersion)
	blob = appendString(blob, pub.Marshal())
	blob = appendString(blob, []byte(namespace))
	blob = appendString(blob, nil) // reserved
	blob = appendString(blob, []byte(signHash))
	blob = appendString(blob, appendString(appendString(nil, []byte(ssh.KeyAlgoED25519)), sig))
	return armor(blob), nil
}

// VerifySignature checks an armored sshsig signature over message and
// returns the key that made it. It reads version 1 signatures by Ed25519
// keys with a SHA-512 or SHA-256 message hash and an empty reserved field,
// armored with "\n" line ends, and nothing else. The errors are ErrNotSignature, ErrUnsupported, a
// *NamespaceError, ErrMismatch, or a failure to read message.
//
// It proves only that the returned key signed; whether that key is the
// one expected is the caller's question (see Fingerprint).
func VerifySignature(armored []byte, namespace string, message io.Reader) (ed25519.PublicKey, error) {
	blob, err := dearmor(armored)
	if err != nil {
		return nil, err
	}
	s, err := parseSignature(blob)
	if err != nil {
		return nil, err
	}
	if s.namespace != namespace {
		return nil, &NamespaceError{Got: s.namespace, Want: namespace}
	}
	var h hash.Hash
	switch s.hash {
	case "sha512":
		h = sha512.New()
	case "sha256":
		h = sha256.New()
	}
	digest, err := digestOf(h, message)
	if err != nil {
		return nil, fmt.Errorf("signature: read the message: %w", err)
	}
	if !ed25519.Verify(s.key, signedData(s.namespace, s.hash, digest), s.sig) {
		return nil, ErrMismatch
	}
	return s.key, nil
}

// Fingerprint is the key's SHA-256 fingerprint as `ssh-keygen -l` prints
// it: "SHA256:" and the unpadded base64 of the hash of the key's wire form.
// It is the empty string for a key that is not 32 bytes long.
func Fingerprint(pub ed25519.PublicKey) string {
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		return ""
	}
	return ssh.FingerprintSHA256(k)
}

// sshSignature is a parsed sshsig blob.
type sshSignature struct {
	key       ed25519.PublicKey
	namespace string
	hash      string
	sig       []byte
}

func parseSignature(blob []byte) (sshSignature, error) {
	var s sshSignature
	rest, ok := bytes.CutPrefix(blob, []byte(sigMagic))
	if !ok {
		return s, fmt.Errorf("%w (no %s magic)", ErrNotSignature, sigMagic)
	}
	if len(rest) < 4 {
		return s, fmt.Errorf("%w (cut short)", ErrNotSignature)
	}
	if v := binary.BigEndian.Uint32(rest); v != sigVersion {
		return s, fmt.Errorf("%w: version %d; Nightjar reads version %d", ErrUnsupported, v, sigVersion)
	}
	r := wireReader{rest: rest[4:]}
	keyBlob := r.field("public key")
	namespace := r.field("namespace")
	reserved := r.field("reserved field")
	hashName := r.field("hash name")
	sigBlob := r.field("signature")
	r.end()
	if r.err != nil {
		return s, r.err
	}
	if len(namespace) == 0 {
		return s, fmt.Errorf("%w (empty namespace)", ErrNotSignature)
	}
	if len(reserved) != 0 {
		return s, fmt.Errorf("%w: the reserved field is in use", ErrUnsupported)
	}
	switch string(hashName) {
	case "sha512", "sha256":
	default:
		return s, fmt.Errorf("%w: hash %q; Nightjar reads sha512 and sha256", ErrUnsupported, hashName)
	}
	key, err := parseKeyBlob(keyBlob)
	if err != nil {
		return s, err
	}

	r = wireReader{rest: sigBlob}
	sigType := r.field("signature type")
	sig := r.field("signature bytes")
	r.end()
	if r.err != nil {
		return s, r.err
	}
	if string(sigType) != ssh.KeyAlgoED25519 {
		return s, fmt.Errorf("%w: signature type %q; Nightjar reads %s only", ErrUnsupported, sigType, ssh.KeyAlgoED25519)
	}
	if len(sig) != ed25519.SignatureSize {
		return s, fmt.Errorf("%w (an Ed25519 signature of %d bytes)", ErrNotSignature, len(sig))
	}
	return sshSignature{key: key, namespace: string(namespace), hash: string(hashName), sig: sig}, nil
}

// parseKeyBlob reads a public key in the SSH wire form and takes it only
// if it is a plain Ed25519 key.
func parseKeyBlob(b []byte) (ed25519.PublicKey, error) {
	k, err := ssh.ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w (public key: %v)", ErrNotSignature, err)
	}
	if k.Type() != ssh.KeyAlgoED25519 {
		return nil, fmt.Errorf("%w: key type %s; Nightjar reads %s only", ErrUnsupported, k.Type(), ssh.KeyAlgoED25519)
	}
	ck, ok := k.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: key type %s", ErrUnsupported, k.Type())
	}
	pub, ok := ck.CryptoPublicKey().(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: key type %s", ErrUnsupported, k.Type())
	}
	return pub, nil
}

// signedData is what the key signs: the magic, the namespace, the
// reserved field, the hash name and the message's hash.
func signedData(namespace, hashName string, digest []byte) []byte {
	b := []byte(sigMagic)
	b = appendString(b, []byte(namespace))
	b = appendString(b, nil)
	b = appendString(b, []byte(hashName))
	return appendString(b, digest)
}

func digestOf(h hash.Hash, r io.Reader) ([]byte, error) {
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// armor wraps blob as ssh-keygen does: the header line, base64 in lines of
// armorWidth, the footer line, each ending in a newline.
func armor(blob []byte) []byte {
	text := base64.StdEncoding.EncodeToString(blob)
	var b bytes.Buffer
	b.WriteString(armorBegin + "\n")
	for len(text) > armorWidth {
		b.WriteString(text[:armorWidth] + "\n")
		text = text[armorWidth:]
	}
	b.WriteString(text + "\n")
	b.WriteString(armorEnd + "\n")
	return b.Bytes()
}

// dearmor takes the header line, base64 lines of any width and the footer
// line, each ending in "\n", and then nothing but more newlines. Like
// ssh-keygen it refuses "\r\n" line ends; unlike it, it also refuses text
// after the footer.
func dearmor(armored []byte) ([]byte, error) {
	lines := bytes.Split(bytes.TrimRight(armored, "\n"), []byte("\n"))
	if len(lines) < 3 || string(lines[0]) != armorBegin {
		return nil, fmt.Errorf("%w (no %s line first)", ErrNotSignature, armorBegin)
	}
	if string(lines[len(lines)-1]) != armorEnd {
		return nil, fmt.Errorf("%w (no %s line last)", ErrNotSignature, armorEnd)
	}
	blob, err := base64.StdEncoding.Strict().DecodeString(string(bytes.Join(lines[1:len(lines)-1], nil)))
	if err != nil {
		return nil, fmt.Errorf("%w (base64: %v)", ErrNotSignature, err)
	}
	return blob, nil
}

// appendString appends b as an SSH wire string: a 32-bit big-endian
// length, then the bytes.
func appendString(dst, b []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b)))
	return append(dst, b...)
}

// wireReader reads SSH wire strings and keeps the first error.
type wireReader struct {
	rest []byte
	err  error
}

func (r *wireReader) field(what string) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.rest) < 4 {
		r.err = fmt.Errorf("%w (cut short before the %s)", ErrNotSignature, what)
		return nil
	}
	n := binary.BigEndian.Uint32(r.rest)
	if uint64(n) > uint64(len(r.rest)-4) {
		r.err = fmt.Errorf("%w (cut short in the %s)", ErrNotSignature, what)
		return nil
	}
	b := r.rest[4 : 4+n]
	r.rest = r.rest[4+n:]
	return b
}

func (r *wireReader) end() {
	if r.err == nil && len(r.rest) != 0 {
		r.err = fmt.Errorf("%w (%d bytes left over)", ErrNotSignature, len(r.rest))
	}
}
