package onvif

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Round-trip fuzz targets for two replies a camera writes freely: SOAP
// faults and PullMessages events. The fuzzer picks the strings; the test
// writes them into a reply the way a camera's XML library would, and
// checks they come back as typed values.

// xmlText escapes s as character data or an attribute value; ok is false
// for strings XML cannot carry (invalid UTF-8, control characters).
func xmlText(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return "", false
		}
	}
	var b bytes.Buffer
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return "", false
	}
	return b.String(), true
}

// FuzzFaultReply: a SOAP 1.2 fault with nested subcodes, or a SOAP 1.1
// one, under any HTTP status, is a *FaultError with the camera's code,
// innermost subcode and reason, trimmed.
func FuzzFaultReply(f *testing.F) {
	f.Add("env:Sender", "ter:NotAuthorized", "Sender not Authorized", false, uint8(0))
	f.Add("SOAP-ENV:Receiver", "ter:ActionNotSupported\x00ter:NoSuchService", "Optional Action Not Implemented", false, uint8(1))
	f.Add("s:Sender", "ter:NotAuthorized", "the Created time is too far off the clock", false, uint8(2))
	f.Add("SOAP-ENV:Client", "", "  Authentication failed \n", true, uint8(1))
	f.Add("", "", "", false, uint8(0))
	f.Fuzz(func(t *testing.T, code, subcodes, reason string, soap11 bool, st uint8) {
		status := []int{200, 400, 500, 401}[int(st)%4]
		parts := []string{code, reason}
		subs := strings.Split(subcodes, "\x00")
		if subcodes == "" {
			subs = nil
		}
		parts = append(parts, subs...)
		esc := make([]string, len(parts))
		for i, p := range parts {
			var ok bool
			if esc[i], ok = xmlText(p); !ok {
				return
			}
		}
		var fault string
		if soap11 {
			fault = `<faultcode>` + esc[0] + `</faultcode><faultstring>` + esc[1] + `</faultstring>`
		} else {
			inner := ""
			for i := len(subs) - 1; i >= 0; i-- {
				inner = `<s:Subcode><s:Value>` + esc[2+i] + `</s:Value>` + inner + `</s:Subcode>`
			}
			fault = `<s:Code><s:Value>` + esc[0] + `</s:Value>` + inner + `</s:Code><s:Reason><s:Text xml:lang="en">` + esc[1] + `</s:Text></s:Reason>`
		}
		reply := `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault>` + fault + `</s:Fault></s:Body></s:Envelope>`
		_, err := (&Client{}).parseReply("GetProfiles", status, []byte(reply))
		var fe *FaultError
		if !errors.As(err, &fe) {
			t.Fatalf("HTTP %d fault read as %v", status, err)
		}
		want := FaultError{Op: "GetProfiles", Reason: strings.TrimSpace(reason)}
		if !soap11 {
			want.Code = strings.TrimSpace(code)
			if len(subs) > 0 {
				want.Subcode = strings.TrimSpace(subs[len(subs)-1])
			}
		}
		if fe.Op != want.Op || fe.Code != want.Code || fe.Subcode != want.Subcode || fe.Reason != want.Reason {
			t.Fatalf("fault read as %+v, want %+v", *fe, want)
		}
		if !strings.HasPrefix(err.Error(), "GetProfiles: ") {
			t.Fatalf("error %q does not name the operation", err)
		}
		if strings.Contains(strings.ToLower(fe.Subcode), "notauthorized") && !errors.Is(err, ErrUnauthorized) && !errors.Is(err, ErrClockSkew) {
			t.Fatalf("NotAuthorized fault %v is neither ErrUnauthorized nor ErrClockSkew", err)
		}
	})
}

// FuzzPullMessagesReply: one notification with fuzzer-chosen topic, time,
// source and state reads back as one event with those values (or none,
// without a topic).
func FuzzPullMessagesReply(f *testing.F) {
	f.Add("tns1:VideoSource/MotionAlarm", "2026-12-02T01:51:52Z", "VideoSource_1", "true", true, int64(0))
	f.Add("tns1:RuleEngine/CellMotionDetector/Motion", "2026-12-02T01:51:52.123+08:00", "VideoSourceToken", "false", false, int64(-3e9))
	f.Add("tns1:Device/Trigger/DigitalInput", "not a time", "1", "1", false, int64(7200e9))
	f.Add("  ", "", "", "", false, int64(0))
	f.Fuzz(func(t *testing.T, topic, utc, source, state string, initial bool, offset int64) {
		vals := []string{topic, utc, source, state}
		esc := make([]string, len(vals))
		for i, v := range vals {
			var ok bool
			if esc[i], ok = xmlText(v); !ok {
				return
			}
		}
		op := "Changed"
		if initial {
			op = "Initialized"
		}
		reply := `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tns1="http://www.onvif.org/ver10/topics"><env:Body><tev:PullMessagesResponse>` +
			`<tev:CurrentTime>2026-12-02T01:51:53Z</tev:CurrentTime><tev:TerminationTime>2026-12-02T01:52:53Z</tev:TerminationTime>` +
			`<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">` + esc[0] + `</wsnt:Topic>` +
			`<wsnt:Message><tt:Message UtcTime="` + esc[1] + `" PropertyOperation="` + op + `"><tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="` + esc[2] + `"/></tt:Source>` +
			`<tt:Data><tt:SimpleItem Name="State" Value="` + esc[3] + `"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>` +
			`</tev:PullMessagesResponse></env:Body></env:Envelope>`
		body, err := (&Client{}).parseReply("PullMessages", 200, []byte(reply))
		if err != nil {
			t.Fatalf("reply rejected: %v", err)
		}
		evs := ParseNotifications(body.Child("PullMessagesResponse"), time.Duration(offset))
		if strings.TrimSpace(topic) == "" {
			if len(evs) != 0 {
				t.Fatalf("events %+v from a message without topic", evs)
			}
			return
		}
		if len(evs) != 1 {
			t.Fatalf("%d events from one message", len(evs))
		}
		e := evs[0]
		var wantTime time.Time
		if ts, err := time.Parse(time.RFC3339Nano, utc); err == nil {
			wantTime = ts.Add(-time.Duration(offset))
		}
		lower := strings.ToLower(state)
		if e.Topic != strings.TrimSpace(topic) || e.Source != source || e.Initial != initial || !e.Time.Equal(wantTime) ||
			e.State != (lower == "true" || lower == "1") {
			t.Fatalf("event %+v from topic %q time %q source %q state %q initial %v", e, topic, utc, source, state, initial)
		}
		switch e.Kind {
		case EventMotion, EventTamper, EventDigitalInput, EventOther:
		default:
			t.Fatalf("event kind %q", e.Kind)
		}
	})
}
