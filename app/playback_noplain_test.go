package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/storage/catalog"
)

// ageMagic starts every age file.
const ageMagic = "age-encryption.org/v1\n"

// TestPlaybackLeavesNoPlaintext records a camsim camera, then plays it in
// a playback session with libmpv in this process while TMPDIR points at
// a fresh directory. During and after the playback no file of the data
// directory or of TMPDIR holds a 4 KB window of the segment's decrypted
// MPEG-TS, TMPDIR stays empty, every footage file is an age file, and the
// footage server listens on 127.0.0.1 only.
func TestPlaybackLeavesNoPlaintext(t *testing.T) {
	if testing.Short() {
		t.Skip("records for 8 s; runs without -short, as in make test")
	}
	a := requireKeyring(t)
	tmp := t.TempDir()
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	ids, stop := recordSim(t, a, sim, 1, time.Minute)
	time.Sleep(8 * time.Second)
	stop()
	rows := segmentsOf(t, a, ids[0])
	if len(rows) != 1 || rows[0].State != catalog.SegmentClosed {
		t.Fatalf("want one closed segment, got %+v", rows)
	}
	var plain bytes.Buffer
	if err := a.recordingStore().WriteTo(context.Background(), rows[0], &plain); err != nil {
		t.Fatal(err)
	}
	window := middleWindow(t, plain.Bytes())

	t.Setenv("TMPDIR", tmp)
	s, err := a.openPlaybackSession(ids)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.group.Seek(ctx, rows[0].Start.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	s.SetPaused(false)
	tile := s.Tiles()[0]
	frames := 0
	for deadline := time.Now().Add(4 * time.Second); time.Now().Before(deadline); {
		if tile.NewFrame() {
			if err := tile.Render(newTile(), tileRect); err != nil {
				t.Fatal(err)
			}
			frames++
		}
		time.Sleep(5 * time.Millisecond)
	}
	if pos := s.TileStatus(0).Position; frames < 50 || pos.Before(rows[0].Start.Add(4*time.Second)) {
		t.Fatalf("the session did not play: %d frames, position %s", frames, pos.Format("15:04:05.000"))
	}

	// While it plays: the listener, and the disk.
	srv, err := a.footageServer()
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if host != "127.0.0.1" {
		t.Errorf("the footage server is at %s, want 127.0.0.1", srv.Addr())
	}
	listeners := tcpListeners(t, port)
	if len(listeners) == 0 {
		t.Fatalf("no listening socket on port %s while a session plays", port)
	}
	for _, l := range listeners {
		if l != "127.0.0.1" {
			t.Errorf("a socket listens on %s:%s, want 127.0.0.1 only (all: %v)", l, port, listeners)
		}
	}
	noPlainLeft(t, a.DataDir, tmp, window)
	// A file unlinked as soon as it is made (mpv's cache-unlink-files)
	// shows only among the open files.
	for _, f := range openFilesUnder(t, tmp) {
		t.Errorf("while playing, this process holds %s open in TMPDIR", f)
	}
	s.Close()
	noPlainLeft(t, a.DataDir, tmp, window)
}

// openFilesUnder lists the files this process holds open below dir,
// deleted ones included, from /proc/self/fd.
func openFilesUnder(t *testing.T, dir string) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil {
			continue // closed since the listing
		}
		if strings.HasPrefix(target, dir+string(filepath.Separator)) {
			out = append(out, target)
		}
	}
	return out
}

// noPlainLeft checks that TMPDIR is empty, that every footage file of the
// data directory is an age file, and that no file of either holds window.
func noPlainLeft(t *testing.T, dataDir, tmp string, window []byte) {
	t.Helper()
	if left := filesUnder(t, tmp); len(left) != 0 {
		t.Errorf("TMPDIR holds %v", left)
	}
	for _, f := range filesUnder(t, dataDir) {
		path := filepath.Join(dataDir, f)
		if strings.HasPrefix(f, "recordings"+string(filepath.Separator)) {
			b := readFile(t, path)
			if !bytes.HasPrefix(b, []byte(ageMagic)) {
				t.Errorf("footage file %s is not an age file", f)
			}
		}
		checkNoPlain(t, path, window)
	}
}

// checkNoPlain fails t when the file at path holds window.
func checkNoPlain(t *testing.T, path string, window []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return // gone meanwhile (a lock or socket)
		}
		t.Fatal(err)
	}
	if bytes.Contains(b, window) {
		t.Errorf("%s holds decrypted footage", path)
	}
}

// middleWindow is 4 KB from the middle of a segment's plaintext: video
// packets, unlike any other file's bytes.
func middleWindow(t *testing.T, plain []byte) []byte {
	t.Helper()
	if len(plain) < 64<<10 {
		t.Fatalf("only %d bytes of plaintext", len(plain))
	}
	mid := len(plain) / 2
	return append([]byte(nil), plain[mid:mid+4096]...)
}

// plainWindow decrypts a segment of the data directory dir with the real
// binary ('recordings cat') and returns 4 KB from its middle.
func plainWindow(t *testing.T, bin, dir string, seg catalog.Segment) []byte {
	t.Helper()
	cmd := exec.Command(bin, "--data-dir", dir, "recordings", "cat", "--camera", seg.CameraID,
		"--from", seg.Start.Format(time.RFC3339Nano), "--to", seg.End().Format(time.RFC3339Nano))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("recordings cat: %v\n%s", err, stderr.String())
	}
	raceFree(t, "recordings cat", stderr.String())
	return middleWindow(t, out)
}

// tcpListeners lists the local addresses of the IPv4 and IPv6 sockets
// listening on port, from /proc/net/tcp and tcp6.
func tcpListeners(t *testing.T, port string) []string {
	t.Helper()
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(":%04X", p)
	var out []string
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			// sl local_address rem_address st ...; st 0A is LISTEN
			if len(fields) < 4 || fields[3] != "0A" || !strings.HasSuffix(fields[1], want) {
				continue
			}
			out = append(out, procAddr(t, strings.TrimSuffix(fields[1], want)))
		}
	}
	return out
}

// procAddr reads the hex address of /proc/net/tcp (little-endian words).
func procAddr(t *testing.T, h string) string {
	t.Helper()
	var ip net.IP
	for i := 0; i+8 <= len(h); i += 8 {
		w, err := strconv.ParseUint(h[i:i+8], 16, 32)
		if err != nil {
			t.Fatalf("/proc/net/tcp address %q: %v", h, err)
		}
		ip = append(ip, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
	}
	return ip.String()
}
