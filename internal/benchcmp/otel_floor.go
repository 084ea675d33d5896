package main

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// otelFloor returns what the OpenTelemetry SDK costs by itself for the
// telemetry #20 asks of one call, whoever makes it: a call span with one
// child span for its attempt, the call's in-flight count (up and down),
// its attempt count, its duration, the attempt's duration and the bytes
// of its answer — bare (no attributes but one per measurement), made by
// hand around the uninstrumented client's call, on the same providers as
// the instrumented client. No instrumentation that makes those spans and
// measurements can cost less, so the instrumented client is measured
// against it as well as against the uninstrumented one.
func otelFloor(tp *sdktrace.TracerProvider, mp *sdkmetric.MeterProvider, uninstrumented func() error) (func() error, error) {
	tracer := tp.Tracer("benchcmp/floor")
	meter := mp.Meter("benchcmp/floor")
	var (
		errs            [5]error
		active          metric.Int64UpDownCounter
		attempts        metric.Int64Counter
		callDuration    metric.Float64Histogram
		attemptDuration metric.Float64Histogram
		bodySize        metric.Int64Histogram
	)
	active, errs[0] = meter.Int64UpDownCounter("floor.active")
	attempts, errs[1] = meter.Int64Counter("floor.attempts")
	callDuration, errs[2] = meter.Float64Histogram("floor.call.duration")
	attemptDuration, errs[3] = meter.Float64Histogram("floor.attempt.duration")
	bodySize, errs[4] = meter.Int64Histogram("floor.body.size")
	if err := firstError(errs[:]...); err != nil {
		return nil, err
	}
	set := metric.WithAttributeSet(attribute.NewSet(attribute.String("operation", "GetUser")))
	ctx := context.Background()
	return func() error {
		start := time.Now()
		active.Add(ctx, 1, set)
		callCtx, callSpan := tracer.Start(ctx, "call")
		_, attemptSpan := tracer.Start(callCtx, "attempt")
		attempts.Add(ctx, 1, set)
		err := uninstrumented()
		attemptSpan.End()
		attemptDuration.Record(ctx, time.Since(start).Seconds(), set)
		bodySize.Record(ctx, 6000, set)
		callSpan.End()
		active.Add(ctx, -1, set)
		callDuration.Record(ctx, time.Since(start).Seconds(), set)
		return err
	}, nil
}
