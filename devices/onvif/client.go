package onvif

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/use-go/onvif/gosoap"
)

// Client talks to one ONVIF device.
type Client struct {
	// DeviceURL is the device service, e.g. http://10.0.0.5/onvif/device_service.
	DeviceURL string
	// Username and Password authenticate; empty Username sends none.
	Username, Password string
	// Timeout bounds each call. It defaults to 5 s.
	Timeout time.Duration
	// MaxBody caps a reply. It defaults to 4 MiB.
	MaxBody int64
	// HTTP is the HTTP client. It defaults to one with no redirects to
	// other hosts and no proxy.
	HTTP *http.Client
	// Now is the local clock. It defaults to time.Now.
	Now func() time.Time

	mu          sync.Mutex
	clockOffset time.Duration // camera clock minus ours
	xaddrs      map[string]string
}

// namespaces are bound on every envelope, for use-go/onvif's request
// types and for the bodies written here.
var namespaces = map[string]string{
	"onvif": "http://www.onvif.org/ver10/schema",
	"tt":    "http://www.onvif.org/ver10/schema",
	"tds":   "http://www.onvif.org/ver10/device/wsdl",
	"trt":   "http://www.onvif.org/ver10/media/wsdl",
	"tptz":  "http://www.onvif.org/ver20/ptz/wsdl",
	"tev":   "http://www.onvif.org/ver10/events/wsdl",
	"wsnt":  "http://docs.oasis-open.org/wsn/b-2",
	"wsa":   "http://www.w3.org/2005/08/addressing",
}

func (c *Client) timeout() time.Duration {
	if c.Timeout <= 0 {
		return 5 * time.Second
	}
	return c.Timeout
}

func (c *Client) maxBody() int64 {
	if c.MaxBody <= 0 {
		return 4 << 20
	}
	return c.MaxBody
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// defaultHTTP sets no ResponseHeaderTimeout: each call's context bounds
// it, by Timeout or, for a long poll, its wait plus Timeout. A
// transport-wide 10 s cut off every PullMessages that waited its 10 s
// for an event that did not come.
var defaultHTTP = &http.Client{
	Transport: &http.Transport{
		Proxy:               nil, // never send camera traffic through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 4,
	},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

// ClockOffset is the camera's clock minus ours, as last measured.
func (c *Client) ClockOffset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clockOffset
}

// SetClockOffset sets the offset used for WS-Security timestamps.
func (c *Client) SetClockOffset(d time.Duration) {
	c.mu.Lock()
	c.clockOffset = d
	c.mu.Unlock()
}

// wsse returns a WS-Security UsernameToken header with PasswordDigest,
// Created on the camera's clock.
func (c *Client) wsse() string {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	created := c.now().Add(c.ClockOffset()).UTC().Format("2006-01-02T15:04:05.000Z")
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(c.Password))
	return `<Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soap-env:mustUnderstand="1">` +
		`<UsernameToken><Username>` + xmlEscape(c.Username) + `</Username>` +
		`<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">` + base64.StdEncoding.EncodeToString(h.Sum(nil)) + `</Password>` +
		`<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">` + base64.StdEncoding.EncodeToString(nonce) + `</Nonce>` +
		`<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` + created + `</Created>` +
		`</UsernameToken></Security>`
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeTo(&b, s)
	return b.String()
}

// envelope builds the request with use-go/onvif's SOAP builder; headers
// are extra header elements (WS-Addressing for subscriptions).
func (c *Client) envelope(body string, auth bool, headers ...string) (string, error) {
	msg := gosoap.NewEmptySOAP()
	msg.AddRootNamespaces(namespaces)
	if err := addBody(&msg, body); err != nil {
		return "", err
	}
	for _, h := range headers {
		if err := msg.AddStringHeaderContent(h); err != nil {
			return "", fmt.Errorf("build header: %w", err)
		}
	}
	if auth && c.Username != "" {
		if err := msg.AddStringHeaderContent(c.wsse()); err != nil {
			return "", fmt.Errorf("build WS-Security header: %w", err)
		}
	}
	return msg.String(), nil
}

