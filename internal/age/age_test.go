package age

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]time.Duration{"26h": 26 * time.Hour, "8d": 8 * Day, "1w": Week,
		"1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "1.5d": 36 * time.Hour, "1h30m": 90 * time.Minute, "30s": 30 * time.Second,
		"0": 0, "0s": 0, "0d": 0} {
		got, err := Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "soon", "8", "d", "15 days", "1x", "-1d"} {
		_, err := Parse(bad)
		assert.Error(t, err, bad)
	}
}

func TestFormat(t *testing.T) {
	for d, want := range map[time.Duration]string{4 * Day: "4d", 3*Day + 4*time.Hour: "3d4h", 26 * time.Hour: "1d2h",
		5*time.Hour + 30*time.Minute: "5h30m", 2 * time.Hour: "2h", 45 * time.Minute: "45m",
		0: "0s", 3 * time.Second: "3s", 3400 * time.Millisecond: "3s", 59 * time.Second: "59s", 59600 * time.Millisecond: "1m",
		90 * time.Second: "2m"} {
		assert.Equal(t, want, Format(d))
	}
}
