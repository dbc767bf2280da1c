package camsim

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

const (
	spacePosPT    = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
	spacePosZ     = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
	spaceTransPT  = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace"
	spaceTransZ   = "http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace"
	spaceVelPT    = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace"
	spaceVelZ     = "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace"
	spaceSpeedPT  = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace"
	spaceSpeedZ   = "http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace"
	defaultPTZTTL = "PT10S"
)

func ptzConfigBody() string {
	return `<tt:Name>ptz0</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>node0</tt:NodeToken>` +
		`<tt:DefaultAbsolutePantTiltPositionSpace>` + spacePosPT + `</tt:DefaultAbsolutePantTiltPositionSpace>` +
		`<tt:DefaultAbsoluteZoomPositionSpace>` + spacePosZ + `</tt:DefaultAbsoluteZoomPositionSpace>` +
		`<tt:DefaultRelativePanTiltTranslationSpace>` + spaceTransPT + `</tt:DefaultRelativePanTiltTranslationSpace>` +
		`<tt:DefaultRelativeZoomTranslationSpace>` + spaceTransZ + `</tt:DefaultRelativeZoomTranslationSpace>` +
		`<tt:DefaultContinuousPanTiltVelocitySpace>` + spaceVelPT + `</tt:DefaultContinuousPanTiltVelocitySpace>` +
		`<tt:DefaultContinuousZoomVelocitySpace>` + spaceVelZ + `</tt:DefaultContinuousZoomVelocitySpace>` +
		`<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="` + spaceSpeedPT + `"/><tt:Zoom x="1" space="` + spaceSpeedZ + `"/></tt:DefaultPTZSpeed>` +
		`<tt:DefaultPTZTimeout>` + defaultPTZTTL + `</tt:DefaultPTZTimeout>` +
		`<tt:PanTiltLimits><tt:Range><tt:URI>` + spacePosPT + `</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits>` +
		`<tt:ZoomLimits><tt:Range><tt:URI>` + spacePosZ + `</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits>`
}

func rangeXY(uri string, xmin, xmax, ymin, ymax float64) string {
	return fmt.Sprintf(`<tt:URI>%s</tt:URI><tt:XRange><tt:Min>%g</tt:Min><tt:Max>%g</tt:Max></tt:XRange><tt:YRange><tt:Min>%g</tt:Min><tt:Max>%g</tt:Max></tt:YRange>`, uri, xmin, xmax, ymin, ymax)
}

func rangeX(uri string, xmin, xmax float64) string {
	return fmt.Sprintf(`<tt:URI>%s</tt:URI><tt:XRange><tt:Min>%g</tt:Min><tt:Max>%g</tt:Max></tt:XRange>`, uri, xmin, xmax)
}

func ptzNode() string {
	return `<tt:Name>Camsim PTZ</tt:Name><tt:SupportedPTZSpaces>` +
		`<tt:AbsolutePanTiltPositionSpace>` + rangeXY(spacePosPT, -1, 1, -1, 1) + `</tt:AbsolutePanTiltPositionSpace>` +
		`<tt:AbsoluteZoomPositionSpace>` + rangeX(spacePosZ, 0, 1) + `</tt:AbsoluteZoomPositionSpace>` +
		`<tt:RelativePanTiltTranslationSpace>` + rangeXY(spaceTransPT, -1, 1, -1, 1) + `</tt:RelativePanTiltTranslationSpace>` +
		`<tt:RelativeZoomTranslationSpace>` + rangeX(spaceTransZ, -1, 1) + `</tt:RelativeZoomTranslationSpace>` +
		`<tt:ContinuousPanTiltVelocitySpace>` + rangeXY(spaceVelPT, -1, 1, -1, 1) + `</tt:ContinuousPanTiltVelocitySpace>` +
		`<tt:ContinuousZoomVelocitySpace>` + rangeX(spaceVelZ, -1, 1) + `</tt:ContinuousZoomVelocitySpace>` +
		`<tt:PanTiltSpeedSpace>` + rangeX(spaceSpeedPT, 0, 1) + `</tt:PanTiltSpeedSpace>` +
		`<tt:ZoomSpeedSpace>` + rangeX(spaceSpeedZ, 0, 1) + `</tt:ZoomSpeedSpace>` +
		`</tt:SupportedPTZSpaces>` +
		fmt.Sprintf(`<tt:MaximumNumberOfPresets>%d</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>`, maxPresets)
}

