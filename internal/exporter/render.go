package exporter

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// famIndex is each metric's position in Metrics, by its description.
var famIndex = func() map[*prometheus.Desc]int {
	m := make(map[*prometheus.Desc]int, len(Metrics))
	for i, info := range Metrics {
		m[info.desc] = i
	}
	return m
}()

// index groups a snapshot's samples by family, in Metrics order, once, so
// that a scrape writes them without sorting or allocating. Within a family
// the series are sorted by their labels, as Gather sorts them, and a
// series the refresh added twice (a server that lists a user twice) is
// served once, its first sample: the exposition never holds a series
// twice, which Gather refuses. s.samples keeps them all (its sections are
// ranges of it); s.order lists the ones served.
func (s *snapshot) index() {
	counts := make([]int32, len(Metrics)+1)
	for i := range s.samples {
		counts[famIndex[s.samples[i].desc]+1]++
	}
	for f := 1; f <= len(Metrics); f++ {
		counts[f] += counts[f-1]
	}
	s.famStart = counts
	s.order = make([]int32, len(s.samples))
	next := append([]int32(nil), counts[:len(Metrics)]...)
	for i := range s.samples {
		f := famIndex[s.samples[i].desc]
		s.order[next[f]] = int32(i)
		next[f]++
	}
	w := int32(0)
	for f := range len(Metrics) {
		fam := s.order[s.famStart[f]:s.famStart[f+1]]
		slices.SortFunc(fam, func(a, b int32) int {
			return cmp.Or(strings.Compare(s.samples[a].text, s.samples[b].text), cmp.Compare(a, b))
		})
		s.famStart[f] = w
		for k, i := range fam {
			if k > 0 && s.samples[i].text == s.samples[fam[k-1]].text {
				continue
			}
			s.order[w] = i
			w++
		}
	}
	s.famStart[len(Metrics)] = w
	s.order = s.order[:w]
}

// writeExposition writes the state metrics gathered from g, then the
// snapshots' series family by family, in the text format (version 0.0.4).
// The snapshots' series never go through Gather: they were grouped when
// the snapshot was built, and are written as they are.
func writeExposition(w io.Writer, g prometheus.Gatherer, snaps []*snapshot) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	mfs, err := g.Gather()
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(bw, mf); err != nil {
			return err
		}
	}
	var line []byte
	for f, info := range Metrics {
		headed := false
		for _, s := range snaps {
			if s == nil || s.famStart[f] == s.famStart[f+1] {
				continue
			}
			if !headed {
				writeHeader(bw, info)
				headed = true
			}
			for _, i := range s.order[s.famStart[f]:s.famStart[f+1]] {
				line = appendSample(line[:0], info.Name, &s.samples[i])
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
		}
	}
	if ferr := bw.Flush(); ferr != nil {
		return ferr
	}
	return err
}

func writeHeader(w *bufio.Writer, info *MetricInfo) {
	_, _ = w.WriteString("# HELP " + info.Name + " " + helpEscaper.Replace(info.Help) + "\n# TYPE " + info.Name + " " + info.Type + "\n")
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// appendSample writes one series' line: name{label="value",...} value.
func appendSample(b []byte, name string, s *sample) []byte {
	b = append(b, name...)
	b = append(b, s.text...)
	b = append(b, ' ')
	b = appendFloat(b, s.value)
	return append(b, '\n')
}

// appendLabels writes label pairs as the text format does: {a="b",c="d"}.
func appendLabels(b []byte, labels []*dto.LabelPair) []byte {
	b = append(b, '{')
	for i, lp := range labels {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, lp.GetName()...)
		b = append(b, `="`...)
		b = appendEscaped(b, lp.GetValue())
		b = append(b, '"')
	}
	return append(b, '}')
}

func appendEscaped(b []byte, v string) []byte {
	if !strings.ContainsAny(v, "\\\n\"") {
		return append(b, v...)
	}
	return append(b, labelEscaper.Replace(v)...)
}

// appendFloat writes a value as the text format does.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// expositionHandler serves the state metrics of g and the snapshots of
// targets, gzip-compressed when the scraper accepts it.
func expositionHandler(g prometheus.Gatherer, targets func() []*target, onError func(error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ts := targets()
		snaps := make([]*snapshot, len(ts))
		for i, t := range ts {
			snaps[i], _ = t.served()
		}
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		var out io.Writer = w
		if acceptsGzip(r) {
			w.Header().Set("Content-Encoding", "gzip")
			gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
			defer gz.Close()
			out = gz
		}
		if err := writeExposition(out, g, snaps); err != nil {
			onError(err)
		}
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if strings.TrimSpace(strings.SplitN(part, ";", 2)[0]) == "gzip" {
			return true
		}
	}
	return false
}
