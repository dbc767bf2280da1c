package recording

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
)

// errNothingToRecover means a crash left no authentic video in the file.
var errNothingToRecover = errors.New("no authentic video to recover")

type recovered struct {
	size     int64
	sha256   string
	duration time.Duration
	dropped  int64 // plaintext bytes after the authentic prefix that were cut
}

// recoverFile rewrites the authenticated, packet-aligned prefix of an
// unfinished segment as a finished one, re-encrypting in memory: plaintext
// never reaches the disk. The new file replaces the old by rename.
func recoverFile(path string, id age.Identity, r age.Recipient, want Header) (recovered, error) {
	var out recovered
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return out, errNothingToRecover
		}
		return out, fmt.Errorf("open segment: %w", err)
	}
	defer f.Close()
	dec, err := age.Decrypt(bufio.NewReader(f), id)
	if err != nil {
		// The header itself never reached the disk.
		return out, errNothingToRecover
	}
	pkt := make([]byte, tsPacketSize)
	if _, err := io.ReadFull(dec, pkt); err != nil {
		return out, errNothingToRecover
	}
	h, err := parseHeader(pkt)
	if err != nil {
		return out, damaged(path, "%v", err)
	}
	if m := h.mismatch(want); m != "" {
		return out, damaged(path, "%s", m)
	}
	tmp := path + ".recover"
	os.Remove(tmp)
	w, err := createFile(tmp, r, want, 0, time.Hour, nil)
	if err != nil {
		return out, err
	}
	scan := newTSScan()
	bw := bufio.NewWriterSize(w, 256<<10)
	for {
		_, err := io.ReadFull(dec, pkt)
		if err != nil {
			// io.EOF on a finished file; otherwise the unauthentic tail.
			if err == io.ErrUnexpectedEOF {
				out.dropped += tsPacketSize
			}
			break
		}
		if pkt[0] != 0x47 {
			break
		}
		scan.packet(pkt)
		if _, err := bw.Write(pkt); err != nil {
			w.Abort()
			os.Remove(tmp)
			return out, fmt.Errorf("rewrite segment: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		w.Abort()
		os.Remove(tmp)
		return out, fmt.Errorf("rewrite segment: %w", err)
	}
	if scan.frames == 0 {
		w.Abort()
		os.Remove(tmp)
		return out, errNothingToRecover
	}
	size, sum, err := w.Close()
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return out, fmt.Errorf("replace recovered segment: %w", err)
	}
	return recovered{size: size, sha256: sum, duration: scan.duration(), dropped: out.dropped}, nil
}
