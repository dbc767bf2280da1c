package app

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nightjar/devices/camsim"
	"nightjar/devices/onvif"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
	"nightjar/ui"
)

// credTrap listens on a loopback host that is not the camera's and
// answers every RTSP or HTTP request with 401 and a Basic or Digest
// challenge, so a client that holds credentials sends them. It notes
// every request that carries any: an Authorization header of any scheme,
// userinfo in the request URI, or the password or user:password in
// plain or base64 anywhere in the bytes.
type credTrap struct {
	t          *testing.T
	ln         net.Listener
	challenge  string // Basic or Digest
	user, pass string

	mu       sync.Mutex
	requests int
	leaks    []credLeak
}

// credLeak is one request that carried credentials.
type credLeak struct {
	Proto, Path, Agent, How string
}

func startCredTrap(t *testing.T, addr, challenge, user, pass string) *credTrap {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s for the foreign host: %v", addr, err)
	}
	tr := &credTrap{t: t, ln: ln, challenge: challenge, user: user, pass: pass}
	go tr.serve()
	t.Cleanup(func() { ln.Close() })
	return tr
}

func (tr *credTrap) serve() {
	for {
		conn, err := tr.ln.Accept()
		if err != nil {
			return
		}
		go tr.handle(conn)
	}
}

func (tr *credTrap) handle(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(conn)
	for {
		var raw strings.Builder
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		raw.WriteString(line)
		reqLine := strings.Fields(line)
		hdr := map[string]string{}
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			raw.WriteString(l)
			l = strings.TrimRight(l, "\r\n")
			if l == "" {
				break
			}
			if k, v, ok := strings.Cut(l, ":"); ok {
				hdr[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
		if n, err := strconv.Atoi(hdr["content-length"]); err == nil && n > 0 && n < 1<<20 {
			body := make([]byte, n)
			if _, err := io.ReadFull(br, body); err != nil {
				return
			}
			raw.Write(body)
		}
		if len(reqLine) < 3 {
			return
		}
		tr.note(reqLine, hdr, raw.String())
		proto := reqLine[2]
		var res strings.Builder
		fmt.Fprintf(&res, "%s 401 Unauthorized\r\n", proto)
		if cseq := hdr["cseq"]; cseq != "" {
			fmt.Fprintf(&res, "CSeq: %s\r\n", cseq)
		}
		if tr.challenge == "Digest" {
			res.WriteString("WWW-Authenticate: Digest realm=\"foreign\", nonce=\"6e6f6e6365\"\r\n")
		} else {
			res.WriteString("WWW-Authenticate: Basic realm=\"foreign\"\r\n")
		}
		res.WriteString("Content-Length: 0\r\n\r\n")
		if _, err := conn.Write([]byte(res.String())); err != nil {
			return
		}
	}
}

func (tr *credTrap) note(reqLine []string, hdr map[string]string, raw string) {
	var how []string
	if a := hdr["authorization"]; a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		how = append(how, "Authorization "+scheme)
	}
	if u, err := url.Parse(reqLine[1]); err == nil && u.User != nil {
		how = append(how, "userinfo in the request URI")
	}
	userPass := tr.user + ":" + tr.pass
	for _, enc := range []string{tr.pass, url.QueryEscape(tr.pass), base64.StdEncoding.EncodeToString([]byte(userPass)),
		base64.StdEncoding.EncodeToString([]byte(tr.pass))} {
		if strings.Contains(raw, enc) {
			how = append(how, fmt.Sprintf("the password as %q", enc))
		}
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.requests++
	if len(how) > 0 {
		path := reqLine[1]
		if u, err := url.Parse(path); err == nil {
			path = u.Path
		}
		tr.leaks = append(tr.leaks, credLeak{Proto: reqLine[2], Path: path, Agent: hdr["user-agent"], How: strings.Join(how, ", ")})
	}
}

func (tr *credTrap) seen() (requests int, leaks []credLeak) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.requests, append([]credLeak(nil), tr.leaks...)
}

// leaks counts the requests for path that carried credentials, from
// ingest (gortsplib's User-Agent) or from mpv (any other).
func (tr *credTrap) leaksFrom(path string, ingest bool) int {
	_, leaks := tr.seen()
	n := 0
	for _, l := range leaks {
		if l.Path == path && strings.HasPrefix(strings.ToLower(l.Agent), "gortsplib") == ingest {
			n++
		}
	}
	return n
}

// trapCamera puts credential traps on foreign, on the same ports as
// camsim camera i serves RTSP and HTTP at, and makes it report its
// stream and snapshot URIs there, through the --fault spec 'nightjar
// camsim' takes.
func trapCamera(t *testing.T, s *camsim.Sim, i int, foreign, challenge, user, pass string) (rtsp, http *credTrap) {
	t.Helper()
	cam := s.Cameras()[i]
	rtspURL, err := url.Parse(cam.StreamURI(camsim.Main))
	if err != nil {
		t.Fatal(err)
	}
	devURL, err := url.Parse(cam.DeviceURL())
	if err != nil {
		t.Fatal(err)
	}
	rtsp = startCredTrap(t, net.JoinHostPort(foreign, rtspURL.Port()), challenge, user, pass)
	http = startCredTrap(t, net.JoinHostPort(foreign, devURL.Port()), challenge, user, pass)
	if err := (faultFlags{fmt.Sprintf("%d:foreign-host", i+1)}).apply(s); err == nil {
		t.Fatal("foreign-host without a host accepted")
	}
	if err := (faultFlags{fmt.Sprintf("%d:foreign-host=%s", i+1, foreign)}).apply(s); err != nil {
		t.Fatal(err)
	}
	// The fault is on: camsim reports the trap's address (its own test
	// checks that GetStreamUri says the same).
	if got, want := cam.ReportedStreamURI(camsim.Main), "rtsp://"+rtsp.ln.Addr().String()+"/main"; got != want {
		t.Fatalf("camsim reports %s, want the trap's %s", got, want)
	}
	return rtsp, http
}

// urlLog collects the stream URLs the app hands to mpv and ingest.
type urlLog struct {
	mu   sync.Mutex
	urls map[string][]string // use -> URLs
}

func (l *urlLog) hook(use, u string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.urls == nil {
		l.urls = map[string][]string{}
	}
	l.urls[use] = append(l.urls[use], u)
}

func (l *urlLog) get(use string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.urls[use]...)
}

