package backupapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWaitersStopAtPermanentFaultsAndRideOutTransientOnes walks the fault
// kinds a poll can meet and what every waiter makes of each (faultOf): a
// fault that a repeat cannot cure ends the wait at its first poll; what a
// busy or quiesced appliance answers is ridden out until the deadline; a
// server error or an unreadable answer is ridden out until it repeats
// identically MaxRepeatedFailures times.
func TestWaitersStopAtPermanentFaultsAndRideOutTransientOnes(t *testing.T) {
	const (
		stopsAtOnce   = "stops at its first poll"
		ridesOut      = "rides it out until the deadline"
		stopsOnRepeat = "stops once it has repeated identically"
	)
	text := func(status int, contentType, body string) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(status, body)
			resp.Header.Set("Content-Type", contentType)
			return resp, nil
		}
	}
	var n atomic.Int32
	cases := []struct {
		name   string
		answer httpmock.Responder
		opts   []Option
		want   string
		sees   error // a sentinel the final error matches
	}{
		{"a 404 page", text(404, "text/plain; charset=utf-8", "404 page not found"), nil, stopsAtOnce, ErrUnexpectedResponse},
		{"a 404 HTML page", text(404, "text/html", "<html>Not Found</html>"), nil, stopsAtOnce, ErrUnexpectedResponse},
		{"the product's own 404", jsonResponder(404, `{"result":"failed","messages":[{"id":"FQXHMSE0404J","text":"The job was not found."}]}`), nil, stopsAtOnce, ErrNotFound},
		{"a 403", jsonResponder(403, `{"result":"failed","messages":[{"text":"Forbidden"}]}`), nil, stopsAtOnce, ErrPermissionDenied},
		{"a 400", jsonResponder(400, `{"result":"failed"}`), nil, stopsAtOnce, ErrInvalidRequest},
		{"a job tree deeper than MaxJobDepth", jsonResponder(200, string(nestedJobs(MaxJobDepth+2, 0))), nil, stopsAtOnce, ErrUnexpectedResponse},
		{"an answer beyond WithMaxResponseBytes", jsonResponder(200, `[{"jobUID":"17","status":"Running","note":"`+strings.Repeat("x", 4096)+`"}]`),
			[]Option{WithMaxResponseBytes(1024)}, stopsAtOnce, ErrUnexpectedResponse},
		{"an answer without the job", jsonResponder(200, `[]`), nil, stopsAtOnce, ErrNotFound},
		{"a 503 (quiesced)", statusResponder(503, ""), nil, ridesOut, ErrUnavailable},
		{"a 502", statusResponder(502, ""), nil, ridesOut, ErrUnavailable},
		{"a 429", statusResponder(429, ""), nil, ridesOut, ErrUnavailable},
		{"a dropped connection", httpmock.NewErrorResponder(&net.OpError{Op: "read", Err: syscall.ECONNRESET}), nil, ridesOut, nil},
		{"a body that broke off", jsonResponder(200, `[{"jobUID":"17","status":"Run`), nil, ridesOut, ErrUnexpectedResponse},
		{"a 500 that repeats", jsonResponder(500, `{"result":"failed","messages":[{"text":"Internal error"}]}`), nil, stopsOnRepeat, ErrServer},
		{"a 200 HTML page that repeats", text(200, "text/html", "<html>Maintenance</html>"), nil, stopsOnRepeat, ErrUnexpectedResponse},
		{"a 500 that changes each time", func(r *http.Request) (*http.Response, error) {
			return jsonResponder(500, fmt.Sprintf(`{"result":"failed","messages":[{"text":"Internal error %d"}]}`, n.Add(1)))(r)
		}, nil, ridesOut, ErrServer},
	}
	waiters := []struct {
		name string
		wait func(ctx context.Context, c *XClarityClient) error
	}{
		{"WaitForJob", func(ctx context.Context, c *XClarityClient) error {
			_, err := c.WaitForJob(ctx, "17", WaitOptions{})
			return err
		}},
		{"WaitForBackup", func(ctx context.Context, c *XClarityClient) error {
			_, err := c.WaitForBackup(ctx, "17", WaitOptions{})
			return err
		}},
	}
	for _, w := range waiters {
		for _, tc := range cases {
			t.Run(w.name+" "+tc.want+": "+tc.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					c, m := newMockXC(t, append([]Option{WithRetry(0, 0, 0)}, tc.opts...)...)
					m.handle("GET", "/managementServer/quiesce", jsonResponder(200, `{}`))
					var polls atomic.Int32
					m.handle("GET", "/tasks/17", func(r *http.Request) (*http.Response, error) {
						polls.Add(1)
						return tc.answer(r)
					})
					ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
					defer cancel()
					err := w.wait(ctx, c)
					require.Error(t, err)
					if tc.sees != nil {
						assert.ErrorIs(t, err, tc.sees)
					}
					switch tc.want {
					case stopsAtOnce:
						assert.NotErrorIs(t, err, context.DeadlineExceeded)
						assert.EqualValues(t, 1, polls.Load())
					case stopsOnRepeat:
						assert.NotErrorIs(t, err, context.DeadlineExceeded)
						assert.EqualValues(t, MaxRepeatedFailures, polls.Load())
					case ridesOut:
						assert.ErrorIs(t, err, context.DeadlineExceeded)
						assert.Greater(t, polls.Load(), int32(MaxRepeatedFailures))
					}
				})
			})
		}
	}
	t.Run("a transient fault between two identical ones restarts the count", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t, WithRetry(0, 0, 0))
			r500 := jsonResponder(500, `{"result":"failed","messages":[{"text":"Internal error"}]}`)
			// four 500s, a 503, four 500s, then the job completes
			answer := r500.Then(r500).Then(r500).Then(r500).Then(statusResponder(503, "")).
				Then(r500).Then(r500).Then(r500).Then(r500).Then(jobAnswer("Complete", 100))
			m.handle("GET", "/tasks/17", answer)
			job, err := c.WaitForJob(context.Background(), "17", WaitOptions{})
			require.NoError(t, err)
			assert.Equal(t, JobComplete, job.Status)
		})
	})
}

