package camsim

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseXML feeds hostile request bodies to the simulator's SOAP parser:
// it must return, without panicking, and bounded by maxRequestBytes.
func FuzzParseXML(f *testing.F) {
	f.Add(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetProfiles/></s:Body></s:Envelope>`)
	f.Add(`<a><b x="1">t</b><b/></a>`)
	f.Add(`<<<>>>`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseXML(strings.NewReader(s))
		if err == nil && n == nil {
			t.Fatal("nil node without error")
		}
		if n != nil {
			n.text("Body", "X")
			n.child("Header", "Security", "UsernameToken")
		}
	})
}

func FuzzXSDDuration(f *testing.F) {
	for _, s := range []string{"PT5S", "PT0.5S", "P1DT2H", "PT", "P", "PT1M30S", "-PT1S", "PTS"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := xsdDuration(s)
		if ok && d < 0 {
			t.Fatalf("%q gave negative %v", s, d)
		}
	})
}

func FuzzDigestParams(f *testing.F) {
	f.Add(`Digest username="admin", realm="camsim", nonce="abc", uri="/onvif/device_service", response="x", qop=auth, nc=00000001, cnonce="y"`)
	f.Add(`Digest ,,,="`)
	f.Fuzz(func(t *testing.T, h string) {
		parseDigestParams(h)
	})
}

func TestXSDDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"PT5S": 5 * time.Second, "PT0.5S": 500 * time.Millisecond, "PT1M30S": 90 * time.Second, "P1DT1H": 25 * time.Hour} {
		if got, ok := xsdDuration(in); !ok || got != want {
			t.Errorf("%s: %v %v", in, got, ok)
		}
	}
	for _, bad := range []string{"5S", "PTxS", "PT1X"} {
		if _, ok := xsdDuration(bad); ok {
			t.Errorf("%s accepted", bad)
		}
	}
}
