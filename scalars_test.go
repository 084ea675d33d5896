package backupapi

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlexibleScalars(t *testing.T) {
	ints := []struct {
		in   string
		want Int64
		bad  bool
	}{
		{`12`, 12, false}, {`"12"`, 12, false}, {`""`, 0, false}, {`null`, 0, false}, {`-1`, -1, false},
		{`12.0`, 12, false}, {`"12.7"`, 12, false}, {`"5.25 M"`, 0, true}, {`true`, 0, true},
		{`1e400`, 0, true}, {`"9223372036854775807"`, 9223372036854775807, false},
		{`"1_000"`, 0, true}, {`"0x1p10"`, 0, true}, {`"Infinity"`, 0, true}, {`"1e3"`, 1000, false},
	}
	for _, tc := range ints {
		t.Run("Int64 from "+tc.in, func(t *testing.T) {
			var v Int64
			err := json.Unmarshal([]byte(tc.in), &v)
			if tc.bad {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
		})
	}
	bools := map[string]bool{`true`: true, `false`: false, `"true"`: true, `"Y"`: true, `"N"`: false, `""`: false, `null`: false, `1`: true, `"false"`: false}
	for in, want := range bools {
		t.Run("Bool from "+in, func(t *testing.T) {
			var v Bool
			require.NoError(t, json.Unmarshal([]byte(in), &v))
			assert.Equal(t, want, bool(v))
		})
	}
	t.Run("Timestamp treats -1 and 0 as never and round-trips", func(t *testing.T) {
		var ts Timestamp
		require.NoError(t, json.Unmarshal([]byte(`-1`), &ts))
		assert.True(t, ts.IsZero())
		require.NoError(t, json.Unmarshal([]byte(`"1686640128382"`), &ts))
		assert.Equal(t, int64(1686640128382), ts.UnixMilli())
		b, err := json.Marshal(ts)
		require.NoError(t, err)
		assert.Equal(t, "1686640128382", string(b))
		require.NoError(t, json.Unmarshal([]byte(`"yesterday"`), &ts), "text in no known format is not an error")
		assert.True(t, ts.IsZero())
	})
	t.Run("Timestamp reads each server's text formats", func(t *testing.T) {
		cases := map[string]time.Time{
			`"2026-11-01T02:00:00Z"`:      time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC),
			`"2026-11-01T03:00:00+01:00"`: time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC),
			`"06/18/2024 16:46:03"`:       time.Date(2024, 6, 18, 16, 46, 3, 0, time.UTC),
			`"2024-06-14"`:                time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC),
			`"20241221"`:                  time.Date(2024, 12, 21, 0, 0, 0, 0, time.UTC),
			`"19700101"`:                  {},
			`""`:                          {},
			`null`:                        {},
		}
		for in, want := range cases {
			var ts Timestamp
			require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
			assert.True(t, want.Equal(ts.Time), "%s: got %v", in, ts.Time)
		}
	})
}

func TestUnitTypes(t *testing.T) {
	t.Run("Bytes prints in the largest whole unit", func(t *testing.T) {
		for b, want := range map[Bytes]string{50 * GiB: "50 GiB", 1536 * KiB: "1536 KiB", 12: "12 B", 0: "0 B", 3 * TiB: "3 TiB"} {
			assert.Equal(t, want, b.String())
		}
	})
	t.Run("Bytes and GB decode numbers sent as strings", func(t *testing.T) {
		var v struct {
			Size  Bytes `json:"Size"`
			Quota GB    `json:"Quota"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"Size":"5504624","Quota":"100"}`), &v))
		assert.Equal(t, Bytes(5504624), v.Size)
		assert.Equal(t, GB(100), v.Quota)
		assert.Equal(t, 100*GiB, v.Quota.Bytes())
	})
	t.Run("GB is sent as gigabytes", func(t *testing.T) {
		b, err := json.Marshal(&AddUserRequest{StorageQuota: Ptr(GB(50))})
		require.NoError(t, err)
		assert.Contains(t, string(b), `"StorageQuota":50`)
	})
}

