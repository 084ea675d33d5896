package exporter

import (
	"fmt"
	"testing"
	"time"
)

// buildSets fills a builder as an AhsayCBS refresh does: users, each with
// sets whose samples share one label set (and one more with the outcome).
func buildSets(users int) *builder {
	b := newBuilder(64)
	for u := range users {
		login := fmt.Sprintf("user%05d", u)
		b.section("sets " + login)
		for set := range 3 {
			ls := b.labels(mSetLastSuccess, []string{"t", "owner", login, fmt.Sprintf("Set %d", set), fmt.Sprintf("17%05d%d", u, set)})
			b.shared(mSetLastSuccess, ls, 1)
			b.shared(mSetOutcome, b.with(ls, "outcome", "success"), 1)
			b.shared(mSetFailures, ls, 0)
		}
	}
	return b
}

func TestBuilderDone(t *testing.T) {
	t.Run("holds nothing that grows with the series it ends", func(t *testing.T) {
		at := time.Unix(1700000000, 0)
		allocs := map[int]float64{}
		for _, users := range []int{10, 1000} {
			b := buildSets(users)
			allocs[users] = testing.AllocsPerRun(3, func() { b.done(at) })
		}
		if allocs[1000] != allocs[10] {
			t.Errorf("done allocates %v times for 10 users, %v for 1000: it builds something per series", allocs[10], allocs[1000])
		}
	})
	t.Run("every sample carries its label set's text", func(t *testing.T) {
		s := buildSets(20).done(time.Unix(1700000000, 0))
		for i := range s.samples {
			sm := &s.samples[i]
			if want := string(appendLabels(nil, sm.labels)); sm.text != want {
				t.Fatalf("sample %d: text %q, want %q", i, sm.text, want)
			}
		}
	})
}
