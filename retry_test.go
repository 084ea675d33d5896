package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const listPath = testBase + "/obs/api/json/2/ListUsers.do"
const addPath = testBase + "/obs/api/json/2/AddUser.do"

func statusResponder(status int, retryAfter string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, `{"Status":"Error","Message":"busy"}`)
		resp.Header.Set("Content-Type", "application/json")
		if retryAfter != "" {
			resp.Header.Set("Retry-After", retryAfter)
		}
		return resp, nil
	}
}

var (
	okUsers   = jsonResponder(200, `{"Status":"OK","User":[{"LoginName":"a"}]}`)
	okStatus  = jsonResponder(200, `{"Status":"OK"}`)
	dialError = httpmock.NewErrorResponder(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
	reset     = httpmock.NewErrorResponder(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET})
)

func TestRetries(t *testing.T) {
	listUsers := func(ctx context.Context, c *AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err }
	addUser := func(ctx context.Context, c *AhsayClient) error {
		return c.AddUser(ctx, &AddUserRequest{UserRef: UserRef{LoginName: "new"}})
	}
	cases := []struct {
		name      string
		url       string
		responder httpmock.Responder
		call      func(context.Context, *AhsayClient) error
		calls     int
		check     func(t *testing.T, err error)
	}{
		{"a read is retried after 503s until it succeeds", listPath,
			statusResponder(503, "").Then(statusResponder(503, "")).Then(okUsers), listUsers, 3,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"a read is retried after 429", listPath, statusResponder(429, "").Then(okUsers), listUsers, 2,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"a read is retried after 502 and 504", listPath,
			statusResponder(502, "").Then(statusResponder(504, "")).Then(okUsers), listUsers, 3,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"a read is retried after a 408", listPath, statusResponder(408, "").Then(okUsers), listUsers, 2,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"AddUser after a 408 is retryable, not outcome-unknown, and not repeated by the SDK", addPath,
			statusResponder(408, "").Then(okStatus), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrUnavailable)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a 408 says the server did not act")
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.True(t, e.Retryable())
				assert.Equal(t, 408, e.HTTPStatus)
			}},
		{"a read is retried after a connection reset", listPath, reset.Then(okUsers), listUsers, 2,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"a read is not retried after a 500", listPath, statusResponder(500, ""), listUsers, 1,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrServer) }},
		{"a read gives up after max retries with the attempts counted", listPath, statusResponder(503, ""), listUsers, 4,
			func(t *testing.T, err error) {
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, 4, e.Attempts)
				assert.Equal(t, 503, e.HTTPStatus)
				assert.Equal(t, "busy", e.Message)
				assert.ErrorIs(t, err, ErrUnavailable)
				assert.True(t, e.Retryable())
			}},
		{"AddUser is not repeated after a reset: outcome unknown", addPath, reset.Then(okStatus), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.False(t, e.Retryable())
				var opErr *net.OpError
				assert.ErrorAs(t, err, &opErr, "the transport error is kept as the cause")
			}},
		{"AddUser is repeated when the connection was refused", addPath, dialError.Then(okStatus), addUser, 2,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"AddUser is not repeated after a 503", addPath, statusResponder(503, "").Then(okStatus), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrUnavailable)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			}},
		{"AddUser after a 504 from a gateway is outcome-unknown, not retryable", addPath, statusResponder(504, "").Then(okStatus), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				assert.NotErrorIs(t, err, ErrUnavailable, "ErrUnavailable invites a repeat")
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.False(t, e.Retryable())
				assert.Equal(t, 504, e.HTTPStatus)
			}},
		{"AddUser after a 502 HTML page is outcome-unknown", addPath, htmlResponder(502), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				assert.ErrorIs(t, err, ErrUnexpectedResponse)
				assert.NotErrorIs(t, err, ErrUnavailable)
			}},
		{"AddUser after a 500 is a server error whose outcome is unknown", addPath, statusResponder(500, ""), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				assert.ErrorIs(t, err, ErrServer)
			}},
		{"AddUser after a 400 is a definite refusal", addPath, statusResponder(400, ""), addUser, 1,
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrInvalidRequest)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			}},
		{"a read after a 504 is still retried", listPath, statusResponder(504, "").Then(okUsers), listUsers, 2,
			func(t *testing.T, err error) { assert.NoError(t, err) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockAhsay(t, WithRetry(3, 100*time.Millisecond, 2*time.Second))
				mt.RegisterResponder("POST", tc.url, tc.responder)
				err := tc.call(context.Background(), c)
				tc.check(t, err)
				assert.Equal(t, tc.calls, mt.GetTotalCallCount())
			})
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Run("a Retry-After within the maximum wait is honoured", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(3, time.Millisecond, 10*time.Second))
			mt.RegisterResponder("POST", listPath, statusResponder(429, "7").Then(okUsers))
			start := time.Now()
			_, err := c.ListUsers(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, 7*time.Second, time.Since(start))
		})
	})
	t.Run("a Retry-After beyond the maximum wait fails at once with the wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(3, time.Millisecond, 30*time.Second))
			mt.RegisterResponder("POST", listPath, statusResponder(503, "3600").Then(okUsers))
			start := time.Now()
			_, err := c.ListUsers(context.Background(), nil)
			assert.Zero(t, time.Since(start))
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, time.Hour, e.RetryAfter)
			assert.ErrorIs(t, err, ErrUnavailable)
			assert.Contains(t, e.Error(), "1h0m0s")
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	})
	t.Run("an HTTP-date Retry-After is understood", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(3, time.Millisecond, 10*time.Second))
			when := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
			mt.RegisterResponder("POST", listPath, statusResponder(503, when).Then(okUsers))
			start := time.Now()
			_, err := c.ListUsers(context.Background(), nil)
			require.NoError(t, err)
			assert.InDelta(t, 5*time.Second, time.Since(start), float64(time.Second))
		})
	})
}

func TestContextEndsARetryWaitAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockAhsay(t, WithRetry(5, time.Millisecond, time.Minute))
		mt.RegisterResponder("POST", listPath, statusResponder(503, "50"))
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.ListUsers(ctx, nil)
		assert.Equal(t, 2*time.Second, time.Since(start))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 1, e.Attempts)
	})
}

func htmlResponder(status int) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, "<html><body><h1>Gateway</h1></body></html>")
		resp.Header.Set("Content-Type", "text/html")
		return resp, nil
	}
}

func TestOneRetryBudgetPerCall(t *testing.T) {
	truncated := jsonResponder(200, `{"Status":"OK","User":[{"Login`)
	cases := []struct {
		name      string
		responder httpmock.Responder
		requests  int // what the server sees
	}{
		{"503s then a truncated answer spend one budget", statusResponder(503, "").Then(statusResponder(503, "")).
			Then(statusResponder(503, "")).Then(truncated).Then(okUsers), 4},
		{"truncated answers then 503s spend one budget", truncated.Then(truncated).Then(statusResponder(503, "")).
			Then(statusResponder(503, "")).Then(okUsers), 4},
		{"truncated answers alone spend one budget", truncated, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockAhsay(t, WithRetry(3, time.Millisecond, 10*time.Millisecond))
				mt.RegisterResponder("POST", listPath, tc.responder)
				_, err := c.ListUsers(context.Background(), nil)
				require.Error(t, err)
				assert.Equal(t, tc.requests, mt.GetTotalCallCount(), "WithRetry(3) allows 4 requests in all")
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, mt.GetTotalCallCount(), e.Attempts, "Attempts counts every request sent")
			})
		})
	}
	t.Run("AllUsers shares the budget too", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(3, time.Millisecond, 10*time.Millisecond))
			mt.RegisterResponder("POST", listPath, statusResponder(503, "").Then(statusResponder(503, "")).Then(truncated))
			var err error
			for _, err = range c.AllUsers(context.Background(), nil) {
			}
			require.Error(t, err)
			assert.Equal(t, 4, mt.GetTotalCallCount())
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 4, e.Attempts)
		})
	})
}

