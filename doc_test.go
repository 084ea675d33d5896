package backupapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryEndpointMethodNamesItsWirePath reads the package's source: the
// doc comment of every exported method of the two clients ends in a
// "Wire:" paragraph naming what it sends, as go-github's methods end in a
// link, and an "Answer:" paragraph naming the answer's shape (whose text
// TestEveryMethodNamesItsAnswerShape checks).
func TestEveryEndpointMethodNamesItsWirePath(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	notEndpoints := map[string]bool{"String": true, "GoString": true, "Format": true}
	checked := 0
	for _, file := range files {
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || notEndpoints[fn.Name.Name] {
				continue
			}
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			ident, ok := recv.(*ast.Ident) // generic receivers (the endpoint tables) are not the clients
			if !ok || (ident.Name != "AhsayClient" && ident.Name != "XClarityClient") {
				continue
			}
			name := ident.Name
			checked++
			require.NotNil(t, fn.Doc, "%s.%s has no doc comment", name, fn.Name.Name)
			paragraphs := strings.Split(strings.TrimSpace(fn.Doc.Text()), "\n\n")
			require.GreaterOrEqual(t, len(paragraphs), 3, "%s.%s: a description, Wire: and Answer:", name, fn.Name.Name)
			assert.True(t, strings.HasPrefix(paragraphs[len(paragraphs)-2], "Wire: "), "%s.%s: the doc's last paragraph but one names the wire path", name, fn.Name.Name)
			assert.True(t, strings.HasPrefix(paragraphs[len(paragraphs)-1], "Answer: "), "%s.%s: the doc's last paragraph names the answer's shape", name, fn.Name.Name)
		}
	}
	assert.Greater(t, checked, 30, "the methods were found")
}
