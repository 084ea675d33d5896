package backupapi

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventCatalog(t *testing.T) {
	ref := referenceEvents(t)
	require.Len(t, ref, 30)
	events := Events()
	require.Len(t, events, 30)
	assert.True(t, isSortedByID(events), "Events is ordered by ID")
	severity := map[int]Severity{}
	for s, ids := range wantSeverity {
		for _, id := range ids {
			severity[id] = s
		}
	}
	for _, e := range events {
		t.Run(fmt.Sprintf("event %d", e.ID), func(t *testing.T) {
			r, ok := ref[e.ID]
			require.True(t, ok, "the reference lists %d", e.ID)
			assert.Equal(t, r[0], e.Description, "description identical to the reference")
			assert.Equal(t, r[1], foldText(e.Detail), "additional information identical to the reference")
			assert.Equal(t, severity[e.ID], e.Severity)

			got, ok := LookupEvent(e.ID)
			require.True(t, ok)
			assert.Equal(t, e, got)

			args := sampleArgs(e.Description)
			text := e.Format(args...)
			assert.NotContains(t, text, "{0}")
			m, gotArgs, ok := MatchEvent(text)
			require.True(t, ok, "MatchEvent(%q)", text)
			assert.Equal(t, e.ID, m.ID)
			assert.Equal(t, len(args), len(gotArgs))
			for i := range args {
				assert.Equal(t, args[i], gotArgs[i])
			}

			err := e.Err(args...)
			assert.Equal(t, SourceConnectedBackup, err.Source)
			assert.Equal(t, e.ID, err.EventID)
			assert.Equal(t, text, err.Message)
			want := wantSentinel[e.ID]
			for _, s := range allSentinels {
				assert.Equal(t, s == want, errors.Is(err, s), "sentinel %v", s)
			}
			assert.Equal(t, want == ErrUnavailable, err.Retryable())
		})
	}
	assert.Contains(t, mustEvent(t, 1017).Detail, "• Contain at least one uppercase letter (A–Z)\n", "the password rules are text, one per line")
}
