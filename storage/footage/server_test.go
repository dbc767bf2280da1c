package footage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// noFootage fails t when a refused reply carries footage.
func noFootage(t *testing.T, what string, r reply, plain []byte) {
	t.Helper()
	if len(r.body) > 200 || bytes.Contains(r.body, plain[:188]) || strings.HasPrefix(r.header.Get("Content-Type"), "video/") {
		t.Errorf("%s: refused reply has %d bytes of type %q", what, len(r.body), r.header.Get("Content-Type"))
	}
}

func TestRefusesWrongTokenHostAndMethod(t *testing.T) {
	g := newRig(t)
	row := g.closed(t, "cam1", t0, 3*time.Second)
	plain := g.plain(t, row)
	good := g.srv.URL(row)
	if r := get(t, "GET", good, nil); r.status != http.StatusOK || !bytes.Equal(r.body, plain) {
		t.Fatalf("the right URL: status %d, %d bytes, want 200 and %d", r.status, len(r.body), len(plain))
	}
	base := "http://" + g.srv.Addr()
	rest := strings.TrimPrefix(good, base+"/"+g.srv.token)
	flipped := []byte(g.srv.token)
	flipped[10] ^= 1
	cases := []struct {
		name, method, url string
		hdr               map[string]string
		status            int
	}{
		{"missing token", "GET", base + rest, nil, http.StatusNotFound},
		{"wrong token", "GET", base + "/" + string(flipped) + rest, nil, http.StatusNotFound},
		{"token prefix", "GET", base + "/" + g.srv.token[:63] + rest, nil, http.StatusNotFound},
		{"token with a suffix", "GET", base + "/" + g.srv.token + "0" + rest, nil, http.StatusNotFound},
		{"empty token", "GET", base + "/" + rest, nil, http.StatusNotFound},
		{"rebound host name", "GET", good, map[string]string{"Host": "evil.example:" + port(t, g)}, http.StatusForbidden},
		{"localhost", "GET", good, map[string]string{"Host": "localhost:" + port(t, g)}, http.StatusForbidden},
		{"no port", "GET", good, map[string]string{"Host": "127.0.0.1"}, http.StatusForbidden},
		{"POST", "POST", good, nil, http.StatusMethodNotAllowed},
		{"PUT", "PUT", good, nil, http.StatusMethodNotAllowed},
		{"other camera", "GET", strings.Replace(good, "/cam1/", "/cam2/", 1), nil, http.StatusNotFound},
		{"other start", "GET", strings.Replace(good, strconv.FormatInt(row.Start.UnixNano(), 10), strconv.FormatInt(row.Start.UnixNano()+1, 10), 1), nil, http.StatusNotFound},
		{"a file path", "GET", base + "/" + g.srv.token + "/seg/cam1/" + "..%2F..%2Fcatalog.db", nil, http.StatusNotFound},
	}
	for _, c := range cases {
		r := get(t, c.method, c.url, c.hdr)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, r.status, c.status)
		}
		noFootage(t, c.name, r, plain)
	}
}

