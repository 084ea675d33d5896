package backupapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// misbehaving is an in-memory server that answers as the fake does,
// unless a misbehaviour is set: then every request meets it.
type misbehaving struct {
	fake http.RoundTripper
	bad  atomic.Pointer[func(*http.Request) (*http.Response, error)]
}

func (m *misbehaving) RoundTrip(r *http.Request) (*http.Response, error) {
	if f := m.bad.Load(); f != nil {
		return (*f)(r)
	}
	return m.fake.RoundTrip(r)
}

// brokenBody yields a few bytes, then fails as a connection reset would.
type brokenBody struct{ sent bool }

func (b *brokenBody) Read(p []byte) (int, error) {
	if b.sent {
		return 0, syscall.ECONNRESET
	}
	b.sent = true
	return copy(p, `{"Status":"OK","Us`), nil
}
func (b *brokenBody) Close() error { return nil }

// stalledBody blocks until its request's context ends or, as a
// connection's body does, until it is closed.
type stalledBody struct {
	ctx    context.Context
	closed chan struct{}
	once   sync.Once
}

func stalled(r *http.Request) *stalledBody {
	return &stalledBody{ctx: r.Context(), closed: make(chan struct{})}
}

func (b *stalledBody) Read([]byte) (int, error) {
	select {
	case <-b.ctx.Done():
		return 0, b.ctx.Err()
	case <-b.closed:
		return 0, errors.New("read on closed body")
	}
}

func (b *stalledBody) Close() error { b.once.Do(func() { close(b.closed) }); return nil }

func answer(r *http.Request, status int, header http.Header, body io.ReadCloser) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: header, Body: body, Request: r,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: -1}
}

