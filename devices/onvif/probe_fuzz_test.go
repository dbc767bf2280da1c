package onvif

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fuzz targets for Probe: a hostile camera answers one operation with
// fuzzer-chosen bytes, and every other with what camsim really sent
// (testdata/replies, captured from a camsim probe). The camera is an
// http.RoundTripper in the test process, so no socket is opened and a
// probe takes microseconds.

// fuzzDevice is the address the user gave. The camsim replies name
// 127.0.0.1:8000, which sameHost must rewrite to it.
const (
	fuzzDevice   = "http://cam.test:8080/onvif/device_service"
	fuzzHost     = "cam.test:8080"
	fuzzPassword = "pw-Zq7#x"
)

// fakeCamera answers SOAP calls by operation name (the local name of the
// request Body's first element).
type fakeCamera struct {
	replies map[string][]byte
	mu      sync.Mutex
	hosts   []string // the host of every request, in order
}

func (fc *fakeCamera) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	if req.URL.Host == "" {
		// As http.Transport does: a host-less address goes nowhere.
		return nil, errors.New("http: no Host in request URL")
	}
	fc.mu.Lock()
	fc.hosts = append(fc.hosts, req.URL.Host)
	fc.mu.Unlock()
	op := ""
	if env, err := parseXML(b); err == nil {
		if body := env.Child("Body"); body != nil && len(body.Children) > 0 {
			op = body.Children[0].Name
		}
	}
	reply, ok := fc.replies[op]
	if !ok {
		return nil, fmt.Errorf("fake camera: no reply for %q", op)
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/soap+xml"}},
		Body: io.NopCloser(bytes.NewReader(reply)), Request: req}, nil
}

// camsimReplies loads the captured replies, by operation.
func camsimReplies(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "replies", "*.xml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no captured replies: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".xml")] = b
	}
	return out
}

// probeWith runs a probe against a camera that answers op with body.
func probeWith(base map[string][]byte, op string, body []byte) (*ProbeResult, *fakeCamera, error) {
	replies := make(map[string][]byte, len(base))
	for k, v := range base {
		replies[k] = v
	}
	replies[op] = body
	fc := &fakeCamera{replies: replies}
	c := &Client{DeviceURL: fuzzDevice, Username: "admin", Password: fuzzPassword, Timeout: time.Second,
		HTTP: &http.Client{Transport: fc}}
	res, err := c.Probe(context.Background())
	return res, fc, err
}

// checkProbe asserts what Probe promises whatever the camera says.
func checkProbe(t *testing.T, res *ProbeResult, fc *fakeCamera, err error) {
	t.Helper()
	// Credentials go only to the host the user gave (DESIGN: cameras can
	// lie); every request carries WS-Security.
	for _, h := range fc.hosts {
		if h != fuzzHost {
			t.Fatalf("a request went to %q, not the device's host %q", h, fuzzHost)
		}
	}
	if err != nil {
		if res != nil {
			t.Fatalf("result %+v with error %v", res, err)
		}
		if strings.Contains(err.Error(), fuzzPassword) {
			t.Fatalf("error shows the password: %v", err)
		}
		// Every failure is typed: a camera fault, or a sentinel with a hint.
		var fe *FaultError
		if !errors.As(err, &fe) && Hint(err) == "" {
			t.Fatalf("untyped error %v", err)
		}
		return
	}
	if len(res.Profiles) == 0 {
		t.Fatal("success without a profile")
	}
	for _, s := range []string{res.Services.Media, res.Services.PTZ, res.Services.Events} {
		checkServiceAddr(t, s)
	}
	if res.Services.Device != fuzzDevice {
		t.Fatalf("device service %q, not the address given", res.Services.Device)
	}
	// A camera clock centuries off saturates the offset at the largest
	// Duration, which is not whole seconds; below that it must be.
	saturated := res.ClockOffset > 290*365*24*time.Hour || res.ClockOffset < -290*365*24*time.Hour
	if !saturated && res.ClockOffset%time.Second != 0 || (res.ClockOffset != 0 && res.ClockOffset > -2*time.Second && res.ClockOffset < 2*time.Second) {
		t.Fatalf("clock offset %v: not whole seconds, or under the 2 s the clock can tell", res.ClockOffset)
	}
	tokens := map[string]bool{}
	for _, p := range res.Profiles {
		tokens[p.Token] = true
		checkNoUserinfo(t, "stream URI", p.StreamURI)
	}
	checkNoUserinfo(t, "snapshot URI", res.SnapshotURI)
	if !tokens[res.Main] || !tokens[res.Sub] {
		t.Fatalf("picked main %q and sub %q, not among the profiles %+v", res.Main, res.Sub, res.Profiles)
	}
	checkPicked(t, res.Profiles, res.Main, res.Sub)
	if res.PTZ != nil && res.Services.PTZ == "" {
		t.Fatal("PTZ info from a device without a PTZ service")
	}
	for _, s := range []string{res.Info.Manufacturer, res.Info.Model, res.Info.Firmware, res.Info.Serial, res.Info.HardwareID} {
		if s != strings.TrimSpace(s) {
			t.Fatalf("device info %q not trimmed", s)
		}
	}
}

