package backupapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

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
		{"no-op providers by pointer", []Option{WithTracerProvider(&tracenoop.TracerProvider{}), WithMeterProvider(&metricnoop.MeterProvider{})}},
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
				"endAbandoned":   func() { core.endAbandoned(&cc.st) },
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
