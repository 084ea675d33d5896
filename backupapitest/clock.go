package backupapitest

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
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
// then due. The clock never goes back: a negative d panics, as a typo in
// Inject does, so that a test cannot run on a clock it did not mean.
func (c *FakeClock) Advance(d time.Duration) {
	mustBeForward("FakeClock", d)
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.fireLocked()
	c.mu.Unlock()
}

// ClockAdvancer is a Clock that can be moved forward: a *FakeClock or a
// *ShiftedClock. The control API's clock call moves one.
type ClockAdvancer interface {
	Clock
	Advance(d time.Duration)
}

// ShiftedClock is the real clock moved forward by every Advance so far:
// jobs progress on their own and jump when told. Its zero value is the
// real clock.
type ShiftedClock struct{ offset atomic.Int64 }

// NewShiftedClock returns a clock that reads the real time until advanced.
func NewShiftedClock() *ShiftedClock { return &ShiftedClock{} }

// Now returns the real time plus the advances so far.
func (c *ShiftedClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock forward by d; a negative d panics (see
// FakeClock.Advance). The advances add up to at most about 292 years (the
// longest time.Duration); beyond that the clock stays that far ahead of
// the real one rather than wrap around into the past.
func (c *ShiftedClock) Advance(d time.Duration) {
	mustBeForward("ShiftedClock", d)
	for {
		old := c.offset.Load()
		next := old + int64(d)
		if next < old { // overflow
			next = math.MaxInt64
		}
		if c.offset.CompareAndSwap(old, next) {
			return
		}
	}
}

// mustBeForward panics if d would move a clock back.
func mustBeForward(clock string, d time.Duration) {
	if d < 0 {
		panic(fmt.Sprintf("backupapitest: %s.Advance(%s): the clock never goes back", clock, d))
	}
}
