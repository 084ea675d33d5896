package backupapi

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rebuild(status string) string {
	return `{"Status":"OK","Data":{"Status":"` + status + `","LoginName":"obm","BackupSetID":"1","StartTime":-1,"EndTime":-1}}`
}

const rebuildPath = testBase + "/obs/api/json/GetSingleUserRebuildStatus.do"

func TestWaitForRebuild(t *testing.T) {
	t.Run("polls until Finished, reporting each change once, riding out a 503", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(0, 0, 0))
			mt.RegisterResponder("POST", rebuildPath,
				jsonResponder(200, rebuild("Not yet started")).
					Then(jsonResponder(200, rebuild("Running"))).
					Then(statusResponder(503, "")).
					Then(jsonResponder(200, rebuild("Running"))).
					Then(jsonResponder(200, rebuild("Finished"))))
			var seen []string
			st, err := c.WaitForRebuild(context.Background(), obm, WaitOptions{MinInterval: time.Second, MaxInterval: 4 * time.Second,
				OnProgress: func(p Progress) { seen = append(seen, p.Status) }})
			require.NoError(t, err)
			assert.True(t, st.Finished())
			assert.Equal(t, []string{"Not yet started", "Running", "Finished"}, seen)
			assert.Equal(t, 5, mt.GetTotalCallCount())
		})
	})
	t.Run("a failed rebuild is an error holding its status", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", rebuildPath, jsonResponder(200, rebuild("Failed")))
			st, err := c.WaitForRebuild(context.Background(), obm, WaitOptions{})
			require.Error(t, err)
			assert.Equal(t, "Failed", st.Status)
			assert.Contains(t, err.Error(), "Failed")
		})
	})
	t.Run("a permanent error stops the wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", rebuildPath, jsonResponder(200, `{"Status":"Error","Message":"[UserCacheManager.NoSuchUserExpt] User 'obm' not found."}`))
			_, err := c.WaitForRebuild(context.Background(), obm, WaitOptions{})
			assert.ErrorIs(t, err, ErrNotFound)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	})
	t.Run("the context's deadline ends the wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", rebuildPath, jsonResponder(200, rebuild("Running")))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			_, err := c.WaitForRebuild(ctx, obm, WaitOptions{MinInterval: time.Second, MaxInterval: 2 * time.Second})
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 10*time.Second, time.Since(start))
			assert.GreaterOrEqual(t, mt.GetTotalCallCount(), 5)
		})
	})
}
