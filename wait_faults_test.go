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
		{"a 408 (the server did not process the request)", statusResponder(408, ""), nil, ridesOut, ErrUnavailable},
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

// TestAJobStateIsReadWhateverSpaceSurroundsIt: every terminal state ends
// a wait when the appliance pads it with spaces, success and failure
// alike (Failed trimmed them and Terminal did not, so a padded Complete
// was polled until the deadline).
func TestAJobStateIsReadWhateverSpaceSurroundsIt(t *testing.T) {
	for _, s := range []JobStatus{JobComplete, JobCompleteWithWarnings, JobCompleteWithErrors, JobFailed, JobCancelled} {
		for _, padded := range []string{string(s) + " ", " " + string(s), "\t" + string(s) + "\n"} {
			t.Run(fmt.Sprintf("%q", padded), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					c, m := newMockXC(t, WithRetry(0, 0, 0))
					m.handle("GET", "/tasks/17", jobAnswer(padded, 100))
					ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
					defer cancel()
					job, err := c.WaitForJob(ctx, "17", WaitOptions{})
					assert.NotErrorIs(t, err, context.DeadlineExceeded, "the wait ended at the state")
					assert.True(t, JobStatus(padded).Terminal())
					require.NotNil(t, job)
					if s.Failed() {
						assert.ErrorIs(t, err, ErrJobFailed)
					} else {
						assert.NoError(t, err)
					}
				})
			})
		}
	}
}

// TestAWaitThatEndsMidPollKeepsTheLastTransientError: ctx may end while
// a poll is under way rather than between polls; either way the error
// holds the context's end and the last failure ridden out, as WaitOptions
// says.
func TestAWaitThatEndsMidPollKeepsTheLastTransientError(t *testing.T) {
	for _, at := range []string{"between polls", "during a poll"} {
		t.Run(at, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, m := newMockXC(t, WithRetry(0, 0, 0), WithTimeout(0))
				var polls atomic.Int32
				m.handle("GET", "/tasks/17", func(r *http.Request) (*http.Response, error) {
					if polls.Add(1) > 3 && at == "during a poll" {
						<-r.Context().Done() // the appliance hangs until the wait gives up
						return nil, r.Context().Err()
					}
					return statusResponder(503, "")(r)
				})
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				defer cancel()
				_, err := c.WaitForJob(ctx, "17", WaitOptions{})
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.ErrorIs(t, err, ErrUnavailable, "the 503s ridden out are said")
			})
		})
	}
}

// TestAWaitStoppedByAnErrorReturnsThatErrorAlone: a permanent fault after
// transient ones is returned as itself, not joined with them (a 404 page
// after 503s must not read as "unavailable, retry later").
func TestAWaitStoppedByAnErrorReturnsThatErrorAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, m := newMockXC(t, WithRetry(0, 0, 0))
		page := func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(404, "404 page not found"), nil
		}
		m.handle("GET", "/tasks/17", statusResponder(503, "").Then(statusResponder(503, "")).Then(page))
		_, err := c.WaitForJob(context.Background(), "17", WaitOptions{})
		require.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.NotErrorIs(t, err, ErrUnavailable)
	})
}

// TestProgressPercentIsWhatTheServerReports pins Progress.Percent's doc:
// a job without a percentage reports 0 (there is no way to tell it from a
// job at 0 %), a rebuild -1.
func TestProgressPercentIsWhatTheServerReports(t *testing.T) {
	t.Run("a job without a percentage", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t, WithRetry(0, 0, 0))
			m.handle("GET", "/tasks/17", jsonResponder(200, `[{"jobUID":"17","status":"Complete"}]`))
			var seen []float64
			_, err := c.WaitForJob(context.Background(), "17", WaitOptions{OnProgress: func(p Progress) { seen = append(seen, p.Percent) }})
			require.NoError(t, err)
			assert.Equal(t, []float64{0}, seen)
		})
	})
	t.Run("a rebuild", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/GetSingleUserRebuildStatus.do",
				jsonResponder(200, `{"Status":"OK","Data":{"BackupSetID":"1","Status":"Finished","StartTime":`+fmt.Sprint(time.Now().UnixMilli())+`}}`))
			var seen []float64
			_, err := c.WaitForRebuild(context.Background(), &WaitForRebuildRequest{UserRef: obm, BackupSetID: "1"},
				WaitOptions{OnProgress: func(p Progress) { seen = append(seen, p.Percent) }})
			require.NoError(t, err)
			assert.Equal(t, []float64{-1}, seen)
		})
	})
}
