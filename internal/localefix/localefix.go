// Package localefix keeps Fyne from failing to read a server locale.
//
// Fyne v2.7.1 reads the user's locale in its lang package's init, through
// github.com/jeandeaual/go-locale: the first of LC_ALL, LC_MESSAGES and
// LANG that is set, or LANGUAGE in its place unless that value is exactly
// C or POSIX. It cuts each entry at '.' and '_' and parses the rest as a
// BCP 47 tag. Under LANG=C.UTF-8, what containers and systemd units
// have, that leaves "C", which does not parse, and Fyne prints three
// lines of "Fyne error: Error parsing user locale C" on every command.
//
// This package's init sets LANGUAGE to the entries that will parse (or
// to "en" when none does) before that happens. LANGUAGE only chooses
// message translations, "en" is the untranslated text, and glibc ignores
// LANGUAGE under plain C, so nothing else in the process or its children
// changes.
//
// Caveats: Go initialises packages in import-path order among those whose
// imports are ready, so this package, imported by main, runs before
// fyne.io/fyne/v2/lang only because that package waits on text/template,
// which sorts after "nightjar/". A test runs the binary under each server
// locale and fails if a Fyne upgrade changes that.
package localefix

import (
	"os"
	"strings"
)

func init() { Apply(os.Getenv, os.Setenv) }

// Apply sets LANGUAGE through setenv when the locale that getenv gives
// would not parse in Fyne. It reports whether it changed anything.
func Apply(getenv func(string) string, setenv func(string, string) error) bool {
	if v, ok := Fix(getenv); ok {
		setenv("LANGUAGE", v)
		return true
	}
	return false
}

// Fix returns the LANGUAGE value that makes the locale in getenv parse,
// and false when it already parses.
func Fix(getenv func(string) string) (string, bool) {
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(k); loc != "" {
			break
		}
	}
	if loc == "C" || loc == "POSIX" {
		return "", false // go-locale reads this as no locale, which is fine
	}
	if l := getenv("LANGUAGE"); l != "" {
		loc = l
	}
	if loc == "" {
		return "", false
	}
	var keep []string
	changed := false
	for _, e := range strings.Split(loc, ":") {
		fixed, ok := entry(e)
		changed = changed || !ok
		if fixed != "" {
			keep = append(keep, fixed)
		}
	}
	if !changed {
		return "", false
	}
	if len(keep) == 0 {
		return "en", true
	}
	return strings.Join(keep, ":"), true
}

// entry returns a locale list entry as language and region, and whether
// Fyne can parse it as it stands. An entry whose language cannot parse
// comes back empty; one whose region cannot parse comes back without it.
func entry(e string) (string, bool) {
	e, _, _ = strings.Cut(e, ".")
	e = strings.ReplaceAll(e, "-", "_")
	lang, region, hasRegion := strings.Cut(e, "_")
	switch {
	case !isLanguage(lang):
		return "", false
	case !hasRegion || region == "":
		return lang, true
	case isRegion(region):
		return lang + "_" + region, true
	}
	return lang, false
}

// isLanguage reports whether s is an ISO 639 language code, two or three
// letters, as every glibc locale name starts. "C" and "POSIX" are not.
func isLanguage(s string) bool {
	return len(s) >= 2 && len(s) <= 3 && letters(s)
}

// isRegion reports whether s is a BCP 47 region: two letters or three
// digits.
func isRegion(s string) bool {
	if len(s) == 2 {
		return letters(s)
	}
	if len(s) == 3 {
		return strings.Trim(s, "0123456789") == ""
	}
	return false
}

func letters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
