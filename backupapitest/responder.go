package backupapitest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
)

// ErrConnectionDropped is what Responder returns where a socket server
// would drop the connection (an injected Drop fault).
var ErrConnectionDropped = errors.New("backupapitest: connection reset by the fake server")

// Responder serves requests with h in process, without a socket. Its type
// fits httpmock.Responder:
//
//	mt := httpmock.NewMockTransport()
//	mt.RegisterNoResponder(backupapitest.Responder(srv.Handler()))
//
// A dropped connection becomes ErrConnectionDropped.
func Responder(h http.Handler) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (resp *http.Response, err error) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					resp, err = nil, ErrConnectionDropped
					return
				}
				panic(fmt.Sprintf("backupapitest: handler panicked: %v", p))
			}
		}()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := r.Context().Err(); err != nil {
			return nil, err // the client gave up, as a real transport would report
		}
		return rec.Result(), nil
	}
}

// Transport returns an http.RoundTripper that serves every request with h
// in process (see Responder).
func Transport(h http.Handler) http.RoundTripper { return roundTripper(Responder(h)) }

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
