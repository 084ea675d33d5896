package backupapi

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestTheREADMEMetricsTableIsTheCode: the README's table of metrics lists
// exactly the metrics the SDK records, each with its instrument, unit,
// attributes and description, and the instruments the SDK creates are
// those of the table.
func TestTheREADMEMetricsTableIsTheCode(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(readme)
	start := strings.Index(text, "<!-- metrics table")
	end := strings.Index(text, "<!-- end of metrics table -->")
	require.True(t, start >= 0 && end > start, "the README marks its metrics table")
	cells := func(line string) []string {
		var out []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			out = append(out, strings.TrimSpace(c))
		}
		return out
	}
	var rows [][]string
	for _, line := range strings.Split(text[start:end], "\n")[1:] {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, cells(line))
		}
	}
	var want [][]string
	for _, d := range metricDefs {
		var attrs []string
		for _, k := range d.attributes {
			attrs = append(attrs, "`"+string(k)+"`")
		}
		want = append(want, []string{"`" + d.name + "`", d.instrument, "`" + d.unit + "`", strings.Join(attrs, ", "), d.description})
	}
	assert.Equal(t, want, rows, "the README's table")

	t.Run("the instruments are the table's", func(t *testing.T) {
		reader := sdkmetric.NewManualReader()
		in, err := newInstruments(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)), SourceXClarity)
		require.NoError(t, err)
		in.callStarted("GetJob")
		in.callEnded("GetJob", "ok", time.Second)
		in.attempt("GetJob", true)
		in.requestDuration.Record(bg, 1)
		in.bodySize.Record(bg, 1)
		in.loginFailed("ErrAuthentication")
		in.loginHeldBack()
		var rm metricdata.ResourceMetrics
		require.NoError(t, reader.Collect(context.Background(), &rm))
		got := map[string]metricdata.Metrics{}
		for _, sm := range rm.ScopeMetrics {
			assert.Equal(t, instrumentationName, sm.Scope.Name)
			for _, m := range sm.Metrics {
				got[m.Name] = m
			}
		}
		assert.Len(t, got, len(metricDefs))
		kinds := map[string]string{"metricdata.Histogram[float64]": "Float64Histogram", "metricdata.Histogram[int64]": "Int64Histogram"}
		for _, d := range metricDefs {
			m, ok := got[d.name]
			if !assert.True(t, ok, "%s recorded", d.name) {
				continue
			}
			assert.Equal(t, d.unit, m.Unit, d.name)
			assert.Equal(t, d.description, m.Description, d.name)
			kind := kinds[fmt.Sprintf("%T", m.Data)]
			if s, ok := m.Data.(metricdata.Sum[int64]); ok {
				kind = map[bool]string{true: "Int64Counter", false: "Int64UpDownCounter"}[s.IsMonotonic]
			}
			assert.Equal(t, d.instrument, kind, d.name)
		}
	})
}
