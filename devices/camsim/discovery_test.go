package camsim

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestDiscoveryDirectedProbe sends a WS-Discovery Probe by unicast to the
// responder on loopback (never multicast) and reads one ProbeMatches per
// camera.
func TestDiscoveryDirectedProbe(t *testing.T) {
	s := startSim(t, Config{Cameras: 3, NoPTZ: []int{1}})
	d, err := s.StartDiscovery("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	to, err := net.ResolveUDPAddr("udp", d.Addr())
	if err != nil {
		t.Fatalf("responder address %q: %v", d.Addr(), err)
	}
	probe := `<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><w:MessageID>uuid:test-probe-1</w:MessageID><w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To><w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>`
	if _, err := conn.WriteTo([]byte(probe), to); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	buf := make([]byte, 64<<10)
	deadline(t, conn, 3*time.Second)
	for len(seen) < 3 {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			t.Fatalf("got %d matches before %v", len(seen), err)
		}
		m, err := parseXML(strings.NewReader(string(buf[:n])))
		if err != nil {
			t.Fatal(err)
		}
		if m.text("Header", "RelatesTo") != "uuid:test-probe-1" {
			t.Fatalf("RelatesTo %q", m.text("Header", "RelatesTo"))
		}
		pm := m.child("Body", "ProbeMatches", "ProbeMatch")
		seen[pm.text("EndpointReference", "Address")] = pm.text("XAddrs")
		if !strings.Contains(pm.text("Scopes"), "onvif://www.onvif.org/name/Camsim_") {
			t.Fatalf("scopes %q", pm.text("Scopes"))
		}
	}
	for _, c := range s.Cameras() {
		if seen["urn:uuid:"+c.EndpointUUID()] != c.DeviceURL() {
			t.Errorf("camera %s: match %v", c.Name, seen)
		}
	}
	// A probe for a type camsim does not have gets no answer.
	other := strings.Replace(probe, "dn:NetworkVideoTransmitter", "x:Printer", 1)
	if _, err := conn.WriteTo([]byte(other), to); err != nil {
		t.Fatalf("send the printer probe: %v", err)
	}
	deadline(t, conn, 300*time.Millisecond)
	if _, _, err := conn.ReadFrom(buf); err == nil {
		t.Fatal("answered a probe for printers")
	}
	// Control: the responder still answers a camera probe, so the silence
	// was about the type.
	if _, err := conn.WriteTo([]byte(probe), to); err != nil {
		t.Fatalf("send the second camera probe: %v", err)
	}
	deadline(t, conn, 3*time.Second)
	if _, _, err := conn.ReadFrom(buf); err != nil {
		t.Fatalf("no answer to a camera probe after the printer probe: %v", err)
	}
}

// deadline sets conn's read deadline d from now, failing t when it cannot.
func deadline(t *testing.T, conn net.PacketConn, d time.Duration) {
	t.Helper()
	if err := conn.SetReadDeadline(time.Now().Add(d)); err != nil {
		t.Fatalf("set read deadline: %v", err)
	}
}
