package backupapitest_test

import (
	"context"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var lastNight = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// seedNight gives alice two backup sets and last night's jobs: one that
// succeeded and one that failed.
func seedNight(srv *backupapitest.AhsayServer) {
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "p",
		Sets: []backupapitest.AhsayBackupSet{{ID: "1700000000001", Name: "Documents"}, {ID: "1700000000002", Name: "SQL", Type: "MSSQL"}}})
	srv.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1700000000001", Start: lastNight.Add(time.Hour),
		End: lastNight.Add(2 * time.Hour), Status: backupapi.BackupSuccess, UploadSize: 4 << 20, NewFiles: 7})
	srv.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1700000000002", Start: lastNight.Add(3 * time.Hour),
		End: lastNight.Add(4 * time.Hour), Status: backupapi.BackupStoppedBySystemError, ErrorEntries: 2})
	srv.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1700000000001", Start: lastNight.Add(5 * time.Hour),
		End: lastNight.Add(6 * time.Hour), Status: backupapi.RestoreSuccess, RestoreSize: 1 << 20})
}

func TestAhsayMonitoring(t *testing.T) {
	alice := backupapi.UserRef{LoginName: "alice"}
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			srv, c := tr.ahsay(t)
			seedNight(srv)
			ctx := context.Background()

			sets, err := c.ListBackupSets(ctx, &backupapi.ListBackupSetsRequest{UserRef: alice, ListAll: true})
			require.NoError(t, err)
			require.Len(t, sets.Sets, 2)
			assert.Equal(t, "Documents", sets.Sets[0].Name)
			assert.Equal(t, "MSSQL", sets.Sets[1].Type)
			require.Len(t, sets.Sets[0].ModuleUsage, 1, "ListAll brings module usage")

			set, err := c.GetBackupSet(ctx, &backupapi.GetBackupSetRequest{UserRef: alice, BackupSetID: "1700000000001"})
			require.NoError(t, err)
			assert.Equal(t, "Documents", set.Name)
			require.Len(t, set.DestinationSettings.DestinationList, 1)
			assert.Equal(t, backupapitest.AhsayDestinationID, set.DestinationSettings.DestinationList[0].ID, "a numeric ID, as real records carry")
			_, err = c.GetBackupSet(ctx, &backupapi.GetBackupSetRequest{UserRef: alice, BackupSetID: "404"})
			assert.ErrorIs(t, err, backupapi.ErrNotFound)

			jobs, err := c.ListBackupJobs(ctx, &backupapi.ListBackupJobsRequest{UserRef: alice})
			require.NoError(t, err)
			require.Len(t, jobs, 2)
			assert.Equal(t, []string{"2026-11-23-01-00-00"}, jobs[0].BackupJobs)

			status, err := c.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: alice, Date: lastNight})
			require.NoError(t, err)
			require.Len(t, status, 2)
			assert.Equal(t, backupapi.OutcomeSuccess, status[0].Status.Outcome())
			assert.Equal(t, backupapi.OutcomeFailed, status[1].Status.Outcome())
			assert.Equal(t, 4*backupapi.MiB, status[0].UploadSize)
			assert.Equal(t, lastNight.Add(time.Hour), status[0].StartTime.Time)
			assert.JSONEq(t, `"`+backupapitest.AhsayDestinationID+`"`, string(status[0].Extra["DestinationID"]))
			none, err := c.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: alice, Date: lastNight.AddDate(0, 0, -1)})
			require.NoError(t, err)
			assert.Empty(t, none)

			modes, err := c.ListBackupJobMode(ctx, &backupapi.ListBackupJobModeRequest{UserRef: alice, Date: lastNight, BackupSetID: "1700000000002"})
			require.NoError(t, err)
			require.Len(t, modes, 1)
			assert.Equal(t, backupapi.BackupJobScheduled, modes[0].Mode)

			ref := backupapi.BackupJobRef{UserRef: alice, BackupSetID: "1700000000001", DestinationID: backupapitest.AhsayDestinationID, BackupJobID: "2026-11-23-01-00-00"}
			progress, err := c.GetBackupJobProgress(ctx, &ref)
			require.NoError(t, err)
			assert.Equal(t, backupapi.Int64(7), progress.TotalFileCount)
			report, err := c.GetBackupJobReport(ctx, &backupapi.BackupJobReportRequest{BackupJobRef: ref})
			require.NoError(t, err)
			assert.Equal(t, backupapi.BackupSuccess, report.Status)
			assert.Equal(t, backupapi.Int64(7), report.NumOfNewFiles)
			summary, err := c.GetBackupJobReportSummary(ctx, &backupapi.BackupJobReportRequest{BackupJobRef: ref})
			require.NoError(t, err)
			assert.Equal(t, backupapi.Int64(0), summary.NumOfDeletedFiles)
			ref.BackupJobID = "2000-01-01-00-00-00"
			_, err = c.GetBackupJobReport(ctx, &backupapi.BackupJobReportRequest{BackupJobRef: ref})
			assert.ErrorIs(t, err, backupapi.ErrNotFound)

			restores, err := c.ListRestoreJobs(ctx, alice)
			require.NoError(t, err)
			assert.Equal(t, []string{"2026-11-23-05-00-00"}, restores[0].RestoreJobs)
			rstatus, err := c.ListRestoreJobStatus(ctx, &backupapi.ListRestoreJobStatusRequest{UserRef: alice, Date: lastNight})
			require.NoError(t, err)
			require.Len(t, rstatus, 1)
			assert.Equal(t, backupapi.OutcomeSuccess, rstatus[0].Status.Outcome())
			assert.Equal(t, lastNight.Add(5*time.Hour), rstatus[0].StartTime.Time)

			require.NoError(t, c.AuthSystemUser(ctx))
			lic, err := c.GetLicense(ctx)
			require.NoError(t, err)
			assert.Equal(t, backupapi.Int64(100), lic.VMQuota, "a count sent as a string")
			groups, err := c.ListPolicyGroups(ctx, nil)
			require.NoError(t, err)
			require.NotEmpty(t, groups)
			assert.Equal(t, "1687069108450", groups[0].ID)
			ugroups, err := c.ListUserGroups(ctx, nil)
			require.NoError(t, err)
			require.NotEmpty(t, ugroups)
			_, err = c.ListUserGroups(ctx, &backupapi.ListUserGroupsRequest{UserGroupID: "3"})
			assert.ErrorIs(t, err, backupapi.ErrInvalidRequest, "a 13-digit ID is required")
			sysUsers, err := c.ListSystemUsers(ctx, nil)
			require.NoError(t, err)
			require.Len(t, sysUsers, 1)
			assert.Equal(t, "ADMIN", sysUsers[0].Role)
		})
	}
}