func TestAContextDoneBeforeSendingIsTheContextsError(t *testing.T) {
	calls := map[string]func(context.Context, *AhsayClient) error{
		"AddUser": func(ctx context.Context, c *AhsayClient) error {
			return c.AddUser(ctx, &AddUserRequest{UserRef: UserRef{LoginName: "new"}, Password: "Pa55-word"})
		},
		"RemoveUser": func(ctx context.Context, c *AhsayClient) error { return c.RemoveUser(ctx, obm) },
		"ListUsers":  func(ctx context.Context, c *AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err },
	}
	ends := map[string]struct {
		ctx  func() context.Context
		want error
	}{
		"cancelled": {func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, context.Canceled},
		"past its deadline": {func() context.Context {
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			_ = cancel
			return ctx
		}, context.DeadlineExceeded},
	}
	for cname, call := range calls {
		for ename, end := range ends {
			t.Run(cname+" with a context "+ename, func(t *testing.T) {
				c, mt := newMockAhsay(t)
				mt.RegisterNoResponder(okStatus)
				err := call(end.ctx(), c)
				assert.ErrorIs(t, err, end.want)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown, "nothing was sent")
				assert.Zero(t, mt.GetTotalCallCount(), "no request left")
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Zero(t, e.Attempts)
				assert.Contains(t, e.Error(), "before the request was sent")
			})
		}
	}
}

func TestBackoffHasFullJitterWithinBounds(t *testing.T) {
	seen := map[time.Duration]bool{}
	for i := 0; i < 200; i++ {
		d := jitterBackoff(100*time.Millisecond, time.Second, 3, nil)
		require.GreaterOrEqual(t, d, time.Duration(0))
		require.LessOrEqual(t, d, 800*time.Millisecond, "attempt 3 is capped at min*2^3")
		seen[d] = true
	}
	assert.Greater(t, len(seen), 100, "waits are randomised")
	for i := 0; i < 50; i++ {
		assert.LessOrEqual(t, jitterBackoff(100*time.Millisecond, time.Second, 20, nil), time.Second)
	}
}

func TestTheDoorSaysWhetherAnAttemptMayHaveLeft(t *testing.T) {
	connected := &attemptTrace{}
	connected.getConn.Store(true)
	connected.gotConn.Store(true)
	connecting := &attemptTrace{} // net/http began getting a connection and got none
	connecting.getConn.Store(true)
	cases := []struct {
		name  string
		resp  *http.Response
		err   error
		trace *attemptTrace
		left  bool
	}{
		{"an answer came", &http.Response{StatusCode: 500}, nil, nil, true},
		{"a context that ended before the transport", nil, notSent(context.Canceled), connected, false},
		{"a limiter's wait that failed", nil, notSent(errors.New("rate: Wait(n=1) would exceed context deadline")), nil, false},
		{"traced: no connection was handed over", nil, errors.New("anything"), connecting, false},
		{"traced, nothing reported (a registered protocol): a reset connection", nil, io.ErrUnexpectedEOF, &attemptTrace{}, true},
		{"traced, nothing reported (a registered protocol): a dial error", nil, &net.OpError{Op: "dial", Err: errors.New("x")}, &attemptTrace{}, false},
		{"traced: the connection was handed over", nil, &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, connected, true},
		{"untraced: a dial error", nil, &net.OpError{Op: "dial", Err: errors.New("x")}, nil, false},
		{"untraced: a refused connection", nil, syscall.ECONNREFUSED, nil, false},
		{"untraced: a failed name lookup", nil, &net.DNSError{Err: "no such host", Name: "cbs.invalid", IsNotFound: true}, nil, false},
		{"untraced: a proxy CONNECT failure", nil, &net.OpError{Op: "proxyconnect", Err: errors.New("x")}, nil, false},
		{"untraced: an untrusted certificate", nil, &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, nil, false},
		{"untraced: a TLS alert in the handshake", nil, tls.AlertError(40), nil, false},
		{"untraced: a handshake timeout", nil, errors.New("net/http: TLS handshake timeout"), nil, false},
		{"untraced: a reset connection", nil, &net.OpError{Op: "read", Err: syscall.ECONNRESET}, nil, true},
		{"untraced: EOF", nil, io.EOF, nil, true},
		{"untraced: a context that ended in the transport", nil, context.DeadlineExceeded, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.left, mayHaveLeft(nil, tc.resp, tc.err, tc.trace))
		})
	}
}

