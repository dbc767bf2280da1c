package evidence

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Signer is one line of an allowed_signers file.
type Signer struct {
	// Principal is the principals field as written, without quotes: one
	// name, or for files written elsewhere a comma-separated pattern list.
	Principal string
	Key       ed25519.PublicKey
	// Namespaces is the pattern list of the namespaces="..." option,
	// split at commas; nil when the line has no such option, which
	// allows every namespace.
	Namespaces []string
}

// maxPrincipal is the longest principal CheckPrincipal takes.
const maxPrincipal = 128

// CheckPrincipal says whether p can be the principal of an export: 1 to
// 128 ASCII letters, digits and the characters . _ @ + -, starting with a
// letter or digit. Nothing else is taken because the principal goes into
// allowed_signers, where commas, quotes and * ? ! mean something, and into
// the command lines of VERIFY.txt, which people paste into a shell.
func CheckPrincipal(p string) error {
	if p == "" || len(p) > maxPrincipal {
		return fmt.Errorf("principal %q: give 1 to %d characters", p, maxPrincipal)
	}
	for i, c := range []byte(p) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			i > 0 && strings.IndexByte("._@+-", c) >= 0
		if !ok {
			return fmt.Errorf("principal %q: use letters, digits and . _ @ + - only, starting with a letter or digit", p)
		}
	}
	return nil
}

// AllowedSigners is the allowed_signers line that lets pub sign exports as
// principal, in the format `ssh-keygen -Y verify -f` reads:
//
//	alice@example.org namespaces="nightjar-export" ssh-ed25519 AAAA...
//
// The principal must pass CheckPrincipal and pub must be 32 bytes;
// AllowedSigners panics otherwise, so check a principal from a user first.
func AllowedSigners(principal string, pub ed25519.PublicKey) []byte {
	if err := CheckPrincipal(principal); err != nil {
		panic("evidence.AllowedSigners: " + err.Error())
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic("evidence.AllowedSigners: " + err.Error())
	}
	line := principal + ` namespaces="` + Namespace + `" `
	return append([]byte(line), ssh.MarshalAuthorizedKey(k)...)
}

// ParseAllowedSigners reads an allowed_signers file: lines of principals,
// an optional options field and an ssh-ed25519 key, with an optional
// comment after it. Blank lines and lines starting with '#' are skipped,
// and lines may end in "\r\n". The only option taken is namespaces="...";
// any other (cert-authority, valid-after, valid-before) is an error, as is
// a key of another type, since neither can be checked the way ssh-keygen
// would.
func ParseAllowedSigners(b []byte) ([]Signer, error) {
	var out []Signer
	for i, line := range bytes.Split(b, []byte("\n")) {
		text := strings.Trim(strings.TrimSuffix(string(line), "\r"), " \t")
		if text == "" || text[0] == '#' {
			continue
		}
		s, err := parseSignerLine(text)
		if err != nil {
			return nil, fmt.Errorf("allowed_signers line %d: %w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseSignerLine(text string) (Signer, error) {
	var s Signer
	principal, rest, err := nextField(text)
	if err != nil {
		return s, err
	}
	s.Principal = strings.Trim(principal, `"`)
	if s.Principal == "" {
		return s, fmt.Errorf("no principal")
	}
	field, rest, err := nextField(rest)
	if err != nil {
		return s, err
	}
	if field != "" && !looksLikeKeyType(field) {
		if s.Namespaces, err = parseSignerOptions(field); err != nil {
			return s, err
		}
		if field, rest, err = nextField(rest); err != nil {
			return s, err
		}
	}
	if field == "" {
		return s, fmt.Errorf("no key")
	}
	if field != ssh.KeyAlgoED25519 {
		return s, fmt.Errorf("key type %q not supported; exports are signed with %s keys", field, ssh.KeyAlgoED25519)
	}
	encoded, _, err := nextField(rest) // the comment after the key is ignored
	if err != nil {
		return s, err
	}
	blob, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return s, fmt.Errorf("the key is not base64: %w", err)
	}
	k, err := ssh.ParsePublicKey(blob)
	if err != nil {
		return s, fmt.Errorf("read the key: %w", err)
	}
	if k.Type() != field {
		return s, fmt.Errorf("the key is of type %s, not %s as the line says", k.Type(), field)
	}
	if s.Key, err = parseKeyBlob(blob); err != nil {
		return s, err
	}
	return s, nil
}

// nextField splits off the first field of s: up to a space or tab that is
// not inside double quotes. rest has its leading blanks removed.
func nextField(s string) (field, rest string, err error) {
	quoted := false
	end := len(s)
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			quoted = !quoted
		} else if !quoted && (s[i] == ' ' || s[i] == '\t') {
			end = i
			break
		}
	}
	if quoted {
		return "", "", fmt.Errorf("a quote is not closed")
	}
	return s[:end], strings.TrimLeft(s[end:], " \t"), nil
}

// looksLikeKeyType says whether the field after the principals is a key
// type rather than options. Key type names never hold '=' or quotes, and
// the one option without a value, cert-authority, is not a key type.
func looksLikeKeyType(field string) bool {
	return !strings.ContainsAny(field, `="`) && field != "cert-authority"
}

// parseSignerOptions reads the options field, a comma-separated list of
// name or name="value", and returns the namespaces pattern list.
func parseSignerOptions(field string) ([]string, error) {
	var namespaces []string
	for _, opt := range splitUnquoted(field, ',') {
		name, value, hasValue := strings.Cut(opt, "=")
		switch strings.ToLower(name) {
		case "namespaces":
			v, ok := unquote(value)
			if !hasValue || !ok {
				return nil, fmt.Errorf(`option namespaces: want namespaces="..."`)
			}
			namespaces = append(namespaces, strings.Split(v, ",")...)
		default:
			return nil, fmt.Errorf("option %q not supported; Nightjar reads namespaces only", name)
		}
	}
	return namespaces, nil
}

// splitUnquoted splits s at sep outside double quotes.
func splitUnquoted(s string, sep byte) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func unquote(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || strings.Count(v, `"`) != 2 {
		return "", false
	}
	return v[1 : len(v)-1], true
}

// allows says whether s may sign in namespace: as in ssh-keygen, when
// namespace matches a pattern of Namespaces and no negated one, or when
// the line has no namespaces option.
func (s Signer) allows(namespace string) bool {
	if s.Namespaces == nil {
		return true
	}
	ok := false
	for _, p := range s.Namespaces {
		if neg, found := strings.CutPrefix(p, "!"); found {
			if matchPattern(neg, namespace) {
				return false
			}
		} else if matchPattern(p, namespace) {
			ok = true
		}
	}
	return ok
}

// matchPattern matches s against an OpenSSH pattern, where '*' stands for
// any run of characters and '?' for any one. It backtracks only to the
// last '*', so it takes time proportional to len(pattern)*len(s) at most.
func matchPattern(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			mark++
			p, i = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
