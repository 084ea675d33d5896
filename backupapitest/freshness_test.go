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

var freshNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// freshFleet starts a fake holding the seeded fleet, on a clock at freshNow.
func freshFleet(t *testing.T, tr int) (*backupapitest.AhsayServer, *backupapi.AhsayClient, backupapitest.FreshnessFleet) {
	srv, c := transports[tr].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(freshNow)))
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "Pa55-alice", QuotaUsed: 3 << 30}) // the fleet adds her set
	return srv, c, srv.SeedFreshnessFleet(freshNow)
}

// collect runs AllBackupSetFreshness and keys the sets by login/set.
func collect(t *testing.T, c *backupapi.AhsayClient, req *backupapi.AllBackupSetFreshnessRequest) map[string]backupapi.BackupSetFreshness {
	t.Helper()
	out := map[string]backupapi.BackupSetFreshness{}
	for f, err := range c.AllBackupSetFreshness(context.Background(), req) {
		require.NoError(t, err)
		key := f.User.LoginName + "/" + f.SetName
		_, dup := out[key]
		require.False(t, dup, "%s yielded twice", key)
		out[key] = f
	}
	return out
}

func TestAllBackupSetFreshness(t *testing.T) {
	for i, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			_, c, fleet := freshFleet(t, i)
			got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow, Schedules: true})
			require.Len(t, got, 8, "every set of every user")

			cases := []struct {
				name            string
				set             backupapitest.FleetSet
				lastOutcome     backupapi.JobOutcome
				successAge      time.Duration // 0: no success
				failures        int
				never, complete bool
				schedule        time.Duration
			}{
				{"a fresh set succeeded an hour ago", fleet.Fresh, backupapi.OutcomeSuccess, time.Hour, 0, false, true, 0},
				{"a stale set's last success is 4 days old, missed runs since", fleet.Stale, backupapi.OutcomeMissed, 96 * time.Hour, 3, false, true, 0},
				{"a failing set counts its consecutive failures", fleet.Failing, backupapi.OutcomeFailed, 48 * time.Hour, 3, false, true, 0},
				{"a set whose every run failed never succeeded", fleet.Never, backupapi.OutcomeFailed, 0, 2, true, true, 0},
				{"a set that never ran never succeeded", fleet.Empty, "", 0, 0, true, true, 0},
				{"a running newest job is no failure", fleet.Running, backupapi.OutcomeRunning, 23*time.Hour + 30*time.Minute, 0, false, true, 0},
				{"a daily set's schedule is read", fleet.Overdue, backupapi.OutcomeSuccess, 30 * time.Hour, 0, false, true, 24 * time.Hour},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					f, ok := got[tc.set.Login+"/"+tc.set.SetName]
					require.True(t, ok)
					assert.Equal(t, tc.set.SetID, f.SetID)
					assert.Equal(t, tc.set.SetName, f.SetName)
					assert.Equal(t, "FILE", f.SetType)
					assert.Equal(t, tc.lastOutcome, f.LastOutcome)
					assert.Equal(t, tc.failures, f.ConsecutiveFailures)
					assert.Equal(t, tc.never, f.NeverSucceeded())
					assert.Equal(t, tc.complete, f.HistoryComplete)
					if tc.successAge > 0 {
						assert.Equal(t, freshNow.Add(-tc.successAge), f.LastSuccess)
						assert.Equal(t, tc.successAge, f.Age)
					} else {
						assert.True(t, f.LastSuccess.IsZero())
					}
					if tc.schedule > 0 {
						require.NotNil(t, f.Schedule)
						assert.Equal(t, tc.schedule, f.Schedule.Period)
					} else {
						assert.Nil(t, f.Schedule, "no schedule seeded")
					}
				})
			}
			assert.Equal(t, "reseller1", got["heidi/Home"].User.Owner, "the owner comes with the set")
			assert.False(t, got["frank/Projects"].LastStart.IsZero())
			assert.True(t, got["frank/Projects"].LastEnd.IsZero(), "the running job has no end")
		})
	}
}

