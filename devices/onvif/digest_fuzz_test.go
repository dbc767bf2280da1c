package onvif

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"testing"
)

// Fuzz targets for the client's side of HTTP digest: the WWW-Authenticate
// challenges a camera sends, and the Authorization answer built from them.

// validHeaderByte is RFC 7230's field-content byte (VCHAR, SP, HTAB,
// obs-text): what net/textproto lets through from a camera, and what an
// outgoing header may hold.
func validHeaderByte(c byte) bool {
	return c == '\t' || c >= 0x20 && c != 0x7f
}

func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if !validHeaderByte(s[i]) {
			return false
		}
	}
	return true
}

// FuzzDigestChallenge answers fuzzer-made challenges (one header value a
// line) and checks the answer against RFC 7616, computed here from the
// RFC's definitions.
func FuzzDigestChallenge(f *testing.F) {
	// Real challenges: Hikvision (MD5, qop), Axis (SHA-256 then MD5),
	// Dahua (Basic and Digest), an old RFC 2069 server (no qop).
	f.Add(`Digest qop="auth", realm="IP Camera(C6269)", nonce="4e5449344e7a5931597a6f784d5441354f5441794e7a593d", stale="FALSE"`, "/onvif/device_service")
	f.Add("Digest realm=\"AXIS_ACCC8E000000\", nonce=\"0000e3f6Y3YyNzQ2ZmQ2ZTUxNzhjZDk3ZmFhZDA2ZGU5YjZjNGYxYjA0ZGY=\", algorithm=SHA-256, qop=\"auth\"\n"+
		`Digest realm="AXIS_ACCC8E000000", nonce="0000e3f6Y3YyNzQ2ZmQ2ZTUxNzhjZDk3ZmFhZDA2ZGU5YjZjNGYxYjA0ZGY=", algorithm=MD5, qop="auth"`, "/onvif/media_service")
	f.Add("Basic realm=\"Login to 4L0C2F3PAZ\"\nDigest realm=\"Login to 4L0C2F3PAZ\", qop=\"auth\", nonce=\"1521385574\", opaque=\"7c9ff3a7e3a4b8bb8bd4c8fc1dfc7eca3d14f6d5\"", "/onvif/device_service?x=1")
	f.Add(`Digest realm="legacy", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"`, "/")
	f.Add(`digest realm=unquoted, nonce=abc, algorithm=md5, qop=auth-int`, "/a%20b")
	f.Add(`Digest realm="a\"b", nonce="x`, "/")
	f.Add(`Digest algorithm=SHA-512, realm="r", nonce="n"`, "/")
	f.Add("Digest realm=\"a\", nonce=\"1\", algorithm=SHA-256\nDigest realm=\"b\", nonce=\"2\", algorithm=sha-256, qop=\"auth,auth-int\"", "/")
	f.Fuzz(func(t *testing.T, challenges, path string) {
		values := strings.Split(challenges, "\n")
		for _, v := range values {
			if !validHeaderValue(v) {
				return // net/textproto refuses such a reply before we see it
			}
			if strings.IndexFunc(v[:min(len(v), 8)], func(r rune) bool { return r >= 0x80 }) >= 0 {
				return // a scheme name is ASCII; see the report on case folding
			}
		}
		xaddr := "http://cam.test" + path
		req, err := http.NewRequest(http.MethodPost, xaddr, nil)
		if err != nil || !strings.HasPrefix(path, "/") || req.URL.Host != "cam.test" {
			return // not an address the client would have called
		}
		h := http.Header{}
		for _, v := range values {
			h.Add("WWW-Authenticate", v)
		}
		c := &Client{Username: "admin", Password: fuzzPassword}
		got, ok := c.digestAuthorization(h, xaddr)

		// Which challenges RFC 7616 lets it answer: a SHA-256 one when
		// offered, else the first with MD5 (the default algorithm).
		var sha, md [](map[string]string)
		for _, v := range values {
			if len(v) < 7 || !strings.EqualFold(v[:7], "digest ") {
				continue
			}
			p := parseAuthParams(v[7:])
			switch strings.ToUpper(p["algorithm"]) {
			case "SHA-256":
				sha = append(sha, p)
			case "", "MD5":
				md = append(md, p)
			}
		}
		candidates := sha
		if len(sha) == 0 && len(md) > 0 {
			candidates = md[:1]
		}
		var want map[string]string
		if len(candidates) > 0 {
			want = candidates[0]
		}
		if ok {
			// Of several SHA-256 challenges, the one answered.
			a := parseAuthParams(strings.TrimPrefix(got, "Digest "))
			for _, c := range candidates {
				if c["realm"] == a["realm"] && c["nonce"] == a["nonce"] && c["opaque"] == a["opaque"] {
					want = c
					break
				}
			}
		}
		if ok != (want != nil) {
			t.Fatalf("answered %v, want an answer %v, to %q", ok, want != nil, values)
		}
		if !ok {
			return
		}
		if strings.Contains(got, fuzzPassword) {
			t.Fatalf("the answer shows the password: %q", got)
		}
		if !validHeaderValue(got) {
			t.Fatalf("answer %q is not a valid header value", got)
		}
		rest, found := strings.CutPrefix(got, "Digest ")
		if !found {
			t.Fatalf("answer %q does not start with Digest", got)
		}
		a := parseAuthParams(rest)
		algo, newHash := "MD5", md5.New
		if strings.EqualFold(want["algorithm"], "SHA-256") {
			algo, newHash = "SHA-256", sha256.New
		}
		uri := req.URL.RequestURI() // the request line's target, as net/http sends it
		for k, v := range map[string]string{"username": "admin", "uri": uri, "algorithm": algo} {
			if a[k] != v {
				t.Fatalf("%s is %q, want %q, in %q", k, a[k], v, got)
			}
		}
		// The camera's own strings come back as sent, quotes and all.
		for _, k := range []string{"realm", "nonce", "opaque"} {
			if a[k] != want[k] {
				t.Fatalf("%s is %q, the challenge said %q, in %q", k, a[k], want[k], got)
			}
		}
		if offersAuth(want["qop"]) && a["qop"] != "auth" {
			t.Fatalf("qop auth offered in %q, answer %q", want["qop"], got)
		}
		if a["qop"] != "" && (a["qop"] != "auth" || !strings.Contains(want["qop"], "auth")) {
			t.Fatalf("qop %q answered, the challenge offered %q", a["qop"], want["qop"])
		}
		hx := func(s string) string {
			var h hash.Hash = newHash()
			h.Write([]byte(s))
			return hex.EncodeToString(h.Sum(nil))
		}
		ha1 := hx("admin:" + want["realm"] + ":" + fuzzPassword)
		ha2 := hx("POST:" + uri)
		resp := hx(ha1 + ":" + want["nonce"] + ":" + ha2) // RFC 2069, without qop
		if a["qop"] == "auth" {
			if a["nc"] != "00000001" || len(a["cnonce"]) < 8 {
				t.Fatalf("nc or cnonce missing in %q", got)
			}
			resp = hx(ha1 + ":" + want["nonce"] + ":" + a["nc"] + ":" + a["cnonce"] + ":auth:" + ha2)
		}
		if a["response"] != resp {
			t.Fatalf("response %q, RFC 7616 gives %q, for %q", a["response"], resp, got)
		}
	})
}

