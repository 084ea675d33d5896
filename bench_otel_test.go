package backupapi_test

import (
	"context"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/jarcoal/httpmock"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// BenchmarkGetUserTelemetry is one GetUser against a local TLS server,
// without providers and with the OpenTelemetry SDK (every span, into an
// in-memory exporter, and metrics), sequentially and from many goroutines:
// what the instrumented path costs (internal/benchcmp gates the ratios).
func BenchmarkGetUserTelemetry(b *testing.B) {
	body, err := os.ReadFile("testdata/ahsay/GetUser_1.fixed-missing-quote.json")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	spans, on := benchTelemetry(b)
	for _, tc := range []struct {
		name string
		opts []backupapi.Option
	}{
		{"off", nil},
		{"on", on},
	} {
		c, err := backupapi.NewAhsayClient(srv.URL, "system", "secret-pwd", append(tc.opts, backupapi.WithRootCAs(pool))...)
		if err != nil {
			b.Fatal(err)
		}
		call := func() {
			if _, err := c.GetUser(context.Background(), backupapi.UserRef{LoginName: "obm2"}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				call()
			}
			spans.Reset()
		})
		b.Run(tc.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(32) // 64 goroutines on 2 cores
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					call()
				}
			})
			spans.Reset()
		})
	}
}

// BenchmarkGetUserTelemetryMocked is GetUser on an in-memory transport,
// without providers and with the OpenTelemetry SDK: the instrumentation's
// own cost, without the network's noise.
func BenchmarkGetUserTelemetryMocked(b *testing.B) {
	body, err := os.ReadFile("testdata/ahsay/GetUser_1.fixed-missing-quote.json")
	if err != nil {
		b.Fatal(err)
	}
	spans, on := benchTelemetry(b)
	for _, tc := range []struct {
		name string
		opts []backupapi.Option
	}{
		{"off", nil},
		{"on", on},
	} {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) { return httpmock.NewBytesResponse(200, body), nil })
		c, err := backupapi.NewAhsayClient("https://cbs.example.com", "system", "secret-pwd", append(tc.opts, backupapi.WithHTTPClient(&http.Client{Transport: mt}))...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := c.GetUser(context.Background(), backupapi.UserRef{LoginName: "obm2"}); err != nil {
					b.Fatal(err)
				}
				if i%1000 == 999 {
					spans.Reset()
				}
			}
		})
	}
}

// benchTelemetry is the OpenTelemetry SDK the telemetry benchmarks turn
// on: every span sampled into an in-memory exporter (behind the batch
// processor, as a program would have it), and metrics read by hand; on
// holds the client options that give them, and both providers are shut
// down when the benchmark ends.
func benchTelemetry(b *testing.B) (spans *tracetest.InMemoryExporter, on []backupapi.Option) {
	spans = tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	return spans, []backupapi.Option{backupapi.WithTracerProvider(tp), backupapi.WithMeterProvider(mp)}
}