// checkServiceAddr: a service address the camera reported is rewritten to
// the device's scheme and host, or has no host at all (so no request can
// leave for another one).
func checkServiceAddr(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		return // http.NewRequest refuses it: ErrUnreachable
	}
	if u.Host != "" && (u.Host != fuzzHost || u.Scheme != "http") {
		t.Fatalf("service address %q is not on the device's host %q", s, fuzzHost)
	}
}

func checkNoUserinfo(t *testing.T, what, s string) {
	t.Helper()
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("%s %q does not parse: %v", what, s, err)
	}
	if u.User != nil {
		t.Fatalf("%s %q keeps userinfo", what, s)
	}
}

// checkPicked: main has the largest area and sub is the smallest other
// profile at least 320 wide, or main when none is. Areas are compared in
// float64, so sizes too large for an int product still order correctly.
func checkPicked(t *testing.T, ps []Profile, main, sub string) {
	t.Helper()
	area := func(p Profile) float64 { return float64(p.Width) * float64(p.Height) }
	for _, p := range ps {
		if p.Width < 0 || p.Height < 0 || p.Width > 1<<16 || p.Height > 1<<16 {
			return // outside what any camera sends; see the report on bounds
		}
	}
	var m Profile
	for _, p := range ps {
		if p.Token == main {
			m = p
			break
		}
	}
	for _, p := range ps {
		if area(p) > area(m) {
			t.Fatalf("main %q (%dx%d) is not the largest: %q is %dx%d", main, m.Width, m.Height, p.Token, p.Width, p.Height)
		}
	}
	other := false
	for _, p := range ps {
		if p.Token != main && p.Width >= 320 {
			other = true
		}
	}
	if !other {
		if sub != main {
			t.Fatalf("sub %q although no other profile is 320 wide", sub)
		}
		return
	}
	var s Profile
	for _, p := range ps {
		if p.Token == sub {
			s = p
			break
		}
	}
	if sub == main || s.Width < 320 {
		t.Fatalf("sub %q (%dx%d): want another profile at least 320 wide", sub, s.Width, s.Height)
	}
	for _, p := range ps {
		if p.Token != main && p.Width >= 320 && area(p) < area(s) {
			t.Fatalf("sub %q (%dx%d) is not the smallest: %q is %dx%d", sub, s.Width, s.Height, p.Token, p.Width, p.Height)
		}
	}
}

// fuzzProbeOp is the body of each target: seed with camsim's reply, then
// let the fuzzer rewrite it.
func fuzzProbeOp(f *testing.F, op string, seeds ...string) {
	base := camsimReplies(f)
	captured, ok := base[op]
	if !ok {
		f.Fatalf("no captured reply for %s", op)
	}
	f.Add(captured)
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		res, fc, err := probeWith(base, op, body)
		checkProbe(t, res, fc, err)
	})
}

const fuzzEnv = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"><SOAP-ENV:Body>%s</SOAP-ENV:Body></SOAP-ENV:Envelope>`

func env(body string) string { return fmt.Sprintf(fuzzEnv, body) }

func FuzzProbeClock(f *testing.F) {
	fuzzProbeOp(f, "GetSystemDateAndTime",
		env(`<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>true</tt:DaylightSavings><tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>23</tt:Hour><tt:Minute>59</tt:Minute><tt:Second>60</tt:Second></tt:Time><tt:Date><tt:Year>2019</tt:Year><tt:Month>2</tt:Month><tt:Day>30</tt:Day></tt:Date></tt:UTCDateTime><tt:LocalDateTime><tt:Time><tt:Hour>7</tt:Hour><tt:Minute>59</tt:Minute><tt:Second>60</tt:Second></tt:Time><tt:Date><tt:Year>2019</tt:Year><tt:Month>3</tt:Month><tt:Day>1</tt:Day></tt:Date></tt:LocalDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`),
		env(`<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:LocalDateTime><tt:Time><tt:Hour>1</tt:Hour></tt:Time></tt:LocalDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`),
		env(`<tds:GetSystemDateAndTimeResponse><tt:UTCDateTime><tt:Date><tt:Year>9223372036854775807</tt:Year><tt:Month>-9</tt:Month><tt:Day>99999999</tt:Day></tt:Date></tt:UTCDateTime></tds:GetSystemDateAndTimeResponse>`),
		env(`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Sender not Authorized</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`),
	)
}

