package camsim

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"fmt"
	"net"
	"strings"
	"time"
)

// The WS-Discovery responder answers Probe messages sent to it directly
// (unicast). It never joins the multicast group and never sends to one:
// tests and the demo reach it with a directed probe to loopback.

// Discovery is a running WS-Discovery responder.
type Discovery struct {
	sim  *Sim
	conn net.PacketConn
	done chan struct{}
}

// StartDiscovery listens for probes on addr (for example 127.0.0.1:3702;
// port 0 picks one) and answers with one ProbeMatches per camera.
func (s *Sim) StartDiscovery(addr string) (*Discovery, error) {
	conn, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("ws-discovery listen %s: %w", addr, err)
	}
	d := &Discovery{sim: s, conn: conn, done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(d.done)
		d.serve()
	}()
	go func() {
		<-s.stop
		conn.Close()
	}()
	return d, nil
}

// Addr is the responder's address.
func (d *Discovery) Addr() string { return d.conn.LocalAddr().String() }

// Close stops the responder.
func (d *Discovery) Close() error {
	err := d.conn.Close()
	<-d.done
	return err
}

func (d *Discovery) serve() {
	buf := make([]byte, 64<<10)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		probe, err := parseXML(bytes.NewReader(buf[:n]))
		if err != nil || probe.child("Body", "Probe") == nil {
			continue // not a probe: ignore, as devices do
		}
		msgID := probe.text("Header", "MessageID")
		types := probe.text("Body", "Probe", "Types")
		for _, c := range d.sim.cams {
			if !c.IsUp() || !matchesTypes(types) {
				continue
			}
			d.conn.SetWriteDeadline(time.Now().Add(time.Second))
			d.conn.WriteTo(c.probeMatch(msgID), from)
		}
	}
}

// matchesTypes accepts an empty Types or one naming a type camsim has,
// whatever prefix the client bound to the namespace.
func matchesTypes(types string) bool {
	if strings.TrimSpace(types) == "" {
		return true
	}
	for _, t := range strings.Fields(types) {
		if i := strings.IndexByte(t, ':'); i >= 0 {
			t = t[i+1:]
		}
		if t == "NetworkVideoTransmitter" || t == "Device" {
			return true
		}
	}
	return false
}

// EndpointUUID is the camera's stable WS-Discovery endpoint reference.
func (c *Camera) EndpointUUID() string {
	h := sha1.Sum([]byte(fmt.Sprintf("camsim/%d/%s", c.Index, c.httpAddr)))
	return formatUUID(h[:16], 5)
}

// formatUUID writes 16 bytes as an RFC 4122 UUID of the given version.
func formatUUID(b []byte, version byte) string {
	b[6] = b[6]&0x0f | version<<4
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (c *Camera) probeMatch(relatesTo string) []byte {
	return []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">`+
		`<s:Header><a:MessageID>uuid:%s</a:MessageID><a:RelatesTo>%s</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>`+
		`<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:%s</a:Address></a:EndpointReference>`+
		`<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>%s</d:Scopes><d:XAddrs>%s</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`+
		`</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`,
		newUUID(), esc(relatesTo), c.EndpointUUID(), esc(strings.Join(c.scopes(), " ")), esc(c.DeviceURL())))
}

func newUUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return formatUUID(b, 4)
}
