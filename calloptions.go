package backupapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// CallOption overrides one of the client's settings for the calls made
// with a context (see WithCallOptions).
type CallOption func(*callPolicy)

// callPolicy is what a call's context overrides of its client's settings.
type callPolicy struct {
	retry            bool // retryMax and the waits are set
	retryMax         int
	waitMin, waitMax time.Duration
	timeout          bool // attemptTimeout is set
	attemptTimeout   time.Duration
	// An invalid option's error, by setting: the calls fail with it until
	// a valid option of the same setting replaces it. nilErr (a nil
	// CallOption) names no setting, so nothing replaces it.
	retryErr, timeoutErr, nilErr error
}

// invalid is why the calls made with the policy fail, or nil.
func (p *callPolicy) invalid() error { return errors.Join(p.nilErr, p.retryErr, p.timeoutErr) }

type callPolicyKey struct{}

// WithCallOptions returns a copy of ctx with which calls use opts instead
// of the client's settings: CallRetry instead of WithRetry, CallTimeout
// instead of WithTimeout. Calls made with ctx itself, or with any other
// context, keep the client's settings. Options given to an enclosing
// WithCallOptions stay in force unless opts override them, and a later
// option replaces an earlier one of the same setting (CallRetry, or
// CallTimeout), here or in an enclosing WithCallOptions.
//
// An invalid option (a negative count or wait) makes each call made with
// the returned context, or a context derived from it, fail with an *Error
// matching ErrInvalidRequest before anything is sent, until a later valid
// option of the same setting replaces it: an inner CallRetry(2, ...)
// replaces an outer CallRetry(-1, ...), and the calls made with the inner
// context then succeed, while an inner CallTimeout leaves the outer's
// invalid CallRetry in force. A nil CallOption names no setting: nothing
// replaces it, and every call made with that context, however nested,
// fails.
//
//	ctx := backupapi.WithCallOptions(ctx, backupapi.CallRetry(0, 0, 0), backupapi.CallTimeout(5*time.Second))
//	u, err := client.GetUser(ctx, ref) // one attempt of at most 5 s
func WithCallOptions(ctx context.Context, opts ...CallOption) context.Context {
	var p callPolicy
	if outer, ok := ctx.Value(callPolicyKey{}).(*callPolicy); ok {
		p = *outer
	}
	for _, o := range opts {
		if o == nil {
			p.nilErr = errors.Join(p.nilErr, errors.New("WithCallOptions: nil CallOption"))
			continue
		}
		o(&p)
	}
	return context.WithValue(ctx, callPolicyKey{}, &p)
}

// CallRetry is WithRetry for the calls made with the context: max
// retries (0: one attempt only) with waits between minWait and maxWait.
// A Retry-After longer than maxWait fails the call at once, as with
// WithRetry.
func CallRetry(max int, minWait, maxWait time.Duration) CallOption {
	return func(p *callPolicy) {
		if max < 0 || minWait < 0 || maxWait < minWait {
			p.retryErr = fmt.Errorf("CallRetry(%d, %s, %s): need max >= 0 and 0 <= minWait <= maxWait", max, minWait, maxWait)
			return
		}
		p.retryErr = nil
		p.retry, p.retryMax, p.waitMin, p.waitMax = true, max, minWait, maxWait
	}
}

// CallTimeout is WithTimeout for the calls made with the context: it
// bounds each HTTP attempt's wait for the answer's headers and,
// separately, the reading of its body (for AllUsers, each pause in the
// stream); 0 removes the bound.
func CallTimeout(d time.Duration) CallOption {
	return func(p *callPolicy) {
		if d < 0 {
			p.timeoutErr = fmt.Errorf("CallTimeout(%s): negative", d)
			return
		}
		p.timeoutErr = nil
		p.timeout, p.attemptTimeout = true, d
	}
}

// policyOf returns the call options ctx carries, or nil.
func policyOf(ctx context.Context) *callPolicy {
	p, _ := ctx.Value(callPolicyKey{}).(*callPolicy)
	return p
}

// retryMax is the call's retry budget.
func (c *core) retryMax(st *callState) int {
	if p := st.policy; p != nil && p.retry {
		return p.retryMax
	}
	return c.cfg.retryMax
}

// waitBounds are the call's bounds on the wait between attempts.
func (c *core) waitBounds(st *callState) (time.Duration, time.Duration) {
	if p := st.policy; p != nil && p.retry {
		return p.waitMin, p.waitMax
	}
	return c.cfg.retryWaitMin, c.cfg.retryWaitMax
}

// attemptTimeout is the call's bound on each attempt (0: none).
func (c *core) attemptTimeout(st *callState) time.Duration {
	if p := st.policy; p != nil && p.timeout {
		return p.attemptTimeout
	}
	return c.cfg.timeout
}

// policyError is the error of a call whose context holds an invalid
// call option, or nil.
func (c *core) policyError(st *callState) error {
	if st.policy == nil {
		return nil
	}
	err := st.policy.invalid()
	if err == nil {
		return nil
	}
	return &Error{Source: c.source, Op: st.op, Message: err.Error(), kinds: []error{ErrInvalidRequest}}
}

// retryClient returns rc, or for a call with options of its own, a
// client that applies them: its retry budget and waits, and its attempt
// timeout in place of the client's.
func (c *core) retryClient(st *callState, rc *retryablehttp.Client) *retryablehttp.Client {
	p := st.policy
	if p == nil {
		return rc
	}
	out := &retryablehttp.Client{HTTPClient: rc.HTTPClient, RetryMax: rc.RetryMax, RetryWaitMin: rc.RetryWaitMin, RetryWaitMax: rc.RetryWaitMax,
		CheckRetry: rc.CheckRetry, Backoff: rc.Backoff, ErrorHandler: rc.ErrorHandler, PrepareRetry: rc.PrepareRetry}
	if p.retry {
		out.RetryMax, out.RetryWaitMin, out.RetryWaitMax = p.retryMax, p.waitMin, p.waitMax
	}
	if p.timeout {
		// The upload client has no attempt timeout of its own, on the
		// SDK's transport or the caller's: the call's bound replaces it.
		hc := *c.upload
		next := hc.Transport
		wrap := func(t http.RoundTripper) http.RoundTripper {
			if p.attemptTimeout == 0 {
				return t
			}
			return &timeoutTransport{next: t, d: p.attemptTimeout}
		}
		if at, ok := next.(*attemptTransport); ok {
			// Below the flow control: waiting for a turn is not the attempt's time.
			hc.Transport = &attemptTransport{next: wrap(at.next), obs: at.obs}
		} else {
			hc.Transport = wrap(next)
		}
		out.HTTPClient = &hc
	}
	return out
}

// maxWait is the longest wait between the call's attempts.
func (c *core) maxWait(st *callState) time.Duration {
	_, hi := c.waitBounds(st)
	return hi
}