func text(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

// TestNoFailureLeaksAPlaceUnderTheCap: under WithMaxInFlight(1), calls
// that fail every way a call can fail — each repeated, retries and
// redirects included — then one call that must succeed. A place kept by
// any failure would make the last call wait for ever (the bubble's clock
// runs its deadline out at once). Every span that started ended too, and
// no call is counted in flight.
func TestNoFailureLeaksAPlaceUnderTheCap(t *testing.T) {
	json := http.Header{"Content-Type": {"application/json"}}
	failJobs := func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/ListUsers.do") {
			return nil, errors.New("not this one") // marker: served by the fake below
		}
		return answer(r, 503, json, text("busy")), nil
	}
	for _, tc := range []struct {
		name string
		bad  func(*http.Request) (*http.Response, error)
		call func(context.Context, *backupapi.AhsayClient) error
	}{
		{"503 until the retries are spent", func(r *http.Request) (*http.Response, error) {
			return answer(r, 503, json, text(`{"Status":"Error","Message":"busy"}`)), nil
		}, getAlice},
		{"503 with a Retry-After beyond the longest wait", func(r *http.Request) (*http.Response, error) {
			return answer(r, 503, http.Header{"Retry-After": {"3600"}}, text("busy")), nil
		}, getAlice},
		{"500 to a state change", func(r *http.Request) (*http.Response, error) {
			return answer(r, 500, json, text(`{"Status":"Error","Message":"boom"}`)), nil
		}, removeAlice},
		{"a refused connection", func(*http.Request) (*http.Response, error) {
			return nil, &netOpError{syscall.ECONNREFUSED}
		}, getAlice},
		{"a reset after the request left, to a state change", func(*http.Request) (*http.Response, error) {
			return nil, syscall.ECONNRESET
		}, removeAlice},
		{"a body that breaks off, repeated", func(r *http.Request) (*http.Response, error) {
			return answer(r, 200, json, &brokenBody{}), nil
		}, getAlice},
		{"an HTML page", func(r *http.Request) (*http.Response, error) {
			return answer(r, 200, http.Header{"Content-Type": {"text/html"}}, text("<html>proxy</html>")), nil
		}, getAlice},
		{"an answer beyond WithMaxResponseBytes", func(r *http.Request) (*http.Response, error) {
			return answer(r, 200, json, text(`{"Status":"OK","Message":"`+strings.Repeat("x", 100<<10)+`"}`)), nil
		}, getAlice},
		{"no headers within CallTimeout", func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		}, func(ctx context.Context, c *backupapi.AhsayClient) error {
			return getAlice(backupapi.WithCallOptions(ctx, backupapi.CallTimeout(time.Second)), c)
		}},
		{"a body that stalls past CallTimeout", func(r *http.Request) (*http.Response, error) {
			return answer(r, 200, json, stalled(r)), nil
		}, func(ctx context.Context, c *backupapi.AhsayClient) error {
			return getAlice(backupapi.WithCallOptions(ctx, backupapi.CallTimeout(time.Second)), c)
		}},
		{"the caller's context ends while the answer is awaited", func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		}, func(ctx context.Context, c *backupapi.AhsayClient) error {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			return getAlice(ctx, c)
		}},
		{"the caller's context ends while the body is read", func(r *http.Request) (*http.Response, error) {
			return answer(r, 200, json, stalled(r)), nil
		}, func(ctx context.Context, c *backupapi.AhsayClient) error {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			return getAlice(ctx, c)
		}},
		{"307 redirects without end, each hop taking its place", func(r *http.Request) (*http.Response, error) {
			return answer(r, 307, http.Header{"Location": {"https://cbs.test/elsewhere" + r.URL.Path}}, text("")), nil
		}, getAlice},
		{"a 302 the SDK refuses to follow", func(r *http.Request) (*http.Response, error) {
			return answer(r, 302, http.Header{"Location": {"https://cbs.test/elsewhere"}}, text("")), nil
		}, removeAlice},
		{"a streamed list that breaks off", func(r *http.Request) (*http.Response, error) {
			return answer(r, 200, json, &brokenBody{}), nil
		}, func(ctx context.Context, c *backupapi.AhsayClient) error {
			var last error
			for _, err := range c.AllUsers(ctx, nil) {
				last = err
			}
			return last
		}},
		{"a streamed list left after its first user", nil, func(ctx context.Context, c *backupapi.AhsayClient) error {
			for range c.AllUsers(ctx, nil) {
				break
			}
			return errors.New("left early")
		}},
		{"a streamed list whose loop panics", nil, func(ctx context.Context, c *backupapi.AhsayClient) (err error) {
			defer func() {
				if recover() != nil {
					err = errors.New("the loop panicked")
				}
			}()
			for range c.AllUsers(ctx, nil) {
				panic("the caller's bug")
			}
			return nil
		}},
		{"AllBackupJobs left after its first result", failJobs, func(ctx context.Context, c *backupapi.AhsayClient) error {
			for range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: time.Now(), Concurrency: 4}) {
				return errors.New("left early")
			}
			return errors.New("no result")
		}},
		{"AllBackupJobs whose loop panics", failJobs, func(ctx context.Context, c *backupapi.AhsayClient) (err error) {
			defer func() {
				if recover() != nil {
					err = errors.New("the loop panicked")
				}
			}()
			for range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: time.Now(), Concurrency: 4}) {
				panic("the caller's bug")
			}
			return errors.New("no result")
		}},
		{"AllBackupJobs whose jobs fail", failJobs, func(ctx context.Context, c *backupapi.AhsayClient) error {
			var last error
			for _, err := range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: time.Now(), Concurrency: 4}) {
				last = err
			}
			return last
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				k := newTelemetry(t)
				srv := backupapitest.NewUnstartedAhsayServer()
				srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1"})
				srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "pw-Bob-12"})
				m := &misbehaving{fake: backupapitest.Transport(srv.Handler())}
				c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd,
					k.options(backupapi.WithHTTPClient(&http.Client{Transport: m}), backupapi.WithMaxInFlight(1),
						backupapi.WithMaxResponseBytes(64<<10))...)
				require.NoError(t, err)
				if tc.bad != nil {
					bad := func(r *http.Request) (*http.Response, error) {
						resp, err := tc.bad(r)
						if err != nil && err.Error() == "not this one" {
							return m.fake.RoundTrip(r)
						}
						return resp, err
					}
					m.bad.Store(&bad)
				}
				for range 5 {
					err := tc.call(context.Background(), c)
					assert.Error(t, err)
					assert.NotEqual(t, "no result", fmt.Sprint(err), "the loop had something to leave")
				}
				m.bad.Store(nil)
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				defer cancel()
				_, err = c.GetUser(ctx, alice)
				require.NoError(t, err, "the failures gave their places back")
				assert.Len(t, k.spans.Ended(), len(k.spans.Started()), "every span that started ended")
				assert.Zero(t, sum(t, k.metrics(t)["backupapi.client.active_operations"]), "no call is left in flight")
			})
		})
	}
}

func getAlice(ctx context.Context, c *backupapi.AhsayClient) error {
	_, err := c.GetUser(ctx, alice)
	return err
}

func removeAlice(ctx context.Context, c *backupapi.AhsayClient) error {
	return c.RemoveUser(ctx, alice)
}

// netOpError is a dial failure as net reports it.
type netOpError struct{ err error }

func (e *netOpError) Error() string   { return "dial tcp 127.0.0.1:1: " + e.err.Error() }
func (e *netOpError) Unwrap() error   { return e.err }
func (e *netOpError) Timeout() bool   { return false }
func (e *netOpError) Temporary() bool { return false }

