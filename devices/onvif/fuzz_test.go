package onvif

import (
	"testing"
)

// Fuzz targets for every parser of bytes a camera (or anything pretending
// to be one) sends.

func FuzzParseReply(f *testing.F) {
	f.Add(200, []byte(`<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x:GetProfilesResponse xmlns:x="urn:x"><x:Profiles token="a"/></x:GetProfilesResponse></s:Body></s:Envelope>`))
	f.Add(400, []byte(`<s:Envelope><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text>no</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`))
	f.Add(200, []byte("\x00\xffGARBAGE<Envelope><Body/></Envelope>"))
	f.Add(200, []byte("<html><body>router</body></html>"))
	f.Add(200, []byte(`<a><b><c>`))
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		c := &Client{}
		n, err := c.parseReply("Op", status, b)
		if err == nil && n == nil {
			t.Fatal("nil body without error")
		}
	})
}

func FuzzParseProbeMatches(f *testing.F) {
	f.Add([]byte(`<e:Envelope xmlns:e="x" xmlns:a="y" xmlns:d="z"><e:Header><a:RelatesTo>uuid:1</a:RelatesTo></e:Header><e:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:2</a:Address></a:EndpointReference><d:Scopes>onvif://www.onvif.org/name/Cam_1</d:Scopes><d:XAddrs>http://10.0.0.2/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>`))
	f.Add([]byte(`<Envelope/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, d := range ParseProbeMatches(b, "") {
			if d.Endpoint == "" || len(d.XAddrs) == 0 {
				t.Fatalf("incomplete match returned: %+v", d)
			}
		}
	})
}

func FuzzParseNotifications(f *testing.F) {
	f.Add([]byte(`<r><wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-01-01T00:00:00Z" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="Source" Value="V1"/></tt:Source><tt:Data><tt:SimpleItem Name="State" Value="true"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></r>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := parseXML(b)
		if err != nil {
			return
		}
		for _, e := range ParseNotifications(n, 0) {
			if e.Topic == "" {
				t.Fatal("event without topic")
			}
		}
	})
}
