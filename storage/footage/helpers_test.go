package footage

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nightjar/assets"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
	"nightjar/storage/recording"
	"nightjar/storage/secrets"
)

// rig is a data directory with a catalogue, a segment store and a server.
type rig struct {
	log   *testwait.Buffer // the server's log
	dir   string
	db    *catalog.DB
	store *recording.Store
	srv   *Server
}

func newRig(t *testing.T) *rig {
	t.Helper()
	dir := t.TempDir()
	db, err := catalog.Open(dir, catalog.Options{})
	if err != nil {
		t.Fatalf("open catalogue: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	ring := &secrets.Store{Backend: &secrets.Memory{}}
	store := &recording.Store{Dir: filepath.Join(dir, "recordings"), DB: db, Keys: recording.NewKeys(ring, "mk", db)}
	logs := &testwait.Buffer{}
	srv, err := Start(context.Background(), Config{Store: store, DB: db, Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatalf("start footage server: %v", err)
	}
	// Runs last: whatever a test did, the token never reached the log.
	t.Cleanup(func() {
		if strings.Contains(logs.String(), srv.token) {
			t.Errorf("the log holds the token:\n%s", logs.String())
		}
		if !strings.Contains(logs.String(), "serving footage") {
			t.Errorf("the server logged nothing; the token check saw no log")
		}
	})
	t.Cleanup(func() { srv.Close() })
	return &rig{log: logs, dir: dir, db: db, store: store, srv: srv}
}

const fps = 15

// clip is the embedded 640x360 15 fps camsim sub clip split into access
// units, with its SPS and PPS.
func clip(t testing.TB) (params [][]byte, aus [][][]byte) {
	t.Helper()
	b, err := assets.CamsimClips.ReadFile("camsim/sub-view0.h264")
	if err != nil {
		t.Fatal(err)
	}
	var au [][]byte
	for _, nal := range bytes.Split(b, []byte{0, 0, 1}) {
		nal = bytes.TrimRight(nal, "\x00")
		if len(nal) < 2 {
			continue
		}
		switch typ := nal[0] & 0x1F; {
		case typ == 7 || typ == 8:
			if len(params) < 2 {
				params = append(params, nal)
			}
		case typ == 1 || typ == 5:
			// first_mb_in_slice == 0 starts a picture.
			if nal[1]&0x80 != 0 && len(au) > 0 {
				aus = append(aus, au)
				au = nil
			}
			au = append(au, nal)
		}
	}
	if len(au) > 0 {
		aus = append(aus, au)
	}
	if len(params) != 2 || len(aus) < fps {
		t.Fatalf("clip: %d parameter sets, %d frames", len(params), len(aus))
	}
	return params, aus
}

// recorder records camera cam from start.
type recorder struct {
	t      testing.TB
	r      *recording.Recorder
	start  time.Time
	frames int
	aus    [][][]byte
}

func (g *rig) record(t testing.TB, cam string, start time.Time) *recorder {
	params, aus := clip(t)
	r := &recording.Recorder{Store: g.store, CameraID: cam, SegmentLength: time.Hour}
	r.SetWant(true, "continuous")
	r.Start([]recording.Track{{Codec: recording.CodecH264, Params: params, Width: 640, Height: 360}})
	return &recorder{t: t, r: r, start: start, aus: aus}
}

// feed writes d more of the clip, as if it arrived in real time.
func (c *recorder) feed(d time.Duration) {
	step := time.Second / fps
	for n := int(d / step); n > 0; n-- {
		pts := time.Duration(c.frames) * step
		c.r.WriteFrame(recording.Frame{PTS: pts, AU: c.aus[c.frames%len(c.aus)], Arrived: c.start.Add(pts)})
		c.frames++
	}
}

// flush waits out the writer's flush interval so it pads the open chunk to
// the disk.
func (c *recorder) flush() {
	time.Sleep(900 * time.Millisecond)
	c.r.Tick(time.Now())
}

// closed records d in one finished segment and returns its row.
func (g *rig) closed(t testing.TB, cam string, start time.Time, d time.Duration) catalog.Segment {
	t.Helper()
	c := g.record(t, cam, start)
	c.feed(d)
	c.r.Close()
	row := c.r.LastSegment()
	if row.State != catalog.SegmentClosed {
		t.Fatalf("segment not closed: %+v", row)
	}
	return row
}

// openRow is the one open row of cam.
func (g *rig) openRow(t testing.TB, cam string) catalog.Segment {
	t.Helper()
	rows, err := g.db.Segments(catalog.SegmentFilter{CameraID: cam, State: catalog.SegmentOpen})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("want one open row of %s, got %d", cam, len(rows))
	}
	return rows[0]
}

// plain is the segment's plaintext as recording's WriteTo gives it, less
// the 188-byte binding packet, which is not served.
func (g *rig) plain(t testing.TB, row catalog.Segment) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := g.store.WriteTo(context.Background(), row, &b); err != nil {
		t.Fatalf("decrypt %s: %v", row.File, err)
	}
	if b.Len() < 188 || b.Bytes()[0] != 0x47 {
		t.Fatalf("WriteTo gave %d bytes", b.Len())
	}
	return b.Bytes()[188:]
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// get sends a request with the given headers (a "Host" entry sets the
// Host header) and reads the whole reply.
func get(t testing.TB, method, url string, hdr map[string]string) reply {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, redactToken(url), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read reply of %s: %v", redactToken(url), err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

// redactToken keeps the token out of test logs.
func redactToken(u string) string {
	if len(u) > 40 {
		return u[:22] + "…"
	}
	return u
}

// tool finds ffmpeg or ffprobe; they are required under NIGHTJAR_FULL_TEST.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") != "" {
			t.Fatalf("%s is required", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}
