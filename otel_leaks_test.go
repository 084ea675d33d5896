package backupapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
