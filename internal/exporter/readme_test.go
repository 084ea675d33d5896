package exporter

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's metric list from the code")

const (
	metricsBegin = "<!-- metrics: generated from internal/exporter.Metrics by its TestREADMEMetricList; go test ./internal/exporter -run TestREADMEMetricList -update-readme -->\n"
	metricsEnd   = "<!-- metrics end -->"
)

// metricTable is the README's metric list, written from Metrics.
func metricTable() string {
	var b strings.Builder
	b.WriteString("| metric | type | labels | meaning |\n|---|---|---|---|\n")
	for _, m := range Metrics {
		b.WriteString("| `" + m.Name + "` | " + m.Type + " | " + strings.Join(m.Labels, ", ") + " | " + strings.ReplaceAll(m.Help, "|", "\\|") + " |\n")
	}
	return b.String()
}

// TestREADMEMetricList: the README lists exactly the metrics the exporter
// serves, with their types, labels and help.
func TestREADMEMetricList(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	readme := string(b)
	i, j := strings.Index(readme, metricsBegin), strings.Index(readme, metricsEnd)
	require.True(t, i >= 0 && j > i, "the README has the metric list's markers")
	got, want := readme[i+len(metricsBegin):j], metricTable()
	if *updateREADME && got != want {
		require.NoError(t, os.WriteFile(path, []byte(readme[:i+len(metricsBegin)]+want+readme[j:]), 0o644))
		return
	}
	assert.Equal(t, want, got, "run: go test ./internal/exporter -run TestREADMEMetricList -update-readme")
}