func TestAllBackupSetFreshnessCost(t *testing.T) {
	t.Run("a user whose sets' newest jobs succeeded the same day costs 3 calls", func(t *testing.T) {
		srv, c := transports[0].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(freshNow)))
		for _, login := range []string{"u1", "u2", "u3"} {
			srv.SeedHistory("", login, backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000001", Name: "A"},
				Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess, backupapi.BackupSuccess}, Last: freshNow.Add(-3 * time.Hour)})
			srv.SeedHistory("", login, backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000002", Name: "B"},
				Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess}, Last: freshNow.Add(-2 * time.Hour)})
		}
		got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow})
		assert.Len(t, got, 6, "two sets of three users")
		assert.Equal(t, 1, srv.Calls(backupapitest.OpListUsers))
		for _, op := range []string{backupapitest.OpListBackupSets, backupapitest.OpListBackupJobs, backupapitest.OpListBackupJobStatus} {
			assert.Equal(t, 3, srv.Calls(op), "%s once per user", op)
		}
		assert.Zero(t, srv.Calls(backupapitest.OpGetBackupSet), "schedules only when asked")
		assert.Zero(t, srv.Calls(backupapitest.OpGetBackupJobReportSummary))
	})
	t.Run("a failing set is walked back one day per call, within the lookback", func(t *testing.T) {
		srv, c := transports[0].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(freshNow)))
		runs := []backupapi.BackupJobStatus{backupapi.BackupSuccess}
		for range 5 {
			runs = append(runs, backupapi.BackupStoppedBySystemError)
		}
		srv.SeedHistory("", "walker", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000001", Name: "A"},
			Runs: runs, Last: freshNow.Add(-3 * time.Hour)})
		got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow})
		assert.Equal(t, 6, srv.Calls(backupapitest.OpListBackupJobStatus), "five failed days and the day of the success")
		assert.Equal(t, 5, got["walker/A"].ConsecutiveFailures)
		assert.True(t, got["walker/A"].HistoryComplete)

		srv2, c2 := transports[0].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(freshNow)))
		srv2.SeedHistory("", "walker", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000001", Name: "A"},
			Runs: runs, Last: freshNow.Add(-3 * time.Hour)})
		short := collect(t, c2, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow, Lookback: 2})
		assert.Equal(t, 3, srv2.Calls(backupapitest.OpListBackupJobStatus), "the newest day and two more")
		f := short["walker/A"]
		assert.False(t, f.HistoryComplete, "the lookback ran out before the success")
		assert.False(t, f.NeverSucceeded(), "not knowing is not never")
		assert.True(t, f.LastSuccess.IsZero())
		assert.Equal(t, 3, f.ConsecutiveFailures)
		assert.Equal(t, 2*24*time.Hour+3*time.Hour, f.Age, "the oldest job read: a lower bound")
	})
}

func TestAllBackupSetFreshnessFilter(t *testing.T) {
	cases := []struct {
		name   string
		filter backupapi.FreshnessFilter
		want   []string
	}{
		{"logins by glob", backupapi.FreshnessFilter{Logins: []string{"a*", "bob"}}, []string{"alice", "bob"}},
		{"owners", backupapi.FreshnessFilter{Owners: []string{"reseller1"}}, []string{"heidi"}},
		{"sets by name glob", backupapi.FreshnessFilter{Sets: []string{"P*"}}, []string{"bob", "frank"}},
		{"sets by ID", backupapi.FreshnessFilter{Sets: []string{"1800000000004"}}, []string{"dave"}},
		{"all lists at once", backupapi.FreshnessFilter{Logins: []string{"*"}, Sets: []string{"Mail"}}, []string{"carol"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, c, _ := freshFleet(t, 0)
			got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow, Filter: tc.filter})
			var logins []string
			for _, f := range got {
				logins = append(logins, f.User.LoginName)
			}
			assert.ElementsMatch(t, tc.want, logins)
			assert.LessOrEqual(t, srv.Calls(backupapitest.OpListBackupJobs), len(tc.want), "a user with no selected set costs no ListBackupJobs")
		})
	}
}

func TestAllBackupSetFreshnessErrors(t *testing.T) {
	t.Run("a user whose sets cannot be read is one error, and the others go on", func(t *testing.T) {
		srv, c, _ := freshFleet(t, 0)
		srv.Inject(backupapitest.OpListBackupSets, backupapitest.Fault{Status: 403, Times: 1})
		var errs, sets int
		for f, err := range c.AllBackupSetFreshness(context.Background(), &backupapi.AllBackupSetFreshnessRequest{Now: freshNow, Concurrency: 1}) {
			if err != nil {
				errs++
				assert.NotEmpty(t, f.User.LoginName, "the error names its user")
				continue
			}
			sets++
		}
		assert.Equal(t, 1, errs, "one user refused")
		assert.Equal(t, 7, sets, "the other users' sets")
	})
	t.Run("a failure to list the users ends the iteration with it", func(t *testing.T) {
		srv, c, _ := freshFleet(t, 0)
		srv.Inject(backupapitest.OpListUsers, backupapitest.Fault{Status: 401, Times: 10})
		var last error
		n := 0
		for _, err := range c.AllBackupSetFreshness(context.Background(), nil) {
			last = err
			n++
		}
		assert.Equal(t, 1, n)
		assert.Error(t, last)
	})
	t.Run("breaking out of the loop stops the work", func(t *testing.T) {
		_, c, _ := freshFleet(t, 0)
		for range c.AllBackupSetFreshness(context.Background(), nil) {
			break
		}
	})
}

func TestAllUserLastBackups(t *testing.T) {
	srv, c, fleet := freshFleet(t, 0)
	got := map[string]backupapi.UserLastBackup{}
	for u, err := range c.AllUserLastBackups(context.Background(), nil, freshNow) {
		require.NoError(t, err)
		got[u.User.LoginName] = u
	}
	require.Len(t, got, 8)
	assert.Equal(t, 1, srv.Calls(backupapitest.OpListUsers), "one call for the whole server")
	assert.Equal(t, 2*time.Hour, got[fleet.Fresh.Login].Age, "the newest run's start")
	assert.Equal(t, 5*time.Hour, got[fleet.Never.Login].Age, "a run, whatever its outcome")
	assert.True(t, got[fleet.Empty.Login].Never())
	assert.Equal(t, backupapi.Bytes(3<<30), got["alice"].QuotaUsed)
	assert.Equal(t, backupapi.Bytes(50<<30), got["alice"].Quota, "the enabled destination quotas")
}
