package main

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// otelFloor is what the OpenTelemetry SDK costs by itself for the
// telemetry #20 asks of one call, whoever makes it: a call span with one
// child span for its attempt, the call's in-flight count (up and down),
// its attempt count, its duration, the attempt's duration and the bytes
// of its answer — bare (no attributes but one per measurement), made by
// hand around the uninstrumented client's call, on the same providers as
// the instrumented client. No instrumentation that makes those spans and
// measurements can cost less, so the instrumented client is measured
// against it as well as against the uninstrumented one.
type otelFloor struct {
	call                          func() error
	active                        metric.Int64UpDownCounter
	attempts                      metric.Int64Counter
	callDuration, attemptDuration metric.Float64Histogram
	bodySize                      metric.Int64Histogram
}

func newOtelFloor(tp *sdktrace.TracerProvider, mp *sdkmetric.MeterProvider, uninstrumented func() error) (*otelFloor, error) {
	tracer := tp.Tracer("benchcmp/floor")
	meter := mp.Meter("benchcmp/floor")
	f := &otelFloor{}
	var errs [5]error
	f.active, errs[0] = meter.Int64UpDownCounter("floor.active")
	f.attempts, errs[1] = meter.Int64Counter("floor.attempts")
	f.callDuration, errs[2] = meter.Float64Histogram("floor.call.duration")
	f.attemptDuration, errs[3] = meter.Float64Histogram("floor.attempt.duration")
	f.bodySize, errs[4] = meter.Int64Histogram("floor.body.size")
	if err := firstError(errs[:]...); err != nil {
		return nil, err
	}
	set := metric.WithAttributeSet(attribute.NewSet(attribute.String("operation", "GetUser")))
	ctx := context.Background()
	f.call = func() error {
		start := time.Now()
		f.active.Add(ctx, 1, set)
		callCtx, callSpan := tracer.Start(ctx, "call")
		_, attemptSpan := tracer.Start(callCtx, "attempt")
		f.attempts.Add(ctx, 1, set)
		err := uninstrumented()
		attemptSpan.End()
		f.attemptDuration.Record(ctx, time.Since(start).Seconds(), set)
		f.bodySize.Record(ctx, 6000, set)
		callSpan.End()
		f.active.Add(ctx, -1, set)
		f.callDuration.Record(ctx, time.Since(start).Seconds(), set)
		return err
	}
	return f, nil
}
