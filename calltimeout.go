package backupapi

import (
	"context"
	"io"
	"net/http"
	"time"
)

// timeoutTransport bounds one attempt of a call that has its own attempt
// timeout (CallTimeout): the wait for the answer's headers, then, unless
// the answer is a stream (which has its own idle bound), the reading of
// its body.
type timeoutTransport struct {
	next http.RoundTripper
	d    time.Duration
}

// callTimeoutError: no answer came within the call's attempt timeout.
type callTimeoutError struct{}

func (callTimeoutError) Error() string   { return "no answer within the attempt timeout (CallTimeout)" }
func (callTimeoutError) Timeout() bool   { return true }
func (callTimeoutError) Temporary() bool { return true }

func (t *timeoutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(r.Context())
	timer := time.AfterFunc(t.d, func() { cancel(callTimeoutError{}) })
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	fired := !timer.Stop()
	if err != nil {
		if fired && r.Context().Err() == nil {
			err = callTimeoutError{}
		}
		cancel(nil)
		return nil, err
	}
	body := resp.Body
	if st := stateFrom(r.Context()); st == nil || !st.stream {
		body = newDeadlineBody(body, t.d)
	}
	resp.Body = &cancelBody{ReadCloser: body, cancel: cancel}
	return resp, nil
}

// cancelBody releases the attempt's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel(nil)
	return err
}
