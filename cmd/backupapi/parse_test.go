package main

import (
	"math"
	"strconv"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want backupapi.Bytes
	}{
		{"50GiB", 50 * backupapi.GiB},
		{"50G", 50 * backupapi.GiB},
		{"50 gb", 50 * backupapi.GiB},
		{"1.5TiB", 3 * backupapi.TiB / 2},
		{"0.5KiB", 512},
		{"1PiB", 1 << 50},
		{"1PB", 1 << 50},
		{"7EiB", 7 << 60},
		{"7.5EiB", 15 << 59},
		{"512", 512},
		{"512B", 512},
		{"9223372036854775807", math.MaxInt64},
		{"0", 0},
	} {
		t.Run(strconv.Quote(tc.in), func(t *testing.T) {
			got, err := parseSize(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	for _, tc := range []struct{ in, why string }{
		{"9000000TiB", "too large"},
		{"8EiB", "too large"},
		{"7.99999999999999999999EiB", "too large"},
		{"9223372036854775808", "too large"},
		{"99999999999999999999999GiB", "too large"},
		{"NaN", "want a number with a unit"},
		{"InfGiB", "want a number with a unit"},
		{"-5GiB", "want a number with a unit"},
		{"1e3GiB", "want a number with a unit"},
		{"0x10GiB", "want a number with a unit"},
		{"50XB", "want a number with a unit"},
		{"", "want a number with a unit"},
	} {
		t.Run(strconv.Quote(tc.in)+" is refused: "+tc.why, func(t *testing.T) {
			got, err := parseSize(tc.in)
			var usage usageError
			require.ErrorAs(t, err, &usage)
			assert.ErrorContains(t, err, tc.why)
			assert.Zero(t, got)
		})
	}
}

func TestParseQuota(t *testing.T) {
	t.Run("a size above zero is the quota", func(t *testing.T) {
		got, err := parseQuota("1PiB")
		require.NoError(t, err)
		assert.Equal(t, backupapi.Bytes(1<<50), got)
	})
	for _, in := range []string{"0", "0GiB", "0.0001B"} {
		t.Run(strconv.Quote(in)+" is refused: a quota of zero lets no backup in", func(t *testing.T) {
			_, err := parseQuota(in)
			var usage usageError
			require.ErrorAs(t, err, &usage)
			assert.ErrorContains(t, err, "a quota of 0 bytes lets no backup in")
		})
	}
	t.Run("a size that cannot be is refused, naming the flag", func(t *testing.T) {
		_, err := parseQuota("9000000TiB")
		assert.ErrorContains(t, err, `--quota: size "9000000TiB" is too large`)
	})
}
