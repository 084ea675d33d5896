package backupapi

import (
	"context"
	"time"

	"github.com/backupapi/backupapi/internal/redact"
)

// callState is one SDK call's state. It travels in the request's context
// so that the retry policy and the transport, which never see the call,
// know what they may do; every attempt of the call, and every repeat of an
// answer that broke off, shares it, and so shares one retry budget.
//
// Only the calling goroutine touches it: http.Client runs RoundTrip and
// retryablehttp runs CheckRetry on the goroutine that called Do.
type callState struct {
	op         string // the SDK operation the user called, e.g. "AddUser"
	path       string // the path of the last request
	idempotent bool
	stream     bool // the answer is read as a stream, with its own idle bound
	attempts   int  // HTTP requests handed to the network, over the whole call
	// sent: some attempt may have reached the server; lastLeft: the last
	// one may have. Both are the door's answers (mayHaveLeft).
	sent       bool
	lastLeft   bool
	trace      attemptTrace  // the client-trace events of the attempt under way
	retryAfter time.Duration // a Retry-After beyond the maximum wait
	lastStatus int           // the error status of the last answer the transport retried, 0: none
	consumed   bool          // the caller has seen part of the answer: no repeat
	final      bool          // the failure is not the call's to repeat (a login that failed)

	body    []byte   // the request body, read for its secrets on the error path
	extra   []string // other secrets of the call (a passphrase, session tokens)
	secrets []string // computed from body and extra on first use
	scanned bool

	obs     *callObs    // the call's span and clock (&obsData); nil when not observed (otel_trace.go)
	obsData callObs     // obs's storage: no allocation of its own
	policy  *callPolicy // the call's own settings (WithCallOptions); nil: the client's
	turn    flowTurn    // the turn of its next attempt under the flow control (flowcontrol.go)
}

type callStateKey struct{}

// callContext is the caller's context carrying one call's state: a single
// allocation where context.WithValue and the state would take two. Every
// other method, Done and Err included, is the caller's context's.
type callContext struct {
	context.Context
	st callState
}

func newCallContext(parent context.Context, op string, idempotent bool) *callContext {
	return &callContext{Context: parent, st: callState{op: op, idempotent: idempotent}}
}

// Value answers callStateKey with the call's state and defers every other
// key to the caller's context.
func (c *callContext) Value(key any) any {
	if _, ok := key.(callStateKey); ok {
		return &c.st
	}
	return c.Context.Value(key)
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// callSecrets returns the secrets this call carries: the values of
// secret-holding keys in its request body and the extra ones. It is
// computed once, on the error path only.
func (st *callState) callSecrets() []string {
	if st == nil {
		return nil
	}
	if !st.scanned {
		st.scanned = true
		st.secrets = append(redact.JSONSecrets(st.body), st.extra...)
	}
	return st.secrets
}
