package recording

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzParseHeader(f *testing.F) {
	good, _ := Header{CameraID: "cam-1", Start: time.Unix(1700000000, 5), Day: "2023-11-14"}.marshal()
	f.Add(good)
	f.Add(nullPackets(1))
	f.Add([]byte{0x47})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeader(b)
		if err != nil {
			return
		}
		again, err := h.marshal()
		if err != nil {
			return // e.g. a day of the wrong length: never produced by us
		}
		if h2, err := parseHeader(again); err != nil || h2.mismatch(h) != "" {
			t.Fatalf("round trip of %+v: %+v, %v", h, h2, err)
		}
	})
}

func FuzzTSScan(f *testing.F) {
	f.Add(nullPackets(2))
	f.Add(bytes.Repeat([]byte{0x47, 0x41, 0x00, 0x30, 0xB7}, 80))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := newTSScan()
		for len(b) >= tsPacketSize {
			s.packet(b[:tsPacketSize])
			b = b[tsPacketSize:]
		}
		if s.duration() < 0 {
			t.Fatal("negative duration")
		}
	})
}

// FuzzSegmentReader damages a real segment at fuzzer-chosen places: the
// reader must report damage, never panic, and never pass altered bytes.
func FuzzSegmentReader(f *testing.F) {
	fx := newFixture(f)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Minute}
	r.SetWant(true, "continuous")
	feed(f, r, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), 0, 1500*time.Millisecond)
	r.Close()
	rows, _ := fx.db.Segments(SegmentFilterAll())
	row := rows[0]
	orig, err := os.ReadFile(fx.store.Path(row))
	if err != nil {
		f.Fatal(err)
	}
	id, err := fx.store.Keys.Identity(context.Background(), row.KeyID())
	if err != nil {
		f.Fatal(err)
	}
	want := expectOf(row)
	want.size, want.sha256 = 0, "" // test the age and binding checks alone
	f.Add(uint32(100), byte(1), uint32(0))
	f.Add(uint32(len(orig)-1), byte(0x80), uint32(0))
	f.Add(uint32(0), byte(0), uint32(len(orig)/2))
	f.Fuzz(func(t *testing.T, pos uint32, flip byte, cut uint32) {
		b := bytes.Clone(orig)
		b[int(pos)%len(b)] ^= flip
		if cut > 0 {
			b = b[:int(cut)%len(b)]
		}
		path := filepath.Join(t.TempDir(), "seg.age")
		os.WriteFile(path, b, 0o600)
		var out bytes.Buffer
		_, err := decrypt(path, id, want, &out)
		if bytes.Equal(b, orig) {
			if err != nil {
				t.Fatalf("untouched segment: %v", err)
			}
			return
		}
		if err == nil {
			t.Fatalf("damage at %d (xor %#x, cut %d) passed", pos, flip, cut)
		}
		if !IsDamaged(err) {
			t.Fatalf("damage reported as %v", err)
		}
	})
}
