package app

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// Fuzz targets for the command line's own parsers: --from and --to of
// 'nightjar recordings', and camsim's --fault.

// printable reports whether an error message is safe to print to a
// terminal: no control characters from the user's input.
func printable(s string) bool {
	return !strings.ContainsFunc(s, unicode.IsControl)
}

// FuzzParseWhen: an offset is exactly now plus it; a time written back as
// RFC 3339 reads as the same instant; an error quotes the input.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"", "-10m", "1h30m", "2026-11-20T10:00:00Z", "2026-11-20T10:00:00.123456789+05:30", "2026-11-20 10:00:05", "2026-11-20 10:00", "2026-11-20", "now", "NOW", "yesterday", "2026-02-30", "-9223372036854775807ns", "\x1b[31m"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseWhen(s, now)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("%q: error %v with %v", s, err, got)
			}
			if !strings.Contains(err.Error(), strconv.Quote(s)) || !printable(err.Error()) {
				t.Fatalf("%q: error %q does not quote the input safely", s, err)
			}
			return
		}
		if s == "" {
			if !got.IsZero() {
				t.Fatalf("empty read as %v", got)
			}
			return
		}
		if strings.EqualFold(s, "now") && !got.Equal(now) {
			t.Fatalf("%q read as %v, want now (%v)", s, got, now)
		}
		if d, derr := time.ParseDuration(s); derr == nil {
			if !got.Equal(now.Add(d)) {
				t.Fatalf("%q read as %v, want now%+v", s, got, d)
			}
			return
		}
		back, err := parseWhen(got.Format(time.RFC3339Nano), now)
		if err != nil || !back.Equal(got) {
			t.Fatalf("%q read as %v; written back as %q it reads as %v (%v)", s, got, got.Format(time.RFC3339Nano), back, err)
		}
	})
}

// FuzzParseFault: a spec names cameras that exist, reads back the same
// when written again, keeps its duration non-negative except for a clock
// offset, and an error quotes the spec.
func FuzzParseFault(f *testing.F) {
	for _, s := range []string{"1:drop=10s", "2:garbage", "all:reboot=5s", "all:clock=-90m", "3:stall", "1:drop=-10s", "0:drop", "1", "1:", "1:drop=", "1:drop=5", "01:slow", "+1:malformed", "all:none=1h=2h", "2:not-onvif:x", "1:drop=\x00", "1:foreign-host=127.0.0.2", "all:foreign-host=http://127.0.0.3:9000", "1:foreign-host="} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, spec string, cams uint8) {
		n := int(cams%16) + 1
		ft, err := parseFault(spec, n)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--fault "+strconv.Quote(spec)+": ") || !printable(err.Error()) {
				t.Fatalf("%q: error %q does not quote the spec safely", spec, err)
			}
			return
		}
		if len(ft.cams) == 0 || !slices.IsSorted(ft.cams) || len(slices.Compact(slices.Clone(ft.cams))) != len(ft.cams) {
			t.Fatalf("%q: cameras %v", spec, ft.cams)
		}
		for _, i := range ft.cams {
			if i < 0 || i >= n {
				t.Fatalf("%q: camera index %d of %d", spec, i, n)
			}
		}
		if ft.d < 0 && ft.kind != "clock" {
			t.Fatalf("%q: %s for %v", spec, ft.kind, ft.d)
		}
		cam := "all"
		if len(ft.cams) == 1 && !strings.HasPrefix(spec, "all:") {
			cam = strconv.Itoa(ft.cams[0] + 1)
		}
		again := cam + ":" + ft.kind
		if ft.d != 0 {
			again += "=" + ft.d.String()
		}
		if ft.host != "" {
			again += "=" + ft.host
		}
		back, err := parseFault(again, n)
		if err != nil || !slices.Equal(back.cams, ft.cams) || back.kind != ft.kind || back.d != ft.d || back.host != ft.host {
			t.Fatalf("%q read as %+v; written again as %q it reads as %+v (%v)", spec, ft, again, back, err)
		}
	})
}
