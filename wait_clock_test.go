package backupapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var _ backupapi.Clock = (*backupapitest.FakeClock)(nil)

// driveClock advances clock by step each time the code under test waits
// on it, until done is closed: a waiter runs to its end with no sleep.
func driveClock(clock *backupapitest.FakeClock, step time.Duration, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-clock.Waiting():
			clock.Advance(step)
		}
	}
}

// inProcess is a client transport that serves requests with h, and, when
// hideJobIDs, answers as an appliance that names no job: no Location
// header, no jobId in bodies.
type inProcess struct {
	h          http.Handler
	hideJobIDs bool
}

var jobIDKey = regexp.MustCompile(`"jobId":"[^"]*",?`)

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	resp := rec.Result()
	if p.hideJobIDs {
		resp.Header.Del("Location")
		body, _ := io.ReadAll(resp.Body)
		body = jobIDKey.ReplaceAll(body, nil)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return resp, nil
}

// hideJobs drops from GET /tasks the jobs whose name holds name.
type hideJobs struct {
	next http.RoundTripper
	name string
}

func (h hideJobs) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || r.URL.Path != "/tasks" {
		return resp, err
	}
	var jobs []map[string]any
	body, _ := io.ReadAll(resp.Body)
	if json.Unmarshal(body, &jobs) == nil {
		kept := jobs[:0]
		for _, j := range jobs {
			if name, _ := j["name"].(string); !strings.Contains(name, h.name) {
				kept = append(kept, j)
			}
		}
		body, _ = json.Marshal(kept)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return resp, nil
}

func fakeAppliance(t *testing.T, hideJobIDs bool, opts ...backupapitest.ServerOption) (*backupapitest.XClarityServer, *backupapi.XClarityClient) {
	srv := backupapitest.NewUnstartedXClarityServer(opts...)
	c, err := backupapi.NewXClarityClient("https://lxca.test", srv.Username, srv.Password,
		backupapi.WithHTTPClient(&http.Client{Transport: inProcess{srv.Handler(), hideJobIDs}}),
		backupapi.WithRetry(2, time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return srv, c
}

// TestWaitersRunOnAFakeClock drives each waiter to its end by advancing
// the fake clock the fakes run on, with no sleep: the job takes ten
// minutes of fake time.
func TestWaitersRunOnAFakeClock(t *testing.T) {
	start := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	ctx := context.Background()
	t.Run("WaitForJob follows a prepare job to Complete", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		srv, c := fakeAppliance(t, false, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
		res, err := c.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: srv.Backups()[0].UUID, Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		done := make(chan struct{})
		var job *backupapi.Job
		go func() {
			defer close(done)
			job, err = c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{Clock: clock, MinInterval: time.Minute, MaxInterval: time.Minute})
		}()
		driveClock(clock, time.Minute, done)
		require.NoError(t, err)
		assert.Equal(t, backupapi.JobComplete, job.Status)
		assert.GreaterOrEqual(t, clock.Now().Sub(start), 10*time.Minute, "the wait took ten minutes of fake time")
	})
	t.Run("WaitForBackup follows a backup through the quiesce", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		_, c := fakeAppliance(t, false, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
		res, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Label: "nightly", Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		done := make(chan struct{})
		var job *backupapi.Job
		quiesced := 0
		go func() {
			defer close(done)
			job, err = c.WaitForBackup(ctx, res.JobID, backupapi.WaitOptions{Clock: clock, MinInterval: time.Minute, MaxInterval: time.Minute,
				OnProgress: func(p backupapi.Progress) {
					if p.Quiesce != nil {
						quiesced++
					}
				}})
		}()
		driveClock(clock, time.Minute, done)
		require.NoError(t, err)
		assert.Equal(t, backupapi.JobComplete, job.Status)
		assert.Greater(t, quiesced, 3)
	})
	t.Run("WaitForRebuild follows a rebuild to Finished", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		srv := backupapitest.NewUnstartedAhsayServer(backupapitest.WithClock(clock))
		srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-alice", BackupSets: []string{"1687750405259"}})
		c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd,
			backupapi.WithHTTPClient(&http.Client{Transport: inProcess{h: srv.Handler()}}))
		require.NoError(t, err)
		ref := backupapi.UserRef{LoginName: "alice"}
		require.NoError(t, c.RunSingleUserRebuild(ctx, &backupapi.RebuildRequest{UserRef: ref, BackupSetID: "1687750405259"}))
		done := make(chan struct{})
		var st *backupapi.RebuildStatus
		go func() {
			defer close(done)
			st, err = c.WaitForRebuild(ctx, &backupapi.WaitForRebuildRequest{UserRef: ref, BackupSetID: "1687750405259"},
				backupapi.WaitOptions{Clock: clock, MinInterval: time.Minute})
		}()
		driveClock(clock, time.Minute, done)
		require.NoError(t, err)
		assert.True(t, st.Finished())
		assert.Greater(t, clock.Now().Sub(start), time.Duration(0), "it waited on the fake clock")
	})
}

