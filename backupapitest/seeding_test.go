package backupapitest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedingMistakesPanicAsATypoInInjectDoes(t *testing.T) {
	job := backupapitest.AhsayBackupJob{BackupSetID: "1", Start: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
	cases := []struct {
		name, want string
		seed       func(*backupapitest.AhsayServer)
	}{
		{"SeedUser of a user without a login name", "AhsayServer.SeedUser: the user has no LoginName",
			func(s *backupapitest.AhsayServer) { s.SeedUser(backupapitest.AhsayUser{}) }},
		{"SeedUser with a quota on an unknown destination", `destination "-42", which the fake does not know`,
			func(s *backupapitest.AhsayServer) {
				s.SeedUser(backupapitest.AhsayUser{LoginName: "x", Quotas: []backupapitest.AhsayQuota{{DestinationKey: "-42"}}})
			}},
		{"SeedUser with a backup set without an ID", "a backup set without an ID",
			func(s *backupapitest.AhsayServer) {
				s.SeedUser(backupapitest.AhsayUser{LoginName: "x", Sets: []backupapitest.AhsayBackupSet{{Name: "Docs"}}})
			}},
		{"AddBackupJob for a user who does not exist", `AhsayServer.AddBackupJob: no user "ghost"`,
			func(s *backupapitest.AhsayServer) { s.AddBackupJob("", "ghost", job) }},
		{"AddBackupJob for a set the user lacks", `AhsayServer.AddBackupJob: user "alice" has no backup set "1"`,
			func(s *backupapitest.AhsayServer) { s.AddBackupJob("", "alice", job) }},
		{"AddBackupJob under the wrong owner", `AhsayServer.AddBackupJob: no user "alice" (owner "reseller")`,
			func(s *backupapitest.AhsayServer) { s.AddBackupJob("reseller", "alice", job) }},
		{"AddRestoreJob for a user who does not exist", `AhsayServer.AddRestoreJob: no user "ghost"`,
			func(s *backupapitest.AhsayServer) {
				s.AddRestoreJob("", "ghost", backupapitest.AhsayRestoreJob{BackupSetID: "2"})
			}},
		{"AddRestoreJob for a set the user lacks", `AhsayServer.AddRestoreJob: user "alice" has no backup set "9"`,
			func(s *backupapitest.AhsayServer) {
				s.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "9"})
			}},
		{"AddBackupSet for a user who does not exist", `AhsayServer.AddBackupSet: no user "ghost"`,
			func(s *backupapitest.AhsayServer) { s.AddBackupSet("", "ghost", "3") }},
		{"SetRunJobs for a set the user lacks", `AhsayServer.SetRunJobs: user "alice" has no backup set "9"`,
			func(s *backupapitest.AhsayServer) {
				s.SetRunJobs("", "alice", backupapitest.AhsayRunJob{BackupSetID: "9"})
			}},
		{"SetStorageStat for a month in another form", `AhsayServer.SetStorageStat: month "06/2024"`,
			func(s *backupapitest.AhsayServer) {
				s.SetStorageStat("", "alice", "06/2024", backupapitest.AhsayStorageStat{})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := backupapitest.NewUnstartedAhsayServer()
			s.SeedUser(backupapitest.AhsayUser{LoginName: "alice", BackupSets: []string{"2"}})
			text := panicked(func() { tc.seed(s) })
			require.NotNil(t, text, "a seeding mistake fails loudly")
			assert.Contains(t, text, "backupapitest: ")
			assert.Contains(t, text, tc.want)
		})
	}
}

// panicked returns what f panicked with, or nil.
func panicked(f func()) (text any) {
	defer func() {
		if p := recover(); p != nil {
			text = fmt.Sprint(p)
		}
	}()
	f()
	return nil
}

