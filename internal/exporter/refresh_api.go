package exporter

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Snapshot is one completed refresh of a target, for tools that measure
// the exporter (internal/benchcmp): what a scrape would serve.
type Snapshot struct{ s *snapshot }

// Series is how many series the snapshot holds.
func (s *Snapshot) Series() int { return len(s.s.order) }

// Handler serves the snapshot's series as /metrics does: written from the
// snapshot, without client_golang's Gather.
func (s *Snapshot) Handler() http.Handler {
	empty := prometheus.NewRegistry()
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		_ = writeExposition(w, empty, []*snapshot{s.s})
	})
}

// Collector serves the snapshot's series as const metrics, for a registry.
func (s *Snapshot) Collector() prometheus.Collector { return snapshotCollector{s.s} }

type snapshotCollector struct{ s *snapshot }

func (c snapshotCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range Metrics {
		ch <- m.desc
	}
}

func (c snapshotCollector) Collect(ch chan<- prometheus.Metric) { c.s.collect(ch) }

// Each calls fn for every series: its name, label pairs and value.
func (s *Snapshot) Each(fn func(name string, labels map[string]string, value float64)) {
	names := map[*prometheus.Desc]string{}
	for _, m := range Metrics {
		names[m.desc] = m.Name
	}
	for _, i := range s.s.order {
		sm := &s.s.samples[i]
		labels := make(map[string]string, len(sm.labels))
		for _, lp := range sm.labels {
			labels[lp.GetName()] = lp.GetValue()
		}
		fn(names[sm.desc], labels, sm.value)
	}
}

// Refresher refreshes one target as the exporter does in the background,
// keeping its SDK client (and its connections) from one refresh to the next.
type Refresher struct {
	r    refresher
	prev *snapshot
}

// NewRefresher builds a target's refresher, with the target's defaults
// filled in and extra SDK options.
func NewRefresher(t Target, opts ...backupapi.Option) (*Refresher, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	r, err := newRefresher(t, opts)
	if err != nil {
		return nil, err
	}
	return &Refresher{r: r}, nil
}

// Refresh runs one refresh; the previous snapshot is only used for what
// this one cannot read.
func (r *Refresher) Refresh(ctx context.Context) (*Snapshot, error) {
	snap, _, err := r.r.refresh(ctx, r.prev)
	if err != nil {
		return nil, err
	}
	return &Snapshot{snap}, nil
}

// Close ends the refresher's sessions.
func (r *Refresher) Close(ctx context.Context) { r.r.close(ctx) }

// newRefresher builds the refresher of a target's type.
func newRefresher(t Target, opts []backupapi.Option) (refresher, error) {
	switch t.Type {
	case TypeAhsay:
		return &ahsayRefresher{cfg: t, policy: t.Freshness.Policy(), opts: opts, now: time.Now}, nil
	case TypeXClarity:
		return &xclarityRefresher{cfg: t, opts: opts, now: time.Now}, nil
	}
	return nil, fmt.Errorf("target %q: type %q", t.Name, t.Type)
}
