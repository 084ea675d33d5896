package backupapi

import (
	"context"
	"time"
)

// callState travels in the request's context so that the retry policy,
// which never sees the request, knows whether it may retry.
type callState struct {
	idempotent bool
	stream     bool // the answer is read as a stream, with its own idle bound
	attempts   int
	retryAfter time.Duration // a Retry-After beyond the maximum wait
}

type callStateKey struct{}

// callContext is the caller's context carrying one call's state: a single
// allocation where context.WithValue and the state would take two. Every
// other method, Done and Err included, is the caller's context's.
type callContext struct {
	context.Context
	st callState
}

func newCallContext(parent context.Context, idempotent, stream bool) *callContext {
	return &callContext{Context: parent, st: callState{idempotent: idempotent, stream: stream}}
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
