package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
)

// ahsayEndpoint declares one AhsayCBS endpoint: the SDK operation, its
// path, whether repeating it is safe, and the shape of its answer (A,
// which yields Out). Every AhsayClient method is one call of one such
// declaration; the declarations are the table in ahsay_endpoints.go.
type ahsayEndpoint[In any, Out any, A any, PA ahsayResult[A, Out]] struct {
	op         string // the SDK operation, named in errors and logs
	path       string // from the server root; "" for a versioned endpoint
	versioned  string // the endpoint's name in versionedEndpoints (v1 and v2 paths)
	idempotent bool   // repeating it is harmless: it is retried
	// optional: a nil request is allowed and sends only the credentials
	// (a filter whose every field is optional).
	optional bool
	// wire, if set, turns the request into the body sent (when the wire
	// shape differs from the request's fields).
	wire func(In) any
}

// ahsayResult is a pointer to an answer shape A that yields Out.
type ahsayResult[A, Out any] interface {
	*A
	answer
	value(op string) (Out, error)
	shape() answerShape
}

// endpointDoc is what the doc test reads of an endpoint row.
type endpointDoc interface {
	doc() (op string, shape answerShape, value func(body []byte) error)
}

// doc returns the row's operation, its answer's shape, and a function that
// decodes a body into the answer and reads its value.
func (e *ahsayEndpoint[In, Out, A, PA]) doc() (string, answerShape, func([]byte) error) {
	return answerDoc[Out, A, PA](e.op)
}

// answerDoc is an endpoint row's doc, whatever the product: op, the shape
// of its answer A, and a function that decodes a body into an A and reads
// its value as op's call does.
func answerDoc[Out, A any, PA interface {
	*A
	value(op string) (Out, error)
	shape() answerShape
}](op string) (string, answerShape, func([]byte) error) {
	var a A
	return op, PA(&a).shape(), func(body []byte) error {
		var a A
		if err := json.Unmarshal(body, PA(&a)); err != nil {
			return err
		}
		_, err := PA(&a).value(op)
		return err
	}
}

// call sends in and returns the answer's value.
func (e *ahsayEndpoint[In, Out, A, PA]) call(ctx context.Context, c *AhsayClient, in In) (Out, error) {
	var zero Out
	var body any = in
	switch {
	case isNilPointer(in) && e.optional:
		body = nil
	default:
		if err := checkRequest(SourceAhsay, e.op, in); err != nil {
			return zero, err
		}
		if e.wire != nil {
			body = e.wire(in)
		}
	}
	var a A
	if err := c.call(ctx, e.op, c.endpointPath(e.path, e.versioned), e.idempotent, body, PA(&a)); err != nil {
		if nothingThere(e.op, err) {
			return zero, nil
		}
		return zero, err
	}
	return PA(&a).value(e.op)
}

// nothingThere reports whether err is the server's own answer (Status
// "Error", HTTP 2xx) saying that op has nothing to list, one of the
// op's messages in emptyAnswers.
func nothingThere(op string, err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Source != SourceAhsay || e.HTTPStatus >= 300 || e.Is(ErrUnexpectedResponse) {
		return false
	}
	msg := strings.ToLower(e.Message)
	for _, text := range emptyAnswers[op] {
		if strings.Contains(msg, text) {
			return true
		}
	}
	return false
}

// do is call for endpoints whose answer carries nothing but its status.
func (e *ahsayEndpoint[In, Out, A, PA]) do(ctx context.Context, c *AhsayClient, in In) error {
	_, err := e.call(ctx, c, in)
	return err
}

// endpointPath returns a fixed path, or a versioned endpoint's path.
func (c *AhsayClient) endpointPath(path, versioned string) string {
	if versioned != "" {
		return c.path(versioned)
	}
	return path
}

// The answer shapes of AhsayCBS endpoints.

// statusAnswer is an answer that carries nothing but its status.
type statusAnswer struct{ envelope }

func (statusAnswer) value(string) (struct{}, error) { return struct{}{}, nil }

func (*statusAnswer) shape() answerShape {
	return answerShape{holds: `{"Status":"OK"}`, bare: ahsayBare}
}

// dataAnswer carries one object in Data.
type dataAnswer[T any] struct {
	envelope
	Data *T `json:"Data"`
}

func (*dataAnswer[T]) shape() answerShape { return ahsayObject("Data", "") }

func (a *dataAnswer[T]) value(op string) (*T, error) {
	if a.Data == nil {
		return nil, noData(op)
	}
	return a.Data, nil
}

// usersAnswer is ListUsers's answer.
type usersAnswer struct {
	envelope
	User []User `json:"User"`
}

func (a *usersAnswer) value(string) ([]User, error) { return a.User, nil }

func (*usersAnswer) shape() answerShape { return ahsayList("User", "no users") }

// storageAnswer is GetUserStorageStat's: Data documented as an array and
// returned as an object; both decode.
type storageAnswer struct {
	envelope
	Data oneOrMany[AverageStat] `json:"Data"`
}

func (a *storageAnswer) value(string) (*StorageStat, error) { return &StorageStat{Months: a.Data}, nil }

func (*storageAnswer) shape() answerShape {
	return answerShape{holds: `{"Status":"OK","Data":{...}}` + " (or an array of months)", without: "without Data, no months", bare: ahsayBare}
}

// liveJobsAnswer is GetUserStatus's: backup or restore jobs.
type liveJobsAnswer struct {
	envelope
	BkpStatus     []JobProgress `json:"BkpStatus"`
	RestoreStatus []JobProgress `json:"RestoreStatus"`
}

func (*liveJobsAnswer) shape() answerShape {
	return answerShape{holds: `{"Status":"OK","BkpStatus":[...]}` + " or " + `{"Status":"OK","RestoreStatus":[...]}`,
		without: "without either, no jobs", bare: ahsayBare}
}

func (a *liveJobsAnswer) value(string) ([]JobProgress, error) {
	return append(a.BkpStatus, a.RestoreStatus...), nil
}

// runJobsAnswer is GetServerRunJobStatus's.
type runJobsAnswer struct {
	envelope
	RunJob []RunJob `json:"RunJob"`
}

func (a *runJobsAnswer) value(string) ([]RunJob, error) { return a.RunJob, nil }

func (*runJobsAnswer) shape() answerShape { return ahsayList("RunJob", "no jobs") }

// listAnswer carries a list in Data (an array, or one object).
type listAnswer[T any] struct {
	envelope
	Data oneOrMany[T] `json:"Data"`
}

func (a *listAnswer[T]) value(string) ([]T, error) { return a.Data, nil }

func (*listAnswer[T]) shape() answerShape {
	s := ahsayList("Data", "an empty list")
	s.holds += " (or one object)"
	return s
}

// oneAnswer carries one object in Data (or an array of which the first
// element is taken).
type oneAnswer[T any] struct {
	envelope
	Data oneOrMany[T] `json:"Data"`
}

func (*oneAnswer[T]) shape() answerShape {
	return ahsayObject("Data", " (or an array: its first element)")
}

func (a *oneAnswer[T]) value(op string) (*T, error) {
	if len(a.Data) == 0 {
		return nil, noData(op)
	}
	return &a.Data[0], nil
}
