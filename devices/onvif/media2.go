package onvif

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Media2 privacy masks (ONVIF Media2 service, namespace
// http://www.onvif.org/ver20/media/wsdl). Polygon points are in ONVIF's
// normalized coordinates: x from -1 (left edge) to 1 (right edge), y from
// -1 (bottom edge) to 1 (top edge) — y points up, unlike image rows.

const media2NS = "http://www.onvif.org/ver20/media/wsdl"

// maxMaskItems bounds how many masks, points and types a reply may list.
const maxMaskItems = 256

// MaskOptions are what a camera allows for privacy masks.
type MaskOptions struct {
	MaxMasks, MaxPoints            int
	Types                          []string // Color, Pixelated, Blurred
	RectangleOnly, SingleColorOnly bool
}

// Vec is a point in ONVIF normalized coordinates (see the package note).
type Vec struct{ X, Y float64 }

// Color is a mask colour in the camera's colour space (often YCbCr).
type Color struct {
	X, Y, Z    float64
	Colorspace string
}

// Mask is a privacy mask on a video source configuration.
type Mask struct {
	Token, ConfigurationToken string
	Polygon                   []Vec
	Type                      string // Color, Pixelated, Blurred
	Color                     *Color
	Enabled                   bool
}

// media2XAddr reads the Media2 address from GetServices once.
func (c *Client) media2XAddr(ctx context.Context) (string, error) {
	c.mu.Lock()
	x, known := c.xaddrs["media2"]
	c.mu.Unlock()
	if known {
		if x == "" {
			return "", fmt.Errorf("media2 service: %w", ErrNotSupported)
		}
		return x, nil
	}
	r, err := c.call(ctx, c.DeviceURL, "GetServices", `<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>`, true)
	if err != nil {
		return "", err
	}
	for _, s := range r.Child("GetServicesResponse").All("Service") {
		if strings.TrimSpace(s.Str("Namespace")) == media2NS {
			x = c.sameHost(s.Str("XAddr"))
			break
		}
	}
	c.mu.Lock()
	if c.xaddrs == nil {
		c.xaddrs = map[string]string{}
	}
	c.xaddrs["media2"] = x
	c.mu.Unlock()
	if x == "" {
		return "", fmt.Errorf("media2 service: %w", ErrNotSupported)
	}
	return x, nil
}

func (c *Client) media2Call(ctx context.Context, op, body string) (*Node, error) {
	x, err := c.media2XAddr(ctx)
	if err != nil {
		return nil, err
	}
	return c.call(ctx, x, op, `<tr2:`+op+` xmlns:tr2="`+media2NS+`">`+body+`</tr2:`+op+`>`, true)
}

// MaskOptions reads the mask limits for a video source configuration.
func (c *Client) MaskOptions(ctx context.Context, configToken string) (MaskOptions, error) {
	r, err := c.media2Call(ctx, "GetMaskOptions", `<tr2:ConfigurationToken>`+xmlEscape(configToken)+`</tr2:ConfigurationToken>`)
	if err != nil {
		return MaskOptions{}, err
	}
	return parseMaskOptions(r)
}

func parseMaskOptions(r *Node) (MaskOptions, error) {
	o := r.Child("GetMaskOptionsResponse", "Options")
	if o == nil {
		return MaskOptions{}, fmt.Errorf("GetMaskOptions: %w: no Options", ErrMalformed)
	}
	mo := MaskOptions{
		MaxMasks:        min(max(o.Int("MaxMasks"), 0), maxMaskItems),
		MaxPoints:       min(max(o.Int("MaxPoints"), 0), maxMaskItems),
		RectangleOnly:   o.Str("RectangleOnly") == "true",
		SingleColorOnly: o.Str("SingleColorOnly") == "true",
	}
	for _, t := range o.All("Types") {
		if len(mo.Types) < 16 {
			mo.Types = append(mo.Types, cleanText(t.Str(), maxText))
		}
	}
	return mo, nil
}

// Masks lists the masks on a video source configuration ("" for all).
func (c *Client) Masks(ctx context.Context, configToken string) ([]Mask, error) {
	body := ""
	if configToken != "" {
		body = `<tr2:ConfigurationToken>` + xmlEscape(configToken) + `</tr2:ConfigurationToken>`
	}
	r, err := c.media2Call(ctx, "GetMasks", body)
	if err != nil {
		return nil, err
	}
	return parseMasks(r)
}

func parseMasks(r *Node) ([]Mask, error) {
	resp := r.Child("GetMasksResponse")
	if resp == nil {
		return nil, fmt.Errorf("GetMasks: %w", ErrMalformed)
	}
	var out []Mask
	for _, m := range resp.All("Masks") {
		if len(out) >= maxMaskItems {
			break
		}
		if !validToken(m.Attr("token")) {
			continue
		}
		mk := Mask{Token: m.Attr("token"), ConfigurationToken: cleanText(m.Str("ConfigurationToken"), maxToken),
			Type: cleanText(m.Str("Type"), maxText), Enabled: m.Str("Enabled") == "true"}
		for _, p := range m.Child("Polygon").All("Point") {
			if len(mk.Polygon) >= maxMaskItems {
				break
			}
			x, ok1 := floatAttr(p, "x")
			y, ok2 := floatAttr(p, "y")
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("GetMasks: %w: point without x and y", ErrMalformed)
			}
			mk.Polygon = append(mk.Polygon, Vec{x, y})
		}
		if col := m.Child("Color"); col != nil {
			cc := &Color{Colorspace: cleanText(col.Attr("Colorspace"), maxText)}
			cc.X, _ = floatAttr(col, "X")
			cc.Y, _ = floatAttr(col, "Y")
			cc.Z, _ = floatAttr(col, "Z")
			mk.Color = cc
		}
		out = append(out, mk)
	}
	return out, nil
}