// waitPlaying waits until a live source shows video.
func waitPlaying(t *testing.T, what string, src ui.LiveSource) {
	t.Helper()
	testwait.Until(t, 30*time.Second, what+" playing", func() bool {
		st, _ := src.State()
		return st == ui.TilePlaying
	})
}

// waitSegment waits until camera id has a catalogued segment, that is
// until ingest has received video.
func waitSegment(t *testing.T, a *App, id string) {
	t.Helper()
	testwait.Until(t, 30*time.Second, "a recorded segment of "+id, func() bool {
		rows, err := a.DB.Segments(catalog.SegmentFilter{CameraID: id})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows) > 0
	})
}

const hostilePass = "Hostile-Test-Pw-7391"

// TestHostileCameraGetsNoCredentials adds two camsim cameras that report
// their streams and snapshots on other loopback hosts (127.0.0.2 with a
// Basic challenge, 127.0.0.3 with Digest), then runs the live wall (sub
// and main, real mpv), recording (real ingest) and a snapshot (real mpv).
// Every URL handed to mpv or ingest must be on the camera's own host and
// port, each path must really get video from camsim, and the listeners on
// the foreign hosts must see no credentials at all.
func TestHostileCameraGetsNoCredentials(t *testing.T) {
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 2, User: "admin", Pass: hostilePass})
	var traps []*credTrap
	for i, f := range []struct{ host, challenge string }{{"127.0.0.2", "Basic"}, {"127.0.0.3", "Digest"}} {
		r, h := trapCamera(t, s, i, f.host, f.challenge, "admin", hostilePass)
		traps = append(traps, r, h)
	}
	// Checked however the test ends: a failure below must not hide a leak.
	defer func() {
		for _, tr := range traps {
			n, leaks := tr.seen()
			t.Logf("foreign listener %s: %d requests", tr.ln.Addr(), n)
			for _, l := range leaks {
				t.Errorf("foreign host %s received credentials: %+v", tr.ln.Addr(), l)
			}
		}
	}()
	var urls urlLog
	a.streamHook = urls.hook
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var ids []string
	for i, sc := range s.Cameras() {
		cam, err := a.AddCamera(ctx, AddRequest{Address: sc.DeviceURL(), User: "admin", Pass: hostilePass})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Secrets.Delete(context.Background(), keyringKey(cam.ID)) })
		ids = append(ids, cam.ID)
		dev, err := url.Parse(sc.DeviceURL())
		if err != nil {
			t.Fatal(err)
		}
		// Expected addresses are where camsim really serves.
		if cam.MainURI != sc.StreamURI(camsim.Main) || cam.SubURI != sc.StreamURI(camsim.Sub) ||
			cam.SnapshotURI != "http://"+dev.Host+"/onvif/snapshot" {
			t.Errorf("camera %d stored main %q sub %q snapshot %q; want camsim's own %q, %q and host %s",
				i, cam.MainURI, cam.SubURI, cam.SnapshotURI, sc.StreamURI(camsim.Main), sc.StreamURI(camsim.Sub), dev.Host)
		}
		if cam.StreamWarning != "" || cam.ManualStreams {
			t.Errorf("camera %d: warning %q, manual %v for probed streams", i, cam.StreamWarning, cam.ManualStreams)
		}
	}

	// Each path in its own subtest, so that one failing does not keep
	// the others from running against the traps.
	t.Run("live", func(t *testing.T) {
		// The wall's sub streams, then each main stream.
		streams := a.openLiveStreams(ctx)
		if len(streams) != 2 {
			t.Fatalf("%d live streams, want 2", len(streams))
		}
		for i, ls := range streams {
			waitPlaying(t, ls.ID+" sub", ls.Source)
			if ls.OpenMain == nil {
				t.Fatalf("%s has no main stream", ls.ID)
			}
			m, closeMain := ls.OpenMain()
			waitPlaying(t, ls.ID+" main", m)
			closeMain()
			if n := s.Cameras()[i].Readers(); n < 1 {
				t.Fatalf("camera %d has %d readers while its sub stream plays", i, n)
			}
		}
	})
	t.Run("record", func(t *testing.T) {
		r, err := a.startRecorders(recordingOptions{SegmentLength: 10 * time.Second}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if on, err := r.ToggleManual(id); err != nil || !on {
				t.Fatalf("start recording %s: %v, %v", id, on, err)
			}
			waitSegment(t, a, id)
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		for _, id := range ids {
			sctx, scancel := context.WithTimeout(ctx, 20*time.Second)
			_, err := a.Snapshot(sctx, id)
			scancel()
			if err != nil {
				t.Fatal(err)
			}
		}
	})

	for _, use := range []string{"live", "record", "snapshot"} {
		got := urls.get(use)
		if len(got) == 0 {
			t.Errorf("no %s URL was handed out", use)
		}
		for _, u := range got {
			if !onCamsim(u, s) {
				t.Errorf("%s URL %s is not a camsim camera's own RTSP address", use, redactedForTest(u))
			}
		}
	}
}

