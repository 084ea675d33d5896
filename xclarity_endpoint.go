package backupapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// xcEndpoint declares one XClarity endpoint: the SDK operation, the HTTP
// method and path, the JSON body built from the request, whether
// repeating it is safe, and the shape of its answer (A, which yields Out).
// The declarations are the table in xclarity_endpoints.go.
type xcEndpoint[In any, Out any, A any, PA xcResult[A, Out]] struct {
	op         string
	method     string
	path       string          // a fixed path from the server root
	pathOf     func(In) string // or a path built from the request
	wire       func(In) any    // the JSON body; nil sends none
	idempotent bool
	secrets    func(In) []string // secrets the request carries outside a secret-named key
}

// xcResult is a pointer to an answer shape A that yields Out.
type xcResult[A, Out any] interface {
	*A
	value(op string) (Out, error)
	shape() answerShape
}

// doc returns the row's operation, its answer's shape, and a function that
// decodes a body into the answer and reads its value.
func (e *xcEndpoint[In, Out, A, PA]) doc() (string, answerShape, func([]byte) error) {
	return answerDoc[Out, A, PA](e.op)
}

// call sends in and returns the answer's value.
func (e *xcEndpoint[In, Out, A, PA]) call(ctx context.Context, c *XClarityClient, in In) (Out, error) {
	var zero Out
	if err := checkRequest(SourceXClarity, e.op, in); err != nil {
		return zero, err
	}
	path := e.path
	if e.pathOf != nil {
		path = e.pathOf(in)
	}
	var body any
	if e.wire != nil {
		body = e.wire(in)
	}
	var extra []string
	if e.secrets != nil {
		extra = e.secrets(in)
	}
	var a A
	if err := c.call(ctx, e.op, e.method, path, e.idempotent, body, PA(&a), extra...); err != nil {
		return zero, err
	}
	return PA(&a).value(e.op)
}

// do is call for endpoints whose answer carries nothing the caller needs.
func (e *xcEndpoint[In, Out, A, PA]) do(ctx context.Context, c *XClarityClient, in In) error {
	_, err := e.call(ctx, c, in)
	return err
}

// The answer shapes of XClarity endpoints.

// emptyAnswer: any answer body, or none, is fine.
type emptyAnswer struct{}

func (*emptyAnswer) value(string) (struct{}, error) { return struct{}{}, nil }

func (*emptyAnswer) shape() answerShape {
	return answerShape{holds: "any body, or none (it is not read)", bare: `{}`}
}

func (*emptyAnswer) acceptsEmptyBody() {}

// UnmarshalJSON ignores the body, whatever its shape.
func (*emptyAnswer) UnmarshalJSON([]byte) error { return nil }

// backupsAnswer is GET /managementServer/data's: {"backups":[...]}.
type backupsAnswer struct {
	Backups []Backup `json:"backups"`
}

func (a *backupsAnswer) value(string) ([]Backup, error) { return a.Backups, nil }

func (*backupsAnswer) shape() answerShape {
	return answerShape{holds: `{"backups":[...]}`, without: "without backups, an empty list", bare: `{}`}
}

// actionAnswer is the status-message envelope of an action. An empty
// body is accepted (the action was taken; no job is named), and a job ID
// the body lacks is taken from a Location header's last path segment.
type actionAnswer struct{ ActionResult }

func (a *actionAnswer) value(string) (*ActionResult, error) { return &a.ActionResult, nil }

func (*actionAnswer) shape() answerShape {
	return answerShape{holds: `{"result":"success","messages":[...]}` + ` with the job in "jobId" or "jobUID" (or a Location header)`,
		without: `an empty body, or no job named, is an ActionResult with JobID ""`, bare: `{}`}
}

func (a *actionAnswer) acceptsEmptyBody() {}

func (a *actionAnswer) takeHeader(h http.Header) {
	if a.JobID != "" {
		return
	}
	if loc := h.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			a.JobID = path.Base(strings.TrimRight(u.Path, "/"))
		}
	}
}

// quiesceAnswer is GET /managementServer/quiesce's.
type quiesceAnswer struct{ QuiesceStatus }

func (a *quiesceAnswer) value(string) (*QuiesceStatus, error) { return &a.QuiesceStatus, nil }

func (*quiesceAnswer) shape() answerShape {
	return answerShape{holds: `{"backupRequest":{...}}` + " or " + `{"restoreRequest":{...}}`,
		without: "with neither (or an empty body), nothing is running", bare: `{}`}
}

func (a *quiesceAnswer) acceptsEmptyBody() {}

// Optional abilities of an answer, which decode uses when present.
type (
	emptyBodyAnswer interface{ acceptsEmptyBody() }
	headerAnswer    interface{ takeHeader(http.Header) }
)

// jobsAnswer is GET /tasks/...'s: an array of jobs, or one job.
type jobsAnswer struct{ jobs oneOrMany[Job] }

func (a *jobsAnswer) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &a.jobs) }

func (a *jobsAnswer) value(string) ([]Job, error) { return a.jobs, nil }

func (*jobsAnswer) shape() answerShape {
	return answerShape{holds: `[{"jobUID":...,"status":...,"percentage":...,"children":[...]},...]` + " (or one job object)",
		without: "an empty array is no jobs (for GetJob, ErrNotFound)", bare: `[]`}
}
