package backupapi

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// MinPollInterval is the shortest wait between two polls of a waiter,
// whatever WaitOptions say: a status endpoint is not to be hammered.
const MinPollInterval = 100 * time.Millisecond

// WaitOptions tune the waiters, WaitForJob and WaitForRebuild, which all
// keep one contract:
//
//   - they poll with jittered backoff from MinInterval to MaxInterval
//     (default 1 s to 30 s; never faster than MinPollInterval), calling
//     OnProgress on the waiting goroutine whenever the state changes;
//   - they ride out what a repeat may cure (Error.Retryable, and the 5xx
//     answers and broken bodies of a busy or quiesced server) until ctx
//     ends, and stop at any other error;
//   - they return the last state seen, with a nil error on success; when
//     the awaited work ends in failure, that state and an *Error holding it
//     (Error.Job, Error.Rebuild); when ctx ends or an error stops them, the
//     last state seen (nil if none) and the error, joined with the last
//     transient error if there was one.
type WaitOptions struct {
	// MinInterval is the first wait between polls (default 1 s); later
	// waits grow by half each time, with jitter, up to MaxInterval.
	MinInterval time.Duration
	// MaxInterval bounds the wait between polls (default 30 s).
	MaxInterval time.Duration
	// OnProgress, if set, is called from the waiting goroutine each time
	// the state or the percentage changes, the first poll included.
	OnProgress func(Progress)
}

// Progress reports a change seen while waiting.
type Progress struct {
	// Status is the state as text, for display: string(Job.Status) or
	// string(Rebuild.Status). The typed state is in Job or Rebuild.
	Status  string
	Percent float64        // 0-100, or -1 when the server gives none
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

// poll calls check until it reports done or fails with an error that is not
// transient, waiting with jittered backoff between calls. A transient error
// (ErrUnavailable, as while an appliance is quiesced) is ridden out until
// ctx ends; the last such error is then returned with the context's.
func poll(ctx context.Context, opts WaitOptions, check func(ctx context.Context, polls int) (done bool, err error)) error {
	lo, hi := opts.bounds()
	wait := lo
	var lastTransient error
	for polls := 1; ; polls++ {
		done, err := check(ctx, polls)
		switch {
		case err == nil && done:
			return nil
		case err == nil:
			lastTransient = nil
		case ctx.Err() != nil:
			return err
		case rideOut(err):
			lastTransient = err
		default:
			return err
		}
		// Jitter in [wait/2, wait] keeps pollers from moving in step.
		d := max(wait/2+rand.N(wait/2+1), MinPollInterval)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			if lastTransient != nil {
				return errors.Join(ctx.Err(), lastTransient)
			}
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait+wait/2, hi)
	}
}
