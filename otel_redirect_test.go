package backupapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestARedirectsPathIsNoRoute: the path a server redirects to is the
// server's, not one of the SDK's routes: it may hold an ID or a token, and
// it has no bound. A redirected hop's span is named by its method alone,
// and neither it nor the metrics carry the path.
func TestARedirectsPathIsNoRoute(t *testing.T) {
	const token = "7f3e9a1b0c2d4e5f"
	k := newTelemetry(t)
	srv := backupapitest.NewUnstartedAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1"})
	fake := backupapitest.Transport(srv.Handler())
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		if !strings.Contains(r.URL.Path, token) {
			return answer(r, http.StatusTemporaryRedirect, http.Header{"Location": {"/sso/" + token + r.URL.Path}}, text("")), nil
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimPrefix(r.URL.Path, "/sso/"+token)
		return fake.RoundTrip(r2)
	})
	c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd, k.options(backupapi.WithHTTPClient(&http.Client{Transport: rt}))...)
	require.NoError(t, err)
	_, err = c.GetUser(context.Background(), alice)
	require.NoError(t, err, "the redirect was followed")
	require.Len(t, k.spans.Ended(), 3, "the call, its attempt and the redirected hop")
	for _, s := range k.spans.Ended() {
		assert.NotContains(t, s.Name(), token)
		for _, kv := range s.Attributes() {
			assert.NotContains(t, kv.Value.String(), token, "span %s attribute %s", s.Name(), kv.Key)
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, k.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			for _, set := range metricSets(m) {
				for _, kv := range set.ToSlice() {
					assert.NotContains(t, kv.Value.String(), token, "metric %s attribute %s", m.Name, kv.Key)
				}
			}
		}
	}
}
