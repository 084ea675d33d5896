package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backupapi/backupapi"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// otelClients are the contenders of the OpenTelemetry measures, each on
// its own client of the same server.
type otelClients struct {
	off     *backupapi.AhsayClient // no option: the uninstrumented client
	noop    *backupapi.AhsayClient // no-op providers given: the SDK must take them for none
	on      *backupapi.AhsayClient // the OpenTelemetry SDK, tracing every call, with metrics
	spans   *tracetest.InMemoryExporter
	tp      *sdktrace.TracerProvider
	mp      *sdkmetric.MeterProvider
	limited *backupapi.AhsayClient // WithRateLimit(50, 1)
}

func (b *bench) newOtelClients() (*otelClients, error) {
	pool := x509.NewCertPool()
	pool.AddCert(b.srv.Certificate())
	k := &otelClients{spans: tracetest.NewInMemoryExporter()}
	k.tp = sdktrace.NewTracerProvider(sdktrace.WithBatcher(k.spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	k.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	var err error
	mk := func(opts ...backupapi.Option) *backupapi.AhsayClient {
		if err != nil {
			return nil
		}
		var c *backupapi.AhsayClient
		c, err = backupapi.NewAhsayClient(b.srv.URL, sysUser, sysPwd, append(opts, backupapi.WithRootCAs(pool))...)
		return c
	}
	k.off = mk()
	k.noop = mk(backupapi.WithTracerProvider(tracenoop.NewTracerProvider()), backupapi.WithMeterProvider(metricnoop.NewMeterProvider()))
	k.on = mk(backupapi.WithTracerProvider(k.tp), backupapi.WithMeterProvider(k.mp))
	k.limited = mk(backupapi.WithRateLimit(50, 1))
	return k, err
}

func (k *otelClients) close() {
	_ = k.tp.Shutdown(context.Background())
	_ = k.mp.Shutdown(context.Background())
}

func getUserOn(ctx context.Context, c *backupapi.AhsayClient) func() error {
	return func() error {
		_, err := c.GetUser(ctx, backupapi.UserRef{LoginName: "obm2"})
		return err
	}
}

// otel: the cost of OpenTelemetry, off and on, and the rate limiter's pace.
func (b *bench) otel(ctx context.Context, o options) ([]check, error) {
	k, err := b.newOtelClients()
	if err != nil {
		return nil, err
	}
	defer k.close()
	off, noop, on := getUserOn(ctx, k.off), getUserOn(ctx, k.noop), getUserOn(ctx, k.on)
	// Warm each client alike: its connections (as many as the concurrent
	// measure opens), its caches and the SDK's aggregations, so that no
	// contender pays a first time the other does not.
	for i := 0; i < 200; i++ {
		if err := firstError(off(), noop(), on()); err != nil {
			return nil, err
		}
	}
	for _, call := range []func() error{off, noop, on} {
		if _, err := concurrently(o.goroutines, 4*o.goroutines, call); err != nil {
			return nil, err
		}
	}
	k.spans.Reset()
	// Latency: the contenders alternate call by call, in turned order, and
	// each ratio is the median of the ratios of calls made back to back.
	var offT, noopT, onT []time.Duration
	timed := func(call func() error) (time.Duration, error) {
		start := time.Now()
		err := call()
		return time.Since(start), err
	}
	for i := 0; i < o.rounds*o.otelSeq; i++ {
		calls := []func() error{off, noop, on}
		into := []*[]time.Duration{&offT, &noopT, &onT}
		for j := range 3 {
			c := (i + j) % 3
			d, err := timed(calls[c])
			if err != nil {
				return nil, err
			}
			*into[c] = append(*into[c], d)
		}
		if i%1000 == 999 {
			k.spans.Reset() // keep the exporter's memory flat
		}
	}
	ratio := func(a, base []time.Duration) float64 {
		r := make([]float64, len(a))
		for i := range a {
			r[i] = float64(a[i]) / float64(base[i])
		}
		return medianF(r)
	}
	offRatio, onRatio := ratio(noopT, offT), ratio(onT, offT)

	// Allocations per call, least of the rounds (process-wide counts only grow).
	allocs := func(call func() error) (float64, error) {
		var before, after runtime.MemStats
		// Spans still to export would be exported, and allocated for,
		// while another contender is counted.
		if err := k.tp.ForceFlush(ctx); err != nil {
			return 0, err
		}
		runtime.GC()
		runtime.ReadMemStats(&before)
		n := max(o.seqCalls/2, 500)
		for i := 0; i < n; i++ {
			if err := call(); err != nil {
				return 0, err
			}
		}
		runtime.ReadMemStats(&after)
		return float64(after.Mallocs-before.Mallocs) / float64(n), nil
	}
	var offA, noopA, onA []float64
	for r := 0; r < o.rounds; r++ {
		for _, c := range []struct {
			call func() error
			into *[]float64
		}{{off, &offA}, {noop, &noopA}, {on, &onA}} {
			a, err := allocs(c.call)
			if err != nil {
				return nil, err
			}
			*c.into = append(*c.into, a)
		}
		k.spans.Reset()
	}
	extra := math.Round(slices.Min(noopA) - slices.Min(offA)) // whole allocations: the counts are averages

	// Throughput with 64 goroutines, in chunks of the three contenders
	// back to back, in turned order: what one chunk leaves (a collection
	// due, spans still to export) falls on each alike. The floor is what
	// the OpenTelemetry SDK costs by itself for what #20 asks of a call:
	// two bare spans and six measurements, made by hand around the
	// uninstrumented client's call (floor.go).
	floorCall, err := otelFloor(k.tp, k.mp, off)
	if err != nil {
		return nil, err
	}
	if _, err := concurrently(o.goroutines, 4*o.goroutines, floorCall); err != nil {
		return nil, err
	}
	var onOff, floorOff, onFloor []float64
	// Chunk ratios on this machine spread by ±10 % (collections and the
	// span processor's exports fall in one chunk or the next): 16 triples
	// a round keep the medians within about 1.5 %.
	for r := 0; r < o.rounds*16; r++ {
		calls := []func() error{off, on, floorCall}
		rates := make([]float64, 3)
		for j := range 3 {
			c := (r + j) % 3
			rate, err := concurrently(o.goroutines, o.otelChunk, calls[c])
			if err != nil {
				return nil, err
			}
			rates[c] = rate
		}
		onOff = append(onOff, rates[1]/rates[0])
		floorOff = append(floorOff, rates[2]/rates[0])
		onFloor = append(onFloor, rates[1]/rates[2])
		k.spans.Reset()
	}
	throughput, floor, overFloor := medianF(onOff), medianF(floorOff), medianF(onFloor)

	// The rate limiter: o.rateCalls calls from 64 goroutines.
	start := time.Now()
	if _, err := concurrently(o.goroutines, o.rateCalls, getUserOn(ctx, k.limited)); err != nil {
		return nil, err
	}
	rate := float64(o.rateCalls-1) / time.Since(start).Seconds() // the first call takes the burst

	return []check{
		{measure: "GetUser latency, OpenTelemetry off (no-op providers) / uninstrumented (median of call ratios)",
			value: fmt.Sprintf("%.3f (%s vs %s)", offRatio, median(noopT).Round(time.Microsecond), median(offT).Round(time.Microsecond)), target: "<= 1.02", margin: offRatio / 1.02},
		{measure: "allocations per GetUser call, OpenTelemetry off - uninstrumented (least of rounds)",
			value: fmt.Sprintf("%+d (%.0f vs %.0f; on: %.0f)", int(extra), slices.Min(noopA), slices.Min(offA), slices.Min(onA)), target: "<= 0", margin: extra + 1e-9},
		{measure: "GetUser latency, OpenTelemetry on (SDK, every span, metrics) / off (median of call ratios)",
			value: fmt.Sprintf("%.3f (%s vs %s)", onRatio, median(onT).Round(time.Microsecond), median(offT).Round(time.Microsecond)), target: "<= 1.15", margin: onRatio / 1.15},
		{measure: fmt.Sprintf("%d goroutines, GetUser throughput: OpenTelemetry on / off, and the OpenTelemetry SDK's own floor / off (median of chunk triples)", o.goroutines),
			value: fmt.Sprintf("%.3f (floor: %.3f)", throughput, floor), target: ">= 0.90, or 0.95 x the floor", margin: min(0.90, 0.95*floor) / throughput},
		{measure: fmt.Sprintf("%d goroutines, GetUser throughput: OpenTelemetry on / the floor (the SDK's two spans and six measurements by hand; median of chunk triples)", o.goroutines),
			value: fmt.Sprintf("%.3f", overFloor), target: ">= 0.95", margin: 0.95 / overFloor},
		{measure: fmt.Sprintf("WithRateLimit(50, 1): %d calls from %d goroutines", o.rateCalls, o.goroutines),
			value: fmt.Sprintf("%.2f calls/s", rate), target: "50 ± 5 %", margin: abs(rate-50) / 2.5},
	}, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// concurrently makes calls calls from goroutines goroutines and returns
// the calls per second.
func concurrently(goroutines, calls int, call func() error) (float64, error) {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= int64(calls) {
				if err := call(); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return float64(calls) / time.Since(start).Seconds(), firstErr
}
