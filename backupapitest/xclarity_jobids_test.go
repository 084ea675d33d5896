package backupapitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSortedJobIDsIsTheJobListsOrder: GET /jobs and its ?state= view both
// list jobs in this one order, numeric IDs by number (a shorter ID is a
// smaller one), not by text.
func TestSortedJobIDsIsTheJobListsOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		ids  []string
		want []string
	}{
		{"no jobs: an empty list", nil, []string{}},
		{"one job", []string{"16"}, []string{"16"}},
		{"a shorter ID comes first, as a smaller number", []string{"100", "9", "16"}, []string{"9", "16", "100"}},
		{"IDs of one length by their digits", []string{"19", "17", "18"}, []string{"17", "18", "19"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jobs := map[string]*xcJob{}
			for _, id := range tc.ids {
				jobs[id] = &xcJob{}
			}
			got := sortedJobIDs(jobs)
			if len(tc.want) == 0 {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