// offersAuth reports whether a qop list ("auth,auth-int") has "auth".
func offersAuth(qop string) bool {
	for _, q := range strings.Split(qop, ",") {
		if strings.TrimSpace(q) == "auth" {
			return true
		}
	}
	return false
}

// FuzzAuthParams builds a parameter list from fuzzer-chosen keys and
// values, written quoted or bare as mask says, and reads it back.
func FuzzAuthParams(f *testing.F) {
	f.Add("realm\x00IP Camera(C6269)\x00nonce\x004e5449\x00qop\x00auth", uint8(0b101))
	f.Add("algorithm\x00SHA-256\x00realm\x00a, b=c\x00stale\x00FALSE", uint8(0b010))
	f.Add("k\x00\x00K\x00v", uint8(3))
	f.Add("realm\x00say \"hi\" \\o/\x00nonce\x00a\"b", uint8(0b11))
	f.Fuzz(func(t *testing.T, parts string, mask uint8) {
		p := strings.Split(parts, "\x00")
		want := map[string]string{}
		var b strings.Builder
		for i := 0; i+1 < len(p); i += 2 {
			k, v := p[i], p[i+1]
			if k == "" || strings.Trim(strings.ToLower(k), "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
				return // not a token key
			}
			quoted := mask&(1<<(i/2%8)) != 0
			if !quoted && (v != strings.TrimSpace(v) || strings.ContainsAny(v, ", \"\\") || v == "") {
				quoted = true // a bare value is a token
			}
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			if quoted {
				// RFC 7230 quoted-string: a backslash before " and \.
				esc := strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `"`, `\"`)
				fmt.Fprintf(&b, `%s="%s"`, k, esc)
			} else {
				fmt.Fprintf(&b, `%s=%s`, k, v)
			}
			want[strings.ToLower(k)] = v
		}
		got := parseAuthParams(b.String())
		if len(got) != len(want) {
			t.Fatalf("%q: got %q, want %q", b.String(), got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%q: %s is %q, want %q", b.String(), k, got[k], v)
			}
		}
	})
}
