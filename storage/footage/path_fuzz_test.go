package footage

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"nightjar/storage/catalog"
)

// FuzzParsePath: every URL the server makes parses back to its camera and
// start, and a request path is accepted only with the exact token.
func FuzzParsePath(f *testing.F) {
	s := &Server{addr: "127.0.0.1:1", token: strings.Repeat("ab", 32)}
	f.Add("cam1", int64(1795000000123456789), "/"+s.token+"/seg/cam1/1.ts")
	f.Add("a/b c%", int64(-1), "/"+s.token+"/seg/a%2Fb%20c%25/-1.ts")
	f.Add("", int64(0), "/"+s.token[:63]+"/seg/x/1.ts")
	f.Add("ü:\\", int64(42), "/"+s.token+"x/seg/x/1.ts")
	f.Fuzz(func(t *testing.T, cam string, nanos int64, path string) {
		row := catalog.Segment{CameraID: cam, Start: time.Unix(0, nanos)}
		u, err := url.Parse(s.URL(row))
		if err != nil {
			t.Fatalf("URL(%q) does not parse: %v", cam, err)
		}
		gotCam, gotStart, ok := s.parsePath(u.EscapedPath())
		if cam != "" && (!ok || gotCam != cam || !gotStart.Equal(row.Start)) {
			t.Fatalf("URL for %q at %d parsed as %q at %d (ok %v)", cam, nanos, gotCam, gotStart.UnixNano(), ok)
		}
		if _, _, ok := s.parsePath(path); ok {
			parts := strings.Split(path, "/")
			if len(parts) < 2 || parts[1] != s.token {
				t.Fatalf("%q accepted without the exact token", path)
			}
		}
	})
}
