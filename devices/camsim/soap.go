package camsim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// node is a namespace-agnostic XML element: camsim matches on local names
// only, as lenient cameras do.
type node struct {
	Name     string
	Attrs    map[string]string
	Text     string
	Children []*node
}

// maxRequestBytes bounds a SOAP request body.
const maxRequestBytes = 1 << 20

func parseXML(r io.Reader) (*node, error) {
	dec := xml.NewDecoder(io.LimitReader(r, maxRequestBytes))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: t.Name.Local, Attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.Attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("empty document")
	}
	return root, nil
}

// child returns the first child with local name name, or nil. It accepts a
// path: child("A", "B") is A's child B.
func (n *node) child(path ...string) *node {
	cur := n
	for _, name := range path {
		if cur == nil {
			return nil
		}
		var next *node
		for _, c := range cur.Children {
			if c.Name == name {
				next = c
				break
			}
		}
		cur = next
	}
	return cur
}

func (n *node) text(path ...string) string {
	c := n.child(path...)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text)
}

func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	return n.Attrs[name]
}

func (n *node) float(path []string, attr string) (float64, bool) {
	c := n.child(path...)
	if c == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(c.attr(attr), 64)
	return v, err == nil
}

// Namespaces used in responses.
const envelopeOpen = `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:tns1="http://www.onvif.org/ver10/topics" xmlns:ter="http://www.onvif.org/ver10/error">`

func envelope(body string) []byte {
	var b bytes.Buffer
	b.WriteString(envelopeOpen)
	b.WriteString("<env:Body>")
	b.WriteString(body)
	b.WriteString("</env:Body></env:Envelope>")
	return b.Bytes()
}

// soapFault is a SOAP 1.2 fault with an ONVIF subcode.
type soapFault struct {
	HTTPStatus int
	Code       string // env:Sender or env:Receiver
	Subcode    string // e.g. ter:NotAuthorized
	Reason     string
}

func (f *soapFault) Error() string { return f.Subcode + ": " + f.Reason }

func (f *soapFault) body() string {
	return fmt.Sprintf(`<env:Fault><env:Code><env:Value>%s</env:Value><env:Subcode><env:Value>%s</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">%s</env:Text></env:Reason></env:Fault>`,
		f.Code, f.Subcode, esc(f.Reason))
}

func faultNotAuthorized(reason string) *soapFault {
	return &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:NotAuthorized", Reason: reason}
}

func faultInvalidArg(sub, reason string) *soapFault {
	return &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:InvalidArgVal", Reason: reason + " (" + sub + ")"}
}

func faultNoAction(op string) *soapFault {
	return &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:ActionNotSupported", Reason: "operation " + op + " is not supported"}
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xsdDuration parses the xs:duration forms ONVIF clients send (PT5S,
// PT0.5S, PT1M30S, P1D). It returns ok false for anything else.
func xsdDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "P") {
		return 0, false
	}
	s = s[1:]
	var d time.Duration
	inTime := false
	num := ""
	for _, r := range s {
		switch {
		case r == 'T':
			inTime = true
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
		default:
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, false
			}
			num = ""
			unit := map[bool]map[rune]time.Duration{
				false: {'D': 24 * time.Hour, 'W': 7 * 24 * time.Hour},
				true:  {'H': time.Hour, 'M': time.Minute, 'S': time.Second},
			}[inTime][r]
			if unit == 0 {
				return 0, false
			}
			f := v * float64(unit)
			if f > float64(maxXSDDuration) || float64(d)+f > float64(maxXSDDuration) {
				return 0, false // absurd: refuse rather than overflow
			}
			d += time.Duration(f)
		}
	}
	return d, num == ""
}

// maxXSDDuration bounds parsed durations: a year is more than any ONVIF
// timeout or subscription a client may ask for.
const maxXSDDuration = 366 * 24 * time.Hour

func xsdTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
