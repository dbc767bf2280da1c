package recording

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nightjar/storage/catalog"
)

// rekeyedSuffix ends the file name of a segment re-encrypted off a shared
// day key. The new file sits beside the old, so the row switches from one
// whole file to the other in one catalogue update.
const rekeyedSuffix = ".rekeyed.ts.age"

// rekey re-encrypts row from its shared day key to its camera's own key of
// the day. The plaintext is checked against the row (size, hash, binding)
// while it is copied, and never reaches the disk. Order: write and fsync
// the new file, point the row at it, then remove the old file; a crash
// leaves one of the two without a row, which Recover removes.
func (s *Store) rekey(ctx context.Context, row catalog.Segment) error {
	old, err := s.Keys.Identity(ctx, row.KeyID())
	if err != nil {
		return fmt.Errorf("re-encrypt %s: %w", row.File, err)
	}
	key := KeyOf(row.Day, row.CameraID)
	rcpt, err := s.Keys.Recipient(ctx, key)
	if err != nil {
		return fmt.Errorf("re-encrypt %s: %w", row.File, err)
	}
	rel := strings.TrimSuffix(strings.TrimSuffix(row.File, rekeyedSuffix), ".ts.age") + rekeyedSuffix
	if rel == row.File {
		return fmt.Errorf("re-encrypt %s: it was re-encrypted before", row.File)
	}
	path := filepath.Join(s.Dir, filepath.FromSlash(rel))
	// A leftover of an interrupted re-key has no row.
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("re-encrypt %s: %w", row.File, err)
	}
	w, err := createFile(path, rcpt, expectOf(row).header, 0, time.Hour, nil)
	if err != nil {
		return fmt.Errorf("re-encrypt %s: %w", row.File, err)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	_, err = decrypt(s.Path(row), old, expectOf(row), &skipWriter{w: bw, skip: tsPacketSize})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		w.Abort()
		os.Remove(path)
		return fmt.Errorf("re-encrypt %s: %w", row.File, err)
	}
	size, sum, err := w.Close()
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("re-encrypt %s: %w", row.File, err)
	}
	moved := row
	moved.Key, moved.File, moved.Size, moved.SHA256 = key, rel, size, sum
	if err := s.DB.PutSegment(moved); err != nil {
		os.Remove(path)
		return fmt.Errorf("re-encrypt %s: catalogue the new file: %w", row.File, err)
	}
	s.forgetFile(row.File)
	if err := os.Remove(s.Path(row)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Its key is destroyed next, and Recover removes it.
		s.log().Warn("could not remove a re-encrypted segment's old file", "file", row.File, "err", err)
	}
	s.log().Info("re-encrypted segment to its camera's day key", "camera", row.CameraID, "file", rel, "key", key)
	return nil
}

// skipWriter drops the first skip bytes written to it: decrypt hands over
// the binding packet, which createFile has already written.
type skipWriter struct {
	w    io.Writer
	skip int
}

func (s *skipWriter) Write(p []byte) (int, error) {
	n := len(p)
	if s.skip > 0 {
		k := min(s.skip, len(p))
		s.skip -= k
		p = p[k:]
	}
	if len(p) == 0 {
		return n, nil
	}
	if _, err := s.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}
