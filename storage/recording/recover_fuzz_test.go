package recording

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"
)

// fuzzKey encrypts the recovery seeds, so that the committed corpus
// (testdata/fuzz/FuzzRecoverFile) opens in every run. It protects nothing:
// it is a fixture, like the seeds it opens.
const fuzzKey = "AGE-SECRET-KEY-1ZK2UKG7EDZUZFXNJMHXF6TAQ6GH849LTPVACA60GH730YKAJZ6EQSFQGUR"

var fuzzHeader = Header{CameraID: "cam1", Start: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Day: "2026-11-20"}

func fuzzIdentity(tb testing.TB) *age.X25519Identity {
	tb.Helper()
	id, err := age.ParseX25519Identity(fuzzKey)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// crashedSegment records d of the camsim sub clip with the real recorder,
// and writes its MPEG-TS to a new file encrypted to id the way the
// recorder does, ending as a crash ends it: with only the chunks age had
// flushed (abort), or finished. edit, when not nil, changes the MPEG-TS
// after the binding packet first.
func crashedSegment(tb testing.TB, id *age.X25519Identity, d time.Duration, abort bool, edit func([]byte) []byte) []byte {
	tb.Helper()
	fx := newFixture(tb)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	feed(tb, r, fuzzHeader.Start, 0, d)
	r.Close()
	rows, err := fx.db.Segments(SegmentFilterAll())
	if err != nil || len(rows) != 1 {
		tb.Fatalf("want one segment, got %d: %v", len(rows), err)
	}
	dayID, err := fx.store.Keys.Identity(context.Background(), rows[0].KeyID())
	if err != nil {
		tb.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := decrypt(fx.store.Path(rows[0]), dayID, expectOf(rows[0]), &plain); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "seg.ts.age")
	w, err := createFile(path, id.Recipient(), fuzzHeader, 0, time.Hour, nil)
	if err != nil {
		tb.Fatal(err)
	}
	ts := plain.Bytes()[tsPacketSize:] // createFile wrote our own binding packet
	if edit != nil {
		ts = edit(bytes.Clone(ts))
	}
	for len(ts) > 0 {
		if _, err := w.Write(ts[:tsPacketSize]); err != nil {
			tb.Fatal(err)
		}
		ts = ts[tsPacketSize:]
	}
	if abort {
		w.Abort()
	} else if _, _, err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// authenticPrefix is what age authenticates of a file: the plaintext it
// yields before its first error.
func authenticPrefix(b []byte, id age.Identity) []byte {
	r, err := age.Decrypt(bytes.NewReader(b), id)
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			return out.Bytes()
		}
	}
}

// FuzzRecoverFile gives startup recovery the bytes a crash (or a damaged
// disk) left: recovery keeps exactly the authenticated, packet-aligned
// prefix up to the first packet without a sync byte, as a finished segment
// that verifies; anything else leaves the file as it was.
func FuzzRecoverFile(f *testing.F) {
	id := fuzzIdentity(f)
	crashed := crashedSegment(f, id, 2*time.Second, true, nil)
	f.Add(crashed)
	f.Add(crashedSegment(f, id, 600*time.Millisecond, false, nil))
	// A packet without its sync byte: recovery stops before it.
	f.Add(crashedSegment(f, id, 600*time.Millisecond, false, func(ts []byte) []byte {
		ts[40*tsPacketSize] = 0x00
		return ts
	}))
	// The binding packet and no video: nothing to recover.
	f.Add(crashedSegment(f, id, 600*time.Millisecond, false, func([]byte) []byte { return nil }))
	f.Add(crashed[:len(crashed)/2])
	f.Add([]byte("age-encryption.org/v1\n-> X25519 junk\n--- x\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, file []byte) {
		path := filepath.Join(t.TempDir(), "seg.ts.age")
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		rec, err := recoverFile(path, id, id.Recipient(), fuzzHeader)
		if _, serr := os.Stat(path + ".recover"); !errors.Is(serr, os.ErrNotExist) {
			t.Fatalf("temporary file left behind (%v)", serr)
		}
		a := authenticPrefix(file, id)
		// What recovery must keep: the binding packet, then whole packets
		// that start with a sync byte.
		keep := min(len(a), tsPacketSize)
		for keep+tsPacketSize <= len(a) && a[keep] == 0x47 {
			keep += tsPacketSize
		}
		if err != nil {
			if now, rerr := os.ReadFile(path); rerr != nil || !bytes.Equal(now, file) {
				t.Fatalf("failed recovery (%v) changed the file (%v)", err, rerr)
			}
			switch {
			case errors.Is(err, errNothingToRecover):
				if len(a) >= tsPacketSize {
					if _, herr := parseHeader(a[:tsPacketSize]); herr == nil && frames(a[tsPacketSize:keep]) > 0 {
						t.Fatalf("nothing recovered from %d authentic bytes holding frames", len(a))
					}
				}
			case IsDamaged(err):
				h, herr := parseHeader(a)
				if herr == nil && h.mismatch(fuzzHeader) == "" {
					t.Fatalf("damage %v reported for a good binding packet", err)
				}
			default:
				t.Fatalf("recovery failed with %v", err)
			}
			return
		}
		var out bytes.Buffer
		if _, derr := decrypt(path, id, expect{header: fuzzHeader, size: rec.size, sha256: rec.sha256}, &out); derr != nil {
			t.Fatalf("recovered segment does not verify: %v", derr)
		}
		if !bytes.Equal(out.Bytes(), a[:keep]) {
			t.Fatalf("recovered %d bytes; the authentic packet-aligned prefix is %d of %d", out.Len(), keep, len(a))
		}
		if rec.duration < 0 || rec.dropped < 0 {
			t.Fatalf("duration %v, dropped %d", rec.duration, rec.dropped)
		}
	})
}

// frames counts the video frames tsScan sees in whole packets.
func frames(ts []byte) int64 {
	s := newTSScan()
	for ; len(ts) >= tsPacketSize; ts = ts[tsPacketSize:] {
		s.packet(ts[:tsPacketSize])
	}
	return s.frames
}

// TestRecoverCrashedSeed checks the main seed reaches the success path:
// a crash two seconds in leaves one full age chunk (64 KiB, the age
// format's chunk size), of which recovery keeps the whole packets.
func TestRecoverCrashedSeed(t *testing.T) {
	id := fuzzIdentity(t)
	path := filepath.Join(t.TempDir(), "seg.ts.age")
	if err := os.WriteFile(path, crashedSegment(t, id, 2*time.Second, true, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := recoverFile(path, id, id.Recipient(), fuzzHeader)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := decrypt(path, id, expect{header: fuzzHeader, size: rec.size, sha256: rec.sha256}, &out); err != nil {
		t.Fatal(err)
	}
	if want := 64 * 1024 / tsPacketSize * tsPacketSize; out.Len() != want {
		t.Errorf("recovered %d plaintext bytes, want %d", out.Len(), want)
	}
	if rec.duration <= 0 || rec.duration > 2*time.Second {
		t.Errorf("recovered %v of a 2 s recording", rec.duration)
	}
}
