package backupapitest_test

import (
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllBackupSetFreshnessLookbackNeverHidesAnotherSet(t *testing.T) {
	srv, c := transports[0].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(freshNow)))
	failing := []backupapi.BackupJobStatus{backupapi.BackupSuccess}
	for range 20 {
		failing = append(failing, backupapi.BackupStoppedBySystemError)
	}
	srv.SeedHistory("", "zed", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000001", Name: "Daily"},
		Runs: failing, Last: freshNow.Add(-time.Hour)})
	srv.SeedHistory("", "zed", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000002", Name: "Forgotten"},
		Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess}, Last: freshNow.Add(-30 * 24 * time.Hour)})
	got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow, Lookback: 3})

	f := got["zed/Forgotten"]
	assert.False(t, f.HistoryComplete, "its history was not read")
	assert.GreaterOrEqual(t, f.Age, 29*24*time.Hour, "its newest job is 30 days old: the age says at least that much")
	assert.Equal(t, freshNow.Add(-30*24*time.Hour), f.LastStart, "its newest job's start is its ID")
	assert.Equal(t, backupapi.OutcomeUnknown, f.LastOutcome, "a set with jobs is not a set without jobs")
	policy := backupapi.FreshnessPolicy{Warn: 26 * time.Hour, Critical: 72 * time.Hour}
	assert.Equal(t, backupapi.FreshnessCritical, policy.Judge(&f).State, "a set idle for 30 days is never judged fresh")
}

func TestAllBackupSetFreshnessAcrossDays(t *testing.T) {
	midnight := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	now := midnight.Add(6 * time.Hour)
	cases := []struct {
		name       string
		runs       []backupapi.BackupJobStatus
		last       time.Time
		every      time.Duration
		outcome    backupapi.JobOutcome
		successEnd time.Time
		failures   int
	}{
		{"a job that started before midnight and ended after it counts at its end",
			[]backupapi.BackupJobStatus{backupapi.BackupSuccess}, midnight.Add(-30 * time.Minute), 0,
			backupapi.OutcomeSuccess, midnight.Add(30 * time.Minute), 0},
		{"failures are counted across days up to the last success",
			[]backupapi.BackupJobStatus{backupapi.BackupSuccess, backupapi.BackupStoppedBySystemError, backupapi.BackupMissed, backupapi.BackupStoppedBySystemError},
			midnight.Add(-time.Hour), 12 * time.Hour, backupapi.OutcomeFailed, midnight.Add(-36 * time.Hour), 3},
		{"a newest job still running is no failure, the failures before it count",
			[]backupapi.BackupJobStatus{backupapi.BackupSuccess, backupapi.BackupStoppedBySystemError, backupapi.BackupRunning},
			now.Add(-10 * time.Minute), 24 * time.Hour, backupapi.OutcomeRunning, now.Add(-10*time.Minute - 48*time.Hour + time.Hour), 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := transports[0].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(now)))
			srv.SeedHistory("", "night", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1800000000001", Name: "A"},
				Runs: tc.runs, Last: tc.last, Every: tc.every})
			got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: now})
			f, ok := got["night/A"]
			require.True(t, ok)
			assert.Equal(t, tc.outcome, f.LastOutcome)
			assert.Equal(t, tc.successEnd, f.LastSuccess.UTC())
			assert.Equal(t, now.Sub(tc.successEnd), f.Age)
			assert.Equal(t, tc.failures, f.ConsecutiveFailures)
			assert.True(t, f.HistoryComplete)
		})
	}
}

func TestAllBackupSetFreshnessScheduleCost(t *testing.T) {
	srv, c := transports[0].ahsay(t, backupapitest.WithClock(backupapitest.NewFakeClock(freshNow)))
	for _, id := range []string{"1800000000001", "1800000000002", "1800000000003"} {
		srv.SeedHistory("", "sched", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: id, Name: "S" + id[len(id)-1:]},
			Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess}, Last: freshNow.Add(-time.Hour)})
	}
	got := collect(t, c, &backupapi.AllBackupSetFreshnessRequest{Now: freshNow, Schedules: true})
	require.Len(t, got, 3)
	assert.Equal(t, 3, srv.Calls(backupapitest.OpGetBackupSet), "one GetBackupSet per set, as the godoc says")
	assert.Equal(t, 1, srv.Calls(backupapitest.OpListBackupJobStatus), "the sets' newest jobs share a day: one status call")
}
