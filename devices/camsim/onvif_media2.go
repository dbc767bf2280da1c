package camsim

import (
	"fmt"
	"strconv"
	"strings"
)

// Media2 privacy masks: GetMaskOptions, GetMasks, CreateMask, DeleteMask,
// kept per camera in memory. Points are ONVIF normalized coordinates
// (x -1 left .. 1 right, y -1 bottom .. 1 top).

const media2NS = "http://www.onvif.org/ver20/media/wsdl"

// MaskLimits are a camera's privacy mask limits.
type MaskLimits struct {
	MaxMasks, MaxPoints int
	Types               []string
	RectangleOnly       bool
}

// MaskPoint is a mask vertex in ONVIF normalized coordinates.
type MaskPoint struct{ X, Y float64 }

// PrivacyMask is a mask a client created.
type PrivacyMask struct {
	Token, ConfigurationToken string
	Points                    []MaskPoint
	Type                      string
	ColorX, ColorY, ColorZ    float64
	HasColor, Enabled         bool
}

type maskState struct {
	limits *MaskLimits
	masks  []PrivacyMask
	next   int
}

func defaultMaskLimits() MaskLimits {
	return MaskLimits{MaxMasks: 4, MaxPoints: 8, Types: []string{"Color", "Pixelated"}}
}

// SetMaskLimits changes the camera's mask limits (tests).
func (c *Camera) SetMaskLimits(l MaskLimits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.masks.limits = &l
}

func (c *Camera) maskLimits() MaskLimits {
	if c.masks.limits != nil {
		return *c.masks.limits
	}
	return defaultMaskLimits()
}

// Masks returns a copy of the masks the camera holds.
func (c *Camera) Masks() []PrivacyMask {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]PrivacyMask, len(c.masks.masks))
	for i, m := range c.masks.masks {
		m.Points = append([]MaskPoint(nil), m.Points...)
		out[i] = m
	}
	return out
}

func (c *Camera) dispatchMedia2(op string, req *node) (string, *soapFault, bool) {
	switch op {
	case "GetMaskOptions":
		c.mu.Lock()
		l := c.maskLimits()
		c.mu.Unlock()
		var b strings.Builder
		fmt.Fprintf(&b, `<tr2:GetMaskOptionsResponse xmlns:tr2="%s"><tr2:Options><tt:MaxMasks>%d</tt:MaxMasks><tt:MaxPoints>%d</tt:MaxPoints>`, media2NS, l.MaxMasks, l.MaxPoints)
		for _, t := range l.Types {
			b.WriteString(`<tt:Types>` + esc(t) + `</tt:Types>`)
		}
		fmt.Fprintf(&b, `<tt:Color><tt:ColorList X="16" Y="128" Z="128" Colorspace="http://www.onvif.org/ver10/colorspace/YCbCr"/></tt:Color><tt:RectangleOnly>%t</tt:RectangleOnly><tt:SingleColorOnly>false</tt:SingleColorOnly></tr2:Options></tr2:GetMaskOptionsResponse>`, l.RectangleOnly)
		return b.String(), nil, true
	case "GetMasks":
		var b strings.Builder
		b.WriteString(`<tr2:GetMasksResponse xmlns:tr2="` + media2NS + `">`)
		for _, m := range c.Masks() {
			fmt.Fprintf(&b, `<tr2:Masks token="%s"><tt:ConfigurationToken>%s</tt:ConfigurationToken><tt:Polygon>`, esc(m.Token), esc(m.ConfigurationToken))
			for _, p := range m.Points {
				fmt.Fprintf(&b, `<tt:Point x="%g" y="%g"/>`, p.X, p.Y)
			}
			fmt.Fprintf(&b, `</tt:Polygon><tt:Type>%s</tt:Type>`, esc(m.Type))
			if m.HasColor {
				fmt.Fprintf(&b, `<tt:Color X="%g" Y="%g" Z="%g"/>`, m.ColorX, m.ColorY, m.ColorZ)
			}
			fmt.Fprintf(&b, `<tt:Enabled>%t</tt:Enabled></tr2:Masks>`, m.Enabled)
		}
		b.WriteString(`</tr2:GetMasksResponse>`)
		return b.String(), nil, true
	case "CreateMask":
		body, f := c.createMask(req)
		return body, f, true
	case "DeleteMask":
		tok := req.text("Token")
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, m := range c.masks.masks {
			if m.Token == tok {
				c.masks.masks = append(c.masks.masks[:i], c.masks.masks[i+1:]...)
				return `<tr2:DeleteMaskResponse xmlns:tr2="` + media2NS + `"/>`, nil, true
			}
		}
		return "", faultInvalidArg("ter:NoConfig", "no mask with token "+tok), true
	}
	return "", nil, false
}

func (c *Camera) createMask(req *node) (string, *soapFault) {
	mk := req.child("Mask")
	if mk == nil {
		return "", faultInvalidArg("ter:InvalidArgs", "no Mask")
	}
	m := PrivacyMask{ConfigurationToken: mk.text("ConfigurationToken"), Type: mk.text("Type"), Enabled: mk.text("Enabled") == "true"}
	if pg := mk.child("Polygon"); pg != nil {
		for _, p := range pg.Children {
			if p.Name != "Point" {
				continue
			}
			x, err1 := strconv.ParseFloat(p.attr("x"), 64)
			y, err2 := strconv.ParseFloat(p.attr("y"), 64)
			if err1 != nil || err2 != nil || x < -1 || x > 1 || y < -1 || y > 1 {
				return "", faultInvalidArg("ter:InvalidPolygon", "point outside -1..1")
			}
			m.Points = append(m.Points, MaskPoint{x, y})
		}
	}
	if col := mk.child("Color"); col != nil {
		m.HasColor = true
		m.ColorX, _ = strconv.ParseFloat(col.attr("X"), 64)
		m.ColorY, _ = strconv.ParseFloat(col.attr("Y"), 64)
		m.ColorZ, _ = strconv.ParseFloat(col.attr("Z"), 64)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.maskLimits()
	switch {
	case len(m.Points) < 3:
		return "", faultInvalidArg("ter:InvalidPolygon", "a mask needs at least 3 points")
	case len(m.Points) > l.MaxPoints:
		return "", faultInvalidArg("ter:InvalidPolygon", fmt.Sprintf("too many points: %d, at most %d per mask", len(m.Points), l.MaxPoints))
	case len(c.masks.masks) >= l.MaxMasks:
		return "", faultInvalidArg("ter:MaxMasks", fmt.Sprintf("too many masks: at most %d", l.MaxMasks))
	}
	ok := false
	for _, t := range l.Types {
		ok = ok || t == m.Type
	}
	if !ok {
		return "", faultInvalidArg("ter:InvalidArgVal", "mask type "+m.Type+" is not offered")
	}
	c.masks.next++
	m.Token = fmt.Sprintf("mask%d", c.masks.next)
	c.masks.masks = append(c.masks.masks, m)
	return `<tr2:CreateMaskResponse xmlns:tr2="` + media2NS + `"><tr2:Token>` + m.Token + `</tr2:Token></tr2:CreateMaskResponse>`, nil
}