// TestWaitForBackupWithoutAJobID: an appliance whose CreateBackup answer
// and quiesce status name no job. WaitForBackup("") follows the quiesce,
// then finds the backup's job in GET /tasks once the appliance resumes.
func TestWaitForBackupWithoutAJobID(t *testing.T) {
	start := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	ctx := context.Background()
	wait := func(c *backupapi.XClarityClient, clock *backupapitest.FakeClock) (*backupapi.Job, int, error) {
		done := make(chan struct{})
		var job *backupapi.Job
		var err error
		quiesced := 0
		go func() {
			defer close(done)
			job, err = c.WaitForBackup(ctx, "", backupapi.WaitOptions{Clock: clock, MinInterval: time.Minute, MaxInterval: time.Minute,
				OnProgress: func(p backupapi.Progress) {
					if p.Quiesce != nil {
						quiesced++
					}
				}})
		}()
		driveClock(clock, time.Minute, done)
		return job, quiesced, err
	}
	t.Run("through the quiesce to the job's end", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		_, c := fakeAppliance(t, true, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
		res, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Label: "nightly", Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		require.Empty(t, res.JobID, "the appliance named no job")
		job, quiesced, err := wait(c, clock)
		require.NoError(t, err)
		assert.Equal(t, backupapi.JobComplete, job.Status)
		assert.Contains(t, job.Name, "Back up")
		assert.Greater(t, quiesced, 3, "progress came from the quiesce status")
	})
	t.Run("a failed backup is ErrJobFailed", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		srv, c := fakeAppliance(t, true, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
		srv.FailJobs(backupapi.JobStoppedWithError)
		_, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		job, _, err := wait(c, clock)
		require.ErrorIs(t, err, backupapi.ErrJobFailed)
		assert.Equal(t, backupapi.JobStoppedWithError, job.Status)
	})
	t.Run("a backup that ended just before the call", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		_, c := fakeAppliance(t, true, backupapitest.WithClock(clock), backupapitest.WithJobDuration(20*time.Second))
		_, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		clock.Advance(40 * time.Second) // within BackupClockSkew
		job, quiesced, err := wait(c, clock)
		require.NoError(t, err)
		assert.Equal(t, backupapi.JobComplete, job.Status)
		assert.Zero(t, quiesced)
	})
	t.Run("a backup that started long before the call and is still quiesced", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		_, c := fakeAppliance(t, true, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
		_, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		clock.Advance(5 * time.Minute) // far beyond BackupClockSkew: "backups wait" run later
		job, quiesced, err := wait(c, clock)
		require.NoError(t, err, "the wait watched this backup's quiesce: its job is the one to report")
		assert.Equal(t, backupapi.JobComplete, job.Status)
		assert.Positive(t, quiesced)
	})
	t.Run("after a quiesce, a job that had ended before it is not taken for the quiesced one", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
		// An appliance that lists no job for the restore it is quiesced by.
		hidden := hideJobs{inProcess{srv.Handler(), true}, "Restore the"}
		c, err := backupapi.NewXClarityClient("https://lxca.test", srv.Username, srv.Password,
			backupapi.WithHTTPClient(&http.Client{Transport: hidden}), backupapi.WithRetry(2, time.Millisecond, 10*time.Millisecond))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close(context.Background()) })
		_, err = c.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: srv.Backups()[0].UUID, Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		clock.Advance(15 * time.Minute) // the prepare job has ended
		_, err = c.StartRestore(ctx, &backupapi.RestoreRequest{UUID: srv.Backups()[0].UUID, Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		clock.Advance(5 * time.Minute)
		job, quiesced, err := wait(c, clock)
		assert.Positive(t, quiesced)
		require.ErrorIs(t, err, backupapi.ErrNotFound, "the prepare job, ended before the quiesce was seen, is not the restore's: got %v", job)
	})
	t.Run("no backup since the call is ErrNotFound at once", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(start)
		srv, c := fakeAppliance(t, true, backupapitest.WithClock(clock), backupapitest.WithJobDuration(20*time.Second))
		_, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Passphrase: "Backup-Pass-1"})
		require.NoError(t, err)
		clock.Advance(time.Hour) // long before the call
		_, _, err = wait(c, clock)
		require.ErrorIs(t, err, backupapi.ErrNotFound)
		assert.Contains(t, err.Error(), "pass the job ID")
		assert.Equal(t, 1, srv.Calls(backupapitest.OpListJobs))
	})
}
