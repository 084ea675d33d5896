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

// unexpected builds the error for an answer that could not be decoded: it
// says what arrived (status, content type, a redacted excerpt) and keeps
// the cause in Err, so that Error() names it once. For a state-changing
// call whose answer was a success status or a gateway's error, the outcome
// is unknown too.
func (c *core) unexpected(st *callState, resp *http.Response, body *limitio.Reader, cause error) *Error {
	what := "could not decode the answer"
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(cause, limitio.ErrTooLarge):
		what = fmt.Sprintf("the answer is larger than the %d-byte limit (WithMaxResponseBytes)", c.cfg.maxResponseBytes)
	case errors.Is(cause, io.ErrUnexpectedEOF) || errors.Is(cause, io.EOF):
		what = "the answer is truncated or empty"
	case errors.As(cause, &typeErr):
		what = fmt.Sprintf("field %q has an unexpected %s value", typeErr.Field, typeErr.Value)
	case errors.Is(cause, errHTMLPage):
		what = "the answer is an HTML page, not JSON"
		cause = nil
	}
	e := &Error{
		Source:     c.source,
		Op:         st.op,
		HTTPStatus: resp.StatusCode,
		Attempts:   st.attempts,
		Message: fmt.Sprintf("%s (HTTP %d, Content-Type %q); body starts: %q", what, resp.StatusCode,
			resp.Header.Get("Content-Type"), redact.Excerpt(body.Prefix(), 160, c.allSecrets(st)...)),
		Err:   cause,
		kinds: []error{ErrUnexpectedResponse},
	}
	if resp.StatusCode == http.StatusNotFound {
		// A 404 that is not the product's own answer says the path is
		// missing (an older server, a proxy), not that the object is.
		e.Message += "; the server has no such endpoint at this path: check its version" + c.notFoundHint(st.path)
	} else {
		for _, k := range statusKinds(resp.StatusCode, st.idempotent) {
			e.addKind(k)
		}
	}
	if !st.idempotent && resp.StatusCode < 300 {
		e.addKind(ErrOutcomeUnknown)
	}
	return e
}

// notFoundHint says what a 404 from path may mean for this product.
func (c *core) notFoundHint(path string) string {
	if c.hint404 != nil {
		return c.hint404(path)
	}
	return ""
}

// errHTMLPage: the answer is a web page (a proxy's, a login page's).
var errHTMLPage = errors.New("the answer is an HTML page, not JSON")

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
