package backupapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// TestTheOffPathCostsNothing: without a provider, a propagator or flow
// control, the client has no observer, and every hook on the call path
// allocates nothing.
func TestTheOffPathCostsNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"no option", nil},
		{"nil providers", []Option{WithTracerProvider(nil), WithMeterProvider(nil)}},
		{"no-op providers", []Option{WithTracerProvider(tracenoop.NewTracerProvider()), WithMeterProvider(metricnoop.NewMeterProvider())}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, tc.opts...)
			require.NoError(t, err)
			core := c.core
			require.Nil(t, core.obs, "no observer")
			for _, hc := range []*http.Client{core.retry.HTTPClient, core.stream.HTTPClient, core.upload} {
				_, wrapped := hc.Transport.(*attemptTransport)
				assert.False(t, wrapped, "no attempt transport")
			}
			ctx := context.Background()
			cc := newCallContext(ctx, "GetUser", true)
			failure := errors.New("x")
			for name, hook := range map[string]func(){
				"startCall":      func() { core.startCall(cc) },
				"endCall":        func() { _ = core.endCall(&cc.st, failure) },
				"policyOf":       func() { _ = policyOf(cc) },
				"retryClient":    func() { _ = core.retryClient(&cc.st, core.retry) },
				"startOp":        func() { _, s := core.startOp(ctx, "WaitForJob"); s.end(failure) },
				"observeIter":    func() { _, _, end := observeIter(core, ctx, "AllUsers", func(User, error) bool { return true }); end() },
				"loginTrace":     func() { _ = core.loginTrace(ctx, nil) },
				"loginHeld":      func() { core.loginHeld() },
				"attemptTimeout": func() { _ = core.attemptTimeout(&cc.st) },
			} {
				assert.Zero(t, testing.AllocsPerRun(100, hook), "%s allocates", name)
			}
		})
	}
}

// TestTheOffPathAllocatesAsBefore: a whole GetUser call allocates the same
// with no option as with no-op providers, which the SDK takes for none.
func TestTheOffPathAllocatesAsBefore(t *testing.T) {
	body := fixture(t, "ahsay/GetUser_1.fixed-missing-quote.json")
	measure := func(opts ...Option) float64 {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			return httpmock.NewBytesResponse(http.StatusOK, body), nil
		})
		c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, append(opts, WithHTTPClient(&http.Client{Transport: mt}))...)
		require.NoError(t, err)
		return testing.AllocsPerRun(200, func() {
			_, err := c.GetUser(context.Background(), UserRef{LoginName: "obm2"})
			require.NoError(t, err)
		})
	}
	measure() // the process's first calls fill pools and caches
	noops := []Option{WithTracerProvider(tracenoop.NewTracerProvider()), WithMeterProvider(metricnoop.NewMeterProvider())}
	plain := min(measure(), measure())
	noop := min(measure(noops...), measure(noops...))
	assert.Equal(t, plain, noop)
}
