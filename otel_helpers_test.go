package backupapi_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// telemetry is an OpenTelemetry SDK that keeps everything in memory: every
// span, and the metrics on demand.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
	mp     *sdkmetric.MeterProvider
}

func newTelemetry(t *testing.T) *telemetry {
	t.Helper()
	k := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	k.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(k.spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	k.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(k.reader))
	t.Cleanup(func() {
		_ = k.tp.Shutdown(context.Background())
		_ = k.mp.Shutdown(context.Background())
	})
	return k
}

// options are the client options that record into k, with fast retries.
func (k *telemetry) options(more ...backupapi.Option) []backupapi.Option {
	return append([]backupapi.Option{backupapi.WithTracerProvider(k.tp), backupapi.WithMeterProvider(k.mp),
		backupapi.WithRetry(3, time.Millisecond, 2*time.Millisecond)}, more...)
}

// treeAttrs are the attributes a span tree shows, in this order.
var treeAttrs = []attribute.Key{"backupapi.result", "error.type", "backupapi.outcome_unknown", "backupapi.retryable",
	"backupapi.attempt", "http.request.resend_count", "http.response.status_code", "backupapi.login.waited",
	"backupapi.iterator.yielded", "backupapi.iterator.stopped_early"}

// tree renders the ended spans as an indented tree, children in the order
// they started, each with the attributes of treeAttrs it has; it fails
// the test if a span started and did not end.
func (k *telemetry) tree(t *testing.T) string {
	t.Helper()
	ended := k.spans.Ended()
	require.Len(t, ended, len(k.spans.Started()), "every span that started ended")
	children := map[string][]sdktrace.ReadOnlySpan{}
	ids := map[string]bool{}
	for _, s := range ended {
		ids[s.SpanContext().SpanID().String()] = true
	}
	var roots []sdktrace.ReadOnlySpan
	for _, s := range ended {
		if p := s.Parent().SpanID().String(); s.Parent().IsValid() && ids[p] {
			children[p] = append(children[p], s)
		} else {
			roots = append(roots, s)
		}
	}
	byStart := func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) }
	var b strings.Builder
	var walk func(s sdktrace.ReadOnlySpan, depth int)
	walk = func(s sdktrace.ReadOnlySpan, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(s.Name())
		attrs := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes() {
			attrs[kv.Key] = kv.Value
		}
		for _, key := range treeAttrs {
			if v, ok := attrs[key]; ok {
				fmt.Fprintf(&b, " %s=%s", strings.TrimPrefix(string(key), "backupapi."), v.String())
			}
		}
		if n := len(s.Links()); n > 0 {
			fmt.Fprintf(&b, " links=%d", n)
		}
		b.WriteString("\n")
		kids := children[s.SpanContext().SpanID().String()]
		slices.SortStableFunc(kids, byStart)
		for _, c := range kids {
			walk(c, depth+1)
		}
	}
	slices.SortStableFunc(roots, byStart)
	for _, r := range roots {
		walk(r, 0)
	}
	return b.String()
}

// reset forgets the spans recorded so far.
func (k *telemetry) reset() {
	k.spans = tracetest.NewSpanRecorder()
	k.tp.RegisterSpanProcessor(k.spans)
}

// metrics collects the metrics recorded so far.
func (k *telemetry) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, k.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// sum adds up a counter's points (or a histogram's counts) whose
// attributes include every one of want.
func sum(t *testing.T, m metricdata.Metrics, want ...attribute.KeyValue) float64 {
	t.Helper()
	match := func(set attribute.Set) bool {
		for _, kv := range want {
			if v, ok := set.Value(kv.Key); !ok || v != kv.Value {
				return false
			}
		}
		return true
	}
	var total float64
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				total += float64(p.Value)
			}
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				total += float64(p.Count)
			}
		}
	case metricdata.Histogram[int64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				total += float64(p.Sum)
			}
		}
	default:
		t.Fatalf("metric %s: unexpected data %T", m.Name, m.Data)
	}
	return total
}

// tracedAhsay is a fake AhsayCBS on loopback with one user, and a client
// of it recording into k.
func tracedAhsay(t *testing.T, k *telemetry, opts ...backupapi.Option) (*backupapitest.AhsayServer, *backupapi.AhsayClient) {
	t.Helper()
	srv := backupapitest.NewAhsayServer()
	t.Cleanup(srv.Close)
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1", ClientType: "OBM"})
	c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, append(k.options(backupapi.WithHTTPClient(srv.Client())), opts...)...)
	require.NoError(t, err)
	return srv, c
}

// tracedXClarity is a fake XClarity on loopback, and a client of it
// recording into k.
func tracedXClarity(t *testing.T, k *telemetry, opts ...backupapi.Option) (*backupapitest.XClarityServer, *backupapi.XClarityClient) {
	t.Helper()
	srv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(30 * time.Millisecond))
	t.Cleanup(srv.Close)
	c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, append(k.options(backupapi.WithHTTPClient(srv.Client())), opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return srv, c
}

// oneQuota is the quota list a new user needs.
var oneQuota = []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 * backupapi.GiB}}