func FuzzProbeCapabilities(f *testing.F) {
	fuzzProbeOp(f, "GetCapabilities",
		// A camera behind NAT that reports its LAN address, in mixed case.
		env(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://192.168.1.64/onvif/Media</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr> http://192.168.1.64/onvif/PTZ </tt:XAddr></tt:PTZ><tt:Events><tt:XAddr>http://192.168.1.64/onvif/Events</tt:XAddr><tt:WSPullPointSupport>true</tt:WSPullPointSupport></tt:Events></tds:Capabilities></tds:GetCapabilitiesResponse>`),
		// Service addresses that try to send the credentials elsewhere.
		env(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>https://evil.example:8443/onvif/media</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>//evil.example/ptz</tt:XAddr></tt:PTZ><tt:Events><tt:XAddr>http://a@evil.example@127.0.0.1/x</tt:XAddr></tt:Events></tds:Capabilities></tds:GetCapabilitiesResponse>`),
		env(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>/onvif/media_service</tt:XAddr></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>`),
	)
}

func FuzzProbeProfiles(f *testing.F) {
	fuzzProbeOp(f, "GetProfiles",
		// Three profiles, the sub stream listed first, one JPEG.
		env(`<trt:GetProfilesResponse><trt:Profiles token="Profile_2" fixed="true"><tt:Name>subStream</tt:Name><tt:VideoEncoderConfiguration token="VideoEncoderToken_2"><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>704</tt:Width><tt:Height>576</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>12</tt:FrameRateLimit><tt:BitrateLimit>512</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration></trt:Profiles><trt:Profiles token="Profile_1" fixed="true"><tt:Name>mainStream</tt:Name><tt:VideoEncoderConfiguration token="VideoEncoderToken_1"><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>2560</tt:Width><tt:Height>1440</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration><tt:PTZConfiguration token="PTZToken"/></trt:Profiles><trt:Profiles token="Profile_3"><tt:Name>mjpeg</tt:Name><tt:VideoEncoderConfiguration><tt:Encoding>JPEG</tt:Encoding><tt:Resolution><tt:Width>320</tt:Width><tt:Height>240</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles></trt:GetProfilesResponse>`),
		// A QCIF third stream, too small for a tile.
		env(`<trt:GetProfilesResponse><trt:Profiles token="main"><tt:VideoEncoderConfiguration><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles><trt:Profiles token="sub"><tt:VideoEncoderConfiguration><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640</tt:Width><tt:Height>480</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles><trt:Profiles token="qcif"><tt:VideoEncoderConfiguration><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>176</tt:Width><tt:Height>144</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles></trt:GetProfilesResponse>`),
		env(`<trt:GetProfilesResponse><trt:Profiles token="a"/><trt:Profiles token="a"><tt:VideoEncoderConfiguration><tt:Resolution><tt:Width>-1920</tt:Width><tt:Height>99999999999</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles></trt:GetProfilesResponse>`),
		env(`<trt:GetProfilesResponse></trt:GetProfilesResponse>`),
	)
}

func FuzzProbeStreamURI(f *testing.F) {
	fuzzProbeOp(f, "GetStreamUri",
		env(`<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://admin:12345@192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&amp;profile=Profile_1</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`),
		env(`<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>  rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264&amp;resolution=1920x1080 </tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>`),
		env(`<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://u%3Ap:x@[::1]:554/a b</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>`),
		env(`<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp:////user:pw@host/x</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>`),
	)
}

// FuzzProbeOther covers the smaller replies: device information, the
// snapshot URI, and the PTZ node and presets.
func FuzzProbeOther(f *testing.F) {
	base := camsimReplies(f)
	ops := []string{"GetDeviceInformation", "GetSnapshotUri", "GetNodes", "GetPresets"}
	for i, op := range ops {
		f.Add(uint8(i), base[op])
	}
	f.Add(uint8(0), []byte(env(`<tds:GetDeviceInformationResponse><tds:Manufacturer>  HIKVISION </tds:Manufacturer><tds:Model>DS-2CD2043G0-I</tds:Model><tds:FirmwareVersion>V5.6.3 build 190923</tds:FirmwareVersion><tds:SerialNumber>DS-2CD2043G0-I20190923AAWRD12345678</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>`)))
	f.Add(uint8(1), []byte(env(`<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>http://admin:admin@192.168.1.64/onvif-http/snapshot?Profile_1</tt:Uri></trt:MediaUri></trt:GetSnapshotUriResponse>`)))
	f.Add(uint8(3), []byte(env(`<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>Gate</tt:Name><tt:PTZPosition><tt:PanTilt x="0.25" y="-0.5" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"/><tt:Zoom x="NaN"/></tt:PTZPosition></tptz:Preset><tptz:Preset token="2"/></tptz:GetPresetsResponse>`)))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		res, fc, err := probeWith(base, ops[int(which)%len(ops)], body)
		checkProbe(t, res, fc, err)
	})
}