// TestFailedJobsMatchErrJobFailed: every state JobStatus.Failed calls a
// failure, and a failed rebuild, match ErrJobFailed; the other states do
// not end a wait in an error.
func TestFailedJobsMatchErrJobFailed(t *testing.T) {
	states := []JobStatus{JobPending, JobRunning, JobRunningWithErrors, JobComplete, JobCancelled, JobCancelledWithErrs,
		JobStoppedWithError, JobInterrupted, JobFailed, JobCompleteWithWarnings, JobCompleteWithErrors}
	for _, s := range states {
		if !s.Terminal() {
			continue
		}
		t.Run(string(s), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, m := newMockXC(t)
				m.handle("GET", "/tasks/17", jobAnswer(string(s), 100))
				job, err := c.WaitForJob(context.Background(), "17", WaitOptions{})
				require.NotNil(t, job)
				if !s.Failed() {
					assert.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, ErrJobFailed)
				var e *Error
				require.True(t, errors.As(err, &e))
				assert.Equal(t, []error{ErrJobFailed}, e.Kinds())
				assert.Equal(t, s, e.Job.Status)
				assert.Equal(t, "xclarity WaitForJob: job 17 ended "+string(s), e.Error(), "no HTTP status in a client-side message")
			})
		})
	}
	t.Run("a failed rebuild", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/GetSingleUserRebuildStatus.do",
				jsonResponder(200, `{"Status":"OK","Data":{"BackupSetID":"1","Status":"Failed","StartTime":`+fmt.Sprint(time.Now().UnixMilli())+`}}`))
			st, err := c.WaitForRebuild(context.Background(), &WaitForRebuildRequest{UserRef: obm, BackupSetID: "1"}, WaitOptions{})
			require.ErrorIs(t, err, ErrJobFailed)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Same(t, st, e.Rebuild)
		})
	})
}

// TestWaitForRebuildKeepsTheSameFaultPolicy: the AhsayCBS waiter shares
// the policy: a 404 page or the server's own error ends the wait at its
// first poll, a 503 is ridden out until the deadline.
func TestWaitForRebuildKeepsTheSameFaultPolicy(t *testing.T) {
	cases := []struct {
		name   string
		answer httpmock.Responder
		stops  bool
	}{
		{"a 404 page", func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(404, "404 page not found"), nil
		}, true},
		{"the user does not exist", jsonResponder(200, `{"Status":"Error","Message":"[UserCacheManager.NoSuchUserExpt] User 'obm' not found."}`), true},
		{"a 503", statusResponder(503, ""), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockAhsay(t, WithRetry(0, 0, 0))
				var polls atomic.Int32
				mt.RegisterResponder("POST", testBase+"/obs/api/json/GetSingleUserRebuildStatus.do", func(r *http.Request) (*http.Response, error) {
					polls.Add(1)
					return tc.answer(r)
				})
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				defer cancel()
				_, err := c.WaitForRebuild(ctx, &WaitForRebuildRequest{UserRef: obm, BackupSetID: "1"}, WaitOptions{})
				require.Error(t, err)
				if tc.stops {
					assert.NotErrorIs(t, err, context.DeadlineExceeded)
					assert.EqualValues(t, 1, polls.Load())
				} else {
					assert.ErrorIs(t, err, context.DeadlineExceeded)
					assert.ErrorIs(t, err, ErrUnavailable)
				}
			})
		})
	}
}
