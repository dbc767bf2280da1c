package recording

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
)

// DamageError says why a segment failed its check. It is never played.
type DamageError struct {
	File   string
	Reason string
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("segment %s is damaged: %s", e.File, e.Reason)
}

func damaged(file, format string, args ...any) error {
	return &DamageError{File: file, Reason: fmt.Sprintf(format, args...)}
}

// IsDamaged reports whether err is a DamageError.
func IsDamaged(err error) bool {
	var d *DamageError
	return errors.As(err, &d)
}

// expect is what the catalogue says about a segment.
type expect struct {
	header Header
	size   int64  // 0 when unknown (open rows)
	sha256 string // "" when unknown
}

// checkCiphertext compares the file's size and hash with the catalogue.
func checkCiphertext(path string, want expect) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return damaged(path, "the file is missing")
		}
		return fmt.Errorf("open segment: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("read segment: %w", err)
	}
	if want.size > 0 && n != want.size {
		return damaged(path, "size is %d bytes, the catalogue says %d (truncated or appended to)", n, want.size)
	}
	if want.sha256 != "" && hex.EncodeToString(h.Sum(nil)) != want.sha256 {
		return damaged(path, "contents changed since it was recorded (SHA-256 mismatch)")
	}
	return nil
}

// decrypt streams the checked plaintext of path to dst. It returns a
// DamageError for anything but a whole, authentic segment with the expected
// binding, and the scan of what it read. dst receives plaintext only after
// the binding packet matched, and may have received a prefix when decrypt
// fails later; callers that must not show damaged data check the ciphertext
// first.
func decrypt(path string, id age.Identity, want expect, dst io.Writer) (*tsScan, error) {
	if err := checkCiphertext(path, want); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open segment: %w", err)
	}
	defer f.Close()
	r, err := age.Decrypt(bufio.NewReaderSize(f, 256<<10), id)
	if err != nil {
		return nil, damaged(path, "the age header does not open with the day key: %v", err)
	}
	scan := newTSScan()
	pkt := make([]byte, tsPacketSize)
	first := true
	for {
		_, err := io.ReadFull(r, pkt)
		if err == io.EOF {
			break
		}
		if err == io.ErrUnexpectedEOF {
			return scan, damaged(path, "ends inside an MPEG-TS packet or before the end of the encrypted stream")
		}
		if err != nil {
			return scan, damaged(path, "%v", err)
		}
		if first {
			h, err := parseHeader(pkt)
			if err != nil {
				return scan, damaged(path, "%v", err)
			}
			if m := h.mismatch(want.header); m != "" {
				return scan, damaged(path, "%s", m)
			}
			first = false
		} else {
			scan.packet(pkt)
			if err := scan.err(); err != nil {
				return scan, damaged(path, "%v", err)
			}
		}
		if dst != nil {
			if _, err := dst.Write(pkt); err != nil {
				return scan, err
			}
		}
	}
	if first {
		return scan, damaged(path, "is empty")
	}
	return scan, nil
}

// Verified is what a successful check learned.
type Verified struct {
	Duration time.Duration
	Packets  int64
}
