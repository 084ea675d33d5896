package backupapitest

import (
	"sync"
	"time"
)

// Clock tells the fakes the time. The real clock is used unless WithClock
// gives another, typically a *FakeClock.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a Clock that moves only when told to, so that tests of jobs
// that take minutes need no sleeps. It also satisfies backupapi.Clock, so
// that the SDK's waiters (WaitOptions.Clock) wait on it: advance it to let
// them poll again.
type FakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []fakeTimer   // After's, in no order (clock_timers.go)
	waiting chan struct{} // closed while a timer is pending; nil when none was asked for
}

// NewFakeClock returns a clock standing at start.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{now: start} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d, firing the After timers that are
// then due.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.fireLocked()
	c.mu.Unlock()
}