// TestTimestampKeepsWhatItCannotRead: a time in no known format, or one
// beyond the years RFC 3339 can write, is the zero time with its text in
// Raw, and encoding writes that text back: nothing sent is lost.
func TestTimestampKeepsWhatItCannotRead(t *testing.T) {
	cases := []struct {
		name, sent, raw string
		zero            bool
	}{
		{"an unknown format", `"next tuesday"`, "next tuesday", true},
		{"a typo in a known format", `"2024-06-26 11;34:15"`, "2024-06-26 11;34:15", true},
		{"an impossible date", `"2024-13-45"`, "2024-13-45", true},
		{"milliseconds past the year 9999", `99999999999999999`, "99999999999999999", true},
		{"a known format", `"2024-06-26 11:34:15"`, "", false},
		{"milliseconds", `1719401655000`, "", false},
		{"RFC 3339 finer than a millisecond", `"2024-06-26T11:34:15.123456789Z"`, "", false},
		{"a date before the epoch", `"00000101"`, "", false},
		{"never", `-1`, "", true},
		{"never, as a numeric string", `"-1"`, "", true},
		{"zero milliseconds, as a numeric string", `"0"`, "", true},
		{"milliseconds before the epoch", `-86400000`, "", false},
		{"milliseconds before the epoch, as a numeric string", `"-86400000"`, "", false},
		{"empty", `""`, "", true},
		{"null", `null`, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ts Timestamp
			require.NoError(t, json.Unmarshal([]byte(tc.sent), &ts))
			assert.Equal(t, tc.zero, ts.IsZero())
			assert.Equal(t, tc.raw, ts.Raw())
			out, err := json.Marshal(ts)
			require.NoError(t, err)
			var again Timestamp
			require.NoError(t, json.Unmarshal(out, &again))
			assert.Equal(t, ts.Raw(), again.Raw(), "the raw text round-trips")
			assert.True(t, ts.Equal(again.Time), "the time round-trips")
			if tc.raw != "" {
				assert.JSONEq(t, `"`+tc.raw+`"`, string(out), "the text is written back as sent")
			}
		})
	}
	t.Run("a record keeps the text", func(t *testing.T) {
		var r BackupJobModeRecord
		require.NoError(t, json.Unmarshal([]byte(`{"StartTime":"2024-06-26 11:33:52","EndTime":"2024-06-26 11;34:15"}`), &r))
		assert.Equal(t, "2024-06-26 11;34:15", r.EndTime.Raw())
		out, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Contains(t, string(out), `"EndTime":"2024-06-26 11;34:15"`)
	})
}

// TestSizesNeverWrapAround: GB.Bytes saturates and BytesOf refuses what
// does not fit in Bytes, at every unit's edge.
func TestSizesNeverWrapAround(t *testing.T) {
	t.Run("GB.Bytes saturates", func(t *testing.T) {
		cases := []struct {
			gb   GB
			want Bytes
		}{
			{0, 0},
			{50, 50 * GiB},
			{MaxGB, Bytes(MaxGB) * GiB},
			{MaxGB + 1, MaxBytes},
			{1 << 34, MaxBytes},
			{math.MaxInt64, MaxBytes},
			{-MaxGB, -Bytes(MaxGB) * GiB},
			{-MaxGB - 1, -MaxBytes},
			{math.MinInt64, -MaxBytes},
		}
		for _, tc := range cases {
			assert.Equal(t, tc.want, tc.gb.Bytes(), "GB(%d)", int64(tc.gb))
		}
	})
	t.Run("BytesOf refuses what does not fit", func(t *testing.T) {
		for _, unit := range []Bytes{1, KiB, MiB, GiB, TiB, PiB, EiB} {
			largest := int64(MaxBytes / unit)
			got, err := BytesOf(largest, unit)
			require.NoError(t, err, "%d × %s", largest, unit)
			assert.Equal(t, Bytes(largest)*unit, got)
			assert.Positive(t, got)
			if largest < math.MaxInt64 {
				_, err = BytesOf(largest+1, unit)
				require.Error(t, err, "%d × %s", largest+1, unit)
				assert.Contains(t, err.Error(), "larger than the largest size")
			}
			_, err = BytesOf(-1, unit)
			assert.ErrorContains(t, err, "negative")
		}
		_, err := BytesOf(9000000, TiB)
		assert.EqualError(t, err, "backupapi: the size 9000000 TiB is larger than the largest size, 8 EiB")
		_, err = BytesOf(1, 0)
		assert.Error(t, err)
		pib, err := BytesOf(1, PiB)
		require.NoError(t, err)
		assert.Equal(t, "1 PiB", pib.String())
	})
}
