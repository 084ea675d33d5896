package backupapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetJobDecodesTheTree(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/tasks/17", xcFixture(t, "tasks-running.json"))
	job, err := c.GetJob(context.Background(), "17")
	require.NoError(t, err)
	assert.Equal(t, "17", job.JobUID)
	assert.Equal(t, "Copy backup", job.Name)
	assert.Equal(t, JobRunning, job.Status)
	assert.Equal(t, 55.0, job.Percentage)
	assert.Equal(t, "ADMIN", job.CreatedBy)
	assert.Equal(t, "/tasks", job.CancelURL)
	assert.Equal(t, "PUT", job.CancelRESTMethod)
	assert.JSONEq(t, `{"action":"cancel","list":["17"]}`, string(job.CancelRESTBody))
	assert.JSONEq(t, `["4edf27ff"]`, string(job.Args))
	assert.Equal(t, "184467440737095516150", string(job.Extra["bytesCopied"]), "a counter beyond int64 is kept")
	assert.Contains(t, job.Extra, "messages")
	require.Len(t, job.Children, 2)
	assert.Equal(t, 100.0, job.Children[0].Percentage, "a percentage sent as a string")
	assert.Equal(t, JobComplete, job.Children[0].Status)
	require.Len(t, job.Children[0].Children, 1, "children are recursive")
	assert.Equal(t, "17.1.1", job.Children[0].Children[0].JobUID)
	assert.Equal(t, JobPending, job.Children[1].Status)
}

func TestGetJobsAndCancelJobs(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/tasks/17,18", jsonResponder(200, `[{"jobUID":17,"status":"Complete"},{"jobUID":"18","status":"Running","percentage":"12.5"}]`))
	jobs, err := c.GetJobs(context.Background(), "17", "18")
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	assert.Equal(t, "17", jobs[0].JobUID, "a numeric ID is read as text")
	assert.Equal(t, 12.5, jobs[1].Percentage)

	var body []byte
	m.handle("PUT", "/tasks", func(r *http.Request) (*http.Response, error) {
		body, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, ""), nil
	})
	require.NoError(t, c.CancelJobs(context.Background(), "17", "18"))
	assert.JSONEq(t, `{"action":"cancel","list":["17","18"]}`, string(body))

	assert.ErrorIs(t, c.CancelJobs(context.Background()), ErrInvalidRequest)
	_, err = c.GetJobs(context.Background())
	assert.ErrorIs(t, err, ErrInvalidRequest)
}

func TestCancelJobsIsRetried(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("PUT", "/tasks", httpmock.NewErrorResponder(&net.OpError{Op: "read", Err: syscall.ECONNRESET}).
		Then(httpmock.NewStringResponder(200, "")))
	require.NoError(t, c.CancelJobs(context.Background(), "17"))
}

func TestGetJobOfAnUnknownJob(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/tasks/99", jsonResponder(200, `[]`))
	_, err := c.GetJob(context.Background(), "99")
	assert.ErrorIs(t, err, ErrNotFound)
}

func jobAnswer(status string, pct int) httpmock.Responder {
	return jsonResponder(200, fmt.Sprintf(`[{"jobUID":"17","status":%q,"percentage":%d}]`, status, pct))
}

