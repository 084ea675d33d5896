package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestPerfdataAgesReadAsTheStatusLineSaysThem: below a minute the status
// line writes an age in seconds; its perfdata must be that number.
func TestPerfdataAgesReadAsTheStatusLineSaysThem(t *testing.T) {
	for _, d := range []time.Duration{0, 400 * time.Millisecond, 2400 * time.Millisecond, 2600 * time.Millisecond, 59 * time.Second, 59400 * time.Millisecond} {
		t.Run(d.String(), func(t *testing.T) {
			assert.Equal(t, fmtAge(d), fmt.Sprintf("%.0fs", ageSeconds(d)))
		})
	}
	t.Run("past a minute the seconds are the age rounded", func(t *testing.T) {
		assert.Equal(t, float64(26*3600), ageSeconds(26*time.Hour+400*time.Millisecond))
	})
}
