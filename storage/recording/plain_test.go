package recording

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// recordClosed records d of the sub clip in one closed segment of cam1.
func recordClosed(t *testing.T, fx *fixture, start time.Time, d time.Duration) catalog.Segment {
	t.Helper()
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	feed(t, r, start, 0, d)
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{CameraID: "cam1", State: catalog.SegmentClosed})
	if len(rows) != 1 {
		t.Fatalf("want one closed segment, got %d", len(rows))
	}
	return rows[0]
}

// plainOf is WriteTo's output, the reference for OpenPlain.
func plainOf(t *testing.T, fx *fixture, row catalog.Segment) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := fx.store.WriteTo(context.Background(), row, &b); err != nil {
		t.Fatalf("write %s: %v", row.File, err)
	}
	return b.Bytes()
}

func openPlain(t *testing.T, fx *fixture, row catalog.Segment) *Plain {
	t.Helper()
	p, err := fx.store.OpenPlain(context.Background(), row)
	if err != nil {
		t.Fatalf("open plain %s: %v", row.File, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func readPlain(t *testing.T, p *Plain) []byte {
	t.Helper()
	b, err := io.ReadAll(io.NewSectionReader(p.R, 0, p.Size))
	if err != nil {
		t.Fatalf("read plaintext: %v", err)
	}
	return b
}

func TestOpenPlainMatchesWriteToWithoutBinding(t *testing.T) {
	fx := newFixture(t)
	row := recordClosed(t, fx, fx.now, 12*time.Second)
	want := plainOf(t, fx, row)
	if _, err := parseHeader(want); err != nil {
		t.Fatalf("WriteTo output does not start with the binding packet: %v", err)
	}
	want = want[tsPacketSize:]
	p := openPlain(t, fx, row)
	if p.Growing || p.Size != int64(len(want)) || p.Duration != row.Duration {
		t.Fatalf("plain: growing %v size %d duration %v, want closed, %d, %v", p.Growing, p.Size, p.Duration, len(want), row.Duration)
	}
	if got := readPlain(t, p); !bytes.Equal(got, want) {
		t.Fatalf("OpenPlain bytes differ from WriteTo's after the binding packet")
	}
	// Random access: a range across an age chunk boundary.
	off := int64(ageChunk - 1000)
	buf := make([]byte, 3000)
	if _, err := p.R.ReadAt(buf, off); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf, want[off:off+3000]) {
		t.Errorf("ReadAt(%d) differs from WriteTo's bytes", off)
	}
}

func TestOpenPlainRefusesDamage(t *testing.T) {
	fx := newFixture(t)
	row := recordClosed(t, fx, fx.now, 3*time.Second)
	path := fx.store.Path(row)
	orig := readAll(t, path)

	other := recordOther(t, fx, row)

	cases := []struct {
		name   string
		row    catalog.Segment
		file   []byte
		reason string
	}{
		{"flipped bit", row, flip(orig, len(orig)/2), "SHA-256 mismatch"},
		{"truncated", row, orig[:len(orig)-100], "truncated"},
		{"appended", row, append(append([]byte(nil), orig...), 0), "truncated or appended"},
		{"missing", row, nil, "missing"},
		{"swapped for another start", withFile(row, other), readAll(t, fx.store.Path(other)), "starts at"},
		{"damaged row", withState(row, catalog.SegmentDamaged, "SHA-256 mismatch seen by verify"), orig, "seen by verify"},
		{"open row nobody writes", withState(row, catalog.SegmentOpen, ""), orig, "unfinished"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.file == nil {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			} else {
				writeFile(t, path, c.file)
			}
			t.Cleanup(func() { writeFile(t, path, orig) })
			p, err := fx.store.OpenPlain(context.Background(), c.row)
			if err == nil {
				p.Close()
				t.Fatalf("opened a %s segment", c.name)
			}
			if !IsDamaged(err) || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("want a damage error naming %q, got %v", c.reason, err)
			}
		})
	}
}

// recordOther records a second segment of cam1 after row, and returns it.
func recordOther(t *testing.T, fx *fixture, row catalog.Segment) catalog.Segment {
	t.Helper()
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	feed(t, r, row.End().Add(time.Minute), 0, 2*time.Second)
	r.Close()
	o := r.LastSegment()
	if o.Start.Equal(row.Start) || o.State != catalog.SegmentClosed {
		t.Fatalf("second segment: %+v", o)
	}
	return o
}

// withFile is row with the size and hash of other's file, as a swap that
// also rewrote the catalogue would leave it.
func withFile(row, other catalog.Segment) catalog.Segment {
	row.Size, row.SHA256 = other.Size, other.SHA256
	return row
}

func withState(row catalog.Segment, state, problem string) catalog.Segment {
	row.State, row.Problem = state, problem
	return row
}

func flip(b []byte, at int) []byte {
	c := append([]byte(nil), b...)
	c[at] ^= 0x10
	return c
}

