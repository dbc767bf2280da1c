package redact

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in, want string
		secret         string
	}{
		{"plain", "rtsp://admin:s3cret@10.0.0.5:554/stream1", "rtsp://admin:xxxxx@10.0.0.5:554/stream1", "s3cret"},
		{"no password", "rtsp://admin@10.0.0.5/stream1", "rtsp://admin@10.0.0.5/stream1", ""},
		{"no userinfo", "http://10.0.0.5/onvif/device_service", "http://10.0.0.5/onvif/device_service", ""},
		{"at in password", "rtsp://admin:p@ss@cam/live", "rtsp://admin:xxxxx@cam/live", "p@ss"},
		{"percent-encoded password", "rtsp://admin:p%40ss%2Fw%3Ard@cam/live", "rtsp://admin:xxxxx@cam/live", "p%40ss%2Fw%3Ard"},
		{"raw slash in password", "rtsp://admin:ab/cd@cam/live", "rtsp://admin:xxxxx@cam/live", "ab/cd"},
		{"colon in password", "rtsp://admin:a:b:c@cam/live", "rtsp://admin:xxxxx@cam/live", "a:b:c"},
		{"empty password", "rtsp://admin:@cam/live", "rtsp://admin:xxxxx@cam/live", ""},
		{"query with at", "http://cam/x?mail=a@b.c", "http://cam/x?mail=a@b.c", ""},
		{"two urls in text", `dial "rtsp://u:one@a/x" then rtsp://v:two@b/y failed`, `dial "rtsp://u:xxxxx@a/x" then rtsp://v:xxxxx@b/y failed`, "one"},
		{"uppercase scheme", "RTSP://Admin:Hunter2@CAM/x", "RTSP://Admin:xxxxx@CAM/x", "Hunter2"},
		{"nested encoded url", "http://h/proxy?src=rtsp%3A%2F%2Fadmin%3Ahunter2%40cam%2Flive&x=1", "http://h/proxy?src=rtsp%3A%2F%2Fadmin%3Axxxxx%40cam%2Flive&x=1", "hunter2"},
		{"lowercase encoded url", "rtsp%3a%2f%2fadmin%3ahunter2%40cam", "rtsp%3a%2f%2fadmin%3axxxxx%40cam", "hunter2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactURL(tt.in)
			if got != tt.want {
				t.Fatalf("RedactURL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if tt.secret != "" && strings.Contains(got, tt.secret) {
				t.Fatalf("secret %q survived in %q", tt.secret, got)
			}
		})
	}
}

func TestRedactedURL(t *testing.T) {
	u, err := url.Parse("rtsp://admin:p%40ss@cam:554/live")
	if err != nil {
		t.Fatal(err)
	}
	got := Redacted(u)
	if got != "rtsp://admin:xxxxx@cam:554/live" {
		t.Fatalf("got %q", got)
	}
	if u.User.String() != "admin:p%40ss" {
		t.Fatalf("Redacted changed its argument: %q", u.User.String())
	}
	if Redacted(nil) != "" {
		t.Fatal("nil URL should give empty string")
	}
}

// FuzzRedactURL checks that no password given as userinfo of a URL that
// net/url accepts survives redaction, whatever text surrounds it.
func FuzzRedactURL(f *testing.F) {
	f.Add("admin", "secret!", "cam:554", "before ", " after")
	f.Add("u", "p@ss/w?rd#", "h", "", "")
	f.Fuzz(func(t *testing.T, user, pass, host, pre, post string) {
		if len(pass) < 4 || strings.ContainsAny(pass+user+host, " \t\r\n\"'<>`\\") {
			return
		}
		u := &url.URL{Scheme: "rtsp", User: url.UserPassword(user, pass), Host: host, Path: "/live"}
		line := pre + " " + u.String() + " " + post
		got := RedactURL(line)
		enc := u.User.String()
		if i := strings.Index(enc, ":"); i >= 0 && strings.Contains(got, enc[i:]+"@") {
			t.Fatalf("encoded password survived: %q -> %q", line, got)
		}
	})
}

// BenchmarkRedactURL compares redacting a log line holding a URL with
// credentials against the baseline of a line with no '@' (the fast path).
func BenchmarkRedactURL(b *testing.B) {
	for _, bc := range []struct{ name, line string }{
		{"baseline-no-userinfo", "connect rtsp://10.0.0.5:554/stream1 failed: timeout after 5s"},
		{"with-userinfo", "connect rtsp://admin:hunter2@10.0.0.5:554/stream1 failed: timeout after 5s"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				RedactURL(bc.line)
			}
		})
	}
}
