package evidence

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The package uses the standard library and golang.org/x/crypto only: no
// Fyne, player or devices code, nor anything else. Its tests may also
// import the package itself.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			std := !strings.Contains(strings.Split(path, "/")[0], ".")
			crypto := strings.HasPrefix(path, "golang.org/x/crypto/")
			self := path == "nightjar/storage/evidence" && strings.HasSuffix(name, "_test.go")
			if !std && !crypto && !self || strings.HasPrefix(path, "nightjar/") && !self {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