func port(t *testing.T, g *rig) string {
	_, p, err := net.SplitHostPort(g.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestListensOnLoopbackOnly(t *testing.T) {
	g := newRig(t)
	host, _, ok := strings.Cut(g.srv.Addr(), ":")
	if !ok || host != "127.0.0.1" {
		t.Fatalf("listening on %s, want 127.0.0.1", g.srv.Addr())
	}
	if !strings.HasPrefix(g.srv.URL(catalog.Segment{CameraID: "c", Start: t0}), "http://127.0.0.1:") {
		t.Errorf("URL does not name 127.0.0.1")
	}
	dial := func(addr string) error {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := dial(g.srv.Addr()); err != nil {
		t.Fatalf("loopback dial: %v", err)
	}
	// Not the IPv6 loopback, not any other address of this machine.
	others := []string{net.JoinHostPort("::1", port(t, g))}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		others = append(others, net.JoinHostPort(ipn.IP.String(), port(t, g)))
	}
	if len(others) == 1 {
		t.Log("this machine has no non-loopback address; only ::1 is checked")
	}
	for _, a := range others {
		if err := dial(a); err == nil {
			t.Errorf("the footage port answers on %s", a)
		}
	}
}

func TestRangeGets206AndTheRightBytes(t *testing.T) {
	g := newRig(t)
	row := g.closed(t, "cam1", t0, 12*time.Second)
	plain := g.plain(t, row)
	n := len(plain)
	if n < 100_000 {
		t.Fatalf("segment of %d bytes is too short to cross age chunks", n)
	}
	u := g.srv.URL(row)
	cases := []struct {
		rng      string
		from, to int // inclusive
	}{
		{"bytes=0-187", 0, 187},
		{"bytes=65000-70999", 65000, 70999}, // across an age chunk boundary
		{fmt.Sprintf("bytes=%d-", n-1000), n - 1000, n - 1},
		{"bytes=-500", n - 500, n - 1},
	}
	for _, c := range cases {
		r := get(t, "GET", u, map[string]string{"Range": c.rng})
		if r.status != http.StatusPartialContent {
			t.Errorf("%s: status %d, want 206", c.rng, r.status)
			continue
		}
		if want := fmt.Sprintf("bytes %d-%d/%d", c.from, c.to, n); r.header.Get("Content-Range") != want {
			t.Errorf("%s: Content-Range %q, want %q", c.rng, r.header.Get("Content-Range"), want)
		}
		if !bytes.Equal(r.body, plain[c.from:c.to+1]) {
			t.Errorf("%s: %d bytes differ from WriteTo's", c.rng, len(r.body))
		}
	}
	if r := get(t, "GET", u, map[string]string{"Range": fmt.Sprintf("bytes=%d-", n)}); r.status != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("a range past the end: status %d, want 416", r.status)
	}
	h := get(t, "HEAD", u, nil)
	if h.status != http.StatusOK || h.header.Get("Content-Length") != strconv.Itoa(n) || len(h.body) != 0 {
		t.Errorf("HEAD: status %d, length %q, %d body bytes", h.status, h.header.Get("Content-Length"), len(h.body))
	}
}

// probe runs ffprobe, a client we did not write, on a URL.
type probed struct {
	Streams []struct {
		CodecName    string `json:"codec_name"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		NbReadFrames string `json:"nb_read_frames"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

func probe(t *testing.T, url string) (codec string, frames int, dur time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, tool(t, "ffprobe"), "-v", "error", "-count_frames", "-select_streams", "v",
		"-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "json", url).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe output %q: %v", out, err)
	}
	if len(p.Streams) != 1 {
		t.Fatalf("ffprobe found %d video streams: %s", len(p.Streams), out)
	}
	frames, err = strconv.Atoi(p.Streams[0].NbReadFrames)
	if err != nil {
		t.Fatalf("ffprobe frames %q: %v", p.Streams[0].NbReadFrames, err)
	}
	secs, err := strconv.ParseFloat(p.Format.Duration, 64)
	if err != nil {
		t.Fatalf("ffprobe duration %q: %v", p.Format.Duration, err)
	}
	return p.Streams[0].CodecName, frames, time.Duration(secs * float64(time.Second))
}

const frame = time.Second / fps

func TestFFprobeReadsAServedSegment(t *testing.T) {
	g := newRig(t)
	const fed = 6 * time.Second
	row := g.closed(t, "cam1", t0, fed)
	codec, frames, dur := probe(t, g.srv.URL(row))
	if codec != "h264" {
		t.Errorf("codec %q, want h264", codec)
	}
	if frames != int(fed/frame) {
		t.Errorf("ffprobe decoded %d frames, %d were recorded", frames, fed/frame)
	}
	// The duration is what was fed, to within one frame interval.
	if d := dur - fed; d < -frame || d > frame {
		t.Errorf("ffprobe duration %v, fed %v", dur, fed)
	}
}

func TestDamagedIsGoneWithTheReason(t *testing.T) {
	g := newRig(t)
	row := g.closed(t, "cam1", t0, 3*time.Second)
	plain := g.plain(t, row)
	path := g.store.Path(row)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), orig...)
	flipped[len(flipped)/2] ^= 4
	cases := []struct {
		name   string
		file   []byte
		row    catalog.Segment
		reason string
	}{
		{"flipped bit", flipped, row, "SHA-256"},
		{"truncated", orig[:len(orig)-1000], row, "truncated"},
		{"marked damaged", orig, func() catalog.Segment {
			r := row
			r.State, r.Problem = catalog.SegmentDamaged, "flagged by verify"
			return r
		}(), "flagged by verify"},
	}
	for _, c := range cases {
		if err := os.WriteFile(path, c.file, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := g.db.PutSegment(c.row); err != nil {
			t.Fatal(err)
		}
		for _, rng := range []string{"", "bytes=0-1000"} {
			r := get(t, "GET", g.srv.URL(row), map[string]string{"Range": rng})
			if r.status != http.StatusGone || !strings.Contains(string(r.body), c.reason) {
				t.Errorf("%s %q: status %d body %q, want 410 naming %q", c.name, rng, r.status, r.body, c.reason)
			}
			noFootage(t, c.name, r, plain)
		}
	}
}

