package app

import (
	"bytes"
	"strings"
	"testing"
)

// TestParseExportMasks: an export-only zone names one of the exported
// cameras and a valid shape; anything else is a usage error that says
// what is wrong.
func TestParseExportMasks(t *testing.T) {
	got, err := parseExportMasks([]string{"a=rect:0.1,0.2,0.3,0.4", "b=polygon:0.1,0.1,0.5,0.1,0.3,0.6"}, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got["a"]) != 1 || len(got["a"][0].Points) != 4 || len(got["b"]) != 1 || len(got["b"][0].Points) != 3 {
		t.Fatalf("parsed %+v", got)
	}
	if got["a"][0].ID == got["b"][0].ID {
		t.Errorf("two export zones share the ID %q", got["a"][0].ID)
	}
	for spec, want := range map[string]string{
		"c=rect:0.1,0.1,0.2,0.2":  "not one of the --camera ones",
		"a=circle:0.5,0.5,0.1":    "use rect or polygon",
		"a:rect:0.1,0.1,0.2,0.2":  "give ID=rect",
		"a=rect:0.1,0.1,0,0.2":    "above 0",
		"a=rect:0.9,0.9,0.5,0.5":  "",
		"a=polygon:0.1,0.1,0.2,0": "",
	} {
		_, err := parseExportMasks([]string{spec}, []string{"a", "b"})
		if err == nil {
			t.Errorf("%q accepted", spec)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %q, want it to say %q", spec, err, want)
		}
	}
}

// TestExportUsageErrors: the export command refuses what it cannot do
// before it opens anything, saying why.
func TestExportUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--from", "-10m", "--to", "now", "--out", "x"}, "give --camera ID"},
		{[]string{"export", "--camera", "a", "--to", "now", "--out", "x"}, "--from and --to are required"},
		{[]string{"export", "--camera", "a", "--from", "-10m", "--to", "now"}, "--out FOLDER is required"},
		{[]string{"export", "--camera", "a", "--from", "-10m", "--to", "now", "--out", "x", "--zip"}, "not built yet"},
		{[]string{"verify"}, "give one bundle folder"},
		{[]string{"verify", "b", "--signer", "abc"}, "--signer takes a fingerprint"},
	} {
		var out, errb bytes.Buffer
		if code := run(tc.args, &out, &errb); code == exitOK || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error saying %q", tc.args, code, errb.String(), tc.want)
		}
	}
}