// call sends body to the service at xaddr and returns the reply's Body
// element. op names the operation for errors.
func (c *Client) call(ctx context.Context, xaddr, op, body string, auth bool, headers ...string) (*Node, error) {
	return c.callTimeout(ctx, c.timeout(), xaddr, op, body, auth, headers...)
}

func (c *Client) callTimeout(ctx context.Context, timeout time.Duration, xaddr, op, body string, auth bool, headers ...string) (*Node, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	env, err := c.envelope(body, auth, headers...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	status, hdr, reply, err := c.post(ctx, xaddr, env, "")
	if err == nil && status == http.StatusUnauthorized && auth && c.Username != "" {
		// No WS-Security support, or a front end that wants HTTP digest.
		if authz, ok := c.digestAuthorization(hdr, xaddr); ok {
			status, _, reply, err = c.post(ctx, xaddr, env, authz)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return c.parseReply(op, status, reply)
}

func (c *Client) post(ctx context.Context, xaddr, env, authz string) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, xaddr, strings.NewReader(env))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%w: bad address: %v", ErrUnreachable, err)
	}
	req.Header.Set("Content-Type", "application/soap+xml; charset=utf-8")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	res, err := c.http().Do(req)
	if err != nil {
		return 0, nil, nil, classifyNetErr(ctx, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, c.maxBody()+1))
	if err != nil {
		return 0, nil, nil, classifyNetErr(ctx, err)
	}
	if int64(len(body)) > c.maxBody() {
		return 0, nil, nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.maxBody())
	}
	return res.StatusCode, res.Header, body, nil
}

func classifyNetErr(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	case errors.Is(err, context.Canceled):
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // drop the URL: it is in the caller's context already
	}
	return fmt.Errorf("%w: %v", ErrUnreachable, err)
}

// parseReply turns an HTTP reply into the SOAP Body, or a typed error.
func (c *Client) parseReply(op string, status int, reply []byte) (*Node, error) {
	trimmed := bytes.TrimSpace(reply)
	if len(trimmed) == 0 {
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			return nil, fmt.Errorf("%s: %w", op, ErrUnauthorized)
		}
		return nil, fmt.Errorf("%s: %w: empty reply (HTTP %d)", op, ErrNotONVIF, status)
	}
	lower := bytes.ToLower(trimmed[:min(len(trimmed), 512)])
	if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html")) {
		if status == http.StatusUnauthorized {
			return nil, fmt.Errorf("%s: %w", op, ErrUnauthorized)
		}
		return nil, fmt.Errorf("%s: %w: got a web page (HTTP %d)", op, ErrNotONVIF, status)
	}
	if !bytes.Contains(trimmed, []byte("<")) {
		return nil, fmt.Errorf("%s: %w: reply is not XML (HTTP %d)", op, ErrNotONVIF, status)
	}
	env, err := parseXML(reply)
	if err != nil {
		if status == http.StatusUnauthorized {
			return nil, fmt.Errorf("%s: %w", op, ErrUnauthorized)
		}
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if env.Name != "Envelope" {
		return nil, fmt.Errorf("%s: %w: reply is <%s>, not a SOAP envelope", op, ErrNotONVIF, cleanText(env.Name, maxText))
	}
	body := env.Child("Body")
	if body == nil {
		return nil, fmt.Errorf("%s: %w: envelope without Body", op, ErrMalformed)
	}
	if f := body.Child("Fault"); f != nil {
		return nil, faultError(op, f)
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return nil, fmt.Errorf("%s: %w", op, ErrUnauthorized)
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("%s: %w: HTTP %d", op, ErrMalformed, status)
	}
	return body, nil
}