func positionXML(tag string, pan, tilt, zoom float64) string {
	return fmt.Sprintf(`<%s><tt:PanTilt x="%.4f" y="%.4f" space="%s"/><tt:Zoom x="%.4f" space="%s"/></%s>`, tag, pan, tilt, spacePosPT, zoom, spacePosZ, tag)
}

// vector reads a PTZVector-like element: PanTilt x/y and Zoom x, each
// optional. ok reports which parts were present.
func vector(n *node) (v [3]float64, hasPT, hasZ bool) {
	if n == nil {
		return v, false, false
	}
	if x, ok := n.float([]string{"PanTilt"}, "x"); ok {
		v[0] = x
		v[1], _ = n.float([]string{"PanTilt"}, "y")
		hasPT = true
	}
	if z, ok := n.float([]string{"Zoom"}, "x"); ok {
		v[2], hasZ = z, true
	}
	return v, hasPT, hasZ
}

func speedOf(req *node) float64 {
	v, hasPT, hasZ := vector(req.child("Speed"))
	switch {
	case hasPT:
		return v[0]
	case hasZ:
		return v[2]
	}
	return 1
}

func (c *Camera) checkProfile(req *node) *soapFault {
	tok := req.text("ProfileToken")
	if _, ok := specs[tok]; !ok {
		return faultInvalidArg("ter:NoProfile", "no profile "+tok)
	}
	return nil
}

