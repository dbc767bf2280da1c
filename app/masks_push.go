package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"

	"nightjar/devices/onvif"
	"nightjar/internal/zones"
)

// Pushing privacy zones to the camera itself (ONVIF Media2 masks), so that
// the camera's own stream, recordings elsewhere and its web page are masked
// too.

// maskSupport is what a camera can do with privacy masks.
type maskSupport struct {
	Supported           bool
	MaxMasks, MaxPoints int
	RectangleOnly       bool
	Pixelate            bool
	Reason              string // why not, when !Supported
}

// pushResult is what pushZones did.
type pushResult struct {
	Pushed, Removed int
	Notes           []string
}

const ycbcrSpace = "http://www.onvif.org/ver10/colorspace/YCbCr"

// maskClient connects to the camera and finds its main profile's video
// source configuration token.
func (a *App) maskClient(ctx context.Context, cameraID string) (*onvif.Client, string, []zones.Zone, error) {
	cam, err := a.DB.Camera(cameraID)
	if err != nil {
		return nil, "", nil, err
	}
	if cam.DeviceURL == "" {
		return nil, "", nil, fmt.Errorf("camera %s was added by its RTSP address, without ONVIF: %w", cameraID, onvif.ErrNotSupported)
	}
	pass, err := a.cameraPassword(ctx, cameraID)
	if err != nil {
		return nil, "", nil, err
	}
	c := &onvif.Client{DeviceURL: cam.DeviceURL, Username: cam.Username, Password: pass}
	c.SetClockOffset(cam.ClockOffset)
	ps, err := c.Profiles(ctx)
	if err != nil {
		return nil, "", nil, fmt.Errorf("read camera %s's profiles: %w", cameraID, err)
	}
	vsc := ps[0].VideoSource
	for _, p := range ps {
		if p.Token == cam.MainProfile && p.VideoSource != "" {
			vsc = p.VideoSource
		}
	}
	if vsc == "" {
		return nil, "", nil, fmt.Errorf("camera %s's profile has no video source: %w", cameraID, onvif.ErrNotSupported)
	}
	return c, vsc, cam.Zones, nil
}

// maskSupport asks the camera what masks it takes. A camera without
// masks is Supported false with a Reason, not an error.
func (a *App) maskSupport(ctx context.Context, cameraID string) (maskSupport, error) {
	c, vsc, _, err := a.maskClient(ctx, cameraID)
	if errors.Is(err, onvif.ErrNotSupported) {
		return maskSupport{Reason: err.Error()}, nil
	}
	if err != nil {
		return maskSupport{}, err
	}
	o, err := c.MaskOptions(ctx, vsc)
	if errors.Is(err, onvif.ErrNotSupported) {
		return maskSupport{Reason: "the camera has no privacy masks (no ONVIF Media2 masks)"}, nil
	}
	if err != nil {
		return maskSupport{}, fmt.Errorf("read camera %s's mask options: %w", cameraID, err)
	}
	return supportOf(o), nil
}

func supportOf(o onvif.MaskOptions) maskSupport {
	s := maskSupport{Supported: o.MaxMasks > 0 && o.MaxPoints >= 3, MaxMasks: o.MaxMasks, MaxPoints: o.MaxPoints, RectangleOnly: o.RectangleOnly}
	for _, t := range o.Types {
		s.Pixelate = s.Pixelate || t == "Pixelated"
	}
	if !s.Supported {
		s.Reason = "the camera takes no masks"
	}
	return s
}

func hasType(o onvif.MaskOptions, t string) bool {
	for _, x := range o.Types {
		if x == t {
			return true
		}
	}
	return false
}

// toONVIF converts a zone point (0–1, origin top-left, y down) to ONVIF
// normalized coordinates (-1–1, y up).
func toONVIF(p zones.Point) onvif.Vec { return onvif.Vec{X: 2*p.X - 1, Y: 1 - 2*p.Y} }

func bbox(ps []zones.Point) []zones.Point {
	x0, y0, x1, y1 := ps[0].X, ps[0].Y, ps[0].X, ps[0].Y
	for _, p := range ps {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	return []zones.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

func ycbcr(c color.RGBA) *onvif.Color {
	y, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
	return &onvif.Color{X: float64(y), Y: float64(cb), Z: float64(cr), Colorspace: ycbcrSpace}
}

// pushZones replaces the masks on the camera with the camera's zones.
// It checks every zone against the camera's limits before changing
// anything.
func (a *App) pushZones(ctx context.Context, cameraID string) (pushResult, error) {
	var res pushResult
	c, vsc, zs, err := a.maskClient(ctx, cameraID)
	if err != nil {
		return res, err
	}
	o, err := c.MaskOptions(ctx, vsc)
	if errors.Is(err, onvif.ErrNotSupported) {
		return res, fmt.Errorf("camera %s has no privacy masks of its own (%w): Nightjar's masks still apply to what it shows and exports", cameraID, err)
	}
	if err != nil {
		return res, fmt.Errorf("read camera %s's mask options: %w", cameraID, err)
	}
	if len(zs) > o.MaxMasks {
		return res, fmt.Errorf("camera %s has %d zones; the camera takes at most %d masks: remove some zones or merge them", cameraID, len(zs), o.MaxMasks)
	}
	var masks []onvif.Mask
	for _, z := range zs {
		ps := z.Points
		if o.RectangleOnly {
			ps = bbox(ps)
			if len(z.Points) != 4 {
				res.Notes = append(res.Notes, fmt.Sprintf("zone %q: the camera takes only rectangles, so its bounding box was sent", z.Name))
			}
		}
		if len(ps) > o.MaxPoints {
			return res, fmt.Errorf("zone %q has %d points; this camera takes at most %d per mask: simplify it or push fewer", z.Name, len(ps), o.MaxPoints)
		}
		m := onvif.Mask{ConfigurationToken: vsc, Type: "Color", Color: ycbcr(color.RGBA{A: 255}), Enabled: true}
		for _, p := range ps {
			m.Polygon = append(m.Polygon, toONVIF(p))
		}
		switch {
		case z.Fill.Pixelated() && hasType(o, "Pixelated"):
			m.Type, m.Color = "Pixelated", nil
		case z.Fill.Pixelated():
			res.Notes = append(res.Notes, fmt.Sprintf("zone %q: the camera cannot pixelate, so it is filled black", z.Name))
		case !o.SingleColorOnly:
			m.Color = ycbcr(z.Fill.Color)
		case z.Fill.Color != (color.RGBA{A: 255}):
			res.Notes = append(res.Notes, fmt.Sprintf("zone %q: the camera takes one colour only, so it is filled black", z.Name))
		}
		masks = append(masks, m)
	}
	old, err := c.Masks(ctx, vsc)
	if err != nil {
		return res, fmt.Errorf("list camera %s's masks: %w", cameraID, err)
	}
	for _, m := range old {
		if err := c.DeleteMask(ctx, m.Token); err != nil {
			return res, fmt.Errorf("delete mask %s on camera %s: %w", m.Token, cameraID, err)
		}
		res.Removed++
	}
	for _, m := range masks {
		if _, err := c.CreateMask(ctx, m); err != nil {
			return res, fmt.Errorf("create a mask on camera %s (%d of %d pushed): %w", cameraID, res.Pushed, len(masks), err)
		}
		res.Pushed++
	}
	return res, nil
}
