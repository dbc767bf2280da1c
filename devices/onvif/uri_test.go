package onvif

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"nightjar/devices/camsim"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		max      int
	}{
		{"Hikvision DS-2CD2043G2", "Hikvision DS-2CD2043G2", 128},
		{"  padded\t", "padded", 128},
		{"two\nlines\r\nhere", "two lines  here", 128},
		{"esc\x1b[31mred\x07bell\x7f", "esc[31mredbell", 128},
		{"c1\u009b31mcsi\u0085nel", "c131mcsinel", 128},
		{"evil\u202Etxt.exe\u2066x\u2069\u200F", "eviltxt.exex", 128},
		{"bad\xff\xfeutf8", "bad\uFFFDutf8", 128}, // one replacement per invalid run
		{"abcdefghij", "abcdefghij", 10},
		{"abcdefghijk", "abcdefg…", 10}, // 7 bytes and the 3-byte ellipsis
		{"ééééé", "éé…", 8},             // never cut inside a rune
		{strings.Repeat("x", 1<<20), strings.Repeat("x", 125) + "…", 128},
	} {
		got := cleanText(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("cleanText(%.40q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if len(got) > tc.max || !utf8.ValidString(got) {
			t.Errorf("cleanText(%.40q, %d): %d bytes, valid UTF-8 %v", tc.in, tc.max, len(got), utf8.ValidString(got))
		}
	}
}

func TestValidToken(t *testing.T) {
	for tok, want := range map[string]bool{
		"Profile_1": true, "main": true, "": false, "a\nb": false, " pad": false,
		strings.Repeat("t", maxToken): true, strings.Repeat("t", maxToken+1): false,
	} {
		if validToken(tok) != want {
			t.Errorf("validToken(%.20q) = %v", tok, !want)
		}
	}
}

