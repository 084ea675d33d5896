package backupapi

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheLibraryImportsNothingTheCLINeeds: the command line's packages
// (cobra, the progress bar, the terminal) stay out of the SDK's build.
func TestTheLibraryImportsNothingTheCLINeeds(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err)
	out, err := exec.Command(goTool, "list", "-deps", ".", "./backupapitest").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := string(out)
	require.Contains(t, deps, "github.com/hashicorp/go-retryablehttp", "the listing is the SDK's dependencies")
	for _, cli := range []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/schollz/progressbar", "golang.org/x/term"} {
		assert.False(t, strings.Contains(deps, cli), "the SDK depends on %s", cli)
	}
}

// TestTheLibraryImportsOnlyTheOpenTelemetryAPI: the SDK and the fakes
// depend on OpenTelemetry's API (otel, trace, metric), never on its SDK
// or an exporter, which are the caller's choice.
func TestTheLibraryImportsOnlyTheOpenTelemetryAPI(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err)
	out, err := exec.Command(goTool, "list", "-deps", ".", "./backupapitest").CombinedOutput()
	require.NoError(t, err, "%s", out)
	var otel []string
	for _, pkg := range strings.Fields(string(out)) {
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
