package backupapitest

import "time"

// fakeTimer is one After of a FakeClock: it fires when the clock reaches at.
type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

// After returns a channel that receives the clock's time once Advance has
// moved it d or more past now (at once for d <= 0). With it, FakeClock is
// a backupapi.Clock: a waiter given it (WaitOptions.Clock) polls again
// only when the test advances the clock.
func (c *FakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), ch: ch})
	if c.waiting == nil {
		c.waiting = make(chan struct{})
	}
	select {
	case <-c.waiting:
	default:
		close(c.waiting)
	}
	return ch
}

// Waiting returns a channel that is closed while some After timer is
// pending: a test selects on it to advance the clock only once the code
// under test waits on it, with no sleep and no polling.
//
//	select {
//	case <-done:
//	case <-clock.Waiting():
//		clock.Advance(time.Minute)
//	}
func (c *FakeClock) Waiting() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiting == nil {
		c.waiting = make(chan struct{})
		if len(c.timers) > 0 {
			close(c.waiting)
		}
	}
	return c.waiting
}

// fireLocked sends the time to every timer that is due and forgets it.
func (c *FakeClock) fireLocked() {
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	clear(c.timers[len(kept):])
	c.timers = kept
	if len(c.timers) == 0 && c.waiting != nil {
		select {
		case <-c.waiting:
			c.waiting = nil // closed: the next Waiting waits anew
		default:
		}
	}
}
