package backupapitest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestXClarityBackupLifecycle(t *testing.T) {
	clock := backupapitest.NewFakeClock(time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC))
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			_, c := tr.xc(t, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
			ctx := context.Background()
			before, err := c.ListBackups(ctx)
			require.NoError(t, err)

			q, err := c.QuiesceStatus(ctx)
			require.NoError(t, err)
			assert.False(t, q.Running(), "nothing running is a valid answer")

			res, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Label: "nightly", Passphrase: "Backup-Pass-1", IncludeFW: true})
			require.NoError(t, err)
			require.NotEmpty(t, res.JobID, "the job ID, from the Location header")

			q, err = c.QuiesceStatus(ctx)
			require.NoError(t, err)
			require.True(t, q.Running())
			assert.Equal(t, res.JobID, q.Backup.JobID)
			assert.Equal(t, "nightly", q.Backup.Label)
			assert.True(t, bool(q.Backup.IncludeFW))

			_, err = c.GetJob(ctx, res.JobID)
			assert.ErrorIs(t, err, backupapi.ErrUnavailable, "the job API is out of reach while quiesced")

			// WaitForBackup rides through the quiesced phase on the fake
			// clock: each poll moves the clock a minute.
			var quiesced, viaJob int
			job, err := c.WaitForBackup(ctx, res.JobID, backupapi.WaitOptions{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond,
				OnProgress: func(p backupapi.Progress) {
					if p.Quiesce != nil {
						quiesced++
					}
					if p.Job != nil {
						viaJob++
					}
					clock.Advance(time.Minute)
				}})
			require.NoError(t, err)
			assert.Equal(t, backupapi.JobComplete, job.Status)
			assert.Greater(t, quiesced, 3, "progress came from the quiesce status")
			assert.GreaterOrEqual(t, viaJob, 1, "then from the job")

			after, err := c.ListBackups(ctx)
			require.NoError(t, err)
			require.Len(t, after, len(before)+1, "the new backup is listed")
			made := after[len(after)-1]
			assert.Contains(t, made.Filename, "nightly")

			all, err := c.ListJobs(ctx, nil)
			require.NoError(t, err)
			require.NotEmpty(t, all)
			assert.NotEmpty(t, all[len(all)-1].Children, "full jobs have children")
			compact, err := c.ListJobs(ctx, &backupapi.ListJobsRequest{Compact: true})
			require.NoError(t, err)
			require.Len(t, compact, len(all))
			assert.Empty(t, compact[0].Children, "compact drops them")

			prep, err := c.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: made.UUID, Passphrase: "Backup-Pass-1"})
			require.NoError(t, err)
			require.NotEmpty(t, prep.JobID)
			start, err := c.StartRestore(ctx, &backupapi.RestoreRequest{UUID: made.UUID})
			require.NoError(t, err)
			q, err = c.QuiesceStatus(ctx)
			require.NoError(t, err)
			require.NotNil(t, q.Restore)
			assert.Equal(t, start.JobID, q.Restore.JobID)
			clock.Advance(11 * time.Minute)
			_, err = c.WaitForBackup(ctx, start.JobID, backupapi.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
			require.NoError(t, err)

			del, err := c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: made.UUID, Location: backupapi.LocationInternal})
			require.NoError(t, err)
			assert.Equal(t, "success", del.Result)
			gone, err := c.ListBackups(ctx)
			require.NoError(t, err)
			assert.Len(t, gone, len(before), "the deleted backup is gone")
			_, err = c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: made.UUID, Location: backupapi.LocationAll})
			assert.ErrorIs(t, err, backupapi.ErrInvalidRequest)
		})
	}
}

func TestDeleteBackupFromAShareWhoseNameHasASpace(t *testing.T) {
	srv, c := fakeXClarity(t, withServer(backupapitest.Empty()))
	srv.SeedBackup(backupapitest.XClarityBackup{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Filename: "b.tgz", Location: "/mnt/my share/lxca+backups"})
	_, err := c.DeleteBackup(context.Background(), &backupapi.DeleteBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Location: "/mnt/elsewhere"})
	assert.ErrorIs(t, err, backupapi.ErrInvalidRequest, "the wrong share")
	_, err = c.DeleteBackup(context.Background(), &backupapi.DeleteBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Location: "/mnt/my share/lxca+backups"})
	require.NoError(t, err, "the mount point reached the appliance intact")
	assert.Empty(t, srv.Backups())
}

func TestXClarityResumeIsNotWrappedButTheFakeAnswersIt(t *testing.T) {
	srv := backupapitest.NewXClarityServer()
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPut, srv.URL+"/managementServer/quiesce", http.NoBody)
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, `without {"action":"resume"}`)
}

// TestThePylxcaTaskCallsAreAnswered sends the requests Lenovo's Python
// client makes for tasks, as it makes them, and checks the answers' shapes.
func TestThePylxcaTaskCallsAreAnswered(t *testing.T) {
	_, c := fakeXClarity(t)
	ctx := context.Background()
	var info map[string]any
	require.NoError(t, c.Do(ctx, "GET", "/aicc", nil, &info), "connect's test: a JSON object")
	var created map[string]any
	require.NoError(t, c.Do(ctx, "POST", "/tasks", map[string]any{"jobName": "from pylxca", "percentage": 0}, &created))
	id, _ := created["jobUID"].(string)
	require.NotEmpty(t, id)
	var list []map[string]any
	require.NoError(t, c.Do(ctx, "GET", "/tasks?compact=true", nil, &list), "get_tasks without children")
	require.NotEmpty(t, list)
	assert.NotContains(t, list[0], "children")
	require.NoError(t, c.Do(ctx, "GET", "/tasks/"+id, nil, &list), "get_tasks of one job: an array")
	require.Len(t, list, 1)
	require.NoError(t, c.Do(ctx, "PUT", "/tasks/"+id, map[string]any{"jobUID": id, "percentage": 50}, nil), "put_tasks_update")
	require.NoError(t, c.Do(ctx, "PUT", "/tasks", map[string]any{"action": "cancel", "list": []string{id}}, nil), "put_tasks cancel")
	require.NoError(t, c.Do(ctx, "DELETE", "/tasks/"+id, nil, nil), "delete_tasks")
	err := c.Do(ctx, "GET", "/tasks/"+id, nil, &list)
	assert.ErrorIs(t, err, backupapi.ErrNotFound, "a deleted job is gone")
}
