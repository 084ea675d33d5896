package backupapi

import (
	"context"
	"errors"
)

// sentinelNames names every sentinel in spans and metrics, in the order in
// which an error's primary kind is chosen: ErrOutcomeUnknown first, since
// it decides what the caller must do, then the table's order.
var sentinelNames = []struct {
	err  error
	name string
}{
	{ErrOutcomeUnknown, "ErrOutcomeUnknown"},
	{ErrNotFound, "ErrNotFound"},
	{ErrAlreadyExists, "ErrAlreadyExists"},
	{ErrAuthentication, "ErrAuthentication"},
	{ErrPermissionDenied, "ErrPermissionDenied"},
	{ErrInvalidRequest, "ErrInvalidRequest"},
	{ErrUnavailable, "ErrUnavailable"},
	{ErrInconsistentData, "ErrInconsistentData"},
	{ErrServer, "ErrServer"},
	{ErrUnexpectedResponse, "ErrUnexpectedResponse"},
	{ErrClosed, "ErrClosed"},
	{ErrJobFailed, "ErrJobFailed"},
}

// Result kinds that are not a sentinel's name.
const (
	resultOK       = "ok"
	resultCanceled = "context.Canceled"
	resultDeadline = "context.DeadlineExceeded"
	resultOther    = "_OTHER" // OpenTelemetry's name for an error of no known type
)

// callResult is what spans and metrics say about how a call ended: never
// a message, a URL or a value from the request or the answer.
type callResult struct {
	kind           string   // resultOK, a sentinel's name, a context error's, or resultOther
	kinds          []string // the names of every sentinel the error matches
	outcomeUnknown bool
	retryable      bool
	status         int // the last answer's HTTP status, 0 when none
}

// describe sums err up for spans and metrics.
func describe(err error) callResult {
	if err == nil {
		return callResult{kind: resultOK}
	}
	var r callResult
	var e *Error
	if errors.As(err, &e) {
		r.status = e.HTTPStatus
		r.retryable = e.Retryable()
		for _, s := range sentinelNames {
			if errors.Is(err, s.err) {
				r.kinds = append(r.kinds, s.name)
			}
		}
	}
	r.outcomeUnknown = errors.Is(err, ErrOutcomeUnknown)
	switch {
	case len(r.kinds) > 0:
		r.kind = r.kinds[0]
	case errors.Is(err, context.Canceled):
		r.kind = resultCanceled
	case errors.Is(err, context.DeadlineExceeded):
		r.kind = resultDeadline
	default:
		r.kind = resultOther
	}
	return r
}
