package backupapi

import (
	"fmt"
	"math"

	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// obsConfig is what the observability and flow-control options set.
// Its zero value is off: no spans, no metrics, no limits, no cost.
type obsConfig struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	propagators    propagation.TextMapPropagator
	ratePerSecond  float64 // 0: no rate limit
	burst          int
	maxInFlight    int // 0: no cap
}

// WithTracerProvider makes the client record OpenTelemetry spans through
// tp: one span per SDK call, named by product and operation ("ahsay
// GetUser", "xclarity CopyBackup"), with one child span per HTTP attempt
// following OpenTelemetry's HTTP client conventions; one span per waiter
// or iterator (WaitForJob, AllUsers, AllBackupJobs) around its calls; and,
// on XClarity, one span per login, linked from the calls that waited for
// it. Spans carry no secret, request or answer body, URL with an ID, or
// server message. A nil or no-op provider records nothing and costs
// nothing.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) {
		switch tp.(type) {
		case tracenoop.TracerProvider, *tracenoop.TracerProvider:
			tp = nil
		}
		c.obs.tracerProvider = tp
	}
}

// WithMeterProvider makes the client record OpenTelemetry metrics through
// mp (see the README's table of names, units and attributes): the
// duration of each call by product, operation and result, HTTP attempts
// and retries, calls in flight, XClarity login failures and held
// refusals, and the bytes received. A nil or no-op provider records
// nothing and costs nothing.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) {
		switch mp.(type) {
		case metricnoop.MeterProvider, *metricnoop.MeterProvider:
			mp = nil
		}
		c.obs.meterProvider = mp
	}
}

// WithPropagators makes the client send the trace context of each HTTP
// attempt to the server in the headers p writes (with
// propagation.TraceContext{}, a traceparent header). Without it nothing is
// sent: appliances ignore the header and some proxies refuse unknown ones.
// It needs WithTracerProvider to have a span to propagate, or a span in
// the call's context.
func WithPropagators(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.obs.propagators = p }
}

// WithRateLimit lets the client send at most perSecond HTTP requests a
// second, with bursts of up to burst, over all its calls together
// (iterators, waiters and AllBackupJobs' workers included). Every attempt
// takes its turn, retries too (after their backoff); the wait is not part
// of the attempt, which WithTimeout bounds once it has its turn. A call
// waiting for its turn ends when its context does, and then counts as not
// sent: it never matches ErrOutcomeUnknown. perSecond must be positive and
// finite and burst at least 1; otherwise the constructor returns an error
// naming the option (a mistake in the program, so it matches no sentinel,
// as every constructor error).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *config) {
		if !(perSecond > 0) || math.IsInf(perSecond, 1) || burst < 1 {
			c.errs = append(c.errs, fmt.Errorf("WithRateLimit(%v, %d): need 0 < perSecond < +Inf and burst >= 1", perSecond, burst))
			return
		}
		c.obs.ratePerSecond, c.obs.burst = perSecond, burst
	}
}

// WithMaxInFlight lets the client have at most n HTTP requests under way
// at once, over all its calls together. A request is under way from the
// moment it is sent until its answer's body is closed; a streamed answer
// (AllUsers) only until its headers arrive, so that the loop over it may
// make calls of its own. Waiting for a place works as for WithRateLimit.
// n must be at least 1; otherwise the constructor returns an error naming
// the option.
func WithMaxInFlight(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.errs = append(c.errs, fmt.Errorf("WithMaxInFlight(%d): need n >= 1", n))
			return
		}
		c.obs.maxInFlight = n
	}
}
