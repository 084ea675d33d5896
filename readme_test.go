package backupapi

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeImports are the packages README blocks may use; a block imports
// those whose name it mentions.
var readmeImports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "log": "log", "os": "os", "time": "time",
	"x509": "crypto/x509", "http": "net/http", "slog": "log/slog", "testing": "testing",
	"backupapi": "github.com/backupapi/backupapi", "backupapitest": "github.com/backupapi/backupapi/backupapitest",
	"trace": "go.opentelemetry.io/otel/trace", "metric": "go.opentelemetry.io/otel/metric", "propagation": "go.opentelemetry.io/otel/propagation",
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestEveryGoBlockInTheREADMECompiles type-checks each ```go block of the
// README with go vet: a block of statements as a function body, a block of
// declarations as a file.
func TestEveryGoBlockInTheREADMECompiles(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := goBlock.FindAllStringSubmatch(string(readme), -1)
	require.GreaterOrEqual(t, len(blocks), 4, "the README's Go blocks were found")
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to type-check the README")

	dir, err := os.MkdirTemp(".", "readmecheck")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	for i, m := range blocks {
		code := m[1]
		var imports []string
		for name, path := range readmeImports {
			if regexp.MustCompile(`\b` + name + `\.`).MatchString(code) {
				imports = append(imports, fmt.Sprintf("\t%q", path))
			}
		}
		src := "package readmecheck\n\nimport (\n" + strings.Join(imports, "\n") + "\n)\n\n"
		file := fmt.Sprintf("block%d.go", i)
		if strings.HasPrefix(strings.TrimSpace(code), "func ") {
			src += code
			if strings.Contains(code, "func Test") {
				file = fmt.Sprintf("block%d_test.go", i)
			}
		} else {
			src += fmt.Sprintf("func block%d() {\n%s}\n", i, code)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, file), []byte(src), 0o600))
	}
	out, err := exec.Command(goTool, "vet", "./"+filepath.Base(dir)).CombinedOutput()
	require.NoError(t, err, "a README Go block does not compile:\n%s", out)
}

// TestTheREADMENamesEveryFuzzTarget keeps the README's list of fuzz
// targets equal to the module's: every Fuzz function of every package.
func TestTheREADMENamesEveryFuzzTarget(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	line := regexp.MustCompile(`(?s)- Fuzz targets \((.*?)\)`).FindSubmatch(readme)
	require.NotNil(t, line, "the README lists the fuzz targets")
	listed := regexp.MustCompile("`(Fuzz\\w+)`").FindAllSubmatch(line[1], -1)
	var inReadme []string
	for _, m := range listed {
		inReadme = append(inReadme, string(m[1]))
	}
	var inCode []string
	decl := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		for _, m := range decl.FindAllSubmatch(src, -1) {
			inCode = append(inCode, string(m[1]))
		}
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, inCode)
	assert.ElementsMatch(t, inCode, inReadme)
}

// TestTheREADMECountsAreTrue checks every count the README states against
// what it counts.
func TestTheREADMECountsAreTrue(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	fixed, err := filepath.Glob("testdata/ahsay/*.fixed-*.json")
	require.NoError(t, err)
	words := map[int]string{1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
	cases := []struct{ claim, want string }{
		{`Events\(\)` + "`" + ` \(all (\d+), by ID\)`, fmt.Sprint(len(Events()))},
		{`reference; the (\w+) that are not\s+valid JSON`, words[len(fixed)]},
	}
	for _, tc := range cases {
		m := regexp.MustCompile(tc.claim).FindSubmatch(readme)
		if assert.NotNil(t, m, "the README states %s", tc.claim) {
			assert.Equal(t, tc.want, string(m[1]), "the README's count in %q", m[0])
		}
	}
}
