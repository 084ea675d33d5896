package backupapitest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobAt reads a job's state, percentage and end time from /jobs/{id} and
// /tasks/{id}, which must agree.
func jobAt(t *testing.T, srv *backupapitest.XClarityServer, id string) (state string, pct float64, end string) {
	t.Helper()
	resp, view := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/"+id, ""))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	state, pct = viewState(view)
	end, _ = view.(map[string]any)["endTime"].(string)
	_, tasks := rawXC(t, srv, gemRequest(http.MethodGet, "/tasks/"+id, ""))
	task := tasks.([]any)[0].(map[string]any)
	assert.Equal(t, state, task["status"], "/tasks agrees with /jobs")
	assert.Equal(t, pct, task["percentage"], "/tasks agrees with /jobs")
	taskEnd, _ := task["endTime"].(string)
	assert.Equal(t, end, taskEnd, "/tasks agrees with /jobs")
	return state, pct, end
}

// A job's history does not change once it has ended: a later cancel, a
// new job duration or more time on the clock leave its state, percentage
// and end time as they were; a cancelled job ends when it is cancelled.
func TestAnEndedJobKeepsItsHistory(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		fail    bool          // the job is to end Stopped_With_Error
		cancel  time.Duration // when it is cancelled (0: not)
		after   func(srv *backupapitest.XClarityServer, id string)
		state   string
		pct     float64
		endedAt time.Time
	}{
		{"a completed job stays complete when the job duration grows", false, 0,
			func(srv *backupapitest.XClarityServer, _ string) { srv.SetJobDuration(time.Hour) },
			"Complete", 100, t0.Add(10 * time.Second)},
		{"a failed job stays failed when it is cancelled afterwards", true, 0,
			func(srv *backupapitest.XClarityServer, id string) {
				rawXC(t, srv, gemRequest(http.MethodPut, "/jobs/"+id, `{"cancelRequest":"true"}`))
			},
			"Stopped_With_Error", 90, t0.Add(10 * time.Second)},
		{"a cancelled job ends when it is cancelled, at its percentage then", false, 3 * time.Second,
			func(*backupapitest.XClarityServer, string) {},
			"Cancelled", 30, t0.Add(3 * time.Second)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(t0)
			srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Second))
			if tc.fail {
				srv.FailJobs(backupapi.JobStoppedWithError)
			}
			resp, _ := rawXC(t, srv, gemRequest(http.MethodPut, "/managementServer/data",
				`{"action":"start","operation":"copy","uuid":"4edf27ff-08d1-49b5-b7f3-7e8edc4fd278","destination":"/mnt/share"}`))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			id := newestJob(t, srv)
			if tc.cancel > 0 {
				clock.Advance(tc.cancel)
				resp, _ = rawXC(t, srv, gemRequest(http.MethodPut, "/jobs/"+id, `{"cancelRequest":"true"}`))
				require.Equal(t, http.StatusOK, resp.StatusCode)
			}
			clock.Advance(12*time.Second - tc.cancel)
			state, pct, end := jobAt(t, srv, id)
			require.Equal(t, tc.state, state)

			tc.after(srv, id)
			clock.Advance(time.Minute)
			state, pct2, end2 := jobAt(t, srv, id)
			assert.Equal(t, tc.state, state)
			assert.Equal(t, tc.pct, pct)
			assert.Equal(t, pct, pct2, "the percentage stays")
			assert.Equal(t, tc.endedAt.Format(time.RFC3339), end)
			assert.Equal(t, end, end2, "the end time stays")
		})
	}
}

// A RunBackup job that has ended keeps how it ended, though nobody asked
// about it before the job duration or the outcome changed.
func TestAnEndedRunBackupJobKeepsItsHistory(t *testing.T) {
	cases := []struct {
		name   string
		change func(srv *backupapitest.AhsayServer)
	}{
		{"a longer job duration", func(srv *backupapitest.AhsayServer) { srv.SetJobDuration(time.Hour) }},
		{"another outcome", func(srv *backupapitest.AhsayServer) { srv.SetBackupOutcome(backupapi.BackupStoppedByScheduler) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(lastNight.Add(22 * time.Hour))
			srv, c := fakeAhsay(t, inProcess(), withServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute)))
			seedNight(srv)
			alice := backupapi.UserRef{LoginName: "alice"}
			require.NoError(t, c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: alice, BackupSetID: "1700000000001"}))
			clock.Advance(20 * time.Minute) // the job has ended, unseen

			tc.change(srv)
			jobs, err := c.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: alice, Date: lastNight})
			require.NoError(t, err)
			require.Len(t, jobs, 3)
			assert.Equal(t, backupapi.BackupSuccess, jobs[2].Status, "it ended as the fake said then")
		})
	}
}
