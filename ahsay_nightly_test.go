package backupapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nightlyServer answers ListUsers with users u0..u(n-1) and each user's
// ListBackupJobStatus with three jobs, after a delay; it records the
// calls in flight and lets a test break one user's answers.
type nightlyServer struct {
	mu       sync.Mutex
	inFlight atomic.Int32
	peak     atomic.Int32
	dates    []string
	broken   map[string]httpmock.Responder // login -> how its first call fails
	failed   map[string]bool
}

func newNightlyServer(t *testing.T, mt *httpmock.MockTransport, users int, delay time.Duration) *nightlyServer {
	ns := &nightlyServer{broken: map[string]httpmock.Responder{}, failed: map[string]bool{}}
	mt.RegisterResponder("POST", testBase+"/obs/api/json/2/ListUsers.do", func(r *http.Request) (*http.Response, error) {
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		assert.Equal(t, true, body["LoginNameOnly"], "only names are asked for")
		list := make([]map[string]any, users)
		for i := range list {
			list[i] = map[string]any{"LoginName": fmt.Sprintf("u%d", i), "Owner": ""}
		}
		b, _ := json.Marshal(map[string]any{"Status": "OK", "User": list})
		return httpmock.NewBytesResponse(200, b), nil
	})
	mt.RegisterResponder("POST", testBase+"/obs/api/json/ListBackupJobStatus.do", func(r *http.Request) (*http.Response, error) {
		now := ns.inFlight.Add(1)
		defer ns.inFlight.Add(-1)
		for p := ns.peak.Load(); now > p && !ns.peak.CompareAndSwap(p, now); p = ns.peak.Load() {
		}
		time.Sleep(delay)
		b, _ := io.ReadAll(r.Body)
		var body struct{ LoginName, BackupDate string }
		require.NoError(t, json.Unmarshal(b, &body))
		ns.mu.Lock()
		ns.dates = append(ns.dates, body.BackupDate)
		fail, first := ns.broken[body.LoginName], !ns.failed[body.LoginName]
		ns.failed[body.LoginName] = true
		ns.mu.Unlock()
		if fail != nil && first {
			return fail(r)
		}
		jobs := []map[string]any{}
		for s := 1; s <= 3; s++ {
			jobs = append(jobs, map[string]any{"LoginName": body.LoginName, "BackupSetID": fmt.Sprint(s),
				"BackupJobStatus": "BS_STOP_SUCCESS", "StartTime": body.BackupDate + " 01:00:00", "UploadSize": "1024"})
		}
		out, _ := json.Marshal(map[string]any{"Status": "OK", "Data": jobs})
		return httpmock.NewBytesResponse(200, out), nil
	})
	return ns
}

var nightOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestAllBackupJobs(t *testing.T) {
	t.Run("yields every job of every user, with bounded concurrency", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			ns := newNightlyServer(t, mt, 50, 20*time.Millisecond)
			perUser := map[string]int{}
			for job, err := range c.AllBackupJobs(context.Background(), &AllBackupJobsRequest{Date: nightOf, Concurrency: 4}) {
				require.NoError(t, err)
				assert.Equal(t, job.User.LoginName, job.LoginName, "each record carries its user")
				assert.Equal(t, OutcomeSuccess, job.Status.Outcome())
				assert.Equal(t, KiB, job.UploadSize)
				perUser[job.User.LoginName]++
			}
			assert.Len(t, perUser, 50)
			for user, n := range perUser {
				assert.Equal(t, 3, n, user)
			}
			assert.LessOrEqual(t, ns.peak.Load(), int32(4), "never more than Concurrency calls in flight")
			assert.Equal(t, int32(4), ns.peak.Load(), "and the concurrency is used")
			assert.Equal(t, "2026-11-23", ns.dates[0], "BackupDate is yyyy-MM-dd")
		})
	})
	t.Run("a failing user is an error for that user and the rest go on; a broken-off answer is repeated", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			ns := newNightlyServer(t, mt, 10, time.Millisecond)
			ns.broken["u3"] = jsonResponder(200, `{"Status":"Error","Message":"[UserCacheManager.NoSuchUserExpt] User 'u3' not found.","ExptType":"x"}`)
			ns.broken["u7"] = jsonResponder(200, `{"Status":"OK","Data":[{"LoginName":"u7","Backup`) // cut off once
			var failed []string
			jobs := 0
			for job, err := range c.AllBackupJobs(context.Background(), &AllBackupJobsRequest{Date: nightOf}) {
				if err != nil {
					assert.ErrorIs(t, err, ErrNotFound)
					failed = append(failed, job.User.LoginName)
					continue
				}
				jobs++
			}
			assert.Equal(t, []string{"u3"}, failed)
			assert.Equal(t, 27, jobs, "nine users' three jobs each, u7's after a repeat")
		})
	})
	t.Run("breaking out stops all work and leaks nothing", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			newNightlyServer(t, mt, 1000, 10*time.Millisecond)
			seen := 0
			for _, err := range c.AllBackupJobs(context.Background(), &AllBackupJobsRequest{Date: nightOf}) {
				require.NoError(t, err)
				if seen++; seen == 5 {
					break
				}
			}
			calls := mt.GetTotalCallCount()
			time.Sleep(time.Second)
			assert.Equal(t, calls, mt.GetTotalCallCount(), "no call is made after the loop ends")
			assert.Less(t, calls, 30, "the rest of the 1000 users were never asked")
		}) // synctest.Test fails if a goroutine of the bubble is left
	})
	t.Run("cancelling the context ends the iteration with the context's error", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			newNightlyServer(t, mt, 1000, 10*time.Millisecond)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var last error
			n := 0
			for _, err := range c.AllBackupJobs(ctx, &AllBackupJobsRequest{Date: nightOf}) {
				if n++; n == 10 {
					cancel()
				}
				last = err
			}
			assert.ErrorIs(t, last, context.Canceled)
			assert.Less(t, n, 100)
			time.Sleep(time.Second) // httpmock's responders of the cancelled calls finish
		})
	})
	t.Run("a request without a date is refused", func(t *testing.T) {
		c, _ := newMockAhsay(t)
		for _, err := range c.AllBackupJobs(context.Background(), &AllBackupJobsRequest{}) {
			assert.ErrorIs(t, err, ErrInvalidRequest)
		}
	})
	t.Run("users' names are kept in order of completion, each user's records together", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			newNightlyServer(t, mt, 5, time.Millisecond)
			var users []string
			for job, err := range c.AllBackupJobs(context.Background(), &AllBackupJobsRequest{Date: nightOf, Concurrency: 1}) {
				require.NoError(t, err)
				if len(users) == 0 || users[len(users)-1] != job.User.LoginName {
					users = append(users, job.User.LoginName)
				}
			}
			assert.True(t, sort.StringsAreSorted(users), "with one worker, users come in list order: %v", users)
			assert.Len(t, users, 5)
		})
	})
}
