package recording

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"filippo.io/age"
)

// ageChunk is age's plaintext chunk size: a chunk reaches the file only when
// it is full and more data follows.
const ageChunk = 64 * 1024

// syncStats collects fsync latencies for the benchmark.
type syncStats struct {
	mu  sync.Mutex
	lat []time.Duration
}

func (s *syncStats) add(d time.Duration) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if len(s.lat) < 1<<16 {
		s.lat = append(s.lat, d)
	}
	s.mu.Unlock()
}

// Latencies returns the fsync latencies seen so far.
func (s *syncStats) Latencies() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.lat...)
}

// fileWriter writes one encrypted segment file.
type fileWriter struct {
	f     *os.File
	hash  hash.Hash
	size  int64 // ciphertext bytes written
	enc   io.WriteCloser
	plain int64 // plaintext bytes given to enc
	// pending is when the oldest plaintext byte still buffered in enc was
	// written; zero when enc holds nothing.
	pending time.Time
	flushIn time.Duration
	padded  int64 // plaintext bytes of padding

	syncMu   sync.Mutex // serialises f.Sync with Close
	closed   bool
	stopSync chan struct{}
	syncDone chan struct{}
	syncErr  error
}

// hashingFile counts and hashes what reaches the file.
type hashingFile struct{ w *fileWriter }

func (h hashingFile) Write(p []byte) (int, error) {
	n, err := h.w.f.Write(p)
	h.w.hash.Write(p[:n])
	h.w.size += int64(n)
	return n, err
}

// createFile creates path, encrypts to r and writes the binding packet.
// flushIn bounds how long plaintext may wait in memory (0 disables padding);
// syncEvery is the fsync interval.
func createFile(path string, r age.Recipient, h Header, flushIn, syncEvery time.Duration, stats *syncStats) (*fileWriter, error) {
	hdr, err := h.marshal()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create recordings folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create segment: %w", err)
	}
	w := &fileWriter{f: f, hash: sha256.New(), flushIn: flushIn, stopSync: make(chan struct{}), syncDone: make(chan struct{})}
	w.enc, err = age.Encrypt(hashingFile{w}, r)
	if err == nil {
		_, err = w.enc.Write(hdr)
		w.plain += int64(len(hdr))
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("start segment: %w", err)
	}
	w.pending = time.Now()
	go w.syncLoop(syncEvery, stats)
	return w, nil
}

// syncLoop fsyncs the file every interval, off the ingest path.
func (w *fileWriter) syncLoop(every time.Duration, stats *syncStats) {
	defer close(w.syncDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.stopSync:
			return
		case <-t.C:
			w.syncMu.Lock()
			if !w.closed {
				start := time.Now()
				if err := w.f.Sync(); err != nil && w.syncErr == nil {
					w.syncErr = err
				}
				stats.add(time.Since(start))
			}
			w.syncMu.Unlock()
		}
	}
}

// Write appends MPEG-TS plaintext. Padding is Tick's job, so the write
// path reads the clock only when a chunk goes out.
func (w *fileWriter) Write(p []byte) (int, error) {
	before := w.plain / ageChunk
	n, err := w.enc.Write(p)
	w.plain += int64(n)
	if err != nil {
		return n, err
	}
	switch {
	case w.plain/ageChunk != before:
		// A chunk went out; what is buffered now arrived just now.
		w.pending = time.Now()
	case w.pending.IsZero():
		w.pending = time.Now()
	}
	return n, nil
}

// maybePad pushes the buffered chunk to the file with null packets when it
// has waited flushIn. A chunk leaves age's buffer only when full and followed
// by at least one more byte.
func (w *fileWriter) maybePad(now time.Time) error {
	if w.flushIn <= 0 || w.pending.IsZero() || now.Sub(w.pending) < w.flushIn || w.plain%tsPacketSize != 0 {
		return nil
	}
	inChunk := w.plain % ageChunk
	if inChunk == 0 && w.plain > 0 {
		// Exactly full: one more byte flushes it; a whole packet keeps
		// the stream aligned.
		inChunk = ageChunk
	}
	need := ageChunk - inChunk + 1
	pkts := int((need + tsPacketSize - 1) / tsPacketSize)
	n, err := w.enc.Write(nullPackets(pkts))
	w.plain += int64(n)
	w.padded += int64(n)
	w.pending = time.Now()
	return err
}

// Tick gives an idle stream the chance to pad; call it about every 100 ms.
func (w *fileWriter) Tick(now time.Time) error { return w.maybePad(now) }

// Close finishes the age stream, fsyncs and closes the file, and returns the
// ciphertext size and SHA-256.
func (w *fileWriter) Close() (int64, string, error) {
	close(w.stopSync)
	<-w.syncDone
	err := w.enc.Close()
	if err == nil {
		err = w.f.Sync()
	}
	w.syncMu.Lock()
	w.closed = true
	w.syncMu.Unlock()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = w.syncErr
	}
	return w.size, hex.EncodeToString(w.hash.Sum(nil)), err
}

// Abort closes the file without finishing the stream, as a crash would; the
// open row is left for recovery.
func (w *fileWriter) Abort() {
	close(w.stopSync)
	<-w.syncDone
	w.syncMu.Lock()
	w.closed = true
	w.syncMu.Unlock()
	w.f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync folder: %w", err)
	}
	return nil
}
