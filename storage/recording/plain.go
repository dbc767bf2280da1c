package recording

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"filippo.io/age"

	"nightjar/storage/catalog"
)

// Plain is random access to the checked plaintext MPEG-TS of one segment,
// without its binding packet. Close it when done.
type Plain struct {
	// R reads the plaintext. Every byte it returns was authenticated by
	// age; reading a closed segment whose file changed after the check
	// fails rather than returning unauthenticated bytes.
	R io.ReaderAt
	// Size is the plaintext length R holds.
	Size int64
	// Growing is true for a segment still being written: R holds the
	// authenticated prefix as it was when OpenPlain ran, and a later
	// OpenPlain holds more.
	Growing bool
	// Duration is the video span: the catalogue's for a finished segment,
	// from a scan of the prefix when Growing.
	Duration time.Duration

	close func() error
}

// Close releases the file behind R.
func (p *Plain) Close() error {
	if p.close == nil {
		return nil
	}
	c := p.close
	p.close = nil
	return c()
}

// offsetReaderAt shifts reads by off, to skip the binding packet.
type offsetReaderAt struct {
	r   io.ReaderAt
	off int64
}

func (o offsetReaderAt) ReadAt(p []byte, at int64) (int, error) {
	if at < 0 {
		return 0, errors.New("negative offset")
	}
	return o.r.ReadAt(p, at+o.off)
}

// checkKey names one state of a segment file whose hash matched its row.
type checkKey struct {
	file   string
	size   int64
	mtime  time.Time
	sha256 string
}

// OpenPlain gives random access to a segment's checked plaintext MPEG-TS
// without the binding packet.
//
// A closed or recovered row has its ciphertext size and SHA-256 checked
// against the row (a successful check is remembered for the same file,
// size and modification time, so repeated Range requests do not hash the
// file again), is opened with age.DecryptReaderAt and must carry the
// binding of its camera, start and day. A row being written right now is
// read up to its last whole age chunk: that authenticated prefix is
// decrypted into memory, and Growing is set; it is kept until the file
// changes, so several opens between two flushes decrypt it once. A chunk
// that fails with whole chunks after it is damage, not the end of the
// prefix. Anything else, and any file that fails a check, is a
// *DamageError. Nothing decrypted is written to disk.
func (s *Store) OpenPlain(ctx context.Context, row catalog.Segment) (*Plain, error) {
	switch {
	case row.State == catalog.SegmentDamaged:
		reason := row.Problem
		if reason == "" {
			reason = "marked damaged in the catalogue"
		}
		return nil, damaged(row.File, "%s", reason)
	case row.State == catalog.SegmentOpen && s.isOpen(row.File):
		return s.openGrowing(ctx, row)
	case row.State == catalog.SegmentOpen:
		return nil, damaged(row.File, "unfinished; it is recovered at the next start")
	case row.State != catalog.SegmentClosed && row.State != catalog.SegmentRecovered:
		return nil, damaged(row.File, "unknown state %q", row.State)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id, err := s.Keys.Identity(ctx, row.KeyID())
	if err != nil {
		return nil, fmt.Errorf("open segment %s: %w", row.File, err)
	}
	path := s.Path(row)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, damaged(row.File, "the file is missing")
		}
		return nil, fmt.Errorf("open segment: %w", err)
	}
	p, err := s.openClosed(f, id, row)
	if err != nil {
		f.Close()
		return nil, err
	}
	p.close = f.Close
	return p, nil
}

func (s *Store) openClosed(f *os.File, id age.Identity, row catalog.Segment) (*Plain, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat segment: %w", err)
	}
	if st.Size() != row.Size {
		return nil, damaged(row.File, "size is %d bytes, the catalogue says %d (truncated or appended to)", st.Size(), row.Size)
	}
	key := checkKey{file: row.File, size: st.Size(), mtime: st.ModTime(), sha256: row.SHA256}
	if !s.checkedBefore(key) {
		if err := checkHash(f, row); err != nil {
			return nil, err
		}
		s.rememberCheck(key)
	}
	r, size, err := age.DecryptReaderAt(f, st.Size(), id)
	if err != nil {
		return nil, damaged(row.File, "the encrypted stream does not open with the day key: %v", err)
	}
	if err := checkBinding(r, size, row); err != nil {
		return nil, err
	}
	return &Plain{R: offsetReaderAt{r, tsPacketSize}, Size: size - tsPacketSize, Duration: row.Duration}, nil
}

