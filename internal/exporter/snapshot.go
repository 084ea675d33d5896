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
	carried int           // sections carried over from the previous snapshot
	readAt  time.Time     // when this refresh reads: its sections' readAt
	keep    time.Duration // a carried section older than this is dropped (0: never)
	// pairs interns the pairs of the labels with few values (target,
	// owner, outcome, module, ...) for the snapshot; a per-series label
	// (perSeriesLabel) is never held here, so the map's size does not
	// grow with the users or sets a refresh reads.
	pairs map[[2]string]*dto.LabelPair
	buf   []byte // scratch for a label set's text
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

// perSeriesLabel reports whether a label's values are as many as the
// series (a user's login, a set's name or ID): its pair is made for the
// label set that needs it, and shared by hand where another section's
// set holds the same value (userPairs), never interned for the whole
// refresh, which would hold one entry per user until the snapshot ends.
func perSeriesLabel(name string) bool {
	switch name {
	case "user", "set", "set_id":
		return true
	}
	return false
}

// pair returns a label pair: one of a label with few values is made once
// per snapshot, one of a per-series label each time.
func (b *builder) pair(name, value string) *dto.LabelPair {
	if perSeriesLabel(name) {
		return newPair(name, value)
	}
	k := [2]string{name, value}
	p, ok := b.pairs[k]
	if !ok {
		p = newPair(name, value)
		b.pairs[k] = p
	}
	return p
}

func newPair(name, value string) *dto.LabelPair {
	return &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)}
}

// labelSet is one series' label pairs, sorted by name, and their text as
// the text format writes it ({a="b",...}), made once when the set is
// built and shared by every sample that uses the set.
type labelSet struct {
	pairs []*dto.LabelPair
	text  string
}

// set makes a label set of sorted pairs, rendering its text.
func (b *builder) set(pairs []*dto.LabelPair) labelSet {
	slices.SortFunc(pairs, func(x, y *dto.LabelPair) int { return strings.Compare(x.GetName(), y.GetName()) })
	if len(pairs) == 0 {
		return labelSet{}
	}
	b.buf = appendLabels(b.buf[:0], pairs)
	return labelSet{pairs: pairs, text: string(b.buf)}
}

// labels builds a metric's label set from its values, in the order of
// info.Labels. A pair in given is used for the label it names (its value
// wins), so that samples of two sections share one pair.
func (b *builder) labels(info *MetricInfo, values []string, given ...*dto.LabelPair) labelSet {
	out := make([]*dto.LabelPair, len(info.Labels))
	for i, name := range info.Labels {
		if p := pairNamed(given, name); p != nil {
			out[i] = p
			continue
		}
		out[i] = b.pair(name, values[i])
	}
	return b.set(out)
}

// pairNamed is the pair of pairs with the name, or nil.
func pairNamed(pairs []*dto.LabelPair, name string) *dto.LabelPair {
	for _, p := range pairs {
		if p.GetName() == name {
			return p
		}
	}
	return nil
}

// with returns a label set with one more pair.
func (b *builder) with(ls labelSet, name, value string) labelSet {
	out := make([]*dto.LabelPair, 0, len(ls.pairs)+1)
	out = append(out, ls.pairs...)
	out = append(out, b.pair(name, value))
	return b.set(out)
}

// gauge adds one sample with its own label set.
func (b *builder) gauge(info *MetricInfo, value float64, labelValues ...string) {
	b.shared(info, b.labels(info, labelValues), value)
}

// shared adds a sample whose label set is shared with others.
func (b *builder) shared(info *MetricInfo, ls labelSet, value float64) {
	b.s.samples = append(b.s.samples, sample{desc: info.desc, labels: ls.pairs, text: ls.text, value: value})
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

// done ends the snapshot: the samples are grouped by family. It holds
// nothing beyond the snapshot: each label set's text was made with the
// set (labelSet), a carried sample keeps the text it came with.
func (b *builder) done(at time.Time) *snapshot {
	b.closeSection()
	b.s.at = at
	b.pairs, b.buf = nil, nil
	b.s.index()
	return &b.s
}

// collect sends the snapshot's series, each once (see index).
func (s *snapshot) collect(ch chan<- prometheus.Metric) {
	for _, i := range s.order {
		ch <- &s.samples[i]
	}
}
