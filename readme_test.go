package backupapi

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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