// A segment being recorded is served up to its last flushed chunk and
// grows between two requests.
func TestGrowingSegmentIsServedAsItGrows(t *testing.T) {
	g := newRig(t)
	rec := g.record(t, "cam1", time.Now())
	var prev []byte
	for i := 1; i <= 2; i++ {
		rec.feed(3 * time.Second)
		rec.flush()
		row := g.openRow(t, "cam1")
		u := g.srv.URL(row)
		r := get(t, "GET", u, nil)
		if r.status != http.StatusOK || len(r.body) <= len(prev) || !bytes.HasPrefix(r.body, prev) {
			t.Fatalf("request %d: status %d, %d bytes after %d: did not grow", i, r.status, len(r.body), len(prev))
		}
		for _, h := range []string{"ETag", "Last-Modified", "Expires"} {
			if r.header.Get(h) != "" {
				t.Errorf("request %d: growing segment has %s %q", i, h, r.header.Get(h))
			}
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		// Everything fed was flushed by the padding; ffprobe sees it all.
		fed := time.Duration(i) * 3 * time.Second
		_, frames, _ := probe(t, u)
		if frames != int(fed/frame) {
			t.Errorf("request %d: ffprobe decoded %d frames of the %d fed", i, frames, fed/frame)
		}
		prev = r.body
	}
	rec.r.Close()
	if final := g.plain(t, rec.r.LastSegment()); !bytes.HasPrefix(final, prev) {
		t.Errorf("what was served while growing is not the start of the finished segment")
	}
}

func TestCloseStopsServing(t *testing.T) {
	g := newRig(t)
	addr := g.srv.Addr()
	if err := g.srv.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
		c.Close()
		t.Fatalf("%s still accepts connections after Close", addr)
	}
}

// A file changed behind a remembered check (same size and mtime) is cut
// short where the change is: no byte served differs from the recording.
func TestChangedAfterCheckNeverServesChangedBytes(t *testing.T) {
	g := newRig(t)
	row := g.closed(t, "cam1", t0, 20*time.Second)
	plain := g.plain(t, row)
	u := g.srv.URL(row)
	if r := get(t, "GET", u, nil); r.status != http.StatusOK || !bytes.Equal(r.body, plain) {
		t.Fatalf("first read: status %d, %d bytes", r.status, len(r.body))
	}
	path := g.store.Path(row)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 3*65536 {
		t.Fatalf("segment of %d bytes has too few chunks", len(b))
	}
	b[65536+5000] ^= 1 // in the second age chunk
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	var got bytes.Buffer
	_, rerr := got.ReadFrom(resp.Body)
	if rerr == nil || got.Len() >= len(plain) {
		t.Fatalf("read %d of %d bytes of a changed file without an error (%v)", got.Len(), len(plain), rerr)
	}
	if !bytes.Equal(got.Bytes(), plain[:got.Len()]) {
		t.Errorf("served bytes differ from the recording")
	}
	testwait.Until(t, 5*time.Second, "the short response is logged", func() bool {
		return strings.Contains(g.log.String(), "segment read failed while serving")
	})
}
