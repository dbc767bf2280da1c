package camsim

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"nightjar/assets"
)

var profileTokens = []string{"main", "sub"}

// bitrateKbps is each stream's nominal bitrate.
var bitrateKbps = map[string]int{Main: 2000, Sub: 400}

func (c *Camera) videoEncoderConfig(kind string) string {
	s := specs[kind]
	return fmt.Sprintf(`<tt:Name>%s</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>`+
		`<tt:Resolution><tt:Width>%d</tt:Width><tt:Height>%d</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality>`+
		`<tt:RateControl><tt:FrameRateLimit>%d</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>%d</tt:BitrateLimit></tt:RateControl>`+
		`<tt:H264><tt:GovLength>%d</tt:GovLength><tt:H264Profile>Baseline</tt:H264Profile></tt:H264>`+
		`<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>`+
		`<tt:SessionTimeout>PT60S</tt:SessionTimeout>`,
		kind+"-encoder", s.Width, s.Height, s.FPS, bitrateKbps[kind], s.GOP)
}

func (c *Camera) profileXML(kind string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<trt:Profiles token="%s" fixed="true"><tt:Name>%s</tt:Name>`, kind, kind)
	b.WriteString(`<tt:VideoSourceConfiguration token="vsc"><tt:Name>vsc</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSource_1</tt:SourceToken><tt:Bounds x="0" y="0" width="1280" height="720"/></tt:VideoSourceConfiguration>`)
	fmt.Fprintf(&b, `<tt:VideoEncoderConfiguration token="%s-encoder">%s</tt:VideoEncoderConfiguration>`, kind, c.videoEncoderConfig(kind))
	if c.hasPTZ {
		b.WriteString(`<tt:PTZConfiguration token="ptz0">` + ptzConfigBody() + `</tt:PTZConfiguration>`)
	}
	b.WriteString(`</trt:Profiles>`)
	return b.String()
}

func (c *Camera) getProfiles() string {
	var b strings.Builder
	b.WriteString(`<trt:GetProfilesResponse>`)
	for _, k := range profileTokens {
		b.WriteString(c.profileXML(k))
	}
	b.WriteString(`</trt:GetProfilesResponse>`)
	return b.String()
}

func (c *Camera) getProfile(req *node) (string, *soapFault) {
	tok := req.text("ProfileToken")
	if _, ok := specs[tok]; !ok {
		return "", faultInvalidArg("ter:NoProfile", "no profile "+tok)
	}
	p := strings.Replace(c.profileXML(tok), "trt:Profiles", "trt:Profile", 2)
	return `<trt:GetProfileResponse>` + p + `</trt:GetProfileResponse>`, nil
}

func (c *Camera) getVideoSources() string {
	return `<trt:GetVideoSourcesResponse><trt:VideoSources token="VideoSource_1"><tt:Framerate>25</tt:Framerate><tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`
}

func (c *Camera) getStreamURI(req *node) (string, *soapFault) {
	tok := req.text("ProfileToken")
	if _, ok := specs[tok]; !ok {
		return "", faultInvalidArg("ter:NoProfile", "no profile "+tok)
	}
	return fmt.Sprintf(`<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>%s</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`,
		esc(c.ReportedStreamURI(tok))), nil
}

func (c *Camera) getSnapshotURI(req *node) (string, *soapFault) {
	tok := req.text("ProfileToken")
	if _, ok := specs[tok]; !ok {
		return "", faultInvalidArg("ter:NoProfile", "no profile "+tok)
	}
	return fmt.Sprintf(`<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>%s</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`,
		esc(c.ReportedSnapshotURI())), nil
}

func (c *Camera) getVideoEncoderConfigurations() string {
	var b strings.Builder
	b.WriteString(`<trt:GetVideoEncoderConfigurationsResponse>`)
	for _, k := range profileTokens {
		fmt.Fprintf(&b, `<trt:Configurations token="%s-encoder">%s</trt:Configurations>`, k, c.videoEncoderConfig(k))
	}
	b.WriteString(`</trt:GetVideoEncoderConfigurationsResponse>`)
	return b.String()
}

func (c *Camera) getVideoEncoderConfiguration(req *node) (string, *soapFault) {
	tok := strings.TrimSuffix(req.text("ConfigurationToken"), "-encoder")
	if _, ok := specs[tok]; !ok {
		return "", faultInvalidArg("ter:NoConfig", "no encoder configuration "+req.text("ConfigurationToken"))
	}
	return fmt.Sprintf(`<trt:GetVideoEncoderConfigurationResponse><trt:Configuration token="%s-encoder">%s</trt:Configuration></trt:GetVideoEncoderConfigurationResponse>`, tok, c.videoEncoderConfig(tok)), nil
}

// serveSnapshot serves a real JPEG of the view the camera looks at.
func (c *Camera) serveSnapshot(w http.ResponseWriter, r *http.Request) {
	if !c.authorizeHTTP(w, r) {
		return
	}
	names, _ := assets.CamsimClips.ReadDir("camsim")
	n := 0
	for _, e := range names {
		if strings.HasSuffix(e.Name(), ".jpg") {
			n++
		}
	}
	if n == 0 {
		http.Error(w, "no snapshot", http.StatusServiceUnavailable)
		return
	}
	b, err := assets.CamsimClips.ReadFile(fmt.Sprintf("camsim/view%d.jpg", c.viewIndex(n)))
	if err != nil {
		http.Error(w, "no snapshot", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
	w.Write(b)
}
