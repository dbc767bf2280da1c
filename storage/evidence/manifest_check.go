package evidence

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Check names every inconsistency in m, one sentence each, or returns nil:
//   - the requested range and each camera's range must be non-empty, and
//     a camera's range inside the requested one;
//   - each camera's Present and Gaps spans must be non-empty, in time
//     order, not overlapping, inside the camera's range, and together
//     cover it exactly;
//   - every name in Clips and Snapshots must be among Files;
//   - every file name must be plain (not empty, no '/', '\', ':', "..",
//     control characters or leading '.') and not a bundle file's name, each
//     listed once, with a size and a SHA-256 in lowercase hex.
//
// It does not look at the files themselves; Verify does.
func (m Manifest) Check() []string {
	var p problems
	if !m.From.Before(m.To) {
		p.add("requested range: from %s is not before to %s", stamp(m.From), stamp(m.To))
	}

	files := make(map[string]bool, len(m.Files))
	for _, f := range m.Files {
		if why := checkName(f.Name); why != "" {
			p.add("file %q: %s", f.Name, why)
		}
		if isBundleFile(f.Name) {
			p.add("file %s: a bundle file, which the file list must not hold", f.Name)
		}
		if files[f.Name] {
			p.add("file %s: listed twice", f.Name)
		}
		files[f.Name] = true
		if f.Size < 0 {
			p.add("file %s: size %d", f.Name, f.Size)
		}
		if !isHexSHA256(f.SHA256) {
			p.add("file %s: sha256 %q is not 64 lowercase hex digits", f.Name, f.SHA256)
		}
	}
	if !slices.IsSortedFunc(m.Files, func(a, b File) int { return strings.Compare(a.Name, b.Name) }) {
		p.add("files: not sorted by name")
	}

	ids := make(map[string]bool, len(m.Cameras))
	for i, c := range m.Cameras {
		label := "camera " + c.ID
		if c.ID == "" {
			label = fmt.Sprintf("camera %d", i+1)
			p.add("%s: no id", label)
		} else if ids[c.ID] {
			p.add("%s: listed twice", label)
		}
		ids[c.ID] = true
		m.checkCamera(&p, label, c)
		for _, name := range c.Clips {
			p.listed(files, label, "clip", name)
		}
		for _, name := range c.Snapshots {
			p.listed(files, label, "snapshot", name)
		}
		for j, s := range c.Segments {
			if !isHexSHA256(s.SHA256) {
				p.add("%s: segment %d (%s): sha256 %q is not 64 lowercase hex digits", label, j+1, s.ID, s.SHA256)
			}
			if s.Length < 0 {
				p.add("%s: segment %d (%s): length %gs", label, j+1, s.ID, s.Length)
			}
		}
	}
	return p.list
}

// checkCamera checks the time ranges of one camera.
func (m Manifest) checkCamera(p *problems, label string, c Camera) {
	if !c.From.Before(c.To) {
		p.add("%s: from %s is not before to %s", label, stamp(c.From), stamp(c.To))
		return
	}
	if c.From.Before(m.From) || c.To.After(m.To) {
		p.add("%s: range %s is outside the requested range %s", label, spanText(c.From, c.To), spanText(m.From, m.To))
	}
	before := len(p.list)
	checkSpans(p, label, "present", c.Present, c.From, c.To)
	checkSpans(p, label, "gap", c.Gaps, c.From, c.To)
	if len(p.list) > before {
		return // the cover is meaningless over broken lists
	}

	all := append(slices.Clone(c.Present), c.Gaps...)
	slices.SortStableFunc(all, func(a, b Span) int { return a.From.Compare(b.From) })
	at := c.From
	for _, s := range all {
		switch {
		case s.From.After(at):
			p.add("%s: %s is neither present nor a gap", label, spanText(at, s.From))
		case s.From.Before(at):
			p.add("%s: %s is both present and a gap", label, spanText(s.From, minTime(at, s.To)))
		}
		if s.To.After(at) {
			at = s.To
		}
	}
	if at.Before(c.To) {
		p.add("%s: %s is neither present nor a gap", label, spanText(at, c.To))
	}
}

// checkSpans checks that spans are non-empty, in order, apart and inside
// [from, to).
func checkSpans(p *problems, label, kind string, spans []Span, from, to time.Time) {
	for i, s := range spans {
		what := fmt.Sprintf("%s: %s %s", label, kind, spanText(s.From, s.To))
		switch {
		case !s.From.Before(s.To):
			p.add("%s is empty or reversed", what)
		case s.From.Before(from) || s.To.After(to):
			p.add("%s is outside the camera's range %s", what, spanText(from, to))
		}
		if i > 0 && s.From.Before(spans[i-1].To) {
			if s.From.Before(spans[i-1].From) {
				p.add("%s is out of time order", what)
			} else {
				p.add("%s overlaps the one before", what)
			}
		}
		if s.ClipOffset < 0 {
			p.add("%s has a clip offset of %gs", what, s.ClipOffset)
		}
	}
}

// checkName says why name cannot be a bundle file's name, or "".
func checkName(name string) string {
	switch {
	case name == "":
		return "empty name"
	case strings.ContainsAny(name, `/\:`):
		return "names a folder or a drive; only plain names are allowed"
	case strings.Contains(name, ".."):
		return `contains ".."`
	case name[0] == '.':
		return "starts with '.'"
	case len(name) > 255:
		return "longer than 255 bytes"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "contains a control character"
		}
	}
	return ""
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// problems collects sentences.
type problems struct{ list []string }

func (p *problems) add(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) listed(files map[string]bool, label, kind, name string) {
	if why := checkName(name); why != "" {
		p.add("%s: %s %q: %s", label, kind, name, why)
	} else if !files[name] {
		p.add("%s: %s %s is not among the files", label, kind, name)
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func spanText(from, to time.Time) string { return "[" + stamp(from) + ", " + stamp(to) + ")" }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
