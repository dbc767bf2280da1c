package onvif

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Discovered is one device that answered a WS-Discovery probe.
type Discovered struct {
	Endpoint string   // endpoint reference (urn:uuid:...), the identity
	XAddrs   []string // device service addresses
	Scopes   []string
	Name     string // from the onvif://www.onvif.org/name/ scope
	Hardware string // from the hardware scope
	From     string // the address that answered
}

// DiscoverOptions say where to probe.
type DiscoverOptions struct {
	// Targets are hosts ("10.0.0.5", "10.0.0.5:3702") or CIDR ranges
	// ("192.168.1.0/24", at most 1024 addresses) to probe by unicast.
	Targets []string
	// Multicast also probes 239.255.255.250:3702 on the local network.
	// Nightjar's tests never set it.
	Multicast bool
	// Wait is how long to collect answers. It defaults to 2 s.
	Wait time.Duration
}

const wsdPort = "3702"

// maxTargets bounds a CIDR sweep.
const maxTargets = 1024

func expandTargets(targets []string) ([]string, error) {
	var out []string
	for _, t := range targets {
		t = strings.TrimSpace(t)
		if strings.Contains(t, "/") {
			p, err := netip.ParsePrefix(t)
			if err != nil {
				return nil, fmt.Errorf("bad range %q: %w", t, err)
			}
			p = p.Masked()
			if bits := p.Addr().BitLen() - p.Bits(); bits > 10 {
				return nil, fmt.Errorf("range %q has more than %d addresses", t, maxTargets)
			}
			for a := p.Addr(); p.Contains(a); a = a.Next() {
				out = append(out, net.JoinHostPort(a.String(), wsdPort))
			}
			continue
		}
		if _, _, err := net.SplitHostPort(t); err != nil {
			t = net.JoinHostPort(t, wsdPort)
		}
		out = append(out, t)
	}
	if len(out) > maxTargets {
		return nil, fmt.Errorf("%d targets; at most %d", len(out), maxTargets)
	}
	return out, nil
}

func probeMessage(id string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
		`<e:Header><w:MessageID>uuid:` + id + `</w:MessageID><w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>` +
		`<w:Action e:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>` +
		`<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>`)
}

// Discover sends WS-Discovery probes and collects the answers, one entry
// per endpoint reference, sorted by name. It sends no credential.
func Discover(ctx context.Context, opt DiscoverOptions) ([]Discovered, error) {
	if opt.Wait <= 0 {
		opt.Wait = 2 * time.Second
	}
	targets, err := expandTargets(opt.Targets)
	if err != nil {
		return nil, err
	}
	if opt.Multicast {
		targets = append(targets, "239.255.255.250:"+wsdPort)
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("nothing to probe: give a host, a range or multicast")
	}
	conn, err := net.ListenPacket("udp4", ":0")
	if err != nil {
		return nil, fmt.Errorf("open discovery socket: %w", err)
	}
	defer conn.Close()
	idb := make([]byte, 16)
	rand.Read(idb)
	id := fmt.Sprintf("%x-%x-%x-%x-%x", idb[0:4], idb[4:6], idb[6:8], idb[8:10], idb[10:16])
	msg := probeMessage(id)
	for _, t := range targets {
		addr, err := net.ResolveUDPAddr("udp4", t)
		if err != nil {
			continue
		}
		conn.WriteTo(msg, addr)
	}
	deadline := time.Now().Add(opt.Wait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetReadDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })
	defer stop()
	found := map[string]*Discovered{}
	buf := make([]byte, 64<<10)
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			break // deadline: done collecting
		}
		for _, d := range ParseProbeMatches(buf[:n], "uuid:"+id) {
			d.From = from.String()
			if prev, ok := found[d.Endpoint]; ok {
				prev.XAddrs = mergeStrings(prev.XAddrs, d.XAddrs)
				continue
			}
			dd := d
			found[d.Endpoint] = &dd
		}
	}
	out := make([]Discovered, 0, len(found))
	for _, d := range found {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Endpoint < out[j].Endpoint
	})
	return out, ctx.Err()
}

func mergeStrings(a, b []string) []string {
	for _, s := range b {
		dup := false
		for _, x := range a {
			dup = dup || x == s
		}
		if !dup {
			a = append(a, s)
		}
	}
	return a
}

// ParseProbeMatches reads a ProbeMatches message. relatesTo, when not
// empty, must match the message's RelatesTo. Bad input gives nothing.
func ParseProbeMatches(b []byte, relatesTo string) []Discovered {
	env, err := parseXML(b)
	if err != nil || env.Name != "Envelope" {
		return nil
	}
	if relatesTo != "" && env.Str("Header", "RelatesTo") != relatesTo {
		return nil
	}
	var out []Discovered
	for _, m := range env.Child("Body", "ProbeMatches").All("ProbeMatch") {
		d := Discovered{
			Endpoint: cleanText(m.Str("EndpointReference", "Address"), maxText),
			XAddrs:   httpAddrs(strings.Fields(m.Str("XAddrs"))),
			Scopes:   strings.Fields(m.Str("Scopes")),
		}
		if d.Endpoint == "" || len(d.XAddrs) == 0 {
			continue
		}
		for _, s := range d.Scopes {
			if v, ok := strings.CutPrefix(s, "onvif://www.onvif.org/name/"); ok {
				d.Name = cleanText(unescapeScope(v), maxText)
			}
			if v, ok := strings.CutPrefix(s, "onvif://www.onvif.org/hardware/"); ok {
				d.Hardware = cleanText(unescapeScope(v), maxText)
			}
		}
		out = append(out, d)
	}
	return out
}

// httpAddrs keeps the device addresses a user could add: bounded http or
// https URLs with a host.
func httpAddrs(xs []string) []string {
	var out []string
	for _, x := range xs {
		u, err := url.Parse(x)
		if len(x) <= maxURI && err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			out = append(out, x)
		}
	}
	return out
}

func unescapeScope(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "%20", " "), "_", " ")
}
