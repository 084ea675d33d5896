package backupapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backupapi/backupapi/internal/redact"
)

// Source names the product an *Error came from.
type Source string

// The products whose errors this package unifies.
const (
	SourceAhsay           Source = "ahsay"
	SourceXClarity        Source = "xclarity"
	SourceConnectedBackup Source = "connected backup"
)

// Sentinel errors. Every *Error returned by this package matches zero or more
// of them with errors.Is; which ones is decided by the single mapping table in
// errors_table.go (documented on Error).
var (
	// ErrNotFound: the user, backup set, backup, job or record does not exist.
	ErrNotFound = errors.New("backupapi: not found")
	// ErrAlreadyExists: the object to create exists already.
	ErrAlreadyExists = errors.New("backupapi: already exists")
	// ErrAuthentication: the credentials were refused or have expired.
	ErrAuthentication = errors.New("backupapi: authentication failed")
	// ErrPermissionDenied: the credentials are valid but lack the right.
	ErrPermissionDenied = errors.New("backupapi: permission denied")
	// ErrInvalidRequest: the server rejected the request's parameters.
	ErrInvalidRequest = errors.New("backupapi: invalid request")
	// ErrUnavailable: the server is temporarily unable to serve; retrying later may succeed.
	ErrUnavailable = errors.New("backupapi: service unavailable")
	// ErrInconsistentData: the server's data is in an inconsistent state.
	ErrInconsistentData = errors.New("backupapi: inconsistent data on the server")
	// ErrServer: the server failed internally.
	ErrServer = errors.New("backupapi: server error")
	// ErrUnexpectedResponse: the answer could not be understood (an HTML or
	// text page from a proxy, truncated or oversized JSON, more records than
	// the client decodes, a wrong type, a redirect the SDK does not follow).
	ErrUnexpectedResponse = errors.New("backupapi: unexpected response")
	// ErrOutcomeUnknown: a request that changes state was sent and no
	// usable answer came back (or a gateway's 502/504, a 500, or a redirect
	// the SDK did not follow). The SDK did not retry it; the caller must
	// check whether the change happened. A request that provably never
	// left (a failed name lookup or connection, a TLS handshake or
	// certificate failure, a context that ended before anything was sent)
	// is never this.
	ErrOutcomeUnknown = errors.New("backupapi: outcome unknown")
	// ErrClosed is matched by every call made on an XClarityClient after
	// its Close.
	ErrClosed = errors.New("backupapi: client closed")
	// ErrJobFailed: a job the SDK waited for (an XClarity job whose
	// JobStatus.Failed, an AhsayCBS rebuild whose RebuildState.Failed)
	// ended in that failed state. The Error's Message names the state, and
	// Job or Rebuild holds what was seen last.
	ErrJobFailed = errors.New("backupapi: job failed")
)

// Message is one XClarity status message.
type Message struct {
	ID          string     `json:"id"`
	Text        string     `json:"text"`
	Explanation string     `json:"explanation,omitempty"`
	Recovery    []Recovery `json:"recovery,omitempty"`
}

// Recovery is the recovery advice attached to an XClarity Message.
type Recovery struct {
	Text string `json:"text"`
	URL  string `json:"URL,omitempty"`
}