func TestOneRetryDecision(t *testing.T) {
	truncated := &Error{Err: io.ErrUnexpectedEOF, kinds: []error{ErrUnexpectedResponse}}
	cases := []struct {
		name               string
		err                *Error
		retryable, rideOut bool
	}{
		{"503 on a read", &Error{kinds: []error{ErrUnavailable}}, true, true},
		{"a read whose answer broke off", truncated, true, true},
		{"a state change whose answer broke off", &Error{Err: io.ErrUnexpectedEOF, kinds: []error{ErrUnexpectedResponse, ErrOutcomeUnknown}}, false, false},
		{"a 504 after a state change", &Error{kinds: []error{ErrOutcomeUnknown}}, false, false},
		{"a 500", &Error{HTTPStatus: 500, kinds: []error{ErrServer}}, false, true},
		{"an HTML page", &Error{HTTPStatus: 200, kinds: []error{ErrUnexpectedResponse}}, false, true},
		{"not found", &Error{kinds: []error{ErrNotFound}}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.retryable, tc.err.Retryable(), "Error.Retryable")
			assert.Equal(t, tc.retryable, retryable(tc.err), "the repeat loop")
			assert.Equal(t, tc.rideOut, faultOf(tc.err) != faultStops, "the waiters")
		})
	}
	t.Run("the transport retries exactly the statuses classified ErrUnavailable", func(t *testing.T) {
		for code := 400; code < 600; code++ {
			want := classifyStatus(code) == ErrUnavailable
			assert.Equal(t, want, unavailable(statusKinds(code, true)), "HTTP %d", code)
		}
	})
}

func TestALoginThatKeepsFailingEndsTheCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, m := newMockXC(t)
		logins := 0
		m.mt.RegisterResponder("POST", xcBase+"/sessions", func(*http.Request) (*http.Response, error) {
			logins++
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
		})
		c, err := NewXClarityClient(xcBase, xcUser, xcPassword, WithHTTPClient(&http.Client{Transport: m.mt}), WithRetry(2, time.Millisecond, time.Millisecond))
		require.NoError(t, err)
		_, err = c.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.Equal(t, 3, logins, "one login of 2+1 attempts: the call does not repeat a login that spent its retries")
	})
}

func TestAReadWhoseAnswerBrokeOffIsRepeated(t *testing.T) {
	cases := []struct {
		name   string
		broken httpmock.Responder
	}{
		{"truncated JSON", jsonResponder(200, `{"Status":"OK","User":[{"Log`)},
		{"an empty body", jsonResponder(200, ``)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", listPath, tc.broken.Then(okUsers))
			users, err := c.ListUsers(context.Background(), nil)
			require.NoError(t, err)
			assert.Len(t, users, 1)
			assert.Equal(t, 2, mt.GetTotalCallCount())
		})
	}
	t.Run("an HTML page is not repeated", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", listPath, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(200, "<html></html>")
			r.Header.Set("Content-Type", "text/html")
			return r, nil
		})
		_, err := c.ListUsers(context.Background(), nil)
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
}