func TestSeedingWhatExistsDoesNotPanic(t *testing.T) {
	s := backupapitest.NewUnstartedAhsayServer()
	assert.NotPanics(t, func() {
		s.SetStorageStat("", "later", "2026-11", backupapitest.AhsayStorageStat{Files: 1}) // for a user AddUser creates later
		s.SetLiveJobs(backupapitest.AhsayLiveJob{LoginName: "anyone", BackupSetID: "1", Percent: 10})
		s.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Sets: []backupapitest.AhsayBackupSet{{ID: "1"}}})
		s.AddBackupSet("", "alice", "2")
		s.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "2"})
		s.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1"})
		s.SetRunJobs("", "alice", backupapitest.AhsayRunJob{BackupSetID: "1"})
		s.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Notes: "again"}) // replaces
	})
	u, _ := s.User("", "alice")
	assert.Equal(t, "again", u.Notes)
}

func TestSeedUserDoesNotWriteIntoTheCallersSlices(t *testing.T) {
	s := backupapitest.NewUnstartedAhsayServer()
	quotas := []backupapitest.AhsayQuota{{DestinationKey: "OBS", Enabled: true, Quota: 1}}
	contacts := []backupapitest.AhsayContact{{Email: "a@example.com"}}
	sets := []backupapitest.AhsayBackupSet{{ID: "1"}}
	ids := make([]string, 0, 4) // room to append into
	modules := map[string]any{"EnableOffice365": true}
	s.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Quotas: quotas, Contacts: contacts, Sets: sets, BackupSets: ids, Modules: modules})

	assert.Empty(t, quotas[0].DestinationName, "the fake names the destination in its own copy")
	assert.Empty(t, contacts[0].ID, "the fake numbers the contact in its own copy")
	assert.Empty(t, ids[:cap(ids)][0], "the set IDs are appended to the fake's copy")

	quotas[0].Quota, contacts[0].Email, modules["EnableOffice365"] = 99, "changed@example.com", false
	u, _ := s.User("", "alice")
	assert.Equal(t, int64(1), u.Quotas[0].Quota, "a later change by the caller does not reach the fake")
	assert.Equal(t, "a@example.com", u.Contacts[0].Email)
	assert.Equal(t, true, u.Modules["EnableOffice365"])
	assert.Equal(t, "AhsayCBS", u.Quotas[0].DestinationName)
	assert.Equal(t, []string{"1"}, u.BackupSets)
}

func TestListUsersNamesTheGroupsListUserGroupsLists(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			srv, c := tr.ahsay(t)
			srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice"})
			users, err := c.ListUsers(ctx, nil)
			require.NoError(t, err)
			require.Len(t, users, 1)
			require.Len(t, users[0].UserGroupIDList, 1)
			member := users[0].UserGroupIDList[0]
			assert.Equal(t, "All Users", member.UserGroupName)

			groups, err := c.ListUserGroups(ctx, nil)
			require.NoError(t, err)
			var found bool
			for _, g := range groups {
				if g.ID == member.UserGroupID {
					found = true
					assert.Equal(t, member.UserGroupName, g.Name)
					require.Len(t, g.Users, 1)
					assert.Equal(t, "alice", g.Users[0].LoginName)
				}
			}
			assert.True(t, found, "ListUserGroups lists the group ListUsers names")
		})
	}
}

func TestARunBackupJobShowsInGetUserStatusWhileItRuns(t *testing.T) {
	clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			srv, c := tr.ahsay(t, backupapitest.WithClock(clock), backupapitest.WithJobDuration(100*time.Second))
			srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Sets: []backupapitest.AhsayBackupSet{{ID: "1", Name: "Docs"}}})
			require.NoError(t, c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: backupapi.UserRef{LoginName: "alice"}, BackupSetID: "1"}))
			live := func() []backupapi.JobProgress {
				jobs, err := c.GetUserStatus(ctx, &backupapi.GetUserStatusRequest{})
				require.NoError(t, err)
				return jobs
			}
			assert.Empty(t, live(), "pending: not yet running")
			clock.Advance(30 * time.Second) // started 10 s after RunBackup
			jobs := live()
			require.Len(t, jobs, 1, "running")
			assert.Equal(t, "alice", jobs[0].LoginName)
			assert.Equal(t, "1", jobs[0].BackupSetID)
			clock.Advance(100 * time.Second)
			assert.Empty(t, live(), "ended")
		})
	}
}
