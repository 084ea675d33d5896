package backupapi

import (
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheLibraryImportsNothingTheCLINeeds: the command line's packages
// (cobra, the progress bar, the terminal) stay out of the SDK's build.
func TestTheLibraryImportsNothingTheCLINeeds(t *testing.T) {
	deps := sdkDeps(t)
	require.Contains(t, deps, "github.com/hashicorp/go-retryablehttp", "the listing is the SDK's dependencies")
	for _, cli := range []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/schollz/progressbar", "golang.org/x/term"} {
		assert.False(t, strings.Contains(deps, cli), "the SDK depends on %s", cli)
	}
}

// TestTheLibraryImportsOnlyTheOpenTelemetryAPI: the SDK and the fakes
// depend on OpenTelemetry's API (otel, trace, metric), never on its SDK
// or an exporter, which are the caller's choice.
func TestTheLibraryImportsOnlyTheOpenTelemetryAPI(t *testing.T) {
	out := sdkDeps(t)
	var otel []string
	for _, pkg := range strings.Fields(out) {
		if strings.HasPrefix(pkg, "go.opentelemetry.io/") {
			otel = append(otel, pkg)
		}
	}
	require.Contains(t, otel, "go.opentelemetry.io/otel/trace", "the listing holds the API")
	for _, pkg := range otel {
		for _, banned := range []string{"go.opentelemetry.io/otel/sdk", "go.opentelemetry.io/otel/exporters", "go.opentelemetry.io/contrib"} {
			assert.False(t, pkg == banned || strings.HasPrefix(pkg, banned+"/"), "the SDK depends on %s", pkg)
		}
	}
}

// TestTheLibraryImportsNothingTheExporterNeeds: Prometheus's client and the
// YAML decoder stay out of the SDK's build and the fakes'.
func TestTheLibraryImportsNothingTheExporterNeeds(t *testing.T) {
	deps := sdkDeps(t)
	require.Contains(t, deps, "github.com/hashicorp/go-retryablehttp", "the listing is the SDK's dependencies")
	for _, dep := range []string{"github.com/prometheus/", "go.yaml.in/yaml", "github.com/backupapi/backupapi/internal/exporter"} {
		assert.False(t, strings.Contains(deps, dep), "the SDK depends on %s", dep)
	}
}

// sdkDeps is `go list -deps` of the SDK and the fakes, listed once for
// every dependency test.
func sdkDeps(t *testing.T) string {
	t.Helper()
	sdkDepsOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			sdkDepsErr = err
			return
		}
		out, err := exec.Command(goTool, "list", "-deps", ".", "./backupapitest").CombinedOutput()
		sdkDepsOut, sdkDepsErr = string(out), err
	})
	require.NoError(t, sdkDepsErr, "%s", sdkDepsOut)
	return sdkDepsOut
}

var (
	sdkDepsOnce sync.Once
	sdkDepsOut  string
	sdkDepsErr  error
)