func (c *Camera) dispatchPTZ(op string, req *node) (string, *soapFault, bool) {
	p := c.ptz
	resp := func(name string) string { return "<tptz:" + name + "Response/>" }
	switch op {
	case "GetNodes":
		return `<tptz:GetNodesResponse><tptz:PTZNode token="node0" FixedHomePosition="false">` + ptzNode() + `</tptz:PTZNode></tptz:GetNodesResponse>`, nil, true
	case "GetNode":
		return `<tptz:GetNodeResponse><tptz:PTZNode token="node0" FixedHomePosition="false">` + ptzNode() + `</tptz:PTZNode></tptz:GetNodeResponse>`, nil, true
	case "GetConfigurations":
		return `<tptz:GetConfigurationsResponse><tptz:PTZConfiguration token="ptz0">` + ptzConfigBody() + `</tptz:PTZConfiguration></tptz:GetConfigurationsResponse>`, nil, true
	case "GetConfiguration":
		return `<tptz:GetConfigurationResponse><tptz:PTZConfiguration token="ptz0">` + ptzConfigBody() + `</tptz:PTZConfiguration></tptz:GetConfigurationResponse>`, nil, true
	case "GetServiceCapabilities":
		return `<tptz:GetServiceCapabilitiesResponse><tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/></tptz:GetServiceCapabilitiesResponse>`, nil, true
	case "GetStatus":
		if f := c.checkProfile(req); f != nil {
			return "", f, true
		}
		pan, tilt, zoom := p.position()
		mPT, mZ := p.moving()
		st := map[bool]string{true: "MOVING", false: "IDLE"}
		return `<tptz:GetStatusResponse><tptz:PTZStatus>` + positionXML("tt:Position", pan, tilt, zoom) +
			fmt.Sprintf(`<tt:MoveStatus><tt:PanTilt>%s</tt:PanTilt><tt:Zoom>%s</tt:Zoom></tt:MoveStatus><tt:UtcTime>%s</tt:UtcTime>`, st[mPT], st[mZ], xsdTime(c.now())) +
			`</tptz:PTZStatus></tptz:GetStatusResponse>`, nil, true
	case "ContinuousMove":
		if f := c.checkProfile(req); f != nil {
			return "", f, true
		}
		v, hasPT, hasZ := vector(req.child("Velocity"))
		if !hasPT && !hasZ {
			return "", faultInvalidArg("ter:InvalidArgVal", "ContinuousMove needs a Velocity"), true
		}
		timeout := 10 * time.Second
		if s := req.text("Timeout"); s != "" {
			d, ok := xsdDuration(s)
			if !ok {
				return "", faultInvalidArg("ter:InvalidArgVal", "bad Timeout "+s), true
			}
			timeout = d
		}
		p.continuous(v[0], v[1], v[2], timeout)
		return resp(op), nil, true
	case "RelativeMove":
		if f := c.checkProfile(req); f != nil {
			return "", f, true
		}
		v, hasPT, hasZ := vector(req.child("Translation"))
		if !hasPT && !hasZ {
			return "", faultInvalidArg("ter:InvalidArgVal", "RelativeMove needs a Translation"), true
		}
		p.relative(v, speedOf(req))
		return resp(op), nil, true
	case "AbsoluteMove":
		if f := c.checkProfile(req); f != nil {
			return "", f, true
		}
		v, hasPT, hasZ := vector(req.child("Position"))
		if !hasPT && !hasZ {
			return "", faultInvalidArg("ter:InvalidArgVal", "AbsoluteMove needs a Position"), true
		}
		pan, tilt, zoom := p.position()
		if !hasPT {
			v[0], v[1] = pan, tilt
		}
		if !hasZ {
			v[2] = zoom
		}
		if v[0] < -1 || v[0] > 1 || v[1] < -1 || v[1] > 1 || v[2] < 0 || v[2] > 1 {
			return "", faultInvalidArg("ter:InvalidPosition", "position outside the node's range"), true
		}
		p.moveTo(v, speedOf(req))
		return resp(op), nil, true
	case "Stop":
		if f := c.checkProfile(req); f != nil {
			return "", f, true
		}
		pt, z := req.text("PanTilt"), req.text("Zoom")
		// Absent flags mean stop both.
		p.stop(pt == "" || pt == "true", z == "" || z == "true")
		return resp(op), nil, true
	case "GetPresets":
		var b strings.Builder
		b.WriteString(`<tptz:GetPresetsResponse>`)
		for _, pr := range p.listPresets() {
			fmt.Fprintf(&b, `<tptz:Preset token="%s"><tt:Name>%s</tt:Name>%s</tptz:Preset>`, esc(pr.Token), esc(pr.Name), positionXML("tt:PTZPosition", pr.Pos[0], pr.Pos[1], pr.Pos[2]))
		}
		b.WriteString(`</tptz:GetPresetsResponse>`)
		return b.String(), nil, true
	case "SetPreset":
		tok, err := p.setPreset(req.text("PresetToken"), req.text("PresetName"))
		if errors.Is(err, errNoPreset) {
			return "", faultInvalidArg("ter:NoToken", "no preset "+req.text("PresetToken")), true
		}
		if err != nil {
			return "", &soapFault{HTTPStatus: 400, Code: "env:Receiver", Subcode: "ter:TooManyPresets", Reason: err.Error()}, true
		}
		return `<tptz:SetPresetResponse><tptz:PresetToken>` + esc(tok) + `</tptz:PresetToken></tptz:SetPresetResponse>`, nil, true
	case "GotoPreset":
		if err := p.gotoPreset(req.text("PresetToken"), speedOf(req)); err != nil {
			return "", faultInvalidArg("ter:NoToken", "no preset "+req.text("PresetToken")), true
		}
		return resp(op), nil, true
	case "RemovePreset":
		if err := p.removePreset(req.text("PresetToken")); err != nil {
			return "", faultInvalidArg("ter:NoToken", "no preset "+req.text("PresetToken")), true
		}
		return resp(op), nil, true
	case "GotoHomePosition":
		p.gotoHome(speedOf(req))
		return resp(op), nil, true
	case "SetHomePosition":
		p.setHome()
		return resp(op), nil, true
	}
	return "", nil, false
}
