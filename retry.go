package backupapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// One call has one retry budget: WithRetry's max retries, so max+1 HTTP
// attempts in all, whether an attempt is repeated by the transport (a 503,
// a reset connection) or because its answer broke off mid-body. Error.
// Attempts counts every request sent.

// budgetLeft reports whether the call may make one more attempt.
func (c *core) budgetLeft(st *callState) bool { return st.attempts <= c.retryMax(st) }

// checkRetry is the transport's retry policy. Reads and idempotent calls
// retry on transport errors, 408, 429 and 502-504; other calls retry only when
// the request provably never left (the door, mayHaveLeft, said so for the
// attempt: a refused connection, a failed name lookup). Nothing is
// repeated after an error that repeats identically (a certificate the
// client does not trust, a refused redirect).
func (c *core) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateFrom(ctx)
	if !c.budgetLeft(st) {
		return false, err
	}
	if err != nil {
		if permanentTransportError(err) {
			return false, err
		}
		return st.idempotent || !st.lastLeft, err
	}
	if !st.idempotent || !unavailable(statusKinds(resp.StatusCode, true)) {
		return false, nil
	}
	if d, ok := retryAfter(resp); ok && d > c.maxWait(st) {
		st.retryAfter = d
		return false, nil
	}
	return true, nil
}

// unavailable reports whether kinds say the server did not serve the
// request now and may later (ErrUnavailable: 408, 429, 502-504 for reads).
func unavailable(kinds []error) bool { return slices.Contains(kinds, ErrUnavailable) }

// retryable is the one decision of whether repeating a failed call may
// succeed. The transport applies it to an answer's status before an
// *Error exists (checkRetry, through the same status kinds), the repeat
// loop and Error.Retryable to the error: the server was unavailable, or
// the answer broke off in transit, and the call is not a state change
// whose outcome is unknown.
func retryable(e *Error) bool {
	return !e.Is(ErrOutcomeUnknown) && (e.Is(ErrUnavailable) || brokenBody(e))
}

// The waiters' policy, on top of retryable, is faultOf (wait.go).

// statusKinds returns the sentinels an HTTP error status means for a call.
// For a state change, any status that is not a definite refusal (4xx, 501,
// 503) leaves the outcome unknown: a gateway that timed out (502, 504) had
// forwarded the request, and a server that failed (500) may have acted
// first. Such an error does not match ErrUnavailable, so that no caller
// repeats the change on the strength of it.
func statusKinds(status int, idempotent bool) []error {
	if status < 400 {
		return nil
	}
	if !idempotent && status >= 500 && status != http.StatusNotImplemented && status != http.StatusServiceUnavailable {
		if status == http.StatusInternalServerError {
			return []error{ErrServer, ErrOutcomeUnknown}
		}
		return []error{ErrOutcomeUnknown}
	}
	return []error{classifyStatus(status)}
}

// jitterBackoff waits a random time in [0, min(max, min*2^attempt)] (full
// jitter), or the server's Retry-After when it is within max.
func jitterBackoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp); ok && d <= max {
		return d
	}
	ceiling := max
	if attempt < 30 && min<<attempt < max && min<<attempt > 0 {
		ceiling = min << attempt
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date) of a 429
// or 503 answer.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(365*24*time.Hour/time.Second) {
			s = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// permanentTransportError: retrying cannot help (untrusted certificate,
// a server that speaks TLS to a plain-http client, refused redirect, bad
// URL).
func permanentTransportError(err error) bool {
	var redirect *redirectError
	return isCertificateError(err) || errors.As(err, &redirect) || speaksTLS("http", err, nil) ||
		strings.Contains(err.Error(), "unsupported protocol scheme")
}

// repeat runs one call: once, and again for an idempotent call whose
// answer broke off while its body was being read (truncated, empty, reset
// or stalled), while the call's retry budget lasts, with the same jittered
// backoff. retryablehttp only sees the status line, so this covers the
// rest of the answer. State-changing calls are never repeated. The error
// that ends the call is scrubbed of every secret the call carries.
func (c *core) repeat(ctx *callContext, once func() error) error {
	st := &ctx.st
	defer c.endAbandoned(st) // once may run the caller's code (a stream's loop), which may panic
	for retry := 0; ; retry++ {
		err := once()
		if err == nil {
			return c.endCall(st, nil)
		}
		if !c.again(st, err) || !c.backoff(ctx, retry) {
			return c.endCall(st, c.finish(st, err))
		}
	}
}

// again reports whether a call that failed with err may be repeated now:
// it is idempotent, nobody has seen part of its answer, the failure is its
// own (not a login's, which had its own retries), retryable, and the
// server did not ask for a longer wait.
func (c *core) again(st *callState, err error) bool {
	var e *Error
	return st.idempotent && !st.consumed && !st.final && errors.As(err, &e) && retryable(e) && e.RetryAfter == 0
}

// backoff waits before repeat number retry+1 of a read whose answer broke
// off; false means the budget is spent or ctx ended.
func (c *core) backoff(ctx context.Context, retry int) bool {
	st := stateFrom(ctx)
	// retry bounds the repeats even when a failure sent no request of the
	// call's own (a login that failed), so the budget alone cannot stop them.
	if retry >= c.retryMax(st) || !c.budgetLeft(st) || ctx.Err() != nil {
		return false
	}
	minWait, maxWait := c.waitBounds(st)
	wait := jitterBackoff(minWait, maxWait, retry, nil)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "backupapi repeating a read whose answer broke off",
		slog.String("op", st.op), slog.Int("retry", retry+1), slog.Duration("wait", wait))
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// errIdle: a streamed answer brought no data for longer than WithTimeout.
var errIdle = errors.New("no data arrived within the attempt timeout (WithTimeout)")

// brokenBody reports whether e is an answer cut short in transit, as
// opposed to one that arrived whole but was wrong (HTML, oversized, bad JSON).
func brokenBody(e *Error) bool {
	if e.Err == nil {
		return false
	}
	cause := e.Err
	if errors.Is(cause, errIdle) {
		return true
	}
	if !e.Is(ErrUnexpectedResponse) {
		return false
	}
	var ne net.Error
	switch {
	case errors.Is(cause, io.ErrUnexpectedEOF), errors.Is(cause, io.EOF):
		return true
	case errors.Is(cause, syscall.ECONNRESET), errors.Is(cause, context.DeadlineExceeded):
		return true
	case errors.As(cause, &ne) && ne.Timeout():
		return true
	}
	return strings.Contains(cause.Error(), "connection reset")
}
