package backupapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportedNames returns the exported top-level identifiers (types,
// functions, constants, variables) of the non-test Go files in dir.
func exportedNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	names := map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = s.Name.IsExported()
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = n.IsExported()
						}
					}
				}
			}
		}
	}
	return names
}

// TestEveryPackageNameTheREADMEUsesExists: a name the README qualifies
// (backupapi.X, backupapitest.X), in its code blocks or its prose, and every
// backupapitest operation constant it names (OpX), is an exported identifier
// of that package, so that a reader who copies a name from the prose
// (OpGetJob for OpGetJobs, say) is not sent to one that does not exist.
func TestEveryPackageNameTheREADMEUsesExists(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	pkgs := map[string]map[string]bool{
		"backupapi":     exportedNames(t, "."),
		"backupapitest": exportedNames(t, "backupapitest"),
	}
	var missing []string
	for _, m := range regexp.MustCompile(`\b(backupapi|backupapitest)\.([A-Z]\w*)`).FindAllStringSubmatch(string(readme), -1) {
		if !pkgs[m[1]][m[2]] {
			missing = append(missing, m[0])
		}
	}
	for _, m := range regexp.MustCompile("`(Op[A-Z]\\w*)").FindAllStringSubmatch(string(readme), -1) {
		if !pkgs["backupapitest"][m[1]] {
			missing = append(missing, "backupapitest."+m[1])
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "names in README.md that the packages do not export")
	assert.True(t, pkgs["backupapitest"]["OpGetJobs"], "the parser finds the Op constants")
}