func faultError(op string, f *Node) error {
	fe := &FaultError{Op: op, Code: cleanText(f.Str("Code", "Value"), maxText), Reason: cleanText(f.Str("Reason", "Text"), maxText)}
	// The most specific subcode is the innermost.
	for sc := f.Child("Code", "Subcode"); sc != nil; sc = sc.Child("Subcode") {
		fe.Subcode = cleanText(sc.Str("Value"), maxText)
	}
	if fe.Reason == "" {
		fe.Reason = cleanText(f.Str("faultstring"), maxText) // SOAP 1.1
	}
	sub := strings.ToLower(fe.Subcode)
	reason := strings.ToLower(fe.Reason)
	switch {
	case strings.Contains(sub, "notauthorized") || strings.Contains(sub, "failedauthentication") || strings.Contains(sub, "invalidsecurity"):
		fe.kind = ErrUnauthorized
		if strings.Contains(reason, "clock") || strings.Contains(reason, "created") || strings.Contains(reason, "time") {
			fe.kind = ErrClockSkew
		}
	case strings.Contains(sub, "actionnotsupported") || strings.Contains(sub, "notsupported") || strings.Contains(sub, "nosuch"):
		fe.kind = ErrNotSupported
	}
	return fe
}

// digestAuthorization answers an HTTP digest challenge (RFC 7616),
// preferring SHA-256 over MD5.
func (c *Client) digestAuthorization(h http.Header, xaddr string) (string, bool) {
	var best map[string]string
	for _, v := range h.Values("WWW-Authenticate") {
		if !strings.HasPrefix(strings.ToLower(v), "digest ") {
			continue
		}
		p := parseAuthParams(v[len("Digest "):])
		algo := strings.ToUpper(p["algorithm"])
		if algo == "SHA-256" || (best == nil && (algo == "" || algo == "MD5")) {
			best = p
		}
	}
	if best == nil {
		return "", false
	}
	u, err := url.Parse(xaddr)
	if err != nil {
		return "", false
	}
	uri := u.RequestURI()
	var newHash func() hash.Hash = md5.New
	algo := "MD5"
	if strings.EqualFold(best["algorithm"], "SHA-256") {
		newHash, algo = sha256.New, "SHA-256"
	}
	hx := func(s string) string {
		h := newHash()
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil))
	}
	cn := make([]byte, 8)
	rand.Read(cn)
	cnonce := hex.EncodeToString(cn)
	ha1 := hx(c.Username + ":" + best["realm"] + ":" + c.Password)
	ha2 := hx("POST:" + uri)
	var resp, qop string
	if strings.Contains(best["qop"], "auth") {
		qop = "auth"
		resp = hx(ha1 + ":" + best["nonce"] + ":00000001:" + cnonce + ":auth:" + ha2)
	} else {
		resp = hx(ha1 + ":" + best["nonce"] + ":" + ha2)
	}
	s := fmt.Sprintf(`Digest username=%s, realm=%s, nonce=%s, uri=%s, algorithm=%s, response="%s"`,
		quoteAuth(c.Username), quoteAuth(best["realm"]), quoteAuth(best["nonce"]), quoteAuth(uri), algo, resp)
	if qop != "" {
		s += fmt.Sprintf(`, qop=auth, nc=00000001, cnonce="%s"`, cnonce)
	}
	if op := best["opaque"]; op != "" {
		s += fmt.Sprintf(`, opaque=%s`, quoteAuth(op))
	}
	return s, true
}

// quoteAuth writes s as an RFC 7230 quoted-string: a camera's realm or
// nonce sent as a bare token may hold a quote, which must not end ours.
func quoteAuth(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// parseAuthParams reads k=v and k="v" pairs from a challenge.
func parseAuthParams(s string) map[string]string {
	out := map[string]string{}
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ,")
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			break
		}
		k := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = s[eq+1:]
		var v string
		if strings.HasPrefix(s, `"`) {
			var ok bool
			if v, s, ok = unquoteAuth(s); !ok {
				break
			}
		} else {
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			v, s = strings.TrimSpace(s[:end]), s[end:]
		}
		out[k] = v
	}
	return out
}

// unquoteAuth reads the quoted-string at the start of s, with its
// backslash escapes, and returns it and what follows.
func unquoteAuth(s string) (v, rest string, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), s[i+1:], true
		case '\\':
			if i+1 < len(s) {
				i++
			}
		}
		b.WriteByte(s[i])
	}
	return "", "", false
}