// Error is the one error type of this package, whatever product it came from.
//
// Match it by kind with errors.Is against the sentinels (ErrNotFound, ...) and
// read its details with errors.As:
//
//	var e *backupapi.Error
//	if errors.As(err, &e) { log.Println(e.Source, e.Op, e.HTTPStatus, e.Message) }
//
// The mapping from a product's failure to the sentinels is one table (see
// errors_table.go); in short:
//
//	sentinel             AhsayCBS Message (case-insensitive)            XClarity          Connected Backup event
//	ErrAuthentication    "password has expired", "incorrect system       401               1000 1012 11707
//	                     username/password", "incorrect password",
//	                     "invalid password", "authentication fail",
//	                     "login fail", "incorrect sysuser", ...
//	ErrPermissionDenied  "not visible to user", "permission denied"      403               1009 1016 11713
//	ErrNotFound          "NoSuchUserExpt", "not found", "no storage log"  404               1008 11714 11722
//	ErrAlreadyExists     "already exists"                                 -                 -
//	ErrInvalidRequest    "null / empty", "invalid", "missing",           400 409 412       1005 1006 1007 1010 1015 1017
//	                     "duplicated"
//	ErrUnavailable       HTTP 408 429 502 503 504                         408 429 502 503   1004 1014 11904 11711 11915 11916 11919
//	                                                                      504
//	ErrServer            HTTP 500 and other 5xx                           500, other 5xx    1003 11913 11918
//
// For a call that changes state, an HTTP status that is not a definite
// refusal (500, 502, 504 and other 5xx but 501 and 503) also matches
// ErrOutcomeUnknown, and 502/504 then do not match ErrUnavailable: a
// gateway that timed out had forwarded the request. A 408 (Request
// Timeout) matches ErrUnavailable for every call, a state change included:
// the server says it did not process the request (RFC 9110), so the
// transport repeats a read, a waiter rides it out, and Error.Retryable
// reports true; the SDK still never repeats a state change by itself (as
// after a 503). A 404 whose body is not the product's own answer (a web
// page, a JSON body without AhsayCBS's Status) matches
// ErrUnexpectedResponse, not ErrNotFound: the path is missing, not the
// object.
//
//	ErrInconsistentData  -                                                -                 1011 1013
//
// An Ahsay message the table does not know stays an *Error that matches no
// sentinel: the SDK never guesses. ErrUnexpectedResponse, ErrOutcomeUnknown,
// ErrClosed and ErrJobFailed are set by the SDK itself, not by the table:
//
//	ErrJobFailed         a waiter's job ended in failure: an XClarity job in a state JobStatus.Failed
//	                     reports (Cancelled, Cancelled_With_Errors, Stopped_With_Error, Interrupted,
//	                     Failed, CompleteWithErrors; Error.Job holds it), an AhsayCBS rebuild in a
//	                     state RebuildState.Failed reports (Error.Rebuild holds it)
//
// Every secret the call carried (the client's credentials, session tokens,
// passwords and passphrases in the request) is masked in every field of an
// Error, even where the server quoted it back.
type Error struct {
	Source     Source    // which product answered
	Op         string    // SDK operation, e.g. "AddUser"
	HTTPStatus int       // HTTP status of the last answer, 0 when none came
	EventID    int       // Connected Backup event ID, 0 when none
	Message    string    // the server's message (or the SDK's description)
	ExptType   string    // Ahsay exception class (obfuscated; informative only)
	Result     string    // XClarity result ("failed", ...)
	Messages   []Message // XClarity messages
	Attempts   int       // how many HTTP attempts were made, 0 when none

	// RetryAfter is the wait the server asked for when it was longer than
	// the client's maximum retry wait.
	RetryAfter time.Duration
	// Err is the underlying cause (a transport or context error), if any.
	Err error
	// Job is the XClarity job that ended in failure, for WaitForJob.
	Job *Job
	// Rebuild is the AhsayCBS rebuild that ended in failure, for
	// WaitForRebuild.
	Rebuild *RebuildStatus

	kinds []error // sentinels this error matches, fixed when it is built
}

