package main

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// TestTheFloorMakesWhatACallMustMake: the floor the instrumented client is
// measured against makes, per call, exactly the telemetry #20 asks of a
// call — a call span with one child span, the in-flight count up and
// down, one attempt, two durations and the answer's bytes — and makes
// the call itself once.
func TestTheFloorMakesWhatACallMustMake(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	calls := 0
	floor, err := otelFloor(tp, mp, func() error { calls++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := floor(); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the uninstrumented call was made %d times, want 1", calls)
	}

	got := spans.GetSpans()
	if len(got) != 2 {
		t.Fatalf("%d spans, want a call span and its attempt's", len(got))
	}
	attempt, call := got[0], got[1]
	if attempt.Parent.SpanID() != call.SpanContext.SpanID() {
		t.Errorf("the attempt's span is not the call span's child")
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	points := map[string]int64{} // sums of counters, counts of histograms
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					points[m.Name] += p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					points[m.Name] += int64(p.Count)
				}
			case metricdata.Histogram[int64]:
				for _, p := range d.DataPoints {
					points[m.Name] += int64(p.Count)
				}
			}
		}
	}
	want := map[string]int64{"floor.active": 0, "floor.attempts": 1, "floor.call.duration": 1, "floor.attempt.duration": 1, "floor.body.size": 1}
	for name, n := range want {
		if v, ok := points[name]; !ok || v != n {
			t.Errorf("%s: %d (recorded: %v), want %d", name, v, ok, n)
		}
	}
	if len(points) != len(want) {
		t.Errorf("metrics %v, want exactly %v", points, want)
	}
}
