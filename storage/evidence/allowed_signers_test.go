package evidence

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// authorizedKey is pub as "ssh-ed25519 AAAA...", no newline.
func authorizedKey(t testing.TB, pub any) string {
	t.Helper()
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(k)), "\n")
}

// TestAllowedSignersAgreesWithSSHKeygen reads allowed_signers files both
// here and with ssh-keygen -Y verify: whether the signing key may sign
// exports as principal must come out the same.
func TestAllowedSignersAgreesWithSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	key, other := newKey(t), newKey(t)
	k, o := authorizedKey(t, publicOf(key)), authorizedKey(t, publicOf(other))
	msg := []byte("manifest\n")
	sig, err := Sign(key, Namespace, bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sig"), sig)

	tests := []struct {
		name      string
		file      string
		principal string // given to ssh-keygen -I
		allowed   bool   // ssh-keygen's verdict
		field     string // the principals field of the line that allows it
	}{
		{"AllowedSigners", string(AllowedSigners("alice", publicOf(key))), "alice", true, "alice"},
		{"plain with comment", "alice " + k + " alice's laptop\n", "alice", true, "alice"},
		{"comments and blanks", "# export keys\n\n   \n\talice " + k + "\n# end\n", "alice", true, "alice"},
		{"tabs", "alice\t" + strings.Replace(k, " ", "\t", 1) + "\n", "alice", true, "alice"},
		{"quoted principal", `"alice" ` + k + "\n", "alice", true, "alice"},
		{"principal list", "alice,carol " + k + "\n", "carol", true, "alice,carol"},
		{"no final newline", "alice " + k, "alice", true, "alice"},
		{"crlf", "# keys\r\nalice " + k + " laptop\r\n", "alice", true, "alice"},
		{"other namespaces", `alice namespaces="file,git" ` + k + "\n", "alice", false, ""},
		{"namespace pattern *", `alice namespaces="nightjar-*" ` + k + "\n", "alice", true, "alice"},
		{"namespace pattern ?", `alice namespaces="nightjar-?xport" ` + k + "\n", "alice", true, "alice"},
		{"namespace negated", `alice namespaces="*,!nightjar-export" ` + k + "\n", "alice", false, ""},
		{"namespace list", `alice namespaces="file,nightjar-export" ` + k + "\n", "alice", true, "alice"},
		{"option in capitals", `alice NAMESPACES="nightjar-export" ` + k + "\n", "alice", true, "alice"},
		{"other key first", "bob " + o + "\nalice " + k + "\n", "alice", true, "alice"},
		{"other key only", "alice " + o + "\n", "alice", false, ""},
		{"key twice, first line forbids", `alice namespaces="file" ` + k + "\nbob " + k + "\n", "bob", true, "bob"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := fmt.Sprintf("allowed%d", i)
			writeFile(t, filepath.Join(dir, file), []byte(tt.file))
			sshOK := toolPasses(t, dir, msg, "ssh-keygen", "-Y", "verify", "-f", file, "-I", tt.principal, "-n", Namespace, "-s", "sig")
			if sshOK != tt.allowed {
				t.Fatalf("ssh-keygen allows it: %v; the test says %v", sshOK, tt.allowed)
			}
			signers, err := ParseAllowedSigners([]byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			field := ""
			for _, s := range signers {
				if s.Key.Equal(publicOf(key)) && s.allows(Namespace) {
					field = s.Principal
					break
				}
			}
			if field != tt.field {
				t.Errorf("allowed as %q, want %q", field, tt.field)
			}
		})
	}
}

func TestParseAllowedSignersRefuses(t *testing.T) {
	key := newKey(t)
	k := authorizedKey(t, publicOf(key))
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := authorizedKey(t, &ec.PublicKey)
	eBlob := strings.Fields(e)[1]
	tests := []struct {
		name, file, want string
	}{
		{"ecdsa key", "alice " + e + "\n", `line 1: key type "ecdsa-sha2-nistp256" not supported`},
		{"cert-authority", "alice cert-authority " + k + "\n", `line 1: option "cert-authority" not supported`},
		{"valid-before", `alice valid-before="20270101" ` + k + "\n", `line 1: option "valid-before" not supported`},
		{"namespaces unquoted", "alice namespaces=nightjar-export " + k + "\n", "line 1: option namespaces"},
		{"no key", "# x\nalice\n", "line 2: no key"},
		{"no key after options", `alice namespaces="nightjar-export"` + "\n", "line 1: no key"},
		{"bad base64", "alice ssh-ed25519 AAAA*\n", "line 1: the key is not base64"},
		{"type and key differ", "alice ssh-ed25519 " + eBlob + "\n", "line 1: the key is of type ecdsa-sha2-nistp256"},
		{"unclosed quote", `"alice ` + k + "\n", "line 1: a quote is not closed"},
		{"empty principal", `"" ` + k + "\n", "line 1: no principal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAllowedSigners([]byte(tt.file))
			if err == nil {
				t.Fatalf("read as %+v, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCheckPrincipal(t *testing.T) {
	for _, p := range []string{"alice", "alice@example.org", "a.b_c+d-e@f", "A1", strings.Repeat("a", 128)} {
		if err := CheckPrincipal(p); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
	for _, p := range []string{"", "alice smith", "alice,bob", "*", "al?ce", "!alice", `"alice"`, "-alice", ".alice",
		"@alice", "alice;rm", "alice$(x)", "alice\n", "ålice", strings.Repeat("a", 129)} {
		if err := CheckPrincipal(p); err == nil {
			t.Errorf("%q: accepted", p)
		}
	}
}

func TestAllowedSignersPanics(t *testing.T) {
	for name, call := range map[string]func(){
		"principal": func() { AllowedSigners("alice smith", publicOf(newKey(t))) },
		"key":       func() { AllowedSigners("alice", []byte{1, 2, 3}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			call()
		})
	}
}
