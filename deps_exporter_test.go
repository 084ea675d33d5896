package backupapi

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheLibraryImportsNothingTheExporterNeeds: Prometheus's client and the
// YAML decoder stay out of the SDK's build and the fakes'.
func TestTheLibraryImportsNothingTheExporterNeeds(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err)
	out, err := exec.Command(goTool, "list", "-deps", ".", "./backupapitest").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := string(out)
	require.Contains(t, deps, "github.com/hashicorp/go-retryablehttp", "the listing is the SDK's dependencies")
	for _, dep := range []string{"github.com/prometheus/", "go.yaml.in/yaml", "github.com/backupapi/backupapi/internal/exporter"} {
		assert.False(t, strings.Contains(deps, dep), "the SDK depends on %s", dep)
	}
}
