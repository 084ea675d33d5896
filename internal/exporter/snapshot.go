package exporter

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// snapshot is one completed refresh of a target: immutable once built, so
// that a scrape reads it without a lock while the next one is built.
type snapshot struct {
	at      time.Time // when the refresh ended
	samples []sample
	// sections are the samples' ranges by what they came from ("user
	// alice", "license"), so that a section the next refresh cannot read
	// is carried over from this one (the last-good-values rule).
	sections map[string]span
}

type span struct{ from, to int }

// builder builds a snapshot section by section.
type builder struct {
	s       snapshot
	open    string
	openAt  int
	carried int // sections carried over from the previous snapshot
}

func newBuilder(sizeHint int) *builder {
	return &builder{s: snapshot{samples: make([]sample, 0, sizeHint), sections: map[string]span{}}}
}

// section starts the samples of one section ("" for none).
func (b *builder) section(name string) {
	b.closeSection()
	b.open, b.openAt = name, len(b.s.samples)
}

func (b *builder) closeSection() {
	if b.open != "" && len(b.s.samples) > b.openAt {
		b.s.sections[b.open] = span{b.openAt, len(b.s.samples)}
	}
	b.open = ""
}

// gauge adds one sample with its own labels.
func (b *builder) gauge(info *MetricInfo, value float64, labelValues ...string) {
	b.s.samples = append(b.s.samples, sample{desc: info.desc, labels: labelSet(info, labelValues...), value: value})
}

// shared adds a sample whose label pairs are shared with others.
func (b *builder) shared(info *MetricInfo, pairs []*dto.LabelPair, value float64) {
	b.s.samples = append(b.s.samples, sample{desc: info.desc, labels: pairs, value: value})
}

// carry copies a section of the previous snapshot, if it has it.
func (b *builder) carry(prev *snapshot, name string) {
	if prev == nil {
		return
	}
	sp, ok := prev.sections[name]
	if !ok {
		return
	}
	b.section(name)
	b.s.samples = append(b.s.samples, prev.samples[sp.from:sp.to]...)
	b.closeSection()
	b.carried++
}

func (b *builder) done(at time.Time) *snapshot {
	b.closeSection()
	b.s.at = at
	return &b.s
}

// collect sends the snapshot's samples.
func (s *snapshot) collect(ch chan<- prometheus.Metric) {
	for i := range s.samples {
		ch <- &s.samples[i]
	}
}
