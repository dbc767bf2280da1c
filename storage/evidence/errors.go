package evidence

import (
	"errors"
	"fmt"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNotSignature: the bytes are not an armored SSH signature, or its
	// blob is cut short or has bytes left over.
	ErrNotSignature = errors.New("signature: not an SSH signature")
	// ErrUnsupported: an SSH signature, but of a version, hash or key
	// type this package does not read, or with a reserved field in use.
	ErrUnsupported = errors.New("signature: format not supported")
	// ErrMismatch: the signature is well formed but does not fit the
	// message, so the message or the signature was changed.
	ErrMismatch = errors.New("signature: does not match the manifest")
	// ErrSchema: a manifest of a schema version this package does not
	// know, usually from a newer Nightjar.
	ErrSchema = errors.New("manifest: schema not known")
)

// NamespaceError is a signature made for another namespace than the one
// asked for: a signature made for some other purpose, which must not count
// as a signature over an export.
type NamespaceError struct {
	Got  string // the namespace in the signature
	Want string // the namespace asked for
}

func (e *NamespaceError) Error() string {
	return fmt.Sprintf("signature: namespace is %q, want %q", e.Got, e.Want)
}
