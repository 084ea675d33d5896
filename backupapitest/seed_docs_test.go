package backupapitest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentedSeeds returns the seeds the documentation shows: the README's
// ```json blocks, and the examples in the doc comments of Seed and of
// the backupapi-fake command.
func documentedSeeds(t *testing.T) map[string]string {
	out := map[string]string{}
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for i, m := range regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		out["README.md json block "+string(rune('1'+i))] = m[1]
	}
	for file, after := range map[string]string{"seed.go": "For example:", "../cmd/backupapi-fake/main.go": "seed.schema.json):"} {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
		require.NoError(t, err)
		var text string
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CommentGroup); ok && strings.Contains(c.Text(), after) {
				text = c.Text()
			}
			return true
		})
		_, example, found := strings.Cut(text, after)
		require.True(t, found, "%s has its example", file)
		var lines []string
		for _, l := range strings.Split(example, "\n")[1:] {
			if l == "" && len(lines) == 0 {
				continue
			}
			if !strings.HasPrefix(l, "\t") {
				break
			}
			lines = append(lines, l)
		}
		out[file+" doc example"] = strings.Join(lines, "\n")
	}
	return out
}

func TestEveryDocumentedSeedIsValid(t *testing.T) {
	seeds := documentedSeeds(t)
	require.Len(t, seeds, 3)
	for name, text := range seeds {
		t.Run(name, func(t *testing.T) {
			seed, err := backupapitest.DecodeSeed(strings.NewReader(text))
			require.NoError(t, err, text)
			assert.NotNil(t, seed.Ahsay)
			require.NoError(t, backupapitest.ResetToSeed(seed, backupapitest.NewUnstartedAhsayServer(), backupapitest.NewUnstartedXClarityServer()))
		})
	}
}
