package onvif

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/use-go/onvif/device"
	"github.com/use-go/onvif/media"
	xonvif "github.com/use-go/onvif/xsd/onvif"
)

// DeviceInfo is GetDeviceInformation's answer.
type DeviceInfo struct {
	Manufacturer, Model, Firmware, Serial, HardwareID string
}

// Profile is a media profile with its video encoder settings.
type Profile struct {
	Token, Name   string
	Encoding      string // H264, H265, JPEG
	Width, Height int
	FPS           int
	BitrateKbps   int
	StreamURI     string // without userinfo, on the device's host; "" when the camera's was refused
	PTZ           bool   // has a PTZ configuration
	// VideoSource is the video source configuration's token (for masks).
	VideoSource string `json:",omitempty"`
}

// Services are the service addresses the device reported.
type Services struct {
	Device, Media, PTZ, Events string
	PullPoint                  bool
}

// ProbeResult is everything Probe learned about a device.
type ProbeResult struct {
	DeviceURL   string
	Info        DeviceInfo
	ClockOffset time.Duration
	Services    Services
	Profiles    []Profile
	Main, Sub   string // chosen profile tokens
	SnapshotURI string
	PTZ         *PTZInfo // nil without PTZ
	// StreamRefused says why stream URIs the camera reported were not
	// taken (ErrBadURI), one line per profile.
	StreamRefused []string `json:",omitempty"`
}

// SyncClock reads the device's clock with the unauthenticated
// GetSystemDateAndTime, stores the offset for WS-Security, and returns it.
// A device that answers with something other than SOAP is ErrNotONVIF.
func (c *Client) SyncClock(ctx context.Context) (time.Duration, error) {
	body, err := marshal(device.GetSystemDateAndTime{})
	if err != nil {
		return 0, err
	}
	sent := c.now()
	reply, err := c.call(ctx, c.DeviceURL, "GetSystemDateAndTime", body, false)
	if err != nil {
		var fe *FaultError
		if errors.As(err, &fe) {
			// Some cameras want auth even here: try again with it.
			reply, err = c.call(ctx, c.DeviceURL, "GetSystemDateAndTime", body, true)
		}
		if err != nil {
			return 0, err
		}
	}
	got := c.now()
	u := reply.Find("UTCDateTime")
	if u == nil {
		return 0, fmt.Errorf("GetSystemDateAndTime: %w: no UTCDateTime", ErrNotONVIF)
	}
	camTime := time.Date(u.Int("Date", "Year"), time.Month(u.Int("Date", "Month")), u.Int("Date", "Day"),
		u.Int("Time", "Hour"), u.Int("Time", "Minute"), u.Int("Time", "Second"), 0, time.UTC)
	if camTime.Year() < 1970 {
		return 0, fmt.Errorf("GetSystemDateAndTime: %w: date %v", ErrMalformed, camTime)
	}
	mid := sent.Add(got.Sub(sent) / 2)
	off := camTime.Sub(mid).Round(time.Second)
	if off > -2*time.Second && off < 2*time.Second {
		off = 0 // the device clock only has whole seconds
	}
	c.SetClockOffset(off)
	return off, nil
}

// sameHost rewrites a service address to the host the device was reached
// at: cameras behind NAT or with a stale config report unusable hosts.
func (c *Client) sameHost(xaddr string) string {
	if len(xaddr) > maxURI {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(xaddr))
	d, err2 := url.Parse(c.DeviceURL)
	if err != nil || err2 != nil || u.Host == "" {
		return xaddr
	}
	u.Scheme, u.Host = d.Scheme, d.Host
	return u.String()
}

// Capabilities reads the service addresses.
func (c *Client) Capabilities(ctx context.Context) (Services, error) {
	body, err := marshal(device.GetCapabilities{Category: "All"})
	if err != nil {
		return Services{}, err
	}
	reply, err := c.call(ctx, c.DeviceURL, "GetCapabilities", body, true)
	if err != nil {
		return Services{}, err
	}
	caps := reply.Find("Capabilities")
	if caps == nil {
		return Services{}, fmt.Errorf("GetCapabilities: %w: no Capabilities", ErrNotONVIF)
	}
	s := Services{Device: c.DeviceURL}
	if x := caps.Str("Media", "XAddr"); x != "" {
		s.Media = c.sameHost(x)
	}
	if x := caps.Str("PTZ", "XAddr"); x != "" {
		s.PTZ = c.sameHost(x)
	}
	if x := caps.Str("Events", "XAddr"); x != "" {
		s.Events = c.sameHost(x)
		s.PullPoint = caps.Str("Events", "WSPullPointSupport") == "true"
	}
	c.mu.Lock()
	c.xaddrs = map[string]string{"media": s.Media, "ptz": s.PTZ, "events": s.Events}
	c.mu.Unlock()
	return s, nil
}

