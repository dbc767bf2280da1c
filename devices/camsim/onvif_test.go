package camsim

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The tests here speak SOAP with their own minimal client, written from
// the ONVIF and WS-Security specs, not with Nightjar's client.

type wsse struct {
	user, pass string
	nonce      []byte    // nil: random
	created    time.Time // zero: now
}

func (w wsse) header() string {
	nonce := w.nonce
	if nonce == nil {
		nonce = make([]byte, 16)
		rand.Read(nonce)
	}
	created := w.created
	if created.IsZero() {
		created = time.Now()
	}
	cs := created.UTC().Format("2006-01-02T15:04:05.000Z")
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(cs))
	h.Write([]byte(w.pass))
	return fmt.Sprintf(`<s:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" s:mustUnderstand="1"><UsernameToken><Username>%s</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">%s</Password><Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">%s</Nonce><Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">%s</Created></UsernameToken></Security></s:Header>`,
		w.user, base64.StdEncoding.EncodeToString(h.Sum(nil)), base64.StdEncoding.EncodeToString(nonce), cs)
}

func soapCall(t *testing.T, url string, auth *wsse, body string, timeout time.Duration) (int, string, error) {
	t.Helper()
	hdr := ""
	if auth != nil {
		hdr = auth.header()
	}
	env := `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">` + hdr + `<s:Body>` + body + `</s:Body></s:Envelope>`
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(env))
	if err != nil {
		t.Fatalf("soap request to %s: %v", url, err)
	}
	req.Header.Set("Content-Type", "application/soap+xml; charset=utf-8")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	return res.StatusCode, string(b), err
}

// mustSOAP is soapCall for calls that must reach the camera: a transport
// error fails t.
func mustSOAP(t *testing.T, url string, auth *wsse, body string, timeout time.Duration) (int, string) {
	t.Helper()
	code, b, err := soapCall(t, url, auth, body, timeout)
	if err != nil {
		t.Fatalf("soap call to %s: %v", url, err)
	}
	return code, b
}

// newRequest builds a POST request or fails t.
func newRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatalf("request to %s: %v", url, err)
	}
	return req
}

const getProfiles = `<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>`

