package exporter

import (
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// snapshot is one completed refresh of a target: immutable once built, so
// that a scrape reads it without a lock while the next one is built.
type snapshot struct {
	at      time.Time // when the refresh ended
	samples []sample
	// sections are the samples' ranges by what they came from ("user
	// alice", "license"), so that a section the next refresh cannot read
	// is carried over from this one (the last-good-values rule), until
	// keep_last_good after it was last read.
	sections map[string]span
	// order lists the samples grouped by family, in Metrics order;
	// famStart[f] is where family f starts in it (see index).
	order    []int32
	famStart []int32
}

// span is a section's samples and when they were read from the server
// (a carried section keeps its first reading's time).
type span struct {
	from, to int
	readAt   time.Time
}

// builder builds a snapshot section by section.
type builder struct {
	s       snapshot
	open    string
	openAt  int
	carried int                          // sections carried over from the previous snapshot
	readAt  time.Time                    // when this refresh reads: its sections' readAt
	keep    time.Duration                // a carried section older than this is dropped (0: never)
	pairs   map[[2]string]*dto.LabelPair // label pairs shared within the snapshot
}

func newBuilder(sizeHint int) *builder {
	return &builder{s: snapshot{samples: make([]sample, 0, sizeHint), sections: map[string]span{}},
		pairs: map[[2]string]*dto.LabelPair{}}
}

// section starts the samples of one section ("" for none).
func (b *builder) section(name string) {
	b.closeSection()
	b.open, b.openAt = name, len(b.s.samples)
}

func (b *builder) closeSection() {
	if b.open != "" && len(b.s.samples) > b.openAt {
		b.s.sections[b.open] = span{b.openAt, len(b.s.samples), b.readAt}
	}
	b.open = ""
}

// pair returns a label pair; shared ones are made once per snapshot.
func (b *builder) pair(name, value string, share bool) *dto.LabelPair {
	if !share {
		return &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)}
	}
	k := [2]string{name, value}
	p, ok := b.pairs[k]
	if !ok {
		p = &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)}
		b.pairs[k] = p
	}
	return p
}

// labels builds a metric's label pairs, sorted by name; the values of the
// labels named in unique get pairs of their own, the others shared ones.
func (b *builder) labels(info *MetricInfo, values []string, unique ...string) []*dto.LabelPair {
	out := make([]*dto.LabelPair, len(info.Labels))
	for i, name := range info.Labels {
		out[i] = b.pair(name, values[i], !slices.Contains(unique, name))
	}
	slices.SortFunc(out, func(x, y *dto.LabelPair) int { return strings.Compare(x.GetName(), y.GetName()) })
	return out
}

// with returns pairs and one more shared pair, sorted.
func (b *builder) with(pairs []*dto.LabelPair, name, value string) []*dto.LabelPair {
	out := make([]*dto.LabelPair, 0, len(pairs)+1)
	out = append(out, pairs...)
	out = append(out, b.pair(name, value, true))
	slices.SortFunc(out, func(x, y *dto.LabelPair) int { return strings.Compare(x.GetName(), y.GetName()) })
	return out
}

// gauge adds one sample with its own labels (all shared pairs).
func (b *builder) gauge(info *MetricInfo, value float64, labelValues ...string) {
	b.s.samples = append(b.s.samples, sample{desc: info.desc, labels: b.labels(info, labelValues), value: value})
}

// shared adds a sample whose label pairs are shared with others.
func (b *builder) shared(info *MetricInfo, pairs []*dto.LabelPair, value float64) {
	b.s.samples = append(b.s.samples, sample{desc: info.desc, labels: pairs, value: value})
}

// carry copies a section of the previous snapshot, if it has it and it
// was read no longer than b.keep ago: values the server stopped giving
// are served no longer than a failing target's (keep_last_good).
func (b *builder) carry(prev *snapshot, name string) {
	if prev == nil {
		return
	}
	sp, ok := prev.sections[name]
	if !ok || (b.keep > 0 && b.readAt.Sub(sp.readAt) > b.keep) {
		return
	}
	b.closeSection()
	from := len(b.s.samples)
	b.s.samples = append(b.s.samples, prev.samples[sp.from:sp.to]...)
	b.s.sections[name] = span{from, len(b.s.samples), sp.readAt}
	b.carried++
}

// done ends the snapshot: each label set's text is made once, and the
// samples are grouped by family.
func (b *builder) done(at time.Time) *snapshot {
	b.closeSection()
	b.s.at = at
	texts := map[**dto.LabelPair]string{} // by label set: shared sets are rendered once
	for i := range b.s.samples {
		sm := &b.s.samples[i]
		if len(sm.labels) == 0 {
			sm.text = ""
			continue
		}
		key := &sm.labels[0]
		t, ok := texts[key]
		if !ok {
			t = string(appendLabels(nil, sm.labels))
			texts[key] = t
		}
		sm.text = t
	}
	b.pairs = nil
	b.s.index()
	return &b.s
}

// collect sends the snapshot's samples.
func (s *snapshot) collect(ch chan<- prometheus.Metric) {
	for i := range s.samples {
		ch <- &s.samples[i]
	}
}