// TestARedirectsPathIsNoRoute: the path a server redirects to is the
// server's, not one of the SDK's routes: it may hold an ID or a token, and
// it has no bound. A redirected hop's span is named by its method alone,
// and neither it nor the metrics carry the path.
func TestARedirectsPathIsNoRoute(t *testing.T) {
	const token = "7f3e9a1b0c2d4e5f"
	k := newTelemetry(t)
	srv := backupapitest.NewUnstartedAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1"})
	fake := backupapitest.Transport(srv.Handler())
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		if !strings.Contains(r.URL.Path, token) {
			return answer(r, http.StatusTemporaryRedirect, http.Header{"Location": {"/sso/" + token + r.URL.Path}}, text("")), nil
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimPrefix(r.URL.Path, "/sso/"+token)
		return fake.RoundTrip(r2)
	})
	c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd, k.options(backupapi.WithHTTPClient(&http.Client{Transport: rt}))...)
	require.NoError(t, err)
	_, err = c.GetUser(context.Background(), alice)
	require.NoError(t, err, "the redirect was followed")
	require.Len(t, k.spans.Ended(), 3, "the call, its attempt and the redirected hop")
	for _, s := range k.spans.Ended() {
		assert.NotContains(t, s.Name(), token)
		for _, kv := range s.Attributes() {
			assert.NotContains(t, kv.Value.String(), token, "span %s attribute %s", s.Name(), kv.Key)
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, k.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			for _, set := range metricSets(m) {
				for _, kv := range set.ToSlice() {
					assert.NotContains(t, kv.Value.String(), token, "metric %s attribute %s", m.Name, kv.Key)
				}
			}
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// metricSets are the attribute sets of a metric's points.
func metricSets(m metricdata.Metrics) []attribute.Set {
	var out []attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	case metricdata.Histogram[int64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	}
	return out
}

// TestNoXClarityFailureLeaksAPlaceUnderTheCap: the XClarity paths of a
// session — a 401 to every call (a re-login, a resend, refused again), a
// login that fails, a logout — under WithMaxInFlight(1), then a call
// that must succeed.
func TestNoXClarityFailureLeaksAPlaceUnderTheCap(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  func(r *http.Request, fake http.RoundTripper) (*http.Response, error)
	}{
		{"every call answered 401", func(r *http.Request, fake http.RoundTripper) (*http.Response, error) {
			if r.URL.Path == "/sessions" {
				return fake.RoundTrip(r)
			}
			return answer(r, http.StatusUnauthorized, http.Header{"Content-Type": {"application/json"}}, text(`{"result":"failed"}`)), nil
		}},
		{"the login answered 503", func(r *http.Request, fake http.RoundTripper) (*http.Response, error) {
			if r.URL.Path == "/sessions" {
				return answer(r, http.StatusServiceUnavailable, nil, text("busy")), nil
			}
			return answer(r, http.StatusUnauthorized, nil, text("")), nil
		}},
		{"the login's answer broken off", func(r *http.Request, fake http.RoundTripper) (*http.Response, error) {
			if r.URL.Path == "/sessions" {
				return answer(r, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, &brokenBody{}), nil
			}
			return answer(r, http.StatusUnauthorized, nil, text("")), nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				k := newTelemetry(t)
				srv := backupapitest.NewUnstartedXClarityServer()
				m := &misbehaving{fake: backupapitest.Transport(srv.Handler())}
				c, err := backupapi.NewXClarityClient("https://lxca.test", srv.Username, srv.Password,
					k.options(backupapi.WithHTTPClient(&http.Client{Transport: m}), backupapi.WithMaxInFlight(1))...)
				require.NoError(t, err)
				bad := func(r *http.Request) (*http.Response, error) { return tc.bad(r, m.fake) }
				m.bad.Store(&bad)
				for range 5 {
					_, err := c.ListBackups(context.Background())
					assert.Error(t, err)
				}
				m.bad.Store(nil)
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				defer cancel()
				_, err = c.ListBackups(ctx)
				require.NoError(t, err, "the failures gave their places back")
				require.NoError(t, c.Close(ctx))
				assert.Len(t, k.spans.Ended(), len(k.spans.Started()), "every span that started ended")
				assert.Zero(t, sum(t, k.metrics(t)["backupapi.client.active_operations"]), "no call is left in flight")
			})
		})
	}
}