func TestWaitForJob(t *testing.T) {
	t.Run("follows Pending, Running 10%, 55% to Complete through a quiesce gap", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t, WithRetry(0, 0, 0))
			m.handle("GET", "/tasks/17", jobAnswer("Pending", 0).
				Then(jobAnswer("Running", 10)).
				Then(jobAnswer("Running", 10)).
				Then(statusResponder(503, "")).
				Then(httpmock.NewErrorResponder(&net.OpError{Op: "read", Err: syscall.ECONNRESET})).
				Then(statusResponder(502, "")).
				Then(jobAnswer("Running", 55)).
				Then(jobAnswer("Complete", 100)))
			var seen []string
			start := time.Now()
			job, err := c.WaitForJob(context.Background(), "17", WaitOptions{MinInterval: time.Second, MaxInterval: 5 * time.Second,
				OnProgress: func(p Progress) { seen = append(seen, fmt.Sprintf("%s %.0f%% poll %d", p.Status, p.Percent, p.Polls)) }})
			require.NoError(t, err)
			assert.Equal(t, JobComplete, job.Status)
			assert.Equal(t, []string{"Pending 0% poll 1", "Running 10% poll 2", "Running 55% poll 7", "Complete 100% poll 8"}, seen)
			assert.Equal(t, 9, m.mt.GetTotalCallCount(), "one login and eight polls")
			assert.Less(t, time.Since(start), 40*time.Second)
		})
	})
	t.Run("Stopped_With_Error is an *Error holding the job", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t)
			m.handle("GET", "/tasks/17", jobAnswer("Running", 40).Then(jobAnswer("Stopped_With_Error", 40)))
			_, err := c.WaitForJob(context.Background(), "17", WaitOptions{})
			var e *Error
			require.ErrorAs(t, err, &e)
			require.NotNil(t, e.Job)
			assert.Equal(t, JobStoppedWithError, e.Job.Status)
			assert.Equal(t, "Stopped_With_Error", e.Result)
		})
	})
	t.Run("every failed terminal state ends the wait", func(t *testing.T) {
		for _, s := range []JobStatus{JobCancelled, JobCancelledWithErrs, JobInterrupted, JobFailed} {
			synctest.Test(t, func(t *testing.T) {
				c, m := newMockXC(t)
				m.handle("GET", "/tasks/17", jobAnswer(string(s), 0))
				_, err := c.WaitForJob(context.Background(), "17", WaitOptions{})
				require.Error(t, err, string(s))
				assert.True(t, s.Terminal())
			})
		}
	})
	t.Run("an unknown state keeps polling until the deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t)
			m.handle("GET", "/tasks/17", jobAnswer("Blocked", 0))
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			start := time.Now()
			_, err := c.WaitForJob(ctx, "17", WaitOptions{MinInterval: time.Second, MaxInterval: 10 * time.Second})
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, time.Minute, time.Since(start))
			assert.Greater(t, m.mt.GetTotalCallCount(), 5)
		})
	})
	t.Run("a job finishing after 60 s takes few polls and is seen within one interval", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t)
			start := time.Now()
			var doneAt time.Time
			m.handle("GET", "/tasks/17", func(r *http.Request) (*http.Response, error) {
				if time.Since(start) >= 60*time.Second {
					return jobAnswer("Complete", 100)(r)
				}
				return jobAnswer("Running", int(time.Since(start)/time.Second*100/60))(r)
			})
			opts := WaitOptions{MinInterval: time.Second, MaxInterval: 10 * time.Second}
			_, err := c.WaitForJob(context.Background(), "17", opts)
			require.NoError(t, err)
			doneAt = time.Now()
			assert.LessOrEqual(t, m.mt.GetTotalCallCount()-1, 15, "polls")
			assert.LessOrEqual(t, doneAt.Sub(start), 70*time.Second, "seen within one max interval of completion")
		})
	})
}

// nestedJobs returns a GET /tasks answer whose job tree is depth levels
// deep, each level carrying pad bytes of extra data.
func nestedJobs(depth, pad int) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, `{"jobUID":"%d","status":"Running","percentage":"50","note":"%s","children":[`, i, strings.Repeat("x", pad))
	}
	for i := 0; i < depth; i++ {
		b.WriteString("]}")
	}
	b.WriteString("]")
	return b.Bytes()
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestNestedJobsDecodeInLinearMemory(t *testing.T) {
	t.Run("a tree as deep as allowed costs memory in proportion to its size", func(t *testing.T) {
		body := nestedJobs(MaxJobDepth+1, 4<<10)
		var jobs oneOrMany[Job]
		used := allocated(func() { require.NoError(t, json.Unmarshal(body, &jobs)) })
		require.Len(t, jobs, 1)
		depth := 0
		for j := &jobs[0]; len(j.Children) > 0; j = &j.Children[0] {
			depth++
			require.Equal(t, JobRunning, j.Status)
			require.Equal(t, 50.0, j.Percentage)
		}
		assert.Equal(t, MaxJobDepth, depth)
		assert.Less(t, used, uint64(8*len(body)), "allocated %d bytes for a %d-byte answer", used, len(body))
	})
	t.Run("a tree 4,990 deep fails clearly, in bounded memory", func(t *testing.T) {
		body := nestedJobs(4990, 0) // about 234 KiB, as reproduced
		c, m := newMockXC(t)
		m.handle("GET", "/tasks/0", func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewBytesResponse(200, body)
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		})
		var err error
		used := allocated(func() { _, err = c.GetJob(context.Background(), "0") })
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Contains(t, err.Error(), fmt.Sprintf("nested deeper than %d levels", MaxJobDepth))
		assert.Less(t, used, uint64(16<<20), "allocated %d bytes", used)
	})
}

func TestCancelJobsTakesAnyAnswerBody(t *testing.T) {
	for name, body := range map[string]string{"none, as documented": "", "an envelope": `{"result":"success","messages":[]}`, "an array": `[]`} {
		t.Run(name, func(t *testing.T) {
			c, m := newMockXC(t)
			m.handle("PUT", "/tasks", func(*http.Request) (*http.Response, error) { return httpmock.NewStringResponse(200, body), nil })
			assert.NoError(t, c.CancelJobs(context.Background(), "17"))
		})
	}
	t.Run("a failed envelope is still an error", func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("PUT", "/tasks", jsonResponder(200, `{"result":"failed","messages":[{"id":"X","text":"no such job"}]}`))
		assert.ErrorContains(t, c.CancelJobs(context.Background(), "17"), "no such job")
	})
}
