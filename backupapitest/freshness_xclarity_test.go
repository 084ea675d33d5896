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

func TestXClarityBackupFreshness(t *testing.T) {
	ctx := context.Background()
	t.Run("the newest backup of each location, its age, and no job yet", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(freshNow)
		srv, c := transports[0].xc(t, backupapitest.WithClock(clock))
		srv.SeedBackup(backupapitest.XClarityBackup{UUID: "u-share", Filename: "share.tgz", Location: "/mnt/share", BackupDate: freshNow.Add(-10 * 24 * time.Hour)})
		f, err := c.BackupFreshness(ctx, &backupapi.BackupFreshnessRequest{Now: freshNow})
		require.NoError(t, err)
		require.Len(t, f.Locations, 2)
		assert.Equal(t, "/mnt/share", f.Locations[0].Location, "sorted by name")
		assert.Equal(t, 10*24*time.Hour, f.Locations[0].Age)
		assert.Equal(t, "internal", f.Locations[1].Location)
		assert.Equal(t, 2, f.Locations[1].Backups)
		assert.Equal(t, 24*time.Hour, f.Locations[1].Age, "the newer of the two")
		assert.Equal(t, "lxca-backup-2.tgz", f.Locations[1].Filename)
		assert.Equal(t, 24*time.Hour, f.Age, "the newest anywhere")
		assert.Nil(t, f.LastBackupJob)
		assert.False(t, f.Quiesced)
	})
	for _, tc := range []struct {
		name   string
		fail   backupapi.JobStatus
		failed bool
	}{
		{"a backup that completed is the last backup job, and a new newest backup", "", false},
		{"a backup that failed is the last backup job, failed", backupapi.JobStoppedWithError, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(freshNow)
			srv, c := transports[0].xc(t, backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
			srv.FailJobs(tc.fail)
			_, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Passphrase: "Secret-1", Label: "nightly"})
			require.NoError(t, err)

			during, err := c.BackupFreshness(ctx, &backupapi.BackupFreshnessRequest{Now: freshNow})
			require.NoError(t, err, "quiesced is no error")
			assert.True(t, during.Quiesced)
			assert.True(t, during.JobsUnread, "the job API is out of reach while quiesced")

			clock.Advance(11 * time.Minute)
			after, err := c.BackupFreshness(ctx, &backupapi.BackupFreshnessRequest{Now: clock.Now()})
			require.NoError(t, err)
			assert.False(t, after.Quiesced)
			require.NotNil(t, after.LastBackupJob)
			assert.True(t, after.LastBackupJob.Status.Terminal())
			assert.Equal(t, tc.failed, after.LastBackupJob.Status.Failed())
			assert.Equal(t, 1, after.JobStates[after.LastBackupJob.Status], "jobs counted by state")
			if tc.failed {
				assert.Equal(t, 24*time.Hour+11*time.Minute, after.Age, "no new backup")
			} else {
				assert.Less(t, after.Age, time.Minute, "the new backup")
			}
		})
	}
}

func TestIsBackupJob(t *testing.T) {
	for name, want := range map[string]bool{
		"Back up the management server": true, "Management server backup": true,
		"copy backup": false, "move backup": false, "Restore the management server": false,
		"Validate and prepare backup": false, "Firmware update": false,
	} {
		assert.Equal(t, want, backupapi.IsBackupJob(&backupapi.Job{Name: name}), name)
	}
}
