package backupapi

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nothingCalls calls each operation that has "nothing there" answers and
// returns how many records it got.
var nothingCalls = map[string]struct {
	path string
	call func(context.Context, *AhsayClient) (int, error)
}{
	"ListBackupJobStatus": {"/obs/api/json/ListBackupJobStatus.do", func(ctx context.Context, c *AhsayClient) (int, error) {
		jobs, err := c.ListBackupJobStatus(ctx, &ListBackupJobStatusRequest{UserRef: obm, Date: time.Now()})
		return len(jobs), err
	}},
	"ListBackupJobMode": {"/obs/api/json/ListBackupJobMode.do", func(ctx context.Context, c *AhsayClient) (int, error) {
		jobs, err := c.ListBackupJobMode(ctx, &ListBackupJobModeRequest{UserRef: obm, Date: time.Now()})
		return len(jobs), err
	}},
	"ListRestoreJobStatus": {"/obs/api/json/ListRestoreJobStatus.do", func(ctx context.Context, c *AhsayClient) (int, error) {
		jobs, err := c.ListRestoreJobStatus(ctx, &ListRestoreJobStatusRequest{UserRef: obm, Date: time.Now()})
		return len(jobs), err
	}},
}

// TestNothingThereAnswersAreEmptyLists walks the endpoint table's
// emptyAnswers: each message, as the server sends it (its case, its
// bracketed origin), is an empty list and no error; the same message from
// another endpoint, or another message, stays an error.
func TestNothingThereAnswersAreEmptyLists(t *testing.T) {
	require.NotEmpty(t, emptyAnswers)
	for op, texts := range emptyAnswers {
		tc, ok := nothingCalls[op]
		require.True(t, ok, "the test calls %s", op)
		for _, text := range texts {
			message := "[Error] " + strings.ToUpper(text[:1]) + text[1:]
			t.Run(op+" answers "+message+" as an empty list", func(t *testing.T) {
				c, mt := newMockAhsay(t)
				mt.RegisterResponder("POST", testBase+tc.path, jsonResponder(http.StatusOK,
					`{"Status":"Error","Message":"`+message+`","ExptType":"com.ahsay.obs.core.dbs.DbsException"}`))
				n, err := tc.call(context.Background(), c)
				require.NoError(t, err)
				assert.Zero(t, n)
			})
		}
		t.Run(op+" still fails on another message", func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+tc.path, jsonResponder(http.StatusOK,
				`{"Status":"Error","Message":"[UserCacheManager.NoSuchUserExpt] User 'obm' not found."}`))
			_, err := tc.call(context.Background(), c)
			assert.ErrorIs(t, err, ErrNotFound)
		})
		t.Run(op+" still fails when a proxy's error page carries the text", func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(0, time.Millisecond, time.Millisecond))
			mt.RegisterResponder("POST", testBase+tc.path, jsonResponder(http.StatusBadGateway,
				`{"Status":"Error","Message":"[Error] `+texts[0]+`"}`))
			_, err := tc.call(context.Background(), c)
			assert.Error(t, err, "only the server's own 2xx answer means nothing there")
		})
	}
	t.Run("no other endpoint reads a nothing-there message as empty", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", testBase+"/obs/api/json/ListBackupJobs.do", jsonResponder(http.StatusOK,
			`{"Status":"Error","Message":"[Error] No Backup Job on that day"}`))
		_, err := c.ListBackupJobs(context.Background(), &ListBackupJobsRequest{UserRef: obm})
		assert.Error(t, err)
	})
	t.Run("GetUserStorageStat's No storage log found stays ErrNotFound, as documented", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", testBase+"/obs/api/json/GetUserStorageStat.do", jsonResponder(http.StatusOK,
			`{"Status":"Error","Message":"No storage log found","ExptType":"com.ahsay.obs.core.dbs.DbsException"}`))
		_, err := c.GetUserStorageStat(context.Background(), &StorageStatRequest{UserRef: obm, YearMonth: "2024-01"})
		assert.ErrorIs(t, err, ErrNotFound)
	})
}

// TestAllBackupJobsYieldsNothingForAnIdleUser: a user without jobs that
// day is no failure.
func TestAllBackupJobsYieldsNothingForAnIdleUser(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/2/ListUsers.do", jsonResponder(http.StatusOK,
		`{"Status":"OK","User":[{"LoginName":"idle"},{"LoginName":"busy"}]}`))
	mt.RegisterResponder("POST", testBase+"/obs/api/json/ListBackupJobStatus.do", func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"idle"`) {
			return jsonResponder(http.StatusOK, `{"Status":"Error","Message":"[Error] No Backup Job on that day","ExptType":"com.ahsay.obs.core.dbs.DbsException"}`)(r)
		}
		return jsonResponder(http.StatusOK, `{"Status":"OK","Data":[{"ID":"2024-06-26-11-33-52","BackupJobStatus":"BS_STOP_SUCCESS"}]}`)(r)
	})
	var users []string
	for job, err := range c.AllBackupJobs(context.Background(), &AllBackupJobsRequest{Date: time.Now()}) {
		require.NoError(t, err, "user %s", job.User.LoginName)
		users = append(users, job.User.LoginName)
	}
	assert.Equal(t, []string{"busy"}, users)
}
