package main

import (
	"errors"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
)

// TestEventArgIsTheOneReadingOfAnEventID: "events lookup" and "events
// format" read their ID argument through eventArg, so each of its answers
// holds for both.
func TestEventArgIsTheOneReadingOfAnEventID(t *testing.T) {
	for _, tc := range []struct {
		name      string
		arg       string
		wantID    int
		wantUsage bool
		notFound  bool
	}{
		{"a catalogued ID is its event", "11915", 11915, false, false},
		{"not a number: a usage error", "eleven", 0, true, false},
		{"a number with space around: not a number", " 11915", 0, true, false},
		{"a number the catalog lacks: not found", "1", 0, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := eventArg(tc.arg)
			var u usageError
			assert.Equal(t, tc.wantUsage, errors.As(err, &u), "usage error: %v", err)
			assert.Equal(t, tc.notFound, errors.Is(err, backupapi.ErrNotFound), "not found: %v", err)
			if tc.wantID != 0 {
				assert.NoError(t, err)
				assert.Equal(t, tc.wantID, e.ID)
			}
		})
	}
}
