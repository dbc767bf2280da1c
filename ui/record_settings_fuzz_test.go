package ui

import (
	"math/big"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the Settings page's size and retention fields, which
// take whatever the user types.

// FuzzParseGB: a size is 0 to 1e6 GB, and what formatGB writes reads back
// within its rounding (two decimals, so 0.005 GB).
func FuzzParseGB(f *testing.F) {
	for _, s := range []string{"", "1", "2.5 GB", "0.75gb", " 10 GB ", "1e6", "1000001", "-1", "NaN", "Inf", "0x1p3", "1_0", "GB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseGB(s)
		if err != nil {
			if b != 0 {
				t.Fatalf("%q: error %v with %d", s, err, b)
			}
			return
		}
		if b < 0 || b > 1e15 {
			t.Fatalf("%q read as %d bytes, outside 0 to 1e6 GB", s, b)
		}
		again, err := parseGB(formatGB(b))
		if err != nil {
			t.Fatalf("%q: formatGB(%d) = %q does not read back: %v", s, b, formatGB(b), err)
		}
		if d := again - b; d > 5e6 || d < -5e6 {
			t.Fatalf("%q: %d bytes wrote as %q, read back as %d", s, b, formatGB(b), again)
		}
	})
}

// FuzzParseRetention: a retention is 0 to 10 years, exactly the number
// typed times its unit (checked with big integers, so no overflow hides),
// and formatRetention writes it back exactly.
func FuzzParseRetention(f *testing.F) {
	for _, s := range []string{"", "30", "30 d", "12 h", "12H", " 7 D ", "3650 d", "3651 d", "87600 h", "-1 d", "0", "1.5 d", "d", "h", "106751991167301 d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseRetention(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("%q: error %v with %v", s, err, d)
			}
			return
		}
		if d < 0 || d > 3650*24*time.Hour {
			t.Fatalf("%q read as %v, outside 0 to 10 years", s, d)
		}
		// The number and unit, read independently.
		num, unit := strings.ToLower(strings.TrimSpace(s)), int64(24*time.Hour)
		if n, ok := strings.CutSuffix(num, "h"); ok {
			num, unit = n, int64(time.Hour)
		} else if n, ok := strings.CutSuffix(num, "d"); ok {
			num = n
		}
		num = strings.TrimSpace(num)
		if num != "" {
			n, ok := new(big.Int).SetString(num, 10)
			if !ok {
				t.Fatalf("%q accepted, but %q is not a whole number", s, num)
			}
			want := n.Mul(n, big.NewInt(unit))
			if want.Cmp(big.NewInt(int64(d))) != 0 {
				t.Fatalf("%q read as %v, but it says %s ns", s, d, want)
			}
		}
		back, err := parseRetention(formatRetention(d))
		if err != nil || back != d {
			t.Fatalf("%q: %v wrote as %q, read back as %v (%v)", s, d, formatRetention(d), back, err)
		}
	})
}
