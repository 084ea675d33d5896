package backupapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
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
	var tooMany *tooManyRecordsError
	switch {
	case errors.Is(cause, limitio.ErrTooLarge):
		what = fmt.Sprintf("the answer is larger than the %d-byte limit (WithMaxResponseBytes)", c.cfg.maxResponseBytes)
	case errors.As(cause, &tooMany):
		what = fmt.Sprintf("the answer holds more than %d records, more than the client decodes for a %d-byte limit (WithMaxResponseBytes)", tooMany.limit, c.cfg.maxResponseBytes)
		cause = nil
	case errors.Is(cause, io.ErrUnexpectedEOF) || errors.Is(cause, io.EOF):
		what = "the answer is truncated or empty"
	case errors.As(cause, &typeErr):
		what = typeMismatch(typeErr)
		cause = nil
	case errors.Is(cause, errHTMLPage):
		what = "the answer is an HTML page, not JSON"
		cause = nil
	case errors.Is(cause, errNotJSON):
		what = "the answer is not JSON"
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
	switch {
	case speaksTLS(c.base.Scheme, nil, body.Prefix()):
		// Not a refusal of the request: a TLS port read it as garbage.
		e.Message = "the server speaks TLS on this port: use https:// in the base URL (this request, credentials included, went in clear)"
		e.Err = nil
	case resp.StatusCode == http.StatusNotFound:
		// A 404 that is not the product's own answer says the path is
		// missing (an older server, a proxy), not that the object is.
		e.Message += "; the server has no such endpoint at this path: check its version" + c.notFoundHint(st.path)
	default:
		for _, k := range statusKinds(resp.StatusCode, st.idempotent) {
			e.addKind(k)
		}
	}
	if !st.idempotent && resp.StatusCode < 300 {
		e.addKind(ErrOutcomeUnknown)
	}
	return e
}

// typeMismatch says what a json.UnmarshalTypeError says in the answer's
// terms: its own text names Go types.
func typeMismatch(e *json.UnmarshalTypeError) string {
	return fmt.Sprintf("%s holds %s where %s was expected", fieldName(e.Field), jsonKind(e.Value), expectedKind(e.Type))
}

// fieldName names a field of the answer by its JSON path: `field
// "User.QuotaList"`, or "the answer" for the whole of it.
func fieldName(path string) string {
	if path == "" {
		return "the answer"
	}
	return fmt.Sprintf("field %q", path)
}

// jsonKind names the kind of JSON value json.UnmarshalTypeError saw.
func jsonKind(value string) string {
	switch {
	case value == "object", value == "array", value == "string", value == "number":
		return "a" + map[bool]string{true: "n", false: ""}[value == "object" || value == "array"] + " " + value
	case value == "bool":
		return "true or false"
	case strings.HasPrefix(value, "number"):
		return "a number out of range"
	}
	return "a value"
}

// expectedKind names the kind of JSON value a Go type decodes from.
func expectedKind(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another kind of value"
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
