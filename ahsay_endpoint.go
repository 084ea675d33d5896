package backupapi

import "context"

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
		return zero, err
	}
	return PA(&a).value(e.op)
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

// dataAnswer carries one object in Data.
type dataAnswer[T any] struct {
	envelope
	Data *T `json:"Data"`
}

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

// storageAnswer is GetUserStorageStat's: Data documented as an array and
// returned as an object; both decode.
type storageAnswer struct {
	envelope
	Data oneOrMany[AverageStat] `json:"Data"`
}

func (a *storageAnswer) value(string) (*StorageStat, error) { return &StorageStat{Months: a.Data}, nil }

// liveJobsAnswer is GetUserStatus's: backup or restore jobs.
type liveJobsAnswer struct {
	envelope
	BkpStatus     []JobProgress `json:"BkpStatus"`
	RestoreStatus []JobProgress `json:"RestoreStatus"`
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

// listAnswer carries a list in Data (an array, or one object).
type listAnswer[T any] struct {
	envelope
	Data oneOrMany[T] `json:"Data"`
}

func (a *listAnswer[T]) value(string) ([]T, error) { return a.Data, nil }

// oneAnswer carries one object in Data (or an array of which the first
// element is taken).
type oneAnswer[T any] struct {
	envelope
	Data oneOrMany[T] `json:"Data"`
}

func (a *oneAnswer[T]) value(op string) (*T, error) {
	if len(a.Data) == 0 {
		return nil, noData(op)
	}
	return &a.Data[0], nil
}