// Error reads, per source:
//
//	ahsay AddUser: Contact already exists <x> (ExptType com.ahsay...)
//	xclarity CopyBackup: 403 Forbidden: text (FQXHMSE0001I)
//	xclarity CopyBackup: text (FQXHMSE0001I)      (a "failed" result with a 2xx status)
//	connected backup 1009: Permission denied
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Source))
	if e.Source == SourceConnectedBackup && e.EventID != 0 && e.Op == "" {
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(e.EventID))
	}
	if e.Op != "" {
		b.WriteString(" ")
		b.WriteString(e.Op)
	}
	b.WriteString(":")
	if e.Source == SourceXClarity && e.HTTPStatus >= 400 {
		// An error status leads; a success status is no part of what failed.
		fmt.Fprintf(&b, " %d %s:", e.HTTPStatus, httpStatusText(e.HTTPStatus))
	}
	msg := e.Message
	if msg == "" && len(e.Messages) > 0 {
		msg = e.Messages[0].Text
	}
	if msg == "" && e.Err == nil {
		msg = "the server reported an error without a message"
	}
	if msg != "" {
		b.WriteString(" ")
		b.WriteString(msg)
	}
	if e.Source == SourceXClarity && len(e.Messages) > 0 && e.Messages[0].ID != "" {
		fmt.Fprintf(&b, " (%s)", e.Messages[0].ID)
	}
	if e.ExptType != "" {
		fmt.Fprintf(&b, " (ExptType %s)", e.ExptType)
	}
	if e.Source == SourceAhsay && e.HTTPStatus >= 400 {
		fmt.Fprintf(&b, " [HTTP %d]", e.HTTPStatus)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (server asked to retry after %s)", e.RetryAfter)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is reports whether target is one of the sentinels this error maps to.
func (e *Error) Is(target error) bool {
	for _, k := range e.kinds {
		if k == target {
			return true
		}
	}
	return false
}

// Unwrap returns the underlying cause, so that errors.Is(err,
// context.DeadlineExceeded) and errors.As(err, &netErr) work.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether repeating the same call later may succeed
// (ErrUnavailable). It is false for ErrOutcomeUnknown: repeating a state
// change whose outcome is unknown is the caller's decision.
func (e *Error) Retryable() bool { return retryable(e) }

// Kinds returns the sentinels this error matches, in table order.
func (e *Error) Kinds() []error { return append([]error(nil), e.kinds...) }

func (e *Error) addKind(k error) {
	if k != nil && !e.Is(k) {
		e.kinds = append(e.kinds, k)
	}
}

// scrub masks every secret in every field the error holds, and in its
// cause: a server's message may quote the request it refused.
func (e *Error) scrub(secrets []string) {
	if len(secrets) == 0 {
		return
	}
	e.Message = redact.Literals(e.Message, secrets...)
	e.ExptType = redact.Literals(e.ExptType, secrets...)
	e.Result = redact.Literals(e.Result, secrets...)
	for i := range e.Messages {
		m := &e.Messages[i]
		m.ID = redact.Literals(m.ID, secrets...)
		m.Text = redact.Literals(m.Text, secrets...)
		m.Explanation = redact.Literals(m.Explanation, secrets...)
		for j := range m.Recovery {
			m.Recovery[j].Text = redact.Literals(m.Recovery[j].Text, secrets...)
			m.Recovery[j].URL = redact.Literals(m.Recovery[j].URL, secrets...)
		}
	}
	var inner *Error
	switch {
	case e.Err == nil:
	case errors.As(e.Err, &inner):
		inner.scrub(secrets)
	case redact.Contains(e.Err.Error(), secrets...):
		e.Err = &redactedCause{text: redact.Literals(e.Err.Error(), secrets...), cause: e.Err}
	}
}

// clone returns a copy of e that shares nothing mutable with it.
func (e *Error) clone() *Error {
	c := *e
	c.kinds = slices.Clone(e.kinds)
	c.Messages = slices.Clone(e.Messages)
	for i := range c.Messages {
		c.Messages[i].Recovery = slices.Clone(c.Messages[i].Recovery)
	}
	return &c
}

// redactedCause stands in for a cause whose text holds a secret: it prints
// the masked text and still matches what the cause matched with errors.Is,
// without handing the cause out.
type redactedCause struct {
	text  string
	cause error
}

func (r *redactedCause) Error() string { return r.text }

// Is reports whether the hidden cause matches target.
func (r *redactedCause) Is(target error) bool { return errors.Is(r.cause, target) }

func httpStatusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "HTTP error"
}
