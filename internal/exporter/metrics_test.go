package exporter

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMetricNamesFollowThePrometheusConventions sweeps every metric: a
// snake_case name under the namespace, counters end in _total and only
// they do, times are _timestamp_seconds or _seconds, sizes _bytes; labels
// are snake_case, bounded (never an ID of a job), and every series names
// its target.
func TestMetricNamesFollowThePrometheusConventions(t *testing.T) {
	name := regexp.MustCompile(`^backupapi_[a-z][a-z0-9_]*[a-z0-9]$`)
	label := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	seen := map[string]bool{}
	for _, m := range Metrics {
		t.Run(m.Name, func(t *testing.T) {
			assert.Regexp(t, name, m.Name)
			assert.False(t, seen[m.Name], "listed twice")
			seen[m.Name] = true
			assert.Equal(t, m.Type == "counter", strings.HasSuffix(m.Name, "_total"), "_total is for counters")
			assert.Contains(t, []string{"gauge", "counter"}, m.Type)
			if strings.Contains(m.Name, "timestamp") {
				assert.True(t, strings.HasSuffix(m.Name, "_timestamp_seconds"), "times in seconds since the epoch")
			}
			if strings.Contains(m.Name, "duration") {
				assert.True(t, strings.HasSuffix(m.Name, "_seconds"))
			}
			if strings.Contains(m.Name, "quota_used") || strings.HasSuffix(m.Name, "quota_bytes") {
				assert.True(t, strings.HasSuffix(m.Name, "_bytes"))
			}
			assert.NotEmpty(t, m.Help)
			assert.Contains(t, m.Labels, "target", "every series names its target")
			for _, l := range m.Labels {
				assert.Regexp(t, label, l)
				assert.False(t, slices.Contains([]string{"job_id", "job", "uuid", "id"}, l), "an unbounded or reserved label: %s", l)
			}
		})
	}
}