func TestCameraURI(t *testing.T) {
	const dev = "http://cam.example:8080/onvif/device_service"
	for _, tc := range []struct {
		raw, device string
		schemes     []string
		want        string // "" means refused with ErrBadURI
	}{
		{"rtsp://10.0.0.5:554/Streaming/101", dev, rtspSchemes, "rtsp://cam.example:554/Streaming/101"},
		{"rtsp://10.0.0.5/live", dev, rtspSchemes, "rtsp://cam.example/live"},
		{"rtsps://evil.example:322/s?x=1", dev, rtspSchemes, "rtsps://cam.example:322/s?x=1"},
		{"RTSP://admin:admin@10.0.0.5:554/a", dev, rtspSchemes, "rtsp://cam.example:554/a"},
		{" rtsp://10.0.0.5/a ", "http://[fd00::5]/onvif/device_service", rtspSchemes, "rtsp://[fd00::5]/a"},
		{"rtsp://10.0.0.5:554/a", "http://[fd00::5]:80/onvif", rtspSchemes, "rtsp://[fd00::5]:554/a"},
		{"http://10.0.0.5/snap.jpg", dev, httpSchemes, "http://cam.example/snap.jpg"},
		{"https://u:p@10.0.0.5:443/snap", dev, httpSchemes, "https://cam.example:443/snap"},
		{"http://10.0.0.5/stream", dev, rtspSchemes, ""},
		{"rtsp://10.0.0.5/snap", dev, httpSchemes, ""},
		{"file:///etc/passwd", dev, rtspSchemes, ""},
		{"rtmp://10.0.0.5/live", dev, rtspSchemes, ""},
		{"javascript:alert(1)", dev, httpSchemes, ""},
		{"/relative/path", dev, rtspSchemes, ""},
		{"", dev, rtspSchemes, ""},
		{"rtsp://10.0.0.5/" + strings.Repeat("a", maxURI), dev, rtspSchemes, ""},
		{"rtsp://10.0.0.5/a\x00b", dev, rtspSchemes, ""},
		{"rtsp://10.0.0.5/a", "not a url", rtspSchemes, ""},
	} {
		got, err := cameraURI(tc.raw, tc.device, tc.schemes...)
		if tc.want == "" {
			if !errors.Is(err, ErrBadURI) {
				t.Errorf("cameraURI(%.50q) = %q, %v; want ErrBadURI", tc.raw, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("cameraURI(%q, %q) = %q, %v; want %q", tc.raw, tc.device, got, err, tc.want)
		}
	}
}

var (
	rtspSchemes = []string{"rtsp", "rtsps"}
	httpSchemes = []string{"http", "https"}
)

func TestSameHost(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"rtsp://10.0.0.5:554/a", "http://10.0.0.5/onvif", true},
		{"rtsp://CAM.example/a", "http://cam.example:8080/", true},
		{"rtsp://127.0.0.2:554/a", "http://127.0.0.1:554/", false},
		{"rtsp://evil/a", "http://cam/", false},
		{"rtsp:///a", "http:///", false},
		{"::", "http://cam/", false},
	} {
		if got := SameHost(tc.a, tc.b); got != tc.want {
			t.Errorf("SameHost(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// TestProbeRewritesForeignHost has camsim report its stream and snapshot
// URIs on another loopback host, as a camera behind NAT or a hostile one
// does: Probe must give back the camera's own addresses, as camsim serves
// them.
func TestProbeRewritesForeignHost(t *testing.T) {
	for _, foreign := range []string{"127.0.0.2", "127.0.0.3:9"} {
		t.Run(foreign, func(t *testing.T) {
			s := startSim(t, camsim.Config{Cameras: 1})
			cam := s.Cameras()[0]
			cam.ReportForeignHost(foreign)
			c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin"}
			res, err := c.Probe(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			dev, err := url.Parse(cam.DeviceURL())
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range []string{camsim.Main, camsim.Sub} {
				p, ok := res.Profile(kind)
				if !ok {
					t.Fatalf("no profile %s", kind)
				}
				want := cam.StreamURI(kind) // where camsim really serves it
				if _, port, ok := strings.Cut(foreign, ":"); ok {
					want = "rtsp://" + net.JoinHostPort(dev.Hostname(), port) + "/" + kind
				}
				if p.StreamURI != want {
					t.Errorf("%s stream %q, want %q", kind, p.StreamURI, want)
				}
			}
			wantSnap := "http://" + dev.Host + "/onvif/snapshot"
			if _, port, ok := strings.Cut(foreign, ":"); ok {
				wantSnap = "http://" + net.JoinHostPort(dev.Hostname(), port) + "/onvif/snapshot"
			}
			if res.SnapshotURI != wantSnap {
				t.Errorf("snapshot %q, want %q", res.SnapshotURI, wantSnap)
			}
		})
	}
}

// TestSetPasswordKeepsTheLevel changes an Operator's password on camsim:
// the level must stay Operator, and when GetUsers fails the change must
// not happen at all rather than guess a level.
func TestSetPasswordKeepsTheLevel(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1, User: "op", Pass: "Old-Pass-1"})
	cam := s.Cameras()[0]
	cam.SetUserLevel("Operator")
	ctx := context.Background()
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "op", Password: "Old-Pass-1"}

	if err := cam.InjectFault(camsim.FaultNoGetUsers, 0); err != nil {
		t.Fatal(err)
	}
	err := c.SetPassword(ctx, "op", "New-Pass-2")
	if !errors.Is(err, ErrUserLevel) || Hint(err) == "" {
		t.Fatalf("SetPassword without GetUsers: %v (hint %q); want ErrUserLevel with a hint", err, Hint(err))
	}
	if pass := camPassword(t, cam); pass != "Old-Pass-1" || cam.UserLevel() != "Operator" {
		t.Fatalf("camera changed after a refused SetPassword: password %q, level %s", pass, cam.UserLevel())
	}

	if err := cam.InjectFault(camsim.FaultNone, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPassword(ctx, "nobody", "New-Pass-2"); !errors.Is(err, ErrUserLevel) {
		t.Fatalf("SetPassword of a user the camera does not list: %v", err)
	}
	if err := c.SetPassword(ctx, "op", "New-Pass-2"); err != nil {
		t.Fatal(err)
	}
	if pass := camPassword(t, cam); pass != "New-Pass-2" || cam.UserLevel() != "Operator" {
		t.Fatalf("after SetPassword: password %q, level %s; want New-Pass-2 and Operator", pass, cam.UserLevel())
	}
}

// camPassword finds which of the test's two passwords camsim accepts for
// user op, by asking it over ONVIF; "" when neither.
func camPassword(t *testing.T, cam *camsim.Camera) string {
	t.Helper()
	for _, p := range []string{"Old-Pass-1", "New-Pass-2"} {
		c := &Client{DeviceURL: cam.DeviceURL(), Username: "op", Password: p}
		_, err := c.DeviceInformation(context.Background())
		if err == nil {
			return p
		}
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatal(err)
		}
	}
	return ""
}

// hostileCamera is a minimal ONVIF server whose strings and URIs are
// whatever the test says: a unit-test stand-in for a camera camsim does
// not imitate (bad schemes, control characters, oversized names).
func hostileCamera(t *testing.T, name, streamURI, snapURI string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.Repeat("T", maxToken+1) // refused: too long to send back
	replies := map[string]string{
		"GetSystemDateAndTime": `<GetSystemDateAndTimeResponse><SystemDateAndTime><UTCDateTime><Time><Hour>1</Hour><Minute>2</Minute><Second>3</Second></Time><Date><Year>2030</Year><Month>1</Month><Day>1</Day></Date></UTCDateTime></SystemDateAndTime></GetSystemDateAndTimeResponse>`,
		"GetCapabilities":      `<GetCapabilitiesResponse><Capabilities><Media><XAddr>http://10.9.9.9/onvif/media</XAddr></Media></Capabilities></GetCapabilitiesResponse>`,
		"GetDeviceInformation": `<GetDeviceInformationResponse><Manufacturer>` + name + `</Manufacturer><Model>` + name + `</Model><FirmwareVersion>` + name + `</FirmwareVersion><SerialNumber>` + name + `</SerialNumber><HardwareId>h</HardwareId></GetDeviceInformationResponse>`,
		"GetProfiles": `<GetProfilesResponse><Profiles token="p1"><Name>` + name + `</Name><VideoEncoderConfiguration><Encoding>H264</Encoding><Resolution><Width>1920</Width><Height>1080</Height></Resolution></VideoEncoderConfiguration></Profiles>` +
			`<Profiles token="` + tok + `"><Name>long token</Name><VideoEncoderConfiguration><Resolution><Width>4000</Width><Height>3000</Height></Resolution></VideoEncoderConfiguration></Profiles></GetProfilesResponse>`,
		"GetStreamUri":   `<GetStreamUriResponse><MediaUri><Uri>` + streamURI + `</Uri></MediaUri></GetStreamUriResponse>`,
		"GetSnapshotUri": `<GetSnapshotUriResponse><MediaUri><Uri>` + snapURI + `</Uri></MediaUri></GetSnapshotUriResponse>`,
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return
		}
		for op, reply := range replies {
			if strings.Contains(string(b), ":"+op+">") || strings.Contains(string(b), ":"+op+"/>") {
				fmt.Fprintf(w, `<?xml version="1.0"?><Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body>%s</Body></Envelope>`, reply)
				return
			}
		}
		http.Error(w, "no such operation", http.StatusBadRequest)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/onvif/device_service"
}

func TestProbeSanitizesCameraStrings(t *testing.T) {
	// Valid XML, but a C1 CSI, a bidi override, a newline and 10 kB.
	name := "Evil&#x9B;31m&#x202E;Cam&#10;" + strings.Repeat("A", 10000)
	dev := hostileCamera(t, name, "rtsp://10.9.9.9:554/live", "http://10.9.9.9/snap.jpg")
	res, err := (&Client{DeviceURL: dev, Username: "admin", Password: "x"}).Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"manufacturer": res.Info.Manufacturer, "model": res.Info.Model,
		"firmware": res.Info.Firmware, "serial": res.Info.Serial} {
		if !strings.HasPrefix(s, "Evil31mCam AAA") || len(s) > maxText {
			t.Errorf("%s %.60q (%d bytes): want control characters gone and at most %d bytes", what, s, len(s), maxText)
		}
	}
	if len(res.Profiles) != 1 || res.Profiles[0].Token != "p1" || len(res.Profiles[0].Name) > maxText {
		t.Fatalf("profiles %+v: want only p1, the oversized token left out", res.Profiles)
	}
	host := strings.TrimPrefix(strings.TrimSuffix(dev, "/onvif/device_service"), "http://")
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		t.Fatal(err)
	}
	if want := "rtsp://" + h + ":554/live"; res.Profiles[0].StreamURI != want || res.Main != "p1" {
		t.Errorf("stream %q main %q, want %q on p1", res.Profiles[0].StreamURI, res.Main, want)
	}
	if want := "http://" + h + "/snap.jpg"; res.SnapshotURI != want {
		t.Errorf("snapshot %q, want %q", res.SnapshotURI, want)
	}
}

func TestProbeRefusesOtherSchemes(t *testing.T) {
	// A stream on another scheme is left out, and said why; the profile is
	// still picked, for a stream given by hand. A snapshot on another
	// scheme is dropped.
	dev := hostileCamera(t, "Cam", "file:///etc/passwd", "rtsp://10.9.9.9/snap")
	res, err := (&Client{DeviceURL: dev, Username: "admin", Password: "x"}).Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := res.Profile("p1"); p.StreamURI != "" || res.Main != "p1" || len(res.StreamRefused) != 1 || !strings.Contains(res.StreamRefused[0], `scheme "file"`) {
		t.Fatalf("main %q, p1 stream %q, refused %q; want p1 picked, no stream, and the file scheme named", res.Main, p.StreamURI, res.StreamRefused)
	}
	if res.SnapshotURI != "" {
		t.Fatalf("rtsp snapshot URI %q kept", res.SnapshotURI)
	}
	dev = hostileCamera(t, "Cam", "rtsp://10.9.9.9/live", "file:///etc/passwd")
	res, err = (&Client{DeviceURL: dev, Username: "admin", Password: "x"}).Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.SnapshotURI != "" {
		t.Fatalf("snapshot URI %q kept", res.SnapshotURI)
	}
}
