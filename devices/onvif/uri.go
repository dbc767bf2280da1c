package onvif

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a camera may hand Nightjar. ONVIF's ReferenceToken and
// Name types allow 64 characters; the text cap leaves room for cameras
// that exceed it a little.
const (
	maxText  = 128  // names, maker, model, firmware, fault reasons
	maxToken = 128  // profile, preset and node tokens
	maxURI   = 2048 // stream, snapshot and service addresses
)

// cleanText makes a camera-supplied string safe to show or log: invalid
// UTF-8 becomes U+FFFD, tabs and line breaks become spaces, other control
// characters and bidirectional overrides (which can make a log line or a
// label read differently from what it holds) are dropped, surrounding
// space is trimmed, and the result is cut to at most max bytes on a rune
// boundary, ending in "…" when cut.
func cleanText(s string, max int) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case unicode.IsControl(r), isBidiControl(r):
		default:
			b.WriteRune(r)
		}
		if b.Len() > 4*max { // enough to cut from; stop reading a huge string
			break
		}
	}
	out := strings.TrimSpace(b.String())
	if len(out) <= max {
		return out
	}
	const ellipsis = "…"
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return strings.TrimSpace(out[:cut]) + ellipsis
}

// isBidiControl reports the Unicode bidirectional formatting characters
// (LRM, RLM, ALM, embeddings, overrides and isolates).
func isBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// validToken reports whether a camera-supplied token can be used as is:
// Nightjar sends tokens back to the camera, so a token is refused rather
// than changed.
func validToken(tok string) bool {
	return tok != "" && len(tok) <= maxToken && cleanText(tok, maxToken) == tok
}

// cameraURI checks an address the camera reported for one of its own
// resources and points it at the host Nightjar reached the device at
// (deviceURL), keeping the reported port and path. Cameras behind NAT
// report internal addresses, and a hostile one could name any host to
// collect the credentials Nightjar adds; only schemes lists what may be
// used. Userinfo is dropped.
func cameraURI(raw, deviceURL string, schemes ...string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("%w: no address", ErrBadURI)
	}
	if len(raw) > maxURI {
		return "", fmt.Errorf("%w: address longer than %d bytes", ErrBadURI, maxURI)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not a URL", ErrBadURI, cleanText(raw, maxText))
	}
	allowed := false
	for _, s := range schemes {
		allowed = allowed || u.Scheme == s
	}
	if !allowed {
		return "", fmt.Errorf("%w: scheme %q (only %s)", ErrBadURI, cleanText(u.Scheme, maxText), strings.Join(schemes, ", "))
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %q has no host", ErrBadURI, cleanText(raw, maxText))
	}
	d, err := url.Parse(deviceURL)
	if err != nil || d.Hostname() == "" {
		return "", fmt.Errorf("%w: the device address %q has no host", ErrBadURI, deviceURL)
	}
	u.User = nil
	u.Host = joinHostPort(d.Hostname(), u.Port())
	return u.String(), nil
}

// joinHostPort is net.JoinHostPort that leaves out an empty port.
func joinHostPort(host, port string) string {
	if port == "" {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// SameHost reports whether the URLs a and b name the same host (ports and
// schemes aside). Hosts compare case-insensitively; an unparsable URL is
// never the same host.
func SameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil || ua.Hostname() == "" {
		return false
	}
	return strings.EqualFold(ua.Hostname(), ub.Hostname())
}