func TestWSSecurityAuth(t *testing.T) {
	s := startSim(t, Config{Cameras: 1})
	cam := s.Cameras()[0]
	url := cam.DeviceURL()
	good := wsse{user: "admin", pass: "admin"}

	code, body, err := soapCall(t, url, &good, getProfiles, 5*time.Second)
	if err != nil || code != 200 || !strings.Contains(body, `token="main"`) {
		t.Fatalf("good digest: %d %v %.200s", code, err, body)
	}
	// Unauthenticated GetSystemDateAndTime is allowed.
	code, body = mustSOAP(t, url, nil, `<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>`, 5*time.Second)
	if code != 200 || !strings.Contains(body, "UTCDateTime") {
		t.Fatalf("GetSystemDateAndTime without auth: %d %.200s", code, body)
	}

	nonce := []byte("fixed-nonce-0001")
	cases := []struct {
		name string
		auth wsse
	}{
		{"bad password", wsse{user: "admin", pass: "wrong"}},
		{"bad user", wsse{user: "root", pass: "admin"}},
		{"stale created", wsse{user: "admin", pass: "admin", created: time.Now().Add(-time.Hour)}},
		{"future created", wsse{user: "admin", pass: "admin", created: time.Now().Add(time.Hour)}},
	}
	for _, tc := range cases {
		code, body, err := soapCall(t, url, &tc.auth, getProfiles, 5*time.Second)
		if err != nil || code != 400 || !strings.Contains(body, "ter:NotAuthorized") {
			t.Errorf("%s: want 400 NotAuthorized, got %d %v %.300s", tc.name, code, err, body)
		}
	}
	// A replayed nonce: the same token twice.
	replay := wsse{user: "admin", pass: "admin", nonce: nonce, created: time.Now()}
	if code, _ := mustSOAP(t, url, &replay, getProfiles, 5*time.Second); code != 200 {
		t.Fatalf("first use of nonce refused: %d", code)
	}
	if code, body := mustSOAP(t, url, &replay, getProfiles, 5*time.Second); code != 400 || !strings.Contains(body, "already used") {
		t.Fatalf("replayed nonce accepted: %d %.300s", code, body)
	}
	// No credentials at all: an HTTP digest challenge with both algorithms.
	req := newRequest(t, "POST", url, strings.NewReader(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>`+getProfiles+`</s:Body></s:Envelope>`))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	ch := strings.Join(res.Header.Values("WWW-Authenticate"), " | ")
	if res.StatusCode != 401 || !strings.Contains(ch, "algorithm=MD5") || !strings.Contains(ch, "algorithm=SHA-256") {
		t.Fatalf("no digest challenge: %d %q", res.StatusCode, ch)
	}
}

// TestClockOffset: a camera whose clock is 24 h off accepts a token
// created on its own clock and refuses one on ours.
func TestClockOffset(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, ClockOffset: 24 * time.Hour})
	cam := s.Cameras()[0]
	code, body := mustSOAP(t, cam.DeviceURL(), nil, `<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>`, 5*time.Second)
	tomorrow := time.Now().UTC().Add(24 * time.Hour)
	if code != 200 || !strings.Contains(body, fmt.Sprintf("<tt:Day>%d</tt:Day>", tomorrow.Day())) {
		t.Fatalf("camera clock not skewed: %.600s", body)
	}
	if code, _ := mustSOAP(t, cam.DeviceURL(), &wsse{user: "admin", pass: "admin"}, getProfiles, 5*time.Second); code != 400 {
		t.Fatalf("token on the wrong clock accepted: %d", code)
	}
	if code, _ := mustSOAP(t, cam.DeviceURL(), &wsse{user: "admin", pass: "admin", created: tomorrow}, getProfiles, 5*time.Second); code != 200 {
		t.Fatalf("token on the camera's clock refused: %d", code)
	}
}

func TestSetUserChangesPassword(t *testing.T) {
	s := startSim(t, Config{Cameras: 1})
	cam := s.Cameras()[0]
	set := `<SetUser xmlns="http://www.onvif.org/ver10/device/wsdl"><User><Username xmlns="http://www.onvif.org/ver10/schema">admin</Username><Password xmlns="http://www.onvif.org/ver10/schema">N3w-pass!</Password><UserLevel xmlns="http://www.onvif.org/ver10/schema">Administrator</UserLevel></User></SetUser>`
	if code, body := mustSOAP(t, cam.DeviceURL(), &wsse{user: "admin", pass: "admin"}, set, 5*time.Second); code != 200 {
		t.Fatalf("SetUser: %d %.300s", code, body)
	}
	if code, _ := mustSOAP(t, cam.DeviceURL(), &wsse{user: "admin", pass: "admin"}, getProfiles, 5*time.Second); code != 400 {
		t.Fatal("old password still works")
	}
	if code, _ := mustSOAP(t, cam.DeviceURL(), &wsse{user: "admin", pass: "N3w-pass!"}, getProfiles, 5*time.Second); code != 200 {
		t.Fatal("new password refused")
	}
	// RTSP follows: ffprobe with the new password reads the stream.
	if _, err := ffprobe(t, withCreds(t, cam.StreamURI(Sub), "admin", "N3w-pass!"), "tcp"); err != nil {
		t.Fatalf("RTSP with the new password: %v", err)
	}
}

// TestFaultsObservable checks every SOAP fault from a plain HTTP client.
func TestFaultsObservable(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	cam := s.Cameras()[0]
	info := `<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>`

	cam.InjectFault(FaultGarbage, 0)
	_, body := mustSOAP(t, cam.DeviceURL(), nil, info, 5*time.Second)
	if !strings.HasPrefix(body, "\x00") || !strings.Contains(body, "<tds:Manufacturer>Nightjar") {
		t.Errorf("garbage: %q", body[:min(60, len(body))])
	}

	cam.InjectFault(FaultMalformed, 0)
	_, body = mustSOAP(t, cam.DeviceURL(), nil, info, 5*time.Second)
	if _, err := parseXML(strings.NewReader(body)); err == nil {
		t.Errorf("malformed: body parses as XML: %q", body)
	}

	cam.InjectFault(FaultNotONVIF, 0)
	_, body = mustSOAP(t, cam.DeviceURL(), nil, info, 5*time.Second)
	if !strings.Contains(body, "<html>") || strings.Contains(body, "Envelope") {
		t.Errorf("not-onvif: %q", body)
	}

	cam.InjectFault(FaultOversized, 0)
	req := newRequest(t, "POST", cam.DeviceURL(), strings.NewReader(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>`+info+`</s:Body></s:Envelope>`))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		t.Errorf("oversized: read the body: %v", err)
	}
	res.Body.Close()
	if n < oversizedBytes {
		t.Errorf("oversized: body of %d bytes", n)
	}

	cam.InjectFault(FaultSlow, 0)
	start := time.Now()
	_, _, err = soapCall(t, cam.DeviceURL(), nil, info, time.Second)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Errorf("slow: want a client timeout after 1 s, got %v after %v", err, time.Since(start))
	}

	cam.InjectFault(FaultNone, 0)
	code, body := mustSOAP(t, cam.DeviceURL(), nil, info, 5*time.Second)
	if code != 200 || !bytes.HasPrefix([]byte(body), []byte("<?xml")) {
		t.Errorf("after clearing faults: %d %q", code, body[:min(60, len(body))])
	}
}

