package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// The bundle files, which Manifest.Files leaves out.
const (
	ManifestFile       = "manifest.json"
	SignatureFile      = "manifest.json.sig"
	AllowedSignersFile = "allowed_signers"
	SumsFile           = "SHA256SUMS"
	VerifyFile         = "VERIFY.txt"
)

var bundleFiles = []string{AllowedSignersFile, SumsFile, VerifyFile, ManifestFile, SignatureFile}

func isBundleFile(name string) bool { return slices.Contains(bundleFiles, name) }

// Seal turns dir, which holds the payload files (clips, snapshots) and
// nothing else, into a signed bundle. It hashes every file into m.Files
// (sorted by name), sets m.Signer to the key's Fingerprint and m.Schema to
// SchemaVersion, refuses a manifest that fails Check, and writes
// manifest.json, manifest.json.sig (Sign over those exact bytes),
// allowed_signers (AllowedSigners with principal), SHA256SUMS (the payload
// files and manifest.json) and VERIFY.txt (how to check all this with
// standard tools). m.Files and m.Signer as given are ignored.
//
// A folder, a symbolic link or any other non-regular file in dir is an
// error, and so is a bundle file already there: a folder is sealed once.
// Each file is written with mode 0600 to a temporary name, synced and
// renamed, manifest.json.sig last, then dir is synced; dir's own mode is
// the caller's business. ctx stops the hashing, which for hours of video
// takes a while.
func Seal(ctx context.Context, dir string, m Manifest, key ed25519.PrivateKey, principal string) error {
	if len(key) != ed25519.PrivateKeySize {
		return fmt.Errorf("seal %s: the key is %d bytes, not an Ed25519 private key", dir, len(key))
	}
	if err := CheckPrincipal(principal); err != nil {
		return fmt.Errorf("seal %s: %w", dir, err)
	}
	switch m.Schema {
	case 0:
		m.Schema = SchemaVersion
	case SchemaVersion:
	default:
		return fmt.Errorf("seal %s: %w: schema %d; this Nightjar writes schema %d", dir, ErrSchema, m.Schema, SchemaVersion)
	}
	files, err := hashPayload(ctx, dir)
	if err != nil {
		return fmt.Errorf("seal %s: %w", dir, err)
	}
	pub := key.Public().(ed25519.PublicKey)
	m.Files, m.Signer = files, Fingerprint(pub)
	if p := m.Check(); len(p) > 0 {
		return fmt.Errorf("seal %s: the manifest is inconsistent: %s", dir, strings.Join(p, "; "))
	}
	body, err := m.Encode()
	if err != nil {
		return fmt.Errorf("seal %s: %w", dir, err)
	}
	sig, err := Sign(key, Namespace, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("seal %s: %w", dir, err)
	}
	sums := make([]sumEntry, 0, len(files)+1)
	for _, f := range files {
		sums = append(sums, sumEntry{name: f.Name, sha256: f.SHA256})
	}
	sum := sha256.Sum256(body)
	sums = append(sums, sumEntry{name: ManifestFile, sha256: hex.EncodeToString(sum[:])})
	slices.SortFunc(sums, func(a, b sumEntry) int { return strings.Compare(a.name, b.name) })

	writes := []struct {
		name string
		data []byte
	}{
		{SumsFile, formatSums(sums)},
		{AllowedSignersFile, AllowedSigners(principal, pub)},
		{VerifyFile, verifyText(principal, m.Signer)},
		{ManifestFile, body},
		{SignatureFile, sig},
	}
	for _, w := range writes {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("seal %s: %w", dir, err)
		}
		if err := writeFileSynced(dir, w.name, w.data); err != nil {
			return fmt.Errorf("seal %s: %w", dir, err)
		}
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("seal %s: %w", dir, err)
	}
	return nil
}

// hashPayload hashes every file in dir, which must all be plain payload
// files, into a list sorted by name.
func hashPayload(ctx context.Context, dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		switch {
		case isBundleFile(name):
			return nil, fmt.Errorf("%s is already there; a folder is sealed once", name)
		case e.IsDir():
			return nil, fmt.Errorf("%s is a folder; a bundle holds files only", name)
		case e.Type()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("%s is a symbolic link; a bundle holds files only", name)
		case !e.Type().IsRegular():
			return nil, fmt.Errorf("%s is not a regular file", name)
		}
		if why := checkName(name); why != "" {
			return nil, fmt.Errorf("file %q: %s", name, why)
		}
		size, sum, err := HashFile(ctx, dir, name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: name, Size: size, SHA256: sum})
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// errNotRegular is a bundle entry that is a folder, a link or a device.
var errNotRegular = errors.New("not a regular file")

// HashFile returns the size and SHA-256 (hex) of the regular file name
// (a path relative to dir) in dir, reading until ctx ends. It does not follow a symbolic link, and fails if the file is
// swapped between the look and the open.
func HashFile(ctx context.Context, dir, name string) (int64, string, error) {
	path := filepath.Join(dir, name)
	before, err := os.Lstat(path)
	if err != nil {
		return 0, "", err
	}
	if !before.Mode().IsRegular() {
		return 0, "", fmt.Errorf("%s: %w", name, errNotRegular)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	after, err := f.Stat()
	if err != nil {
		return 0, "", err
	}
	if !os.SameFile(before, after) {
		return 0, "", fmt.Errorf("%s: replaced while being opened", name)
	}
	h := sha256.New()
	n, err := io.CopyBuffer(h, ctxReader{ctx, f}, make([]byte, 1<<20))
	if err != nil {
		return 0, "", fmt.Errorf("hash %s: %w", name, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// writeFileSynced writes data to dir/name through a temporary file that
// is synced, closed and renamed into place.
func writeFileSynced(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// syncDir makes the renames in dir durable. On Windows a folder cannot be
// opened for syncing, so there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return d.Close()
}
