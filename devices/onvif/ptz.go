package onvif

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// PTZInfo is a PTZ head's node and presets.
type PTZInfo struct {
	NodeToken     string
	HomeSupported bool
	MaxPresets    int
	Relative      bool // RelativeMove spaces advertised
	Absolute      bool // AbsoluteMove spaces advertised
	Continuous    bool
	Presets       []Preset
}

// Preset is a stored PTZ position.
type Preset struct {
	Token, Name     string
	Pan, Tilt, Zoom float64
}

// PTZStatus is a head's position and whether it moves.
type PTZStatus struct {
	Pan, Tilt, Zoom float64
	Moving, Zooming bool
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

// PTZInfo reads the first PTZ node and the profile's presets.
func (c *Client) PTZInfo(ctx context.Context, profile string) (*PTZInfo, error) {
	x, err := c.xaddr(ctx, "ptz")
	if err != nil {
		return nil, err
	}
	r, err := c.call(ctx, x, "GetNodes", `<tptz:GetNodes/>`, true)
	if err != nil {
		return nil, err
	}
	node := r.Find("PTZNode")
	if node == nil {
		return nil, fmt.Errorf("GetNodes: %w: no PTZ node", ErrNotSupported)
	}
	sp := node.Child("SupportedPTZSpaces")
	info := &PTZInfo{
		NodeToken:     cleanText(node.Attr("token"), maxToken),
		HomeSupported: node.Str("HomeSupported") == "true",
		MaxPresets:    node.Int("MaximumNumberOfPresets"),
		Relative:      sp.Child("RelativePanTiltTranslationSpace") != nil,
		Absolute:      sp.Child("AbsolutePanTiltPositionSpace") != nil,
		Continuous:    sp.Child("ContinuousPanTiltVelocitySpace") != nil,
	}
	if info.Presets, err = c.Presets(ctx, profile); err != nil && !errors.Is(err, ErrNotSupported) {
		return nil, err
	}
	return info, nil
}

func (c *Client) ptzCall(ctx context.Context, op, body string) (*Node, error) {
	x, err := c.xaddr(ctx, "ptz")
	if err != nil {
		return nil, err
	}
	return c.call(ctx, x, op, body, true)
}

func vectorXML(tag string, pan, tilt, zoom float64, withPT, withZ bool) string {
	s := "<tptz:" + tag + ">"
	if withPT {
		s += `<tt:PanTilt x="` + f(pan) + `" y="` + f(tilt) + `"/>`
	}
	if withZ {
		s += `<tt:Zoom x="` + f(zoom) + `"/>`
	}
	return s + "</tptz:" + tag + ">"
}

func profileXML(p string) string {
	return `<tptz:ProfileToken>` + xmlEscape(p) + `</tptz:ProfileToken>`
}

// ContinuousMove starts moving at the given velocities (-1..1) until Stop
// or timeout; the camera stops by itself after timeout as a safety net.
func (c *Client) ContinuousMove(ctx context.Context, profile string, pan, tilt, zoom float64, timeout time.Duration) error {
	body := `<tptz:ContinuousMove>` + profileXML(profile) + vectorXML("Velocity", pan, tilt, zoom, true, true)
	if timeout > 0 {
		body += fmt.Sprintf(`<tptz:Timeout>PT%gS</tptz:Timeout>`, timeout.Seconds())
	}
	_, err := c.ptzCall(ctx, "ContinuousMove", body+`</tptz:ContinuousMove>`)
	return err
}

// Stop stops pan, tilt and zoom.
func (c *Client) Stop(ctx context.Context, profile string) error {
	_, err := c.ptzCall(ctx, "Stop", `<tptz:Stop>`+profileXML(profile)+`<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>`)
	return err
}

// RelativeMove moves by a translation in the generic spaces.
func (c *Client) RelativeMove(ctx context.Context, profile string, dPan, dTilt, dZoom float64) error {
	_, err := c.ptzCall(ctx, "RelativeMove", `<tptz:RelativeMove>`+profileXML(profile)+vectorXML("Translation", dPan, dTilt, dZoom, true, true)+`</tptz:RelativeMove>`)
	return err
}

// AbsoluteMove moves to a position in the generic spaces.
func (c *Client) AbsoluteMove(ctx context.Context, profile string, pan, tilt, zoom float64) error {
	_, err := c.ptzCall(ctx, "AbsoluteMove", `<tptz:AbsoluteMove>`+profileXML(profile)+vectorXML("Position", pan, tilt, zoom, true, true)+`</tptz:AbsoluteMove>`)
	return err
}

// Status reads the head's position and motion.
func (c *Client) Status(ctx context.Context, profile string) (PTZStatus, error) {
	r, err := c.ptzCall(ctx, "GetStatus", `<tptz:GetStatus>`+profileXML(profile)+`</tptz:GetStatus>`)
	if err != nil {
		return PTZStatus{}, err
	}
	st := r.Find("PTZStatus")
	if st == nil {
		return PTZStatus{}, fmt.Errorf("GetStatus: %w", ErrMalformed)
	}
	var s PTZStatus
	s.Pan, _ = st.FloatAttr("x", "Position", "PanTilt")
	s.Tilt, _ = st.FloatAttr("y", "Position", "PanTilt")
	s.Zoom, _ = st.FloatAttr("x", "Position", "Zoom")
	s.Moving = st.Str("MoveStatus", "PanTilt") == "MOVING"
	s.Zooming = st.Str("MoveStatus", "Zoom") == "MOVING"
	return s, nil
}

// MoveBy moves by a delta, using RelativeMove, else AbsoluteMove from the
// current position, else a short continuous nudge.
func (c *Client) MoveBy(ctx context.Context, profile string, dPan, dTilt, dZoom float64) error {
	err := c.RelativeMove(ctx, profile, dPan, dTilt, dZoom)
	if !errors.Is(err, ErrNotSupported) {
		return err
	}
	if st, serr := c.Status(ctx, profile); serr == nil {
		err = c.AbsoluteMove(ctx, profile, st.Pan+dPan, st.Tilt+dTilt, st.Zoom+dZoom)
		if !errors.Is(err, ErrNotSupported) {
			return err
		}
	}
	// Nudge: full speed for as long as the generic space's 2 units per
	// sweep make the distance, bounded to 2 s.
	d := time.Duration(max(abs(dPan), abs(dTilt), abs(dZoom)) * float64(time.Second))
	d = min(d, 2*time.Second)
	if err := c.ContinuousMove(ctx, profile, sign(dPan), sign(dTilt), sign(dZoom), d+time.Second); err != nil {
		return err
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
	return c.Stop(context.WithoutCancel(ctx), profile)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// Presets lists a profile's presets. A preset whose token could not be
// sent back as is (too long, control characters) is left out.
func (c *Client) Presets(ctx context.Context, profile string) ([]Preset, error) {
	r, err := c.ptzCall(ctx, "GetPresets", `<tptz:GetPresets>`+profileXML(profile)+`</tptz:GetPresets>`)
	if err != nil {
		return nil, err
	}
	var out []Preset
	for _, p := range r.Child("GetPresetsResponse").All("Preset") {
		if !validToken(p.Attr("token")) {
			continue
		}
		pr := Preset{Token: p.Attr("token"), Name: cleanText(p.Str("Name"), maxText)}
		pr.Pan, _ = p.FloatAttr("x", "PTZPosition", "PanTilt")
		pr.Tilt, _ = p.FloatAttr("y", "PTZPosition", "PanTilt")
		pr.Zoom, _ = p.FloatAttr("x", "PTZPosition", "Zoom")
		out = append(out, pr)
	}
	return out, nil
}

// SetPreset stores the current position as a new preset named name, or
// overwrites token when given, and returns the preset's token.
func (c *Client) SetPreset(ctx context.Context, profile, name, token string) (string, error) {
	body := `<tptz:SetPreset>` + profileXML(profile) + `<tptz:PresetName>` + xmlEscape(name) + `</tptz:PresetName>`
	if token != "" {
		body += `<tptz:PresetToken>` + xmlEscape(token) + `</tptz:PresetToken>`
	}
	r, err := c.ptzCall(ctx, "SetPreset", body+`</tptz:SetPreset>`)
	if err != nil {
		return "", err
	}
	tok := r.Str("SetPresetResponse", "PresetToken")
	if tok == "" {
		return "", fmt.Errorf("SetPreset: %w: no token", ErrMalformed)
	}
	if !validToken(tok) {
		return "", fmt.Errorf("SetPreset: %w: token %q is too long or has control characters", ErrMalformed, cleanText(tok, maxText))
	}
	return tok, nil
}

// GotoPreset moves to a preset.
func (c *Client) GotoPreset(ctx context.Context, profile, token string) error {
	_, err := c.ptzCall(ctx, "GotoPreset", `<tptz:GotoPreset>`+profileXML(profile)+`<tptz:PresetToken>`+xmlEscape(token)+`</tptz:PresetToken></tptz:GotoPreset>`)
	return err
}

// RemovePreset deletes a preset.
func (c *Client) RemovePreset(ctx context.Context, profile, token string) error {
	_, err := c.ptzCall(ctx, "RemovePreset", `<tptz:RemovePreset>`+profileXML(profile)+`<tptz:PresetToken>`+xmlEscape(token)+`</tptz:PresetToken></tptz:RemovePreset>`)
	return err
}

// GotoHome moves to the home position.
func (c *Client) GotoHome(ctx context.Context, profile string) error {
	_, err := c.ptzCall(ctx, "GotoHomePosition", `<tptz:GotoHomePosition>`+profileXML(profile)+`</tptz:GotoHomePosition>`)
	return err
}

// SetHome stores the current position as home.
func (c *Client) SetHome(ctx context.Context, profile string) error {
	_, err := c.ptzCall(ctx, "SetHomePosition", `<tptz:SetHomePosition>`+profileXML(profile)+`</tptz:SetHomePosition>`)
	return err
}