// checkHash hashes f from its start and compares it with the row.
func checkHash(f *os.File, row catalog.Segment) error {
	if row.SHA256 == "" {
		return damaged(row.File, "the catalogue holds no SHA-256 to check it against")
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, row.Size)); err != nil {
		return fmt.Errorf("read segment %s: %w", row.File, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != row.SHA256 {
		return damaged(row.File, "contents changed since it was recorded (SHA-256 mismatch)")
	}
	return nil
}

// checkBinding reads the binding packet at the start of the plaintext.
func checkBinding(r io.ReaderAt, size int64, row catalog.Segment) error {
	if size < tsPacketSize || (size-tsPacketSize)%tsPacketSize != 0 {
		return damaged(row.File, "plaintext of %d bytes is not whole MPEG-TS packets", size)
	}
	pkt := make([]byte, tsPacketSize)
	if _, err := r.ReadAt(pkt, 0); err != nil {
		return damaged(row.File, "read the binding packet: %v", err)
	}
	h, err := parseHeader(pkt)
	if err != nil {
		return damaged(row.File, "%v", err)
	}
	if m := h.mismatch(expectOf(row).header); m != "" {
		return damaged(row.File, "%s", m)
	}
	return nil
}

func (s *Store) checkedBefore(k checkKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checked[k]
}

// forgetFile drops what the caches hold of rel: its hash checks and the
// decrypted prefix of a file that was being written.
func (s *Store) forgetFile(rel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.checked {
		if k.file == rel {
			delete(s.checked, k)
		}
	}
	delete(s.prefixes, rel)
}

// rememberCheck records a matching hash. The cache is small: a player
// holds a window of segments, so the oldest entries are simply dropped.
func (s *Store) rememberCheck(k checkKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checked == nil || len(s.checked) >= 256 {
		s.checked = map[checkKey]bool{}
	}
	s.checked[k] = true
}

// openGrowing decrypts the authenticated prefix of a segment being written
// into memory. The writer holds at most one age chunk, and a partly written
// one, in memory; what the file holds in whole chunks is authentic and is
// what this returns.
func (s *Store) openGrowing(ctx context.Context, row catalog.Segment) (*Plain, error) {
	id, err := s.Keys.Identity(ctx, row.KeyID())
	if err != nil {
		return nil, fmt.Errorf("open segment %s: %w", row.File, err)
	}
	f, err := os.Open(s.Path(row))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, damaged(row.File, "the file is missing")
		}
		return nil, fmt.Errorf("open segment: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat segment: %w", err)
	}
	if p, ok := s.samePrefix(row.File, st); ok {
		return &Plain{R: bytes.NewReader(p.body), Size: int64(len(p.body)), Growing: true, Duration: p.duration}, nil
	}
	// Only what is there now: the writer keeps appending.
	dec, err := age.Decrypt(bufio.NewReaderSize(io.NewSectionReader(f, 0, st.Size()), 256<<10), id)
	if err != nil {
		return nil, damaged(row.File, "the age header of the segment being written does not open: %v", err)
	}
	// Whole chunks decrypt; the read stops with an error at the chunk the
	// writer is still filling (or at the end of a file finished meanwhile).
	buf := make([]byte, 0, min(st.Size(), 64<<20))
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := dec.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break // finished meanwhile: the whole file is authentic
		}
		if err != nil {
			if err := checkTail(row, st.Size(), int64(len(buf))); err != nil {
				return nil, err
			}
			break
		}
	}
	if len(buf) < tsPacketSize {
		// Not even the first chunk is on disk yet: nothing to play.
		return &Plain{R: bytes.NewReader(nil), Growing: true}, nil
	}
	h, err := parseHeader(buf[:tsPacketSize])
	if err != nil {
		return nil, damaged(row.File, "%v", err)
	}
	if m := h.mismatch(expectOf(row).header); m != "" {
		return nil, damaged(row.File, "%s", m)
	}
	body := buf[tsPacketSize : len(buf)-(len(buf)%tsPacketSize)]
	scan := newTSScan()
	for off := 0; off < len(body); off += tsPacketSize {
		pkt := body[off : off+tsPacketSize]
		if pkt[0] != 0x47 {
			return nil, damaged(row.File, "MPEG-TS sync byte missing at plaintext offset %d", tsPacketSize+off)
		}
		scan.packet(pkt)
	}
	s.keepPrefix(row.File, prefix{size: st.Size(), mtime: st.ModTime(), body: body, duration: scan.duration()})
	return &Plain{R: bytes.NewReader(body), Size: int64(len(body)), Growing: true, Duration: scan.duration()}, nil
}

// checkTail tells a file being written, whose last chunk may be only partly
// on disk and so not authenticate yet, from a damaged one: a failing chunk
// that is not the last. Every whole chunk on disk authenticates (age tries
// a full chunk as a middle one first). The header is taken as long as
// 1 KiB, so that the count of whole chunks is never overestimated.
func checkTail(row catalog.Segment, cipherSize, plainSize int64) error {
	const encChunk = ageChunk + 16 // plaintext plus the Poly1305 tag
	whole := (cipherSize - 1024 - 16) / encChunk
	authentic := (plainSize + ageChunk - 1) / ageChunk
	if authentic < whole {
		return damaged(row.File, "chunk %d of the segment being written does not authenticate, and at least %d whole chunks follow it", authentic, whole-authentic-1)
	}
	return nil
}

// prefix is the authenticated plaintext of a file being written, as read
// when the file had size bytes and modification time mtime.
type prefix struct {
	size     int64
	mtime    time.Time
	body     []byte // never changed once kept: Plains share it
	duration time.Duration
}

// samePrefix returns the prefix kept for file when the file is unchanged
// since: a player's several Range requests between two flushes decrypt it
// once.
func (s *Store) samePrefix(file string, st fs.FileInfo) (prefix, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.prefixes[file]
	return p, ok && p.size == st.Size() && p.mtime.Equal(st.ModTime())
}

// keepPrefix remembers the prefix of a file being written until the file
// grows or its writer lets go of it.
func (s *Store) keepPrefix(file string, p prefix) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open[file] {
		return
	}
	if s.prefixes == nil {
		s.prefixes = map[string]prefix{}
	}
	s.prefixes[file] = p
}
