package exporter

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/prometheus/client_golang/prometheus"
)

// refresher reads a target once: a new snapshot built from the previous
// one (for the sections it cannot read), and the errors it met on the way
// that did not fail the refresh (by kind).
type refresher interface {
	refresh(ctx context.Context, prev *snapshot) (*snapshot, map[string]int, error)
	close(ctx context.Context)
	// prepare reads the credentials and builds the SDK client, without a
	// call: what would fail every refresh the same way fails at start.
	prepare() error
}

// target runs one target's refreshes and holds what a scrape serves.
type target struct {
	cfg Target
	r   refresher
	log *slog.Logger
	now func() time.Time

	mu          sync.Mutex
	snap        *snapshot // the last good one
	attempted   bool      // a refresh has ended, well or not
	errKind     string    // the last refresh's error kind, "" when it succeeded
	lastOK      time.Time
	lastTook    time.Duration
	results     map[string]float64 // refreshes by result
	errorsTotal map[string]float64 // errors by kind
	done        chan struct{}      // closed once the first refresh has ended
}

func newTarget(cfg Target, r refresher, log *slog.Logger) *target {
	return &target{cfg: cfg, r: r, log: log.With("target", cfg.Name, "type", cfg.Type), now: time.Now,
		results: map[string]float64{}, errorsTotal: zeroCounts(errorKinds), done: make(chan struct{})}
}

// run refreshes on the target's interval until ctx ends. Refreshes never
// overlap; one that takes longer than the interval delays the next.
func (t *target) run(ctx context.Context) {
	interval := time.Duration(t.cfg.Interval)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		t.refreshOnce(ctx)
		timer.Reset(interval)
	}
}

// refreshOnce runs one refresh, bounded by the target's timeout, and
// publishes its result.
func (t *target) refreshOnce(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(t.cfg.Timeout))
	defer cancel()
	t.mu.Lock()
	prev := t.snap
	t.mu.Unlock()
	start := t.now()
	snap, partial, err := t.refreshGuarded(ctx, prev)
	took := t.now().Sub(start)

	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.attempted {
		t.attempted = true
		close(t.done)
	}
	t.lastTook = took
	for kind, n := range partial {
		t.errorsTotal[kind] += float64(n)
	}
	if err != nil {
		kind := errorKind(ctx, err)
		t.errKind = kind
		t.errorsTotal[kind]++
		t.results["error"]++
		t.log.Warn("refresh failed", "error_kind", kind, "error", err.Error(), "took_seconds", took.Seconds())
		return
	}
	t.snap, t.errKind, t.lastOK = snap, "", snap.at
	t.results["success"]++
	t.log.Info("refreshed", "series", len(snap.order), "took_seconds", took.Seconds(), "partial_errors", len(partial))
}

// errRefreshPanicked is the error of a refresh that panicked: the target
// is down (error kind "other") until a refresh succeeds, and the other
// targets and the exporter go on.
var errRefreshPanicked = errors.New("the refresh panicked (a defect: please report it with the log line)")

// refreshGuarded is the refresher's refresh, with a panic in it turned
// into errRefreshPanicked (logged with its value), so that one target's
// defect never stops the exporter.
func (t *target) refreshGuarded(ctx context.Context, prev *snapshot) (snap *snapshot, partial map[string]int, err error) {
	defer func() {
		if v := recover(); v != nil {
			t.log.Error("refresh panicked", "panic", panicText(v))
			snap, partial, err = nil, nil, errRefreshPanicked
		}
	}()
	return t.r.refresh(ctx, prev)
}

// served returns the snapshot a scrape serves: the last good one, unless
// it is older than KeepLastGood.
func (t *target) served() (*snapshot, *targetState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := &targetState{errKind: t.errKind, lastOK: t.lastOK, took: t.lastTook, attempted: t.attempted,
		results: cloneCounts(t.results), errors: cloneCounts(t.errorsTotal)}
	snap := t.snap
	if snap != nil && t.now().Sub(snap.at) > time.Duration(t.cfg.KeepLastGood) {
		snap = nil
	}
	return snap, st
}

// targetState is a copy of a target's own state, for one scrape.
type targetState struct {
	errKind         string
	lastOK          time.Time
	took            time.Duration
	attempted       bool
	results, errors map[string]float64
}

func cloneCounts(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// collectState sends the target's own metrics (up, refreshes, errors) and
// returns the snapshot they describe.
func (t *target) collectState(ch chan<- prometheus.Metric) *snapshot {
	snap, st := t.served()
	up := 1.0
	if st.errKind != "" || !st.attempted {
		up = 0
	}
	errLabel := st.errKind
	if !st.attempted {
		errLabel = "not_yet_refreshed"
	}
	ch <- prometheus.MustNewConstMetric(mUp.desc, prometheus.GaugeValue, up, t.cfg.Name, t.cfg.Type, errLabel)
	lastOK := 0.0
	if !st.lastOK.IsZero() {
		lastOK = float64(st.lastOK.UnixMilli()) / 1000
	}
	ch <- prometheus.MustNewConstMetric(mLastRefresh.desc, prometheus.GaugeValue, lastOK, t.cfg.Name)
	ch <- prometheus.MustNewConstMetric(mRefreshDuration.desc, prometheus.GaugeValue, st.took.Seconds(), t.cfg.Name)
	for _, result := range []string{"success", "error"} {
		ch <- prometheus.MustNewConstMetric(mRefreshes.desc, prometheus.CounterValue, st.results[result], t.cfg.Name, result)
	}
	for kind, n := range st.errors {
		ch <- prometheus.MustNewConstMetric(mRefreshErrors.desc, prometheus.CounterValue, n, t.cfg.Name, kind)
	}
	series := 0.0
	if snap != nil {
		series = float64(len(snap.order))
	}
	ch <- prometheus.MustNewConstMetric(mSnapshotSeries.desc, prometheus.GaugeValue, series, t.cfg.Name)
	return snap
}

// configError is a target whose credentials cannot be read.
type configError struct{ error }

func (c configError) Unwrap() error { return c.error }

// errorKinds are every kind errorKind gives: the refresh error counter
// starts at 0 for each, so that a rate over it is defined before the
// first error (Prometheus' advice for known label values).
var errorKinds = []string{"config", "timeout", "auth", "permission", "unavailable", "unexpected_response", "server", "not_found", "other"}

// zeroCounts is a count of 0 for each key.
func zeroCounts(keys []string) map[string]float64 {
	m := make(map[string]float64, len(keys))
	for _, k := range keys {
		m[k] = 0
	}
	return m
}

// errorKind names an error for the error label: a bounded set
// (errorKinds).
func errorKind(ctx context.Context, err error) string {
	var ce configError
	switch {
	case errors.As(err, &ce):
		return "config"
	case errors.Is(err, context.DeadlineExceeded) || (ctx != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)):
		return "timeout"
	case errors.Is(err, backupapi.ErrAuthentication):
		return "auth"
	case errors.Is(err, backupapi.ErrPermissionDenied):
		return "permission"
	case errors.Is(err, backupapi.ErrUnavailable):
		return "unavailable"
	case errors.Is(err, backupapi.ErrUnexpectedResponse):
		return "unexpected_response"
	case errors.Is(err, backupapi.ErrServer):
		return "server"
	case errors.Is(err, backupapi.ErrNotFound):
		return "not_found"
	}
	return "other"
}
