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
	to, _ := net.ResolveUDPAddr("udp", d.Addr())
	probe := `<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><w:MessageID>uuid:test-probe-1</w:MessageID><w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To><w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>`
	if _, err := conn.WriteTo([]byte(probe), to); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	buf := make([]byte, 64<<10)
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
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
	conn.WriteTo([]byte(other), to)
	conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, _, err := conn.ReadFrom(buf); err == nil {
		t.Fatal("answered a probe for printers")
	}
}
