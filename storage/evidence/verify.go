package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Report is what Verify found.
type Report struct {
	// OK is true when there are no Problems: the bundle is as its signer
	// sealed it, and signed by wantSigner if one was given.
	OK bool
	// Signer is the Fingerprint of the key that made a valid signature
	// over manifest.json, or "" when there is none.
	Signer string
	// Principal is the allowed_signers principal of that key, or "".
	Principal string
	// Manifest is manifest.json as decoded, or zero if it could not be.
	Manifest Manifest
	// Problems has one sentence per problem found, in a stable order.
	Problems []string
}

// Largest bundle files Verify reads into memory, apart from the manifest.
const (
	maxSignatureSize      = 64 << 10
	maxAllowedSignersSize = 1 << 20
	maxSumsSize           = 16 << 20
)

// Verify checks the bundle in dir and names every problem it finds:
//   - the signature over manifest.json, by a key that allowed_signers
//     lets sign in Namespace;
//   - when wantSigner is not empty, that this key's Fingerprint is
//     wantSigner, a "SHA256:..." fingerprint confirmed out of band.
//     Without it, Verify trusts the bundle's own allowed_signers, which
//     whoever changed the bundle could have replaced along with the
//     signature;
//   - the manifest: that it decodes, names the key that signed it and
//     passes Manifest.Check;
//   - every file the manifest lists: there, a regular file, of its size
//     and SHA-256; and no other file or folder in dir besides the five
//     bundle files;
//   - SHA256SUMS: that it lists the manifest's files and manifest.json
//     with the same hashes, and nothing else.
//
// A problem that rules out some checks does not stop the others: without a
// readable manifest, Verify still checks the files against SHA256SUMS. ctx
// stops the hashing; the report then says the check did not finish.
func Verify(ctx context.Context, dir string, wantSigner string) Report {
	v := &verifier{ctx: ctx, dir: dir, hashes: map[string]hashed{}}
	v.run(wantSigner)
	if err := ctx.Err(); err != nil {
		v.p.add("verify: stopped before the end (%v), so the bundle is not checked", err)
	}
	v.report.Problems = v.p.list
	v.report.OK = len(v.p.list) == 0
	return v.report
}

type verifier struct {
	ctx    context.Context
	dir    string
	p      problems
	report Report
	hashes map[string]hashed // by file name, so no file is read twice
}

type hashed struct {
	size   int64
	sha256 string
	err    error
}

func (v *verifier) run(wantSigner string) {
	if wantSigner != "" && !isFingerprint(wantSigner) {
		v.p.add("the expected signer %q is not a key fingerprint (SHA256: and 43 characters)", wantSigner)
	}
	if _, err := os.ReadDir(v.dir); err != nil {
		v.p.add("bundle: %v", err)
		return
	}
	body, haveBody := v.read(ManifestFile, MaxManifestSize)
	sig, haveSig := v.read(SignatureFile, maxSignatureSize)
	signers, haveSigners := v.read(AllowedSignersFile, maxAllowedSignersSize)
	sums, haveSums := v.read(SumsFile, maxSumsSize)
	if _, err := os.Lstat(filepath.Join(v.dir, VerifyFile)); err != nil {
		v.p.add("%s: %s", VerifyFile, describe(err))
	}

	if haveBody && haveSig {
		v.checkSignature(body, sig, signers, haveSigners, wantSigner)
	}
	var m Manifest
	haveManifest := false
	if haveBody {
		var err error
		if m, err = DecodeManifest(body); err != nil {
			v.p.add("%v", err)
		} else {
			haveManifest = true
			v.report.Manifest = m
		}
	}
	if haveManifest && v.report.Signer != "" && m.Signer != v.report.Signer {
		v.p.add("manifest: names the signer %s, but %s signed it", m.Signer, v.report.Signer)
	}

	var entries []sumEntry
	if haveSums {
		var bad []string
		entries, bad = parseSums(sums)
		v.p.list = append(v.p.list, bad...)
	}
	var listed *Manifest
	if haveManifest {
		listed = &m
	}
	v.checkPayload(listed, entries, haveSums, body, haveBody)
	if haveManifest {
		for _, s := range m.Check() {
			v.p.add("manifest: %s", s)
		}
	}
}

// checkPayload checks the files in dir against the manifest m, or when
// there is none (m nil) against SHA256SUMS, then SHA256SUMS against both.
func (v *verifier) checkPayload(m *Manifest, entries []sumEntry, haveSums bool, body []byte, haveBody bool) {
	expected := map[string]bool{}
	switch {
	case m != nil:
		v.checkFiles(*m)
		for _, f := range m.Files {
			expected[f.Name] = true
		}
	case haveSums:
		v.checkFilesAgainstSums(entries)
		for _, e := range entries {
			expected[e.name] = true
		}
	default:
		return // nothing says which files belong
	}
	v.checkExtra(expected)
	switch {
	case m != nil && haveSums:
		files := make(map[string]string, len(m.Files))
		for _, f := range m.Files {
			files[f.Name] = f.SHA256
		}
		v.p.list = append(v.p.list, compareSums(entries, files, hashHex(body))...)
	case haveSums && haveBody:
		v.checkManifestSum(entries, body)
	}
}

