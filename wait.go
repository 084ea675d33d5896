package backupapi

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/backupapi/backupapi/internal/limitio"
)

// MinPollInterval is the shortest wait between two polls of a waiter,
// whatever WaitOptions say: a status endpoint is not to be hammered.
const MinPollInterval = 100 * time.Millisecond

// MaxRepeatedFailures is how many polls in a row may fail identically
// (the same status, message and cause) with a failure that a repeat may
// or may not cure — a 500, an answer that could not be read — before a
// waiter gives up on it. What a busy or quiesced server answers (503,
// 429, 408, 502, 504, a refused or dropped connection, a body that broke
// off) is ridden out however often it repeats, until ctx ends.
const MaxRepeatedFailures = 5

// WaitOptions tune the waiters, WaitForJob, WaitForBackup and
// WaitForRebuild, which all keep one contract:
//
//   - they poll with jittered backoff from MinInterval to MaxInterval
//     (default 1 s to 30 s; never faster than MinPollInterval), waiting on
//     Clock, calling OnProgress on the waiting goroutine whenever the state
//     changes;
//   - they ride out what a repeat may cure: what a busy or quiesced server
//     answers (Error.Retryable: 503, 429, 408, 502, 504, refused and dropped
//     connections, bodies that broke off) until ctx ends, and a server
//     error (500 and other 5xx) or an answer that could not be read until
//     it repeats identically MaxRepeatedFailures times in a row;
//   - they stop at once at any other error: another 4xx answer (a 404
//     page: the path is wrong, not the server busy), an answer beyond the SDK's
//     limits (WithMaxResponseBytes, MaxJobDepth), ErrNotFound,
//     ErrOutcomeUnknown;
//   - they return the last state seen, with a nil error on success; when
//     the awaited work ends in failure, that state and an *Error holding it
//     (Error.Job, Error.Rebuild) that matches ErrJobFailed; when ctx ends,
//     between polls or during one, the last state seen (nil if none) and
//     the context's (or the poll's) error, joined with the last error
//     ridden out if there was one; when an error stops them, the last
//     state seen and that error alone, so that it is not mistaken for the
//     transient ones before it.
type WaitOptions struct {
	// MinInterval is the first wait between polls (default 1 s); later
	// waits grow by half each time, with jitter, up to MaxInterval.
	MinInterval time.Duration
	// MaxInterval bounds the wait between polls (default 30 s).
	MaxInterval time.Duration
	// OnProgress, if set, is called from the waiting goroutine each time
	// the state or the percentage changes, the first poll included.
	OnProgress func(Progress)
	// Clock, if set, is what the waiter waits on between polls and reads
	// the time from, instead of the system clock: with a fake clock
	// (backupapitest.FakeClock) a test drives a waiter by advancing the
	// clock, without sleeping.
	Clock Clock
}

// Clock is a source of time for the waiters. *backupapitest.FakeClock
// satisfies it.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After returns a channel that receives the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// systemClock is the wall clock.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

func (o WaitOptions) clock() Clock {
	if o.Clock != nil {
		return o.Clock
	}
	return systemClock{}
}

// Progress reports a change seen while waiting.
type Progress struct {
	// Status is the state as text, for display: string(Job.Status) or
	// string(Rebuild.Status). The typed state is in Job or Rebuild.
	Status string
	// Percent is the percentage as the server reports it: a job's or the
	// quiesce status's (0 when they give none or one that is no number);
	// -1 for a rebuild, whose status has none.
	Percent float64
	Polls   int            // polls made so far
	Job     *Job           // set by WaitForJob, and WaitForBackup once the job API answers
	Quiesce *QuiesceStatus // set by WaitForBackup while the appliance is quiesced
	Rebuild *RebuildStatus // set by WaitForRebuild
}

func (o WaitOptions) bounds() (time.Duration, time.Duration) {
	lo, hi := o.MinInterval, o.MaxInterval
	if lo <= 0 {
		lo = time.Second
	}
	lo = max(lo, MinPollInterval)
	if hi <= 0 {
		hi = 30 * time.Second
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// pollFault is what a waiter makes of a failed poll.
type pollFault int

const (
	faultStops        pollFault = iota // the wait ends with the error
	faultRiddenOut                     // polled again until ctx ends
	faultUnlessSteady                  // polled again unless it repeats identically
)

// faultOf is the one place that decides, for every waiter, which poll
// failures are ridden out (see WaitOptions).
func faultOf(err error) pollFault {
	var e *Error
	switch {
	case !errors.As(err, &e), e.Is(ErrOutcomeUnknown), e.Is(ErrJobFailed):
		return faultStops
	case errors.Is(err, limitio.ErrTooLarge), errors.Is(err, errJobTooDeep):
		return faultStops // the same answer, too large again
	case retryable(e):
		return faultRiddenOut
	case e.HTTPStatus >= 400 && e.HTTPStatus < 500:
		return faultStops
	case e.Is(ErrServer), e.HTTPStatus >= 500, e.Is(ErrUnexpectedResponse) && e.HTTPStatus != 0:
		return faultUnlessSteady
	}
	return faultStops
}

// poll calls check until it reports done or fails with an error that ends
// the wait (faultOf), waiting with jittered backoff on opts' clock between
// calls. When ctx ends, between polls or during one, the last failure
// ridden out is returned with the context's error (or the poll's).
func poll(ctx context.Context, opts WaitOptions, check func(ctx context.Context, polls int) (done bool, err error)) error {
	lo, hi := opts.bounds()
	clock := opts.clock()
	wait := lo
	var lastTransient error
	same := 0 // polls in a row that failed as lastTransient did
	for polls := 1; ; polls++ {
		done, err := check(ctx, polls)
		switch {
		case err == nil && done:
			return nil
		case err == nil:
			lastTransient, same = nil, 0
		case ctx.Err() != nil: // ctx ended during the poll
			if lastTransient != nil {
				return errors.Join(err, lastTransient)
			}
			return err
		default:
			fault := faultOf(err)
			if lastTransient != nil && err.Error() == lastTransient.Error() {
				same++
			} else {
				same = 1
			}
			if fault == faultStops || (fault == faultUnlessSteady && same >= MaxRepeatedFailures) {
				return err
			}
			lastTransient = err
		}
		// Jitter in [wait/2, wait] keeps pollers from moving in step.
		d := max(wait/2+rand.N(wait/2+1), MinPollInterval)
		select {
		case <-ctx.Done():
			if lastTransient != nil {
				return errors.Join(ctx.Err(), lastTransient)
			}
			return ctx.Err()
		case <-clock.After(d):
		}
		wait = min(wait+wait/2, hi)
	}
}

// jobFailed is the error of a waiter whose job ended in failure.
func jobFailed(source Source, op, message string) *Error {
	return &Error{Source: source, Op: op, Message: message, kinds: []error{ErrJobFailed}}
}
