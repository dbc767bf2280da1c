package camsim

import (
	"fmt"
	"net"
	"strings"
)

func (c *Camera) getSystemDateAndTime() string {
	t := c.now()
	return fmt.Sprintf(`<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>`+
		`<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>`+
		`<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>`+
		`<tt:UTCDateTime><tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second></tt:Time>`+
		`<tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day></tt:Date></tt:UTCDateTime>`+
		`</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
		t.Hour(), t.Minute(), t.Second(), t.Year(), int(t.Month()), t.Day())
}

func (c *Camera) serial() string { return fmt.Sprintf("CS%06d", 1000+c.Index) }

func (c *Camera) getDeviceInformation() string {
	return fmt.Sprintf(`<tds:GetDeviceInformationResponse><tds:Manufacturer>Nightjar</tds:Manufacturer><tds:Model>Camsim %s</tds:Model>`+
		`<tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>%s</tds:SerialNumber><tds:HardwareId>camsim-hw1</tds:HardwareId></tds:GetDeviceInformationResponse>`,
		map[bool]string{true: "PTZ", false: "Bullet"}[c.hasPTZ], c.serial())
}

func (c *Camera) xaddr(service string) string { return c.baseURL() + "/onvif/" + service }

func (c *Camera) getCapabilities() string {
	var b strings.Builder
	b.WriteString(`<tds:GetCapabilitiesResponse><tds:Capabilities>`)
	fmt.Fprintf(&b, `<tt:Device><tt:XAddr>%s</tt:XAddr><tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade><tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System></tt:Device>`, c.xaddr("device_service"))
	fmt.Fprintf(&b, `<tt:Events><tt:XAddr>%s</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>`, c.xaddr("events_service"))
	fmt.Fprintf(&b, `<tt:Media><tt:XAddr>%s</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>`, c.xaddr("media_service"))
	if c.hasPTZ {
		fmt.Fprintf(&b, `<tt:PTZ><tt:XAddr>%s</tt:XAddr></tt:PTZ>`, c.xaddr("ptz_service"))
	}
	b.WriteString(`</tds:Capabilities></tds:GetCapabilitiesResponse>`)
	return b.String()
}

func (c *Camera) getServices() string {
	type svc struct{ ns, path string }
	list := []svc{
		{"http://www.onvif.org/ver10/device/wsdl", "device_service"},
		{"http://www.onvif.org/ver10/media/wsdl", "media_service"},
		{"http://www.onvif.org/ver10/events/wsdl", "events_service"},
		{media2NS, "media2_service"},
	}
	if c.hasPTZ {
		list = append(list, svc{"http://www.onvif.org/ver20/ptz/wsdl", "ptz_service"})
	}
	var b strings.Builder
	b.WriteString(`<tds:GetServicesResponse>`)
	for _, s := range list {
		fmt.Fprintf(&b, `<tds:Service><tds:Namespace>%s</tds:Namespace><tds:XAddr>%s</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`, s.ns, c.xaddr(s.path))
	}
	b.WriteString(`</tds:GetServicesResponse>`)
	return b.String()
}

// scopes are the camera's ONVIF scopes, also sent in WS-Discovery.
func (c *Camera) scopes() []string {
	name := strings.ReplaceAll(c.Name, " ", "_")
	s := []string{
		"onvif://www.onvif.org/type/video_encoder",
		"onvif://www.onvif.org/Profile/Streaming",
		"onvif://www.onvif.org/name/" + name,
		"onvif://www.onvif.org/hardware/Camsim",
		"onvif://www.onvif.org/location/country/nowhere",
	}
	if c.hasPTZ {
		s = append(s, "onvif://www.onvif.org/type/ptz")
	}
	return s
}

func (c *Camera) getScopes() string {
	var b strings.Builder
	b.WriteString(`<tds:GetScopesResponse>`)
	for _, s := range c.scopes() {
		fmt.Fprintf(&b, `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>%s</tt:ScopeItem></tds:Scopes>`, esc(s))
	}
	b.WriteString(`</tds:GetScopesResponse>`)
	return b.String()
}

func (c *Camera) getNetworkInterfaces() string {
	host, _, _ := net.SplitHostPort(c.httpAddr)
	mac := fmt.Sprintf("02:00:00:00:%02x:%02x", (c.Index>>8)&0xff, c.Index&0xff)
	return fmt.Sprintf(`<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>`+
		`<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>%s</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>`+
		`<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>%s</tt:Address><tt:PrefixLength>8</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>`+
		`</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`, mac, host)
}

func (c *Camera) getUsers() (string, *soapFault) {
	c.mu.Lock()
	fails := c.noGetUsers
	c.mu.Unlock()
	if fails {
		return "", faultNoAction("GetUsers")
	}
	user, _ := c.credentials()
	return fmt.Sprintf(`<tds:GetUsersResponse><tds:User><tt:Username>%s</tt:Username><tt:UserLevel>%s</tt:UserLevel></tds:User></tds:GetUsersResponse>`, esc(user), esc(c.UserLevel())), nil
}

// setUser changes the password and the level of the existing user, as
// ONVIF's SetUser does (the level is required there).
func (c *Camera) setUser(req *node) (string, *soapFault) {
	u := req.child("User")
	if u == nil {
		return "", faultInvalidArg("ter:InvalidArgVal", "SetUser needs a User")
	}
	name, pass := u.text("Username"), u.text("Password")
	cur, _ := c.credentials()
	if name != cur {
		return "", &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:UsernameMissing", Reason: "no user " + name}
	}
	if len(pass) < 1 {
		return "", &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:PasswordTooWeak", Reason: "password must not be empty"}
	}
	if len(pass) > 64 {
		return "", &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:PasswordTooLong", Reason: "password longer than 64 characters"}
	}
	level := u.text("UserLevel")
	if level == "" {
		return "", faultInvalidArg("ter:InvalidArgVal", "SetUser needs a UserLevel")
	}
	c.SetCredentials(name, pass)
	c.SetUserLevel(level)
	c.log.Info("password changed through SetUser", "user", name, "level", level)
	return `<tds:SetUserResponse/>`, nil
}