// The check is remembered per file state: an unchanged file is not hashed
// again, a changed modification time is, and age still refuses a chunk
// changed behind a remembered check.
func TestOpenPlainRemembersChecksPerFileState(t *testing.T) {
	fx := newFixture(t)
	// Long enough for three age chunks: the first (binding) and last
	// (size) are read at open, the middle one only when asked for.
	row := recordClosed(t, fx, fx.now, 20*time.Second)
	path := fx.store.Path(row)
	orig := readAll(t, path)
	if len(orig) < 2*ageChunk+1000 {
		t.Fatalf("segment of %d bytes has fewer than three chunks", len(orig))
	}
	openPlain(t, fx, row).Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	// A bit flipped in the middle chunk, mtime put back: the remembered
	// check skips the hash, and age refuses the chunk when it is read.
	writeFile(t, path, flip(orig, ageChunk+5000))
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	p, err := fx.store.OpenPlain(context.Background(), row)
	if err != nil {
		t.Fatalf("a remembered check was hashed again: %v", err)
	}
	if _, err := io.ReadAll(io.NewSectionReader(p.R, 0, p.Size)); err == nil {
		t.Errorf("read a changed chunk without an error")
	}
	p.Close()

	// The same change with a new mtime is checked again.
	later := st.ModTime().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if p, err := fx.store.OpenPlain(context.Background(), row); err == nil || !IsDamaged(err) {
		if p != nil {
			p.Close()
		}
		t.Fatalf("a file with a new mtime was not hashed again: %v", err)
	}
}

// A segment being written is readable up to its last flushed chunk, and
// grows.
func TestOpenPlainGrowingSegment(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	start := time.Now()
	frame := time.Second / 15

	var prev []byte
	for i, fed := range []time.Duration{3 * time.Second, 6 * time.Second} {
		feed(t, r, start, fed-3*time.Second, 3*time.Second)
		// The writer pads a chunk that waited its flush interval.
		time.Sleep(900 * time.Millisecond)
		r.Tick(time.Now())
		open := segments(t, fx.db, catalog.SegmentFilter{State: catalog.SegmentOpen})
		if len(open) != 1 {
			t.Fatalf("want one open row, got %d", len(open))
		}
		p := openPlain(t, fx, open[0])
		if !p.Growing {
			t.Fatalf("step %d: an open segment is not Growing", i)
		}
		// Everything fed was flushed by the padding: the duration is
		// what was fed, to within one frame.
		if d := p.Duration - fed; d < -frame || d > frame {
			t.Errorf("step %d: duration %v, fed %v", i, p.Duration, fed)
		}
		got := readPlain(t, p)
		if len(got)%tsPacketSize != 0 || !bytes.HasPrefix(got, prev) || len(got) <= len(prev) {
			t.Fatalf("step %d: %d bytes do not extend the %d before in whole packets", i, len(got), len(prev))
		}
		prev = got
	}
	r.Close()
	final := plainOf(t, fx, r.LastSegment())[tsPacketSize:]
	if !bytes.HasPrefix(final, prev) {
		t.Errorf("the growing prefix is not the start of the finished segment")
	}
}

// A segment being written: an unchanged file is decrypted once for several
// opens, and a chunk that fails with more chunks after it is damage, not a
// short prefix.
func TestOpenPlainGrowingReuseAndDamage(t *testing.T) {
	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1", SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	defer r.Close()
	feed(t, r, time.Now(), 0, 40*time.Second) // five chunks of the sub clip
	time.Sleep(900 * time.Millisecond)
	r.Tick(time.Now())
	row := segments(t, fx.db, catalog.SegmentFilter{State: catalog.SegmentOpen})[0]
	first := readPlain(t, openPlain(t, fx, row))
	path := fx.store.Path(row)
	orig := readAll(t, path)
	if len(orig) < 4*(ageChunk+16) {
		t.Fatalf("open segment of %d bytes has fewer than four chunks", len(orig))
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	// The first chunk changed, size and mtime as before: the kept prefix,
	// decrypted when it was authentic, is served, not decrypted again.
	writeFile(t, path, flip(orig, 2000))
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if again := readPlain(t, openPlain(t, fx, row)); !bytes.Equal(again, first) {
		t.Fatalf("an unchanged file's prefix was not reused: %d bytes, then %d", len(first), len(again))
	}

	// Now with a new mtime it is read again, and the failing chunk with
	// four after it is damage.
	later := st.ModTime().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	p, err := fx.store.OpenPlain(context.Background(), row)
	if err == nil {
		p.Close()
		t.Fatalf("a segment being written with its first chunk changed opened as %d bytes", p.Size)
	}
	if !IsDamaged(err) || !strings.Contains(err.Error(), "does not authenticate") {
		t.Fatalf("want a damage error naming the chunk, got %v", err)
	}
	writeFile(t, path, orig)
}