func TestAhsayRunBackupOnTheFakeClock(t *testing.T) {
	clock := backupapitest.NewFakeClock(lastNight.Add(22 * time.Hour))
	srv, c := fakeAhsay(t, withServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute)))
	seedNight(srv)
	ctx := context.Background()
	alice := backupapi.UserRef{LoginName: "alice"}
	today := func() []backupapi.BackupJobRecord {
		jobs, err := c.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: alice, Date: lastNight})
		require.NoError(t, err)
		return jobs
	}

	require.NoError(t, c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: alice, BackupSetID: "1700000000001"}))
	require.NoError(t, c.CancelPendingBackup(ctx, &backupapi.CancelPendingBackupRequest{UserRef: alice, BackupSetID: "1700000000001"}))
	assert.Len(t, today(), 2, "the pending job was cancelled")

	require.NoError(t, c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: alice, BackupSetID: "1700000000001"}))
	clock.Advance(2 * time.Minute)
	jobs := today()
	require.Len(t, jobs, 3)
	assert.Equal(t, backupapi.OutcomeRunning, jobs[2].Status.Outcome(), "running")
	require.NoError(t, c.CancelPendingBackup(ctx, &backupapi.CancelPendingBackupRequest{UserRef: alice, BackupSetID: "1700000000001"}))
	assert.Len(t, today(), 3, "a running job cannot be cancelled")
	clock.Advance(10 * time.Minute)
	assert.Equal(t, backupapi.BackupSuccess, today()[2].Status, "then it finishes")

	srv.SetBackupOutcome(backupapi.BackupStoppedByScheduler)
	require.NoError(t, c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: alice, BackupSetID: "1700000000002"}))
	clock.Advance(20 * time.Minute)
	assert.Equal(t, backupapi.OutcomeFailed, today()[3].Status.Outcome())

	err := c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: alice, BackupSetID: "404"})
	assert.ErrorIs(t, err, backupapi.ErrNotFound)
}

func TestAhsayAuthSystemUserWithAWrongPassword(t *testing.T) {
	_, c := fakeAhsay(t, withPassword("wrong"))
	err := c.AuthSystemUser(context.Background())
	assert.ErrorIs(t, err, backupapi.ErrAuthentication)
	var e *backupapi.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Incorrect system username/password", e.Message, "the wording of the AuthSystemUser page")
}

func TestAllBackupJobsAgainstTheFake(t *testing.T) {
	srv, c := fakeAhsay(t)
	for i := range 40 {
		login := "user" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		srv.SeedUser(backupapitest.AhsayUser{LoginName: login, Password: "p", BackupSets: []string{"1", "2", "3"}})
		for set := 1; set <= 3; set++ {
			srv.AddBackupJob("", login, backupapitest.AhsayBackupJob{BackupSetID: string(rune('0' + set)), Start: lastNight.Add(time.Hour),
				End: lastNight.Add(2 * time.Hour), Status: backupapi.BackupSuccess})
		}
	}
	srv.Inject(backupapitest.OpListBackupJobStatus, backupapitest.Fault{Delay: 20 * time.Millisecond, Times: -1})
	n := 0
	for _, err := range c.AllBackupJobs(context.Background(), &backupapi.AllBackupJobsRequest{Date: lastNight, Concurrency: 5}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 120, n)
	assert.LessOrEqual(t, srv.MaxInFlight(backupapitest.OpListBackupJobStatus), 5, "the server never saw more than Concurrency calls at once")
	assert.GreaterOrEqual(t, srv.MaxInFlight(backupapitest.OpListBackupJobStatus), 2)
}