func TestRebootRefusesThenReturns(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true})
	cam := s.Cameras()[0]
	cam.Reboot(1500 * time.Millisecond)
	if _, _, err := soapCall(t, cam.DeviceURL(), nil, getProfiles, time.Second); err == nil {
		t.Fatal("ONVIF answered during reboot")
	}
	if _, err := ffprobe(t, cam.StreamURI(Sub), "tcp"); err == nil {
		t.Fatal("RTSP answered during reboot")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _, err := soapCall(t, cam.DeviceURL(), nil, getProfiles, time.Second)
		if err == nil && code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("camera did not come back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := ffprobe(t, cam.StreamURI(Sub), "tcp"); err != nil {
		t.Fatalf("RTSP after reboot: %v", err)
	}
}

// TestHTTPDigestMD5AndSHA256 answers the camera's challenge with RFC 7616
// digests computed here, for both algorithms, and checks a wrong password
// is refused.
func TestHTTPDigestMD5AndSHA256(t *testing.T) {
	s := startSim(t, Config{Cameras: 1})
	url := s.Cameras()[0].DeviceURL()
	body := `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` + getProfiles + `</s:Body></s:Envelope>`
	for _, tc := range []struct {
		algo, pass string
		want       int
	}{{"MD5", "admin", 200}, {"SHA-256", "admin", 200}, {"SHA-256", "wrong", 401}, {"MD5", "wrong", 401}} {
		res, err := http.Post(url, "application/soap+xml", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var nonce string
		for _, h := range res.Header.Values("WWW-Authenticate") {
			p := parseDigestParams(h)
			if strings.EqualFold(p["algorithm"], tc.algo) {
				nonce = p["nonce"]
			}
		}
		if nonce == "" {
			t.Fatalf("%s not offered", tc.algo)
		}
		hf := md5hex
		if tc.algo == "SHA-256" {
			hf = sha256hex
		}
		ha1 := hf("admin:camsim:" + tc.pass)
		ha2 := hf("POST:/onvif/device_service")
		resp := hf(ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2)
		req := newRequest(t, "POST", url, strings.NewReader(body))
		req.Header.Set("Authorization", fmt.Sprintf(`Digest username="admin", realm="camsim", nonce="%s", uri="/onvif/device_service", algorithm=%s, qop=auth, nc=00000001, cnonce="c0ffee", response="%s"`, nonce, tc.algo, resp))
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s with password %q: status %d, want %d", tc.algo, tc.pass, res.StatusCode, tc.want)
		}
	}
}

func md5hex(s string) string    { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
func sha256hex(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