func floatAttr(n *Node, a string) (float64, bool) {
	v, err := strconv.ParseFloat(n.Attr(a), 64)
	return v, err == nil && v == v
}

// CreateMask adds a mask and returns its token.
func (c *Client) CreateMask(ctx context.Context, m Mask) (string, error) {
	var b strings.Builder
	b.WriteString(`<tr2:Mask><tt:ConfigurationToken>` + xmlEscape(m.ConfigurationToken) + `</tt:ConfigurationToken><tt:Polygon>`)
	for _, p := range m.Polygon {
		b.WriteString(`<tt:Point x="` + f(p.X) + `" y="` + f(p.Y) + `"/>`)
	}
	b.WriteString(`</tt:Polygon><tt:Type>` + xmlEscape(m.Type) + `</tt:Type>`)
	if m.Color != nil {
		b.WriteString(`<tt:Color X="` + f(m.Color.X) + `" Y="` + f(m.Color.Y) + `" Z="` + f(m.Color.Z) + `"`)
		if m.Color.Colorspace != "" {
			b.WriteString(` Colorspace="` + xmlEscape(m.Color.Colorspace) + `"`)
		}
		b.WriteString(`/>`)
	}
	b.WriteString(`<tt:Enabled>` + strconv.FormatBool(m.Enabled) + `</tt:Enabled></tr2:Mask>`)
	r, err := c.media2Call(ctx, "CreateMask", b.String())
	if err != nil {
		return "", err
	}
	return parseCreateMask(r)
}

func parseCreateMask(r *Node) (string, error) {
	tok := r.Str("CreateMaskResponse", "Token")
	if tok == "" || !validToken(tok) {
		return "", fmt.Errorf("CreateMask: %w: no usable token", ErrMalformed)
	}
	return tok, nil
}

// DeleteMask removes a mask.
func (c *Client) DeleteMask(ctx context.Context, token string) error {
	_, err := c.media2Call(ctx, "DeleteMask", `<tr2:Token>`+xmlEscape(token)+`</tr2:Token>`)
	return err
}
