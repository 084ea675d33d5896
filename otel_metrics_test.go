package backupapi_test

import (
	"context"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
)

func op(name string) attribute.KeyValue     { return attribute.String("backupapi.operation", name) }
func result(name string) attribute.KeyValue { return attribute.String("backupapi.result", name) }

// TestMetricPoints runs the span trees' scenarios on one client of each
// product and reads the points they left.
func TestMetricPoints(t *testing.T) {
	ctx := context.Background()
	k := newTelemetry(t)
	srv, c := tracedAhsay(t, k)
	_, err := c.GetUser(ctx, alice) // a success
	require.NoError(t, err)
	srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: 503})
	_, err = c.GetUser(ctx, alice) // a retried 503
	require.NoError(t, err)
	srv.Inject(backupapitest.OpAddUser, backupapitest.Fault{Drop: backupapitest.DropAfterAct})
	err = c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "bob"}, Password: "pw-Bob-12", QuotaList: oneQuota})
	require.ErrorIs(t, err, backupapi.ErrOutcomeUnknown)
	for _, err := range c.AllUsers(ctx, nil) { // an early break
		require.NoError(t, err)
		break
	}

	xsrv, xc := tracedXClarity(t, k)
	_, err = xc.ListBackups(ctx)
	require.NoError(t, err)
	xsrv.Inject(backupapitest.OpListBackups, backupapitest.Fault{Status: 401})
	_, err = xc.ListBackups(ctx) // a re-login
	require.NoError(t, err)

	// A login refused, then held.
	refused, err := backupapi.NewXClarityClient(xsrv.URL, xsrv.Username, "wrong-Password-1", k.options(backupapi.WithHTTPClient(xsrv.Client()))...)
	require.NoError(t, err)
	_, err = refused.ListBackups(ctx)
	require.ErrorIs(t, err, backupapi.ErrAuthentication)
	_, err = refused.ListBackups(ctx)
	require.ErrorIs(t, err, backupapi.ErrAuthentication)

	m := k.metrics(t)
	ahsay := attribute.String("backupapi.product", "ahsay")
	xclarity := attribute.String("backupapi.product", "xclarity")
	for _, tc := range []struct {
		name   string
		metric string
		attrs  []attribute.KeyValue
		want   float64
	}{
		{"two GetUser calls succeeded", "backupapi.client.operation.duration", []attribute.KeyValue{ahsay, op("GetUser"), result("ok")}, 2},
		{"one AddUser ended outcome-unknown", "backupapi.client.operation.duration", []attribute.KeyValue{ahsay, op("AddUser"), result("ErrOutcomeUnknown")}, 1},
		{"AllUsers' call succeeded", "backupapi.client.operation.duration", []attribute.KeyValue{ahsay, op("ListUsers"), result("ok")}, 1},
		{"GetUser made three attempts", "backupapi.client.attempts", []attribute.KeyValue{ahsay, op("GetUser")}, 3},
		{"one of them a retry", "backupapi.client.retries", []attribute.KeyValue{ahsay, op("GetUser")}, 1},
		{"AddUser was not retried", "backupapi.client.retries", []attribute.KeyValue{ahsay, op("AddUser")}, 0},
		{"no Ahsay call is left in flight", "backupapi.client.active_operations", []attribute.KeyValue{ahsay}, 0},
		{"the re-login resent ListBackups", "backupapi.client.retries", []attribute.KeyValue{xclarity, op("ListBackups")}, 1},
		{"two XClarity ListBackups succeeded", "backupapi.client.operation.duration", []attribute.KeyValue{xclarity, op("ListBackups"), result("ok")}, 2},
		{"the refused client failed twice", "backupapi.client.operation.duration", []attribute.KeyValue{xclarity, op("ListBackups"), result("ErrAuthentication")}, 2},
		{"logins: two that worked, one refused", "backupapi.client.operation.duration", []attribute.KeyValue{xclarity, op("Login")}, 3},
		{"one login failure", "backupapi.client.login.failures", []attribute.KeyValue{result("ErrAuthentication")}, 1},
		{"one call held back", "backupapi.client.login.held", nil, 1},
		{"no XClarity call is left in flight", "backupapi.client.active_operations", []attribute.KeyValue{xclarity}, 0},
		{"the 503 answer is an HTTP attempt of its own", "http.client.request.duration",
			[]attribute.KeyValue{attribute.Int("http.response.status_code", 503), attribute.String("url.template", "/obs/api/json/2/GetUser.do")}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := m[tc.metric]
			require.True(t, ok, "metric %s recorded", tc.metric)
			assert.Equal(t, tc.want, sum(t, got, tc.attrs...))
		})
	}
	t.Run("bytes were received", func(t *testing.T) {
		assert.Positive(t, sum(t, m["http.client.response.body.size"]))
	})
}