// TestAWaitersSpanEndsWhenItsCallbackPanics: OnProgress is the caller's
// code; a panic in it leaves the waiter, and its span must end all the
// same, as every call's under it.
func TestAWaitersSpanEndsWhenItsCallbackPanics(t *testing.T) {
	fast := func() backupapi.WaitOptions {
		return backupapi.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond,
			OnProgress: func(backupapi.Progress) { panic("the caller's bug") }}
	}
	for _, tc := range []struct {
		name string
		wait func(context.Context, *backupapi.XClarityClient) error
	}{
		{"WaitForJob", func(ctx context.Context, c *backupapi.XClarityClient) error {
			res, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/s"})
			if err != nil {
				return err
			}
			_, err = c.WaitForJob(ctx, res.JobID, fast())
			return err
		}},
		{"WaitForBackup", func(ctx context.Context, c *backupapi.XClarityClient) error {
			res, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Label: "nightly", Passphrase: "Backup-Pass-1"})
			if err != nil {
				return err
			}
			_, err = c.WaitForBackup(ctx, res.JobID, fast())
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newTelemetry(t)
			_, c := tracedXClarity(t, k)
			panicked := func() (p any) {
				defer func() { p = recover() }()
				_ = tc.wait(context.Background(), c)
				return nil
			}()
			require.NotNil(t, panicked, "the callback ran")
			assert.Len(t, k.spans.Ended(), len(k.spans.Started()), "every span that started ended")
		})
	}
}

// TestTheLimitersBurst: the burst is spent at once, then calls leave at
// the rate; a burst beyond any count never waits, and a rate of almost
// nothing sends the burst and then nothing (in a synctest bubble, the
// clock is the limiter's schedule).
func TestTheLimitersBurst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  float64
		burst int
		want  time.Duration // for 101 calls
	}{
		{"burst 1: 100 intervals of 20 ms", 50, 1, 2 * time.Second},
		{"burst 51: 50 intervals", 50, 51, time.Second},
		{"a burst as large as an int: no wait", 50, math.MaxInt, 0},
		{"a rate as large as a float64: no wait", math.MaxFloat64, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, backupapi.WithRateLimit(tc.rate, tc.burst))
				start := time.Now()
				hammer(t, c, 101)
				assert.Equal(t, 101, srv.Calls(backupapitest.OpGetUser))
				assert.Equal(t, tc.want, time.Since(start).Round(10*time.Millisecond))
			})
		})
	}
	t.Run("a rate of almost nothing: the burst, then a wait the context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv, c := inMemoryAhsay(t, backupapi.WithRateLimit(math.SmallestNonzeroFloat64, 2))
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			defer cancel()
			for range 2 {
				_, err := c.GetUser(ctx, alice)
				require.NoError(t, err)
			}
			_, err := c.GetUser(ctx, alice)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 2, srv.Calls(backupapitest.OpGetUser))
		})
	})
}

// TestAnInnerCallOptionOverridesTheOuter: the options of an inner
// WithCallOptions replace the same options of the outer one (CallTimeout(0)
// removing even the client's bound), and the outer context keeps its own.
func TestAnInnerCallOptionOverridesTheOuter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithTimeout(time.Minute), backupapi.WithRetry(0, 0, 0))
		outer := backupapi.WithCallOptions(context.Background(), backupapi.CallTimeout(100*time.Millisecond), backupapi.CallRetry(0, 0, 0))
		inner := backupapi.WithCallOptions(outer, backupapi.CallTimeout(0), backupapi.CallRetry(2, time.Millisecond, time.Millisecond))

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: 2 * time.Minute, Times: 1})
		_, err := c.GetUser(inner, alice)
		require.NoError(t, err, "no bound at all: not the outer 100 ms, nor the client's minute")

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
		_, err = c.GetUser(inner, alice)
		require.NoError(t, err, "the inner CallRetry(2) outlasts two 503s")

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: time.Second, Times: 1})
		_, err = c.GetUser(outer, alice)
		require.ErrorIs(t, err, backupapi.ErrUnavailable, "the outer context keeps its 100 ms")
		assert.Equal(t, 1, attempts(t, err), "and its CallRetry(0)")
	})
}

// TestARetryOfAStateChangeThatWaitsIsNotSent: a state change whose
// connection was refused (nothing left) is retried; if its context ends
// while the retry waits for the limiter, nothing was sent at all: the
// context's error, never ErrOutcomeUnknown.
func TestARetryOfAStateChangeThatWaitsIsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := backupapitest.NewUnstartedAhsayServer()
		m := &misbehaving{fake: backupapitest.Transport(srv.Handler())}
		refuse := func(*http.Request) (*http.Response, error) {
			m.bad.Store(nil) // once
			return nil, &netOpError{syscall.ECONNREFUSED}
		}
		m.bad.Store(&refuse)
		c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(&http.Client{Transport: m}),
			backupapi.WithRetry(3, time.Millisecond, time.Millisecond), backupapi.WithRateLimit(1.0/3600, 1))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err = c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "carol"}, Password: "pw-Carol-1", QuotaList: oneQuota})
		require.Error(t, err)
		assert.Nil(t, m.bad.Load(), "the first attempt was refused")
		assert.ErrorIs(t, err, context.DeadlineExceeded, "%v", err)
		assert.NotErrorIs(t, err, backupapi.ErrOutcomeUnknown, "%v", err)
		assert.Zero(t, srv.Calls(backupapitest.OpAddUser), "the server never acted")
	})
}
