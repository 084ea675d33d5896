package backupapitest_test

import (
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A job seeded with an end before its start, or with the ID of a job the
// backup set already has, is a seeding mistake: it panics, as the other
// seeding mistakes do, instead of answering reports no server could.
func TestSeedingAnImpossibleJobPanics(t *testing.T) {
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	cases := []struct {
		name, want string
		seed       func(*backupapitest.AhsayServer)
	}{
		{"a backup job that ends before it starts", "AhsayServer.AddBackupJob: job 2026-11-23-01-00-00 of backup set \"1\" ends before it starts",
			func(s *backupapitest.AhsayServer) {
				s.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: start, End: start.Add(-time.Minute)})
			}},
		{"a restore job that ends before it starts", "AhsayServer.AddRestoreJob: job 2026-11-23-01-00-00 of backup set \"1\" ends before it starts",
			func(s *backupapitest.AhsayServer) {
				s.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1", Start: start, End: start.Add(-time.Minute)})
			}},
		{"a second backup job with the same start in the same set", "AhsayServer.AddBackupJob: backup set \"1\" has a job 2026-11-23-01-00-00 already",
			func(s *backupapitest.AhsayServer) {
				s.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: start})
				s.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: start, End: start.Add(time.Hour)})
			}},
		{"a second restore job with the same ID in the same set", "AhsayServer.AddRestoreJob: backup set \"1\" has a job r-1 already",
			func(s *backupapitest.AhsayServer) {
				s.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1", JobID: "r-1", Start: start})
				s.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1", JobID: "r-1", Start: start.Add(time.Hour)})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := backupapitest.NewUnstartedAhsayServer()
			s.SeedUser(backupapitest.AhsayUser{LoginName: "alice", BackupSets: []string{"1", "2"}})
			text := panicked(func() { tc.seed(s) })
			require.NotNil(t, text, "a seeding mistake fails loudly")
			assert.Contains(t, text, tc.want)
		})
	}
	t.Run("the same start in another set, or for another user, is no mistake", func(t *testing.T) {
		s := backupapitest.NewUnstartedAhsayServer()
		s.SeedUser(backupapitest.AhsayUser{LoginName: "alice", BackupSets: []string{"1", "2"}})
		s.SeedUser(backupapitest.AhsayUser{LoginName: "bob", BackupSets: []string{"1"}})
		assert.NotPanics(t, func() {
			s.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: start})
			s.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "2", Start: start})
			s.AddBackupJob("", "bob", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: start})
			s.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1", Start: start}) // restores are another list
		})
	})
}

// SeedBackup of a backup without a UUID, or of a second copy where the
// UUID already is, panics: the appliance lists one row per copy.
func TestSeedingAnImpossibleXClarityBackupPanics(t *testing.T) {
	const uuid = "11111111-1111-4111-8111-111111111111"
	cases := []struct {
		name, want string
		seed       func(*backupapitest.XClarityServer)
	}{
		{"a backup without a UUID", "XClarityServer.SeedBackup: a backup without a UUID",
			func(s *backupapitest.XClarityServer) { s.SeedBackup(backupapitest.XClarityBackup{Filename: "x.tgz"}) }},
		{"a second copy in the local repository", `XClarityServer.SeedBackup: backup "` + uuid + `" is at internal already`,
			func(s *backupapitest.XClarityServer) {
				s.SeedBackup(backupapitest.XClarityBackup{UUID: uuid})
				s.SeedBackup(backupapitest.XClarityBackup{UUID: uuid, Location: "internal"})
			}},
		{"a second copy on one share", `XClarityServer.SeedBackup: backup "` + uuid + `" is at /mnt/share already`,
			func(s *backupapitest.XClarityServer) {
				s.SeedBackup(backupapitest.XClarityBackup{UUID: uuid, Location: "/mnt/share"})
				s.SeedBackup(backupapitest.XClarityBackup{UUID: uuid, Location: "/mnt/share"})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := backupapitest.NewUnstartedXClarityServer(backupapitest.Empty())
			text := panicked(func() { tc.seed(s) })
			require.NotNil(t, text, "a seeding mistake fails loudly")
			assert.Contains(t, text, "backupapitest: "+tc.want)
		})
	}
	t.Run("copies of one backup at different locations are no mistake", func(t *testing.T) {
		s := backupapitest.NewUnstartedXClarityServer(backupapitest.Empty())
		assert.NotPanics(t, func() {
			s.SeedBackup(backupapitest.XClarityBackup{UUID: uuid})
			s.SeedBackup(backupapitest.XClarityBackup{UUID: uuid, Location: "/mnt/share"})
		})
		assert.Len(t, s.Backups(), 2)
	})
}
