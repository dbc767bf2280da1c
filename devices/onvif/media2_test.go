package onvif

import (
	"context"
	"errors"
	"strings"
	"testing"

	"nightjar/devices/camsim"
)

func TestMasksAgainstCamsim(t *testing.T) {
	s := startSim(t, camsim.Config{Cameras: 1})
	cam := s.Cameras()[0]
	c := &Client{DeviceURL: cam.DeviceURL(), Username: "admin", Password: "admin"}
	ctx := context.Background()
	ps, err := c.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vsc := ps[0].VideoSource
	if vsc == "" {
		t.Fatal("profile has no video source token")
	}
	o, err := c.MaskOptions(ctx, vsc)
	if err != nil {
		t.Fatal(err)
	}
	if o.MaxMasks != 4 || o.MaxPoints != 8 || strings.Join(o.Types, ",") != "Color,Pixelated" || o.RectangleOnly {
		t.Fatalf("options %+v", o)
	}
	sq := []Vec{{-1, 1}, {0, 1}, {0, 0}, {-1, 0}}
	tok, err := c.CreateMask(ctx, Mask{ConfigurationToken: vsc, Polygon: sq, Type: "Color", Color: &Color{X: 16, Y: 128, Z: 128}, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := c.Masks(ctx, vsc)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Token != tok || ms[0].Type != "Color" || !ms[0].Enabled || len(ms[0].Polygon) != 4 || ms[0].Polygon[0] != sq[0] || ms[0].Color == nil {
		t.Fatalf("masks %+v", ms)
	}
	if got := cam.Masks(); len(got) != 1 || got[0].Points[2] != (camsim.MaskPoint{X: 0, Y: 0}) {
		t.Fatalf("camera holds %+v", got)
	}
	nine := make([]Vec, 9)
	for i := range nine {
		nine[i] = Vec{float64(i) / 10, float64(i%2) / 2}
	}
	_, err = c.CreateMask(ctx, Mask{ConfigurationToken: vsc, Polygon: nine, Type: "Color", Enabled: true})
	if err == nil || !strings.Contains(err.Error(), "too many points") {
		t.Fatalf("9 points: got %v, want a too-many-points fault", err)
	}
	if err := c.DeleteMask(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := len(cam.Masks()); n != 0 {
		t.Fatalf("%d masks left after delete", n)
	}
	for i := range 4 {
		if _, err := c.CreateMask(ctx, Mask{ConfigurationToken: vsc, Polygon: sq, Type: "Pixelated", Enabled: true}); err != nil {
			t.Fatalf("mask %d: %v", i+1, err)
		}
	}
	_, err = c.CreateMask(ctx, Mask{ConfigurationToken: vsc, Polygon: sq, Type: "Pixelated", Enabled: true})
	if err == nil || !strings.Contains(err.Error(), "too many masks") {
		t.Fatalf("fifth mask: got %v, want a too-many-masks fault", err)
	}
}

func TestMasksNoMedia2(t *testing.T) {
	// A camera answering ActionNotSupported is ErrNotSupported.
	r, err := parseXML([]byte(`<Envelope><Body><Fault><Code><Value>env:Sender</Value><Subcode><Value>ter:ActionNotSupported</Value></Subcode></Code></Fault></Body></Envelope>`))
	if err != nil {
		t.Fatal(err)
	}
	ferr := faultError("GetMaskOptions", r.Child("Body", "Fault"))
	if !errors.Is(ferr, ErrNotSupported) {
		t.Fatalf("got %v", ferr)
	}
	c := &Client{DeviceURL: "http://127.0.0.1:1/onvif/device_service"}
	c.xaddrs = map[string]string{"media2": ""}
	if _, err := c.MaskOptions(context.Background(), "vsc"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("no media2 service: got %v", err)
	}
}

func FuzzMaskReplies(f *testing.F) {
	f.Add([]byte(`<Body><GetMasksResponse><Masks token="m1"><ConfigurationToken>vsc</ConfigurationToken><Polygon><Point x="-1" y="1"/><Point x="0" y="0"/></Polygon><Type>Color</Type><Color X="1" Y="2" Z="3"/><Enabled>true</Enabled></Masks></GetMasksResponse><GetMaskOptionsResponse><Options><MaxMasks>4</MaxMasks><MaxPoints>99999999</MaxPoints><Types>Color</Types></Options></GetMaskOptionsResponse><CreateMaskResponse><Token>t</Token></CreateMaskResponse></Body>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseXML(b)
		if err != nil {
			return
		}
		if o, err := parseMaskOptions(r); err == nil && (o.MaxMasks > maxMaskItems || o.MaxPoints > maxMaskItems || o.MaxMasks < 0) {
			t.Fatalf("unbounded options %+v", o)
		}
		if ms, err := parseMasks(r); err == nil {
			if len(ms) > maxMaskItems {
				t.Fatal("too many masks")
			}
			for _, m := range ms {
				if len(m.Polygon) > maxMaskItems || !validToken(m.Token) {
					t.Fatalf("bad mask %+v", m)
				}
			}
		}
		if tok, err := parseCreateMask(r); err == nil && !validToken(tok) {
			t.Fatalf("bad token %q", tok)
		}
	})
}
