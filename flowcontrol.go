package backupapi

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// flowControl is a client's rate limit and in-flight cap, shared by all
// its calls and taken per HTTP attempt (WithRateLimit, WithMaxInFlight).
type flowControl struct {
	limiter *rate.Limiter // nil: no rate limit
	slots   chan struct{} // a buffered channel of the cap's size; nil: no cap
}

func newFlowControl(cfg obsConfig) *flowControl {
	if cfg.ratePerSecond == 0 && cfg.maxInFlight == 0 {
		return nil
	}
	f := &flowControl{}
	if cfg.ratePerSecond > 0 {
		f.limiter = rate.NewLimiter(rate.Limit(cfg.ratePerSecond), cfg.burst)
	}
	if cfg.maxInFlight > 0 {
		f.slots = make(chan struct{}, cfg.maxInFlight)
	}
	return f
}

// acquire waits for a place under the cap, then for the limiter's turn,
// in that order, so that requests leave at the limiter's pace whatever
// the cap holds back. It returns how long it waited, or ctx's error when
// ctx ended first, marked for the door as not sent (nothing was taken and
// nothing may be sent).
func (f *flowControl) acquire(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	if f.slots != nil {
		select {
		case f.slots <- struct{}{}:
		default:
			select {
			case f.slots <- struct{}{}:
			case <-ctx.Done():
				return 0, notSent(ctx.Err())
			}
		}
	}
	if f.limiter != nil {
		res := f.limiter.Reserve() // never refused: one token, burst >= 1
		if d := res.Delay(); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				res.Cancel() // give the turn back
				f.release()
				return 0, notSent(ctx.Err())
			}
		}
	}
	return time.Since(start), nil
}

// release frees the place acquire took under the cap.
func (f *flowControl) release() {
	if f.slots != nil {
		<-f.slots
	}
}

// flowTurn is a call's turn under the flow control, taken for its next
// attempt before the attempt is handed to the HTTP client, whose Timeout
// (WithTimeout on a caller's client) must not count the wait.
type flowTurn struct {
	held bool
	wait time.Duration // how long taking it took
}

// awaitTurn takes the call's turn for its next attempt, unless it holds
// one already. ctx ending first is the error, marked not sent.
func (c *core) awaitTurn(ctx context.Context, st *callState) error {
	if c.obs == nil || c.obs.flow == nil || st == nil || st.turn.held {
		return nil
	}
	w, err := c.obs.flow.acquire(ctx)
	if err != nil {
		return err
	}
	st.turn = flowTurn{held: true, wait: w}
	return nil
}

// returnTurn gives back a turn that no attempt took (the HTTP client
// failed before sending).
func (c *core) returnTurn(st *callState) {
	if st.turn.held {
		st.turn.held = false
		c.obs.flow.release()
	}
}

// prepareRetry takes the turn of a retry, after its backoff: the
// retryablehttp hook that runs before each repeated attempt.
func (c *core) prepareRetry(r *http.Request) error {
	return c.awaitTurn(r.Context(), stateFrom(r.Context()))
}

// turnError is the error of a call whose context ended while it waited
// for its turn: nothing was sent.
func (c *core) turnError(ctx context.Context, st *callState) *Error {
	return &Error{Source: c.source, Op: st.op, Attempts: st.attempts, Err: context.Cause(ctx),
		Message: "the call's context ended while it waited for its turn (WithRateLimit, WithMaxInFlight); the request was not sent"}
}