// onCamsim reports whether u is rtsp://admin:<pass>@ one of the
// simulator's own RTSP addresses.
func onCamsim(u string, s *camsim.Sim) bool {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return false
	}
	if pw, _ := p.User.Password(); p.User.Username() != "admin" || pw != hostilePass {
		return false
	}
	p.User = nil
	for _, c := range s.Cameras() {
		for _, k := range []string{camsim.Main, camsim.Sub} {
			if p.String() == c.StreamURI(k) {
				return true
			}
		}
	}
	return false
}

func redactedForTest(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable)"
	}
	p.User = nil
	return p.String()
}

// TestManualForeignStreamWarnsAndGetsCredentials is the other side: a
// stream given by hand on another host is the user's choice. It is used
// with the credentials, and the CLI, the log, the record and the
// Cameras page row say so. It also shows the credential traps catch what
// real mpv and ingest send, Basic and Digest alike.
func TestManualForeignStreamWarnsAndGetsCredentials(t *testing.T) {
	requireKeyring(t) // skips without a keyring, like the other keyring tests
	dir := t.TempDir()
	s := startCamsim(t, camsim.Config{Cameras: 1, User: "admin", Pass: hostilePass})
	sc := s.Cameras()[0]
	basic := startCredTrap(t, "127.0.0.2:0", "Basic", "admin", hostilePass)
	digest := startCredTrap(t, "127.0.0.3:0", "Digest", "admin", hostilePass)
	mainURL := "rtsp://" + basic.ln.Addr().String() + "/main"
	subURL := "rtsp://" + digest.ln.Addr().String() + "/sub"

	stdin = strings.NewReader(hostilePass + "\n")
	defer func() { stdin = os.Stdin }()
	code, out, errOut := runCLI(t, "--data-dir", dir, "cameras", "add", sc.DeviceURL(), "--user", "admin", "--password-stdin",
		"--main", mainURL, "--sub", subURL, "--json")
	if code != exitOK {
		t.Fatalf("cameras add: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: main stream on 127.0.0.2, sub stream on 127.0.0.3, not the camera's host 127.0.0.1") {
		t.Fatalf("cameras add printed no stream warning: %q", errOut)
	}
	code, listOut, errOut := runCLI(t, "--data-dir", dir, "cameras", "list")
	if code != exitOK || !strings.Contains(listOut, "stream on another host") {
		t.Fatalf("cameras list: exit %d, no warning:\n%s%s", code, listOut, errOut)
	}
	if strings.Contains(out+errOut+listOut, hostilePass) {
		t.Fatal("the CLI printed the password")
	}
	a, err := Open(globalFlags{dataDir: dir, logLevel: "info"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	cams, err := a.DB.Cameras()
	if err != nil || len(cams) != 1 {
		t.Fatalf("cameras %+v, %v", cams, err)
	}
	cam := cams[0]
	t.Cleanup(func() { a.Secrets.Delete(context.Background(), keyringKey(cam.ID)) })
	if cam.MainURI != mainURL || cam.SubURI != subURL || !cam.ManualStreams || cam.StreamWarning == "" {
		t.Fatalf("record %+v", cam)
	}
	if row := cameraRow(cam); row.StreamWarning != cam.StreamWarning {
		t.Fatalf("Cameras page row warning %q, want %q", row.StreamWarning, cam.StreamWarning)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	streams := a.openLiveStreams(ctx)
	if len(streams) != 1 || streams[0].OpenMain == nil {
		t.Fatalf("live streams %+v", streams)
	}
	testwait.Until(t, 30*time.Second, "mpv's credentials at the Digest trap (sub)", func() bool { return digest.leaksFrom("/sub", false) > 0 })
	_, closeMain := streams[0].OpenMain()
	testwait.Until(t, 30*time.Second, "mpv's credentials at the Basic trap (main)", func() bool { return basic.leaksFrom("/main", false) > 0 })
	closeMain()

	r, err := a.startRecorders(recordingOptions{SegmentLength: 10 * time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	if on, err := r.ToggleManual(cam.ID); err != nil || !on {
		t.Fatalf("start recording: %v, %v", on, err)
	}
	testwait.Until(t, 30*time.Second, "ingest's credentials at the Basic trap", func() bool { return basic.leaksFrom("/main", true) > 0 })

	// The main player is closed: mpv's requests for /main now come from
	// the snapshot.
	before := basic.leaksFrom("/main", false)
	sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
	_, err = a.Snapshot(sctx, cam.ID)
	scancel()
	if err == nil {
		t.Fatal("a snapshot from a listener that only says 401 succeeded")
	}
	if basic.leaksFrom("/main", false) <= before {
		t.Fatal("the snapshot sent no credentials to the stream given by hand")
	}

	a.Close()
	log, err := os.ReadFile(filepath.Join(dir, "logs", "nightjar.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"camera stream on another host", "sending the camera's credentials to a stream host given by hand"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if strings.Contains(string(log), hostilePass) {
		t.Error("the log holds the password")
	}
}

// TestStreamURLRefuses checks the last gate before mpv and ingest, for
// records that did not come through today's AddCamera (an older
// catalogue, or one edited by hand).
func TestStreamURLRefuses(t *testing.T) {
	a := &App{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	onvifCam := catalog.Camera{ID: "c1", DeviceURL: "http://10.0.0.5/onvif/device_service", Username: "admin"}
	manual := onvifCam
	manual.ManualStreams = true
	rtspOnly := catalog.Camera{ID: "c2", Username: "admin"}
	for _, tc := range []struct {
		cam  catalog.Camera
		uri  string
		want string // "" means refused
	}{
		{onvifCam, "rtsp://10.0.0.5:554/s", "rtsp://admin:pw@10.0.0.5:554/s"},
		{onvifCam, "rtsps://10.0.0.5/s", "rtsps://admin:pw@10.0.0.5/s"},
		{onvifCam, "rtsp://other:pw@10.0.0.5/s", "rtsp://admin:pw@10.0.0.5/s"},
		{onvifCam, "rtsp://10.0.0.9:554/s", ""},
		{onvifCam, "http://10.0.0.5/s", ""},
		{onvifCam, "file:///etc/passwd", ""},
		{onvifCam, "", ""},
		{manual, "rtsp://10.0.0.9:554/s", "rtsp://admin:pw@10.0.0.9:554/s"},
		{manual, "udp://10.0.0.9:554", ""},
		{rtspOnly, "rtsp://10.0.0.7/s", "rtsp://admin:pw@10.0.0.7/s"},
		{rtspOnly, "tcp://10.0.0.7:23", ""},
		{catalog.Camera{ID: "c3"}, "rtsp://left:over@10.0.0.7/s", "rtsp://10.0.0.7/s"}, // no user: no credentials at all
	} {
		got, err := a.streamURL(tc.cam, tc.uri, "pw", "live")
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s %q: handed out %s, want a refusal", tc.cam.ID, tc.uri, redactedForTest(got))
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s %q: %q (userinfo %v), %v; want %q", tc.cam.ID, tc.uri, redactedForTest(got), strings.Contains(got, "@"), err, redactedForTest(tc.want))
		}
	}
}

// TestAddRefusesOtherStreamSchemes has camsim report its streams as
// http:// URLs: the camera is not added, with a hint, and is added once
// the user gives the stream by hand.
func TestAddRefusesOtherStreamSchemes(t *testing.T) {
	a := requireKeyring(t)
	s := startCamsim(t, camsim.Config{Cameras: 1, User: "admin", Pass: hostilePass})
	sc := s.Cameras()[0]
	if err := (faultFlags{"1:foreign-host=http://127.0.0.1"}).apply(s); err != nil {
		t.Fatal(err)
	}
	if got := sc.ReportedStreamURI(camsim.Main); !strings.HasPrefix(got, "http://") {
		t.Fatalf("camsim reports %s, want an http:// stream", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := a.AddCamera(ctx, AddRequest{Address: sc.DeviceURL(), User: "admin", Pass: hostilePass})
	if !errors.Is(err, onvif.ErrBadURI) || cameraHint(err) == "" || !strings.Contains(err.Error(), `scheme "http"`) {
		t.Fatalf("add with http:// streams: %v (hint %q); want ErrBadURI naming the scheme, with a hint", err, cameraHint(err))
	}
	if cams, err := a.DB.Cameras(); err != nil || len(cams) != 0 {
		t.Fatalf("stored %d cameras after a refused add (%v)", len(cams), err)
	}
	cam, err := a.AddCamera(ctx, AddRequest{Address: sc.DeviceURL(), User: "admin", Pass: hostilePass, MainURL: sc.StreamURI(camsim.Main)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Secrets.Delete(context.Background(), keyringKey(cam.ID)) })
	if cam.MainURI != sc.StreamURI(camsim.Main) || cam.SubURI != cam.MainURI || !cam.ManualStreams || cam.StreamWarning != "" {
		t.Fatalf("record %+v; want the given stream for both, no warning (same host)", cam)
	}
}
