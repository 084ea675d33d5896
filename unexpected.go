package backupapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/backupapi/backupapi/internal/limitio"
	"github.com/backupapi/backupapi/internal/redact"
)

// unexpected builds the error for an answer that could not be decoded. For
// a state-changing call whose answer was a success status, the outcome is
// unknown too.
func (c *core) unexpected(op string, resp *http.Response, attempts int, idempotent bool, body *limitio.Reader, cause error) *Error {
	what := "could not decode the answer"
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(cause, limitio.ErrTooLarge):
		what = fmt.Sprintf("the answer is larger than the %d-byte limit (WithMaxResponseBytes)", c.cfg.maxResponseBytes)
	case errors.Is(cause, io.ErrUnexpectedEOF) || errors.Is(cause, io.EOF):
		what = "the answer is truncated or empty"
	case errors.As(cause, &typeErr):
		what = fmt.Sprintf("field %q has an unexpected %s value", typeErr.Field, typeErr.Value)
	}
	e := &Error{
		Source:     c.source,
		Op:         op,
		HTTPStatus: resp.StatusCode,
		Attempts:   attempts,
		Message: fmt.Sprintf("%s (HTTP %d, Content-Type %q): %s; body starts: %q", what, resp.StatusCode,
			resp.Header.Get("Content-Type"), c.redact(cause.Error()), redact.Excerpt(body.Prefix(), 160, c.secrets...)),
		Err:   cause,
		kinds: []error{ErrUnexpectedResponse},
	}
	e.addKind(classifyStatus(resp.StatusCode))
	if !idempotent && resp.StatusCode < 300 {
		e.addKind(ErrOutcomeUnknown)
	}
	return e
}

func isHTML(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	for i := 0; i+4 <= len(ct); i++ { // a case-insensitive search for "html", without allocating
		if strings.EqualFold(ct[i:i+4], "html") {
			return true
		}
	}
	return false
}

// noData is the error for an "OK" answer that lacks its Data object.
func noData(op string) *Error {
	return &Error{Source: SourceAhsay, Op: op, HTTPStatus: http.StatusOK, Message: "the answer has no Data", kinds: []error{ErrUnexpectedResponse}}
}