func (c *Client) xaddr(ctx context.Context, service string) (string, error) {
	c.mu.Lock()
	x, known := c.xaddrs[service]
	c.mu.Unlock()
	if !known {
		if _, err := c.Capabilities(ctx); err != nil {
			return "", err
		}
		c.mu.Lock()
		x = c.xaddrs[service]
		c.mu.Unlock()
	}
	if x == "" {
		return "", fmt.Errorf("%s service: %w", service, ErrNotSupported)
	}
	return x, nil
}

// DeviceInformation reads the maker, model and firmware.
func (c *Client) DeviceInformation(ctx context.Context) (DeviceInfo, error) {
	body, err := marshal(device.GetDeviceInformation{})
	if err != nil {
		return DeviceInfo{}, err
	}
	r, err := c.call(ctx, c.DeviceURL, "GetDeviceInformation", body, true)
	if err != nil {
		return DeviceInfo{}, err
	}
	d := r.Child("GetDeviceInformationResponse")
	if d == nil {
		return DeviceInfo{}, fmt.Errorf("GetDeviceInformation: %w", ErrMalformed)
	}
	return DeviceInfo{Manufacturer: cleanText(d.Str("Manufacturer"), maxText), Model: cleanText(d.Str("Model"), maxText),
		Firmware: cleanText(d.Str("FirmwareVersion"), maxText), Serial: cleanText(d.Str("SerialNumber"), maxText),
		HardwareID: cleanText(d.Str("HardwareId"), maxText)}, nil
}