// read reads a small bundle file whole, or adds a problem.
func (v *verifier) read(name string, max int64) ([]byte, bool) {
	path := filepath.Join(v.dir, name)
	fi, err := os.Lstat(path)
	if err != nil {
		v.p.add("%s: %s", name, describe(err))
		return nil, false
	}
	if !fi.Mode().IsRegular() {
		v.p.add("%s: %v", name, errNotRegular)
		return nil, false
	}
	f, err := os.Open(path)
	if err != nil {
		v.p.add("%s: %v", name, err)
		return nil, false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	switch {
	case err != nil:
		v.p.add("%s: %v", name, err)
		return nil, false
	case int64(len(b)) > max:
		v.p.add("%s: larger than the %d bytes allowed", name, max)
		return nil, false
	}
	return b, true
}

func (v *verifier) checkSignature(body, sig, signers []byte, haveSigners bool, wantSigner string) {
	pub, err := VerifySignature(sig, Namespace, bytes.NewReader(body))
	if err != nil {
		v.p.add("%v", err)
		return
	}
	fp := Fingerprint(pub)
	v.report.Signer = fp
	if wantSigner != "" && fp != wantSigner {
		v.p.add("signature: not made by %s; made by %s", wantSigner, fp)
	}
	if !haveSigners {
		return
	}
	list, err := ParseAllowedSigners(signers)
	if err != nil {
		v.p.add("%v", err)
		return
	}
	listed := false
	for _, s := range list {
		if !s.Key.Equal(pub) {
			continue
		}
		listed = true
		if s.allows(Namespace) {
			v.report.Principal = s.Principal
			return
		}
	}
	if listed {
		v.p.add("%s: the signing key %s may not sign in namespace %s", AllowedSignersFile, fp, Namespace)
	} else {
		v.p.add("%s: does not list the signing key %s", AllowedSignersFile, fp)
	}
}

// checkFiles compares each file the manifest lists with the one in dir.
func (v *verifier) checkFiles(m Manifest) {
	for _, f := range m.Files {
		if checkName(f.Name) != "" {
			continue // Check names it; it is not opened
		}
		h := v.hash(f.Name)
		switch {
		case h.err != nil:
			v.p.add("%s: %s", f.Name, describe(h.err))
		case h.size != f.Size:
			v.p.add("%s: %d bytes, the manifest says %d", f.Name, h.size, f.Size)
		case h.sha256 != f.SHA256:
			v.p.add("%s: hash mismatch", f.Name)
		}
	}
}

// checkFilesAgainstSums compares the files with SHA256SUMS when there is
// no manifest to compare them with.
func (v *verifier) checkFilesAgainstSums(entries []sumEntry) {
	for _, e := range entries {
		if e.name == ManifestFile {
			continue
		}
		h := v.hash(e.name)
		switch {
		case h.err != nil:
			v.p.add("%s: %s", e.name, describe(h.err))
		case h.sha256 != e.sha256:
			v.p.add("%s: hash mismatch (against %s)", e.name, SumsFile)
		}
	}
}

// checkManifestSum compares a manifest.json that cannot be read with its
// line in SHA256SUMS.
func (v *verifier) checkManifestSum(entries []sumEntry, body []byte) {
	for _, e := range entries {
		if e.name == ManifestFile {
			if e.sha256 != hashHex(body) {
				v.p.add("%s: the hash of %s is not that of the %s here", SumsFile, ManifestFile, ManifestFile)
			}
			return
		}
	}
	v.p.add("%s: does not list %s", SumsFile, ManifestFile)
}

// checkExtra names every entry of dir that is neither expected nor a
// bundle file.
func (v *verifier) checkExtra(expected map[string]bool) {
	entries, err := os.ReadDir(v.dir)
	if err != nil {
		v.p.add("bundle: %v", err)
		return
	}
	for _, e := range entries {
		switch {
		case expected[e.Name()] || isBundleFile(e.Name()):
		case e.IsDir():
			v.p.add("extra folder: %s", e.Name())
		default:
			v.p.add("extra file: %s", e.Name())
		}
	}
}

func (v *verifier) hash(name string) hashed {
	if h, ok := v.hashes[name]; ok {
		return h
	}
	var h hashed
	h.size, h.sha256, h.err = HashFile(v.ctx, v.dir, name)
	v.hashes[name] = h
	return h
}

// describe is the problem text for an error about a file, after its name.
func describe(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "missing"
	case errors.Is(err, errNotRegular):
		return errNotRegular.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "not checked: " + err.Error()
	}
	return err.Error()
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// isFingerprint says whether s has the form Fingerprint returns.
func isFingerprint(s string) bool {
	enc, ok := strings.CutPrefix(s, "SHA256:")
	if !ok {
		return false
	}
	b, err := base64.RawStdEncoding.Strict().DecodeString(enc)
	return err == nil && len(b) == sha256.Size
}
