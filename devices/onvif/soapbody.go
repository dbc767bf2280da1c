package onvif

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/beevik/etree"
	"github.com/use-go/onvif/gosoap"
)

func xmlEscapeTo(w io.Writer, s string) error { return xml.EscapeText(w, []byte(s)) }

// addBody puts a request body into msg. gosoap logs and drops malformed
// XML, so the body is checked first and a bug here fails loudly.
func addBody(msg *gosoap.SoapMessage, body string) error {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(body); err != nil || doc.Root() == nil {
		return fmt.Errorf("request body is not XML: %v", err)
	}
	msg.AddBodyContent(doc.Root())
	return nil
}

// marshal renders a use-go/onvif request struct.
func marshal(v any) (string, error) {
	b, err := xml.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode request: %w", err)
	}
	return string(b), nil
}
