package exporter

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flatten writes a family's series as sorted "labels value" lines.
func flatten(mf *dto.MetricFamily) []string {
	var out []string
	for _, m := range mf.GetMetric() {
		var labels []string
		for _, lp := range m.GetLabel() {
			labels = append(labels, lp.GetName()+"="+lp.GetValue())
		}
		sort.Strings(labels)
		v := ""
		switch {
		case m.Gauge != nil:
			v = m.GetGauge().String()
		case m.Counter != nil:
			v = m.GetCounter().String()
		case m.Histogram != nil:
			v = m.GetHistogram().String()
		}
		out = append(out, strings.Join(labels, ",")+" "+v)
	}
	sort.Strings(out)
	return out
}

// TestTheWrittenExpositionIsWhatGatherGives: /metrics writes the snapshots
// without client_golang's Gather; what it writes parses to exactly the
// families, series and values the registries gather, help and type
// included.
func TestTheWrittenExpositionIsWhatGatherGives(t *testing.T) {
	f := startFleet(t, "")
	f.ahsay.SeedHistory("", "quoter", backupapitestHistoryWithOddName())
	tg := f.exp.byName["cbs"]
	tg.refreshOnce(t.Context())

	_, written := f.get(t, "/metrics")
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(f.exp.Gatherer(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, 200, rec.Code, rec.Body.String())
	got, want := families(t, written), families(t, rec.Body.String())
	require.Equal(t, len(want), len(got), "the same families")
	for name, mf := range want {
		t.Run(name, func(t *testing.T) {
			g, ok := got[name]
			require.True(t, ok)
			assert.Equal(t, mf.GetHelp(), g.GetHelp())
			assert.Equal(t, mf.GetType(), g.GetType())
			assert.Equal(t, flatten(mf), flatten(g))
		})
	}
	assert.Contains(t, written, `set="Say \"hi\"\\ \nbye"`, "label values escaped as the text format wants")
}

func TestTheExpositionIsGzippedWhenAsked(t *testing.T) {
	f := startFleet(t, "")
	req, _ := http.NewRequest(http.MethodGet, f.url+"/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain; version=0.0.4")
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	b, err := io.ReadAll(zr)
	require.NoError(t, err)
	fams := families(t, string(b))
	assert.Contains(t, fams, "backupapi_ahsay_backup_set_overdue")
	assert.Contains(t, fams, "backupapi_up")
}
