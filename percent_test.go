package backupapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPercentagesAreFiniteNumbersOrZero sweeps the one percentage parser
// through both of its users, a job's percentage and the quiesce status's
// progress: only a finite number counts, and every decoded value encodes.
func TestPercentagesAreFiniteNumbersOrZero(t *testing.T) {
	cases := []struct {
		sent string
		want float64
		ok   bool
	}{
		{`42`, 42, true},
		{`"42"`, 42, true},
		{`"42.5"`, 42.5, true},
		{`"42%"`, 42, true},
		{`" 42 % "`, 42, true},
		{`"NaN"`, 0, false},
		{`"nan"`, 0, false},
		{`"Inf"`, 0, false},
		{`"-Infinity"`, 0, false},
		{`"+inf%"`, 0, false},
		{`"1e400"`, 0, false},
		{`"42abc"`, 0, false},
		{`"42 percent"`, 0, false},
		{`"4 2"`, 0, false},
		{`"0x1p6"`, 0, false},
		{`"0x40"`, 0, false},
		{`"4_200"`, 0, false},
		{`"-5"`, -5, true},
		{`"4.2e1"`, 42, true},
		{`""`, 0, false},
		{`null`, 0, false},
		{`true`, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.sent, func(t *testing.T) {
			got, ok := percentOf(json.RawMessage(tc.sent))
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)

			var job Job
			require.NoError(t, json.Unmarshal([]byte(`{"jobUID":"1","percentage":`+tc.sent+`}`), &job))
			assert.Equal(t, tc.want, job.Percentage, "the job's percentage")
			if !tc.ok {
				assert.JSONEq(t, tc.sent, string(job.Extra["percentage"]), "what does not fit is kept in Extra")
			}
			_, err := json.Marshal(job)
			assert.NoError(t, err, "the job encodes")

			var q QuiesceBackup
			require.NoError(t, json.Unmarshal([]byte(`{"progress":`+tc.sent+`}`), &q))
			assert.Equal(t, Percent(tc.want), q.Progress, "the quiesce progress")
			_, err = json.Marshal(q)
			assert.NoError(t, err, "the quiesce status encodes")
		})
	}
}

// TestAJobWithATimeBeyondRFC3339StillEncodes: a start time json cannot
// write (year 10000 and later) is kept in Extra instead.
func TestAJobWithATimeBeyondRFC3339StillEncodes(t *testing.T) {
	var job Job
	require.NoError(t, json.Unmarshal([]byte(`{"jobUID":"1","startTime":99999999999999999,"endTime":"2026-11-24T02:00:00Z"}`), &job))
	assert.True(t, job.StartTime.IsZero())
	assert.Equal(t, "99999999999999999", string(job.Extra["startTime"]))
	assert.False(t, job.EndTime.IsZero())
	_, err := json.Marshal(job)
	assert.NoError(t, err)
}
