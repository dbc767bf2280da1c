package localefix

import "testing"

func TestFix(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // "" for no change
	}{
		{"unset", nil, ""},
		{"C", map[string]string{"LANG": "C"}, ""},
		{"POSIX", map[string]string{"LANG": "POSIX"}, ""},
		{"C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"C.utf8", map[string]string{"LANG": "C.utf8"}, "en"},
		{"POSIX.UTF-8", map[string]string{"LANG": "POSIX.UTF-8"}, "en"},
		{"en_US.UTF-8", map[string]string{"LANG": "en_US.UTF-8"}, ""},
		{"pt_BR", map[string]string{"LANG": "pt_BR"}, ""},
		{"es_419", map[string]string{"LANG": "es_419.UTF-8"}, ""},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, "en"},
		{"LC_ALL=C hides LANGUAGE", map[string]string{"LC_ALL": "C", "LANGUAGE": "C.UTF-8"}, ""},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{"valid LANGUAGE covers C.UTF-8", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "de:fr"}, ""},
		{"bad LANGUAGE entry dropped", map[string]string{"LANG": "de_DE.UTF-8", "LANGUAGE": "C:de_DE:fr"}, "de_DE:fr"},
		{"modifier in region", map[string]string{"LANG": "de_DE@euro"}, "de"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := Fix(func(k string) string { return tc.env[k] })
			if changed != (tc.want != "") || got != tc.want {
				t.Fatalf("Fix = %q, %v; want %q, %v", got, changed, tc.want, tc.want != "")
			}
		})
	}
}

func TestApplySetsLanguage(t *testing.T) {
	set := map[string]string{}
	env := map[string]string{"LANG": "C.UTF-8"}
	if !Apply(func(k string) string { return env[k] }, func(k, v string) error { set[k] = v; return nil }) {
		t.Fatal("Apply changed nothing under LANG=C.UTF-8")
	}
	if len(set) != 1 || set["LANGUAGE"] != "en" {
		t.Fatalf("Apply set %v, want only LANGUAGE=en", set)
	}
}
