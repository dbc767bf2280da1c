package camsim

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"sync"
	"time"
)

// createdWindow is how far a WS-Security Created time may be from the
// camera's own clock.
const createdWindow = 5 * time.Minute

// nonceCache remembers recent WS-Security nonces to refuse replays.
type nonceCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (n *nonceCache) use(nonce string, now time.Time) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen == nil {
		n.seen = map[string]time.Time{}
	}
	for k, t := range n.seen {
		if now.Sub(t) > 2*createdWindow {
			delete(n.seen, k)
		}
	}
	if _, dup := n.seen[nonce]; dup {
		return false
	}
	n.seen[nonce] = now
	return true
}

// checkWSSecurity verifies a UsernameToken with PasswordDigest (or, as
// some clients still send, PasswordText) against the camera's clock. It
// returns nil when valid.
func (c *Camera) checkWSSecurity(tok *node) *soapFault {
	user, pass := c.credentials()
	gotUser := tok.text("Username")
	pw := tok.child("Password")
	if pw == nil {
		return faultNotAuthorized("UsernameToken without Password")
	}
	if subtle.ConstantTimeCompare([]byte(gotUser), []byte(user)) != 1 {
		return faultNotAuthorized("the user name or password is wrong")
	}
	if strings.HasSuffix(pw.attr("Type"), "#PasswordText") {
		if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(pw.Text)), []byte(pass)) != 1 {
			return faultNotAuthorized("the user name or password is wrong")
		}
		return nil
	}
	nonceB64 := tok.text("Nonce")
	created := tok.text("Created")
	nonce, err := base64.StdEncoding.DecodeString(nonceB64)
	if err != nil || len(nonce) == 0 {
		return faultNotAuthorized("UsernameToken nonce missing or not base64")
	}
	ct, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return faultNotAuthorized("UsernameToken Created is not a valid time")
	}
	now := c.now()
	if d := now.Sub(ct); d > createdWindow || d < -createdWindow {
		return faultNotAuthorized(fmt.Sprintf("UsernameToken Created %s is too far from the device clock %s", xsdTime(ct), xsdTime(now)))
	}
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(pass))
	want := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(pw.Text)), []byte(want)) != 1 {
		return faultNotAuthorized("the user name or password is wrong")
	}
	if !c.nonces.use(nonceB64, now) {
		return faultNotAuthorized("UsernameToken nonce was already used")
	}
	return nil
}

// HTTP digest (RFC 7616) with MD5 and SHA-256.

const digestRealm = "camsim"

func (c *Camera) digestChallenge(w http.ResponseWriter) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	n := hex.EncodeToString(nonce)
	c.mu.Lock()
	if c.digestNonces == nil {
		c.digestNonces = map[string]time.Time{}
	}
	c.digestNonces[n] = time.Now()
	for k, t := range c.digestNonces {
		if time.Since(t) > 10*time.Minute {
			delete(c.digestNonces, k)
		}
	}
	c.mu.Unlock()
	// SHA-256 first: RFC 7616 clients pick the first they support.
	w.Header().Add("WWW-Authenticate", fmt.Sprintf(`Digest realm="%s", qop="auth", algorithm=SHA-256, nonce="%s"`, digestRealm, n))
	w.Header().Add("WWW-Authenticate", fmt.Sprintf(`Digest realm="%s", qop="auth", algorithm=MD5, nonce="%s"`, digestRealm, n))
}

func parseDigestParams(h string) map[string]string {
	out := map[string]string{}
	h = strings.TrimSpace(strings.TrimPrefix(h, "Digest"))
	for len(h) > 0 {
		h = strings.TrimLeft(h, " ,")
		eq := strings.IndexByte(h, '=')
		if eq < 0 {
			break
		}
		k := strings.ToLower(strings.TrimSpace(h[:eq]))
		h = h[eq+1:]
		var v string
		if strings.HasPrefix(h, `"`) {
			end := strings.IndexByte(h[1:], '"')
			if end < 0 {
				break
			}
			v, h = h[1:1+end], h[2+end:]
		} else {
			end := strings.IndexByte(h, ',')
			if end < 0 {
				end = len(h)
			}
			v, h = strings.TrimSpace(h[:end]), h[end:]
		}
		out[k] = v
	}
	return out
}

// checkDigest verifies an HTTP Digest Authorization header.
func (c *Camera) checkDigest(r *http.Request) bool {
	p := parseDigestParams(r.Header.Get("Authorization"))
	user, pass := c.credentials()
	c.mu.Lock()
	_, known := c.digestNonces[p["nonce"]]
	c.mu.Unlock()
	if !known || p["username"] != user {
		return false
	}
	var newHash func() hash.Hash
	switch strings.ToUpper(p["algorithm"]) {
	case "", "MD5":
		newHash = md5.New
	case "SHA-256":
		newHash = sha256.New
	default:
		return false
	}
	hx := func(s string) string {
		h := newHash()
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil))
	}
	ha1 := hx(user + ":" + digestRealm + ":" + pass)
	ha2 := hx(r.Method + ":" + p["uri"])
	var want string
	if p["qop"] == "" {
		want = hx(ha1 + ":" + p["nonce"] + ":" + ha2)
	} else {
		want = hx(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":" + p["qop"] + ":" + ha2)
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(p["response"])) == 1
}
