package evidence

import (
	"bytes"
	"maps"
	"slices"
	"strings"
)

// sumEntry is one line of SHA256SUMS.
type sumEntry struct {
	name   string
	sha256 string // lowercase hex
}

// formatSums writes SHA256SUMS as `sha256sum -c` and `shasum -a 256 -c`
// read it: "<hex>  <name>" lines, sorted by name. Names are plain (see
// checkName), so none needs the backslash escape sha256sum uses for '\' and
// newlines.
func formatSums(entries []sumEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(e.sha256 + "  " + e.name + "\n")
	}
	return b.Bytes()
}

// parseSums reads SHA256SUMS: "<hex>  <name>" lines, or "<hex> *<name>"
// as sha256sum writes in binary mode, with the hex in either case. It
// returns the entries it could read and a sentence for each line it could
// not.
func parseSums(b []byte) ([]sumEntry, []string) {
	var entries []sumEntry
	var p problems
	lines := strings.Split(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, line := range lines {
		if len(line) < 66 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') {
			p.add("%s line %d: not \"<sha256>  <name>\"", SumsFile, i+1)
			continue
		}
		hex, name := strings.ToLower(line[:64]), line[66:]
		if !isHexSHA256(hex) {
			p.add("%s line %d: %q is not a SHA-256 in hex", SumsFile, i+1, line[:64])
			continue
		}
		if why := checkName(name); why != "" {
			p.add("%s line %d: file %q: %s", SumsFile, i+1, name, why)
			continue
		}
		entries = append(entries, sumEntry{name: name, sha256: hex})
	}
	return entries, p.list
}

// compareSums names every way entries differ from the manifest: a name
// missing, a name extra, a name twice, or a hash other than the one in
// files (name to hex) or, for manifest.json, than manifestHash.
func compareSums(entries []sumEntry, files map[string]string, manifestHash string) []string {
	var p problems
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		want, ok := files[e.name]
		if e.name == ManifestFile {
			want, ok = manifestHash, true
		}
		switch {
		case seen[e.name]:
			p.add("%s: lists %s twice", SumsFile, e.name)
		case !ok:
			p.add("%s: lists %s, which the manifest does not", SumsFile, e.name)
		case e.sha256 != want && e.name == ManifestFile:
			p.add("%s: the hash of %s is not that of the %s here", SumsFile, ManifestFile, ManifestFile)
		case e.sha256 != want:
			p.add("%s: the hash of %s is not the one in the manifest", SumsFile, e.name)
		}
		seen[e.name] = true
	}
	for _, name := range append(slices.Sorted(maps.Keys(files)), ManifestFile) {
		if !seen[name] {
			p.add("%s: does not list %s", SumsFile, name)
		}
	}
	return p.list
}
