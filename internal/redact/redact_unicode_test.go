package redact

import (
	"strings"
	"testing"
)

// TestRedactURLAfterNonASCII: letters whose lower case has another length
// (İ shrinks, Ⱥ grows) and invalid bytes before a URL leave the password
// masked, with nothing else changed. strings.ToLower offsets once panicked
// on the first line and logged the password of the third.
func TestRedactURLAfterNonASCII(t *testing.T) {
	for _, pre := range []string{"camera İstanbul gate: ", "Ⱥ ", "\xbd\xed\xaf ", "KAMERA İİİİ Ⱥ\xff "} {
		line := pre + "rtsp://admin:hunter22@cam:554/live"
		want := pre + "rtsp://admin:" + Mask + "@cam:554/live"
		if got := RedactURL(line); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", line, got, want)
		}
		if got := RedactURL(line + " then more"); !strings.HasPrefix(got, want) || strings.Contains(got, "hunter22") {
			t.Errorf("RedactURL(%q) = %q", line+" then more", got)
		}
	}
}
