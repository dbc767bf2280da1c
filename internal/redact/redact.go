package redact

import (
	"net/url"
	"strings"
)

// Mask replaces every redacted secret.
const Mask = "xxxxx"

// RedactURL returns s with the password of every URL in it replaced by Mask.
// s may be a bare URL, an invalid URL or free text holding several URLs,
// including URLs that are themselves percent-encoded inside another URL
// (rtsp%3A%2F%2Fuser%3Apass%40host). The user name is kept: it helps support
// staff and is not a secret.
//
// When it cannot tell where a password ends (an unencoded '/' in it), it
// masks up to the last '@' of the token: redacting too much is safe,
// redacting too little is not.
func RedactURL(s string) string {
	if !strings.Contains(s, "@") && !strings.Contains(strings.ToLower(s), "%40") {
		return s
	}
	s = redactForm(s, plainForm)
	return redactForm(s, encodedForm)
}

// urlForm names the separators of a URL as they appear in the text.
type urlForm struct {
	schemeSep string   // "://"
	colon     string   // ":" between user and password
	at        string   // "@" ending the userinfo
	authEnd   []string // what ends the authority: "/", "?", "#"
}

var (
	plainForm   = urlForm{"://", ":", "@", []string{"/", "?", "#"}}
	encodedForm = urlForm{"%3a%2f%2f", "%3a", "%40", []string{"%2f", "%3f", "%23", "&"}}
)

func redactForm(s string, f urlForm) string {
	lower := asciiLower(s)
	var b strings.Builder
	done := 0
	for from := 0; ; {
		i := strings.Index(lower[from:], f.schemeSep)
		if i < 0 {
			break
		}
		start := from + i + len(f.schemeSep)
		end := tokenEnd(s, start)
		token := lower[start:end]
		userEnd, passEnd := userinfoSpan(token, f)
		if passEnd > 0 {
			b.WriteString(s[done : start+userEnd+len(f.colon)])
			b.WriteString(Mask)
			done = start + passEnd
		}
		from = end
		if from >= len(s) {
			break
		}
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// asciiLower lowercases the ASCII letters of s and keeps every other byte,
// so offsets in it are offsets in s. (strings.ToLower does not: it turns an
// invalid byte into a 3-byte U+FFFD and changes the length of some runes,
// which put the mask beside the password.)
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// tokenEnd returns where the URL starting at start ends: at whitespace or a
// character that cannot be part of a URL in running text.
func tokenEnd(s string, start int) int {
	for i := start; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '`', '\\':
			return i
		}
	}
	return len(s)
}

// userinfoSpan returns the offsets in token of the user/password separator
// and of the '@' that ends the password, or passEnd 0 when there is no
// password.
func userinfoSpan(token string, f urlForm) (userEnd, passEnd int) {
	authority := token
	for _, sep := range f.authEnd {
		if j := strings.Index(authority, sep); j >= 0 {
			authority = authority[:j]
		}
	}
	at := strings.LastIndex(authority, f.at)
	if at < 0 {
		// An unencoded '/' or '?' in the password ended the authority
		// early. Be conservative: mask up to the token's last '@'.
		at = strings.LastIndex(token, f.at)
		if at < 0 {
			return 0, 0
		}
	}
	colon := strings.Index(token[:at], f.colon)
	if colon < 0 {
		return 0, 0 // a user name alone is not a secret
	}
	return colon, at
}

// Redacted returns u as a string with its password masked. A nil URL gives "".
func Redacted(u *url.URL) string {
	if u == nil {
		return ""
	}
	if _, ok := u.User.Password(); !ok {
		return u.String()
	}
	c := *u
	c.User = url.UserPassword(u.User.Username(), Mask)
	return c.String()
}
