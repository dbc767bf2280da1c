package camsim

import (
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestForeignHostFault checks, with the package's own SOAP client, that
// foreign-host makes GetStreamUri and GetSnapshotUri name the other host
// (on the camera's ports, or the given one) and that none clears it.
func TestForeignHostFault(t *testing.T) {
	s := startSim(t, Config{Cameras: 1})
	cam := s.Cameras()[0]
	auth := &wsse{user: "admin", pass: "admin"}
	media := cam.DeviceURL() // camsim serves every service on one path tree
	uri := func(op string) string {
		t.Helper()
		body := `<` + op + ` xmlns="http://www.onvif.org/ver10/media/wsdl"><ProfileToken>main</ProfileToken></` + op + `>`
		code, reply, err := soapCall(t, media, auth, body, 5*time.Second)
		if err != nil || code != 200 {
			t.Fatalf("%s: %d %v %.300s", op, code, err, reply)
		}
		_, rest, _ := strings.Cut(reply, ":Uri>")
		v, _, _ := strings.Cut(rest, "</")
		return v
	}
	rtspPort := portOf(t, cam.StreamURI(Main))
	httpPort := portOf(t, cam.DeviceURL())
	if got := uri("GetStreamUri"); got != cam.StreamURI(Main) {
		t.Fatalf("without the fault GetStreamUri says %q, want %q", got, cam.StreamURI(Main))
	}
	if err := cam.InjectFault(FaultForeignHost, 0); err == nil {
		t.Fatal("foreign-host without a host accepted")
	}
	cam.ReportForeignHost("127.0.0.2")
	if got, want := uri("GetStreamUri"), "rtsp://127.0.0.2:"+rtspPort+"/main"; got != want || got != cam.ReportedStreamURI(Main) {
		t.Errorf("GetStreamUri %q, want %q, as ReportedStreamURI says (%q)", got, want, cam.ReportedStreamURI(Main))
	}
	if got, want := uri("GetSnapshotUri"), "http://127.0.0.2:"+httpPort+"/onvif/snapshot"; got != want {
		t.Errorf("GetSnapshotUri %q, want %q", got, want)
	}
	cam.ReportForeignHost("127.0.0.3:9")
	if got, want := uri("GetStreamUri"), "rtsp://127.0.0.3:9/main"; got != want {
		t.Errorf("GetStreamUri %q, want %q", got, want)
	}
	if err := cam.InjectFault(FaultNone, 0); err != nil {
		t.Fatal(err)
	}
	if got := uri("GetStreamUri"); got != cam.StreamURI(Main) {
		t.Errorf("after none GetStreamUri says %q", got)
	}
}

// TestGetUsersFaultAndLevel checks no-getusers, and that SetUser sets the
// level it is sent, as ONVIF's SetUser does.
func TestGetUsersFaultAndLevel(t *testing.T) {
	s := startSim(t, Config{Cameras: 1})
	cam := s.Cameras()[0]
	auth := &wsse{user: "admin", pass: "admin"}
	getUsers := `<GetUsers xmlns="http://www.onvif.org/ver10/device/wsdl"/>`
	cam.SetUserLevel("Operator")
	if code, body := mustSOAP(t, cam.DeviceURL(), auth, getUsers, 5*time.Second); code != 200 || !strings.Contains(body, "Operator</") {
		t.Fatalf("GetUsers: %d %.300s", code, body)
	}
	if err := cam.InjectFault(FaultNoGetUsers, 0); err != nil {
		t.Fatal(err)
	}
	if code, body := mustSOAP(t, cam.DeviceURL(), auth, getUsers, 5*time.Second); code != 400 || !strings.Contains(body, "ActionNotSupported") {
		t.Fatalf("GetUsers under no-getusers: %d %.300s", code, body)
	}
	set := `<SetUser xmlns="http://www.onvif.org/ver10/device/wsdl"><User><Username xmlns="http://www.onvif.org/ver10/schema">admin</Username><Password xmlns="http://www.onvif.org/ver10/schema">N3w-pass!</Password><UserLevel xmlns="http://www.onvif.org/ver10/schema">User</UserLevel></User></SetUser>`
	if code, body := mustSOAP(t, cam.DeviceURL(), auth, set, 5*time.Second); code != 200 {
		t.Fatalf("SetUser: %d %.300s", code, body)
	}
	if cam.UserLevel() != "User" {
		t.Fatalf("level %s after SetUser with User", cam.UserLevel())
	}
}

func portOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
