package backupapitest_test

import (
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

func TestAShiftedClockIsTheRealOneMovedByItsAdvances(t *testing.T) {
	var clocks = []backupapitest.ClockAdvancer{backupapitest.NewShiftedClock(), &backupapitest.ShiftedClock{}}
	for _, c := range clocks {
		before := time.Now()
		now := c.Now()
		assert.False(t, now.Before(before), "not advanced: the real time")
		c.Advance(time.Hour)
		c.Advance(30 * time.Minute)
		before = time.Now()
		now = c.Now()
		after := time.Now()
		assert.False(t, now.Before(before.Add(90*time.Minute)))
		assert.False(t, now.After(after.Add(90*time.Minute)))
	}
}