// Profiles reads the media profiles (without stream URIs). A profile whose
// token could not be sent back as is (too long, control characters) is
// left out.
func (c *Client) Profiles(ctx context.Context) ([]Profile, error) {
	x, err := c.xaddr(ctx, "media")
	if err != nil {
		return nil, err
	}
	body, err := marshal(media.GetProfiles{})
	if err != nil {
		return nil, err
	}
	r, err := c.call(ctx, x, "GetProfiles", body, true)
	if err != nil {
		return nil, err
	}
	var out []Profile
	for _, p := range r.Child("GetProfilesResponse").All("Profiles") {
		vec := p.Child("VideoEncoderConfiguration")
		if !validToken(p.Attr("token")) {
			continue
		}
		out = append(out, Profile{
			Token:       p.Attr("token"),
			Name:        cleanText(p.Str("Name"), maxText),
			Encoding:    cleanText(vec.Str("Encoding"), maxText),
			Width:       vec.Int("Resolution", "Width"),
			Height:      vec.Int("Resolution", "Height"),
			FPS:         vec.Int("RateControl", "FrameRateLimit"),
			BitrateKbps: vec.Int("RateControl", "BitrateLimit"),
			PTZ:         p.Child("PTZConfiguration") != nil,
			VideoSource: cleanText(p.Child("VideoSourceConfiguration").Attr("token"), maxToken),
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("GetProfiles: %w: no media profile", ErrNotSupported)
	}
	return out, nil
}

// StreamURI returns a profile's RTSP URI, without userinfo and on the host
// the device was reached at (see cameraURI). A scheme other than rtsp or
// rtsps is ErrBadURI.
func (c *Client) StreamURI(ctx context.Context, token string) (string, error) {
	x, err := c.xaddr(ctx, "media")
	if err != nil {
		return "", err
	}
	body, err := marshal(media.GetStreamUri{
		ProfileToken: xonvif.ReferenceToken(token),
		StreamSetup:  xonvif.StreamSetup{Stream: "RTP-Unicast", Transport: xonvif.Transport{Protocol: "RTSP"}},
	})
	if err != nil {
		return "", err
	}
	r, err := c.call(ctx, x, "GetStreamUri", body, true)
	if err != nil {
		return "", err
	}
	u, err := cameraURI(uriText(r), c.DeviceURL, "rtsp", "rtsps")
	if err != nil {
		return "", fmt.Errorf("GetStreamUri for profile %s: %w", token, err)
	}
	return u, nil
}

// SnapshotURI returns a profile's JPEG snapshot URI, without userinfo and
// on the host the device was reached at. A scheme other than http or
// https is ErrBadURI.
func (c *Client) SnapshotURI(ctx context.Context, token string) (string, error) {
	x, err := c.xaddr(ctx, "media")
	if err != nil {
		return "", err
	}
	body, err := marshal(media.GetSnapshotUri{ProfileToken: xonvif.ReferenceToken(token)})
	if err != nil {
		return "", err
	}
	r, err := c.call(ctx, x, "GetSnapshotUri", body, true)
	if err != nil {
		return "", err
	}
	u, err := cameraURI(uriText(r), c.DeviceURL, "http", "https")
	if err != nil {
		return "", fmt.Errorf("GetSnapshotUri for profile %s: %w", token, err)
	}
	return u, nil
}

// uriText is the first Uri element's text in a reply.
func uriText(r *Node) string {
	if n := r.Find("Uri"); n != nil {
		return n.Text
	}
	return ""
}

// PickStreams chooses the main stream (the highest resolution) and the sub
// stream (the smallest at least 320 pixels wide; the main one when no
// other qualifies).
func PickStreams(ps []Profile) (main, sub string) {
	if len(ps) == 0 {
		return "", ""
	}
	sorted := append([]Profile(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Width*sorted[i].Height > sorted[j].Width*sorted[j].Height })
	main = sorted[0].Token
	sub = main
	for i := len(sorted) - 1; i >= 0; i-- {
		if sorted[i].Width >= 320 && sorted[i].Token != main {
			sub = sorted[i].Token
			break
		}
	}
	return main, sub
}

// Probe reads everything Nightjar needs to add the device: the clock
// offset first (so cameras with wrong clocks authenticate), then services,
// device information, profiles with stream URIs, the snapshot URI and, on
// PTZ cameras, the node and presets. A profile whose stream URI is refused
// (ErrBadURI) keeps an empty StreamURI and is not picked while another has
// one; when every profile's is refused, Main and Sub are picked among all
// and have no StreamURI, so that a caller can take streams given by hand
// (the refusals are in StreamRefused). A refused snapshot URI leaves
// SnapshotURI empty.
func (c *Client) Probe(ctx context.Context) (*ProbeResult, error) {
	res := &ProbeResult{DeviceURL: c.DeviceURL}
	off, err := c.SyncClock(ctx)
	if err != nil {
		return nil, err
	}
	res.ClockOffset = off
	if res.Services, err = c.Capabilities(ctx); err != nil {
		return nil, err
	}
	if res.Info, err = c.DeviceInformation(ctx); err != nil {
		return nil, err
	}
	if res.Profiles, err = c.Profiles(ctx); err != nil {
		return nil, err
	}
	var usable []Profile
	for i := range res.Profiles {
		uri, err := c.StreamURI(ctx, res.Profiles[i].Token)
		if errors.Is(err, ErrBadURI) {
			res.StreamRefused = append(res.StreamRefused, err.Error())
			continue
		}
		if err != nil {
			return nil, err
		}
		res.Profiles[i].StreamURI = uri
		usable = append(usable, res.Profiles[i])
	}
	if len(usable) == 0 {
		usable = res.Profiles
	}
	res.Main, res.Sub = PickStreams(usable)
	if res.SnapshotURI, err = c.SnapshotURI(ctx, res.Main); err != nil && !errors.Is(err, ErrNotSupported) && !errors.Is(err, ErrBadURI) {
		return nil, err
	}
	if res.Services.PTZ != "" {
		info, err := c.PTZInfo(ctx, res.Main)
		if err != nil && !errors.Is(err, ErrNotSupported) {
			return nil, err
		}
		res.PTZ = info
	}
	return res, nil
}

// Profile returns the profile with token, or false.
func (r *ProbeResult) Profile(token string) (Profile, bool) {
	for _, p := range r.Profiles {
		if p.Token == token {
			return p, true
		}
	}
	return Profile{}, false
}
