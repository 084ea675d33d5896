package backupapitest

import (
	"fmt"
	"time"

	"github.com/backupapi/backupapi"
)

// AhsaySchedule is one schedule of a fake backup set
// (AhsayBackupSet.Schedules), as GetBackupSet sends it under
// ScheduleSettings.
type AhsaySchedule struct {
	ID, Name string
	Type     string // DAILY, WEEKLY, MONTHLY or CUSTOM
	Interval int    // BackupInterval in minutes; -1 (or 0) for a normal schedule
	Disabled bool
}

// lastBackupMillis is ListUsers' LastBackupDate: the newest job's start
// (whatever its outcome), in milliseconds, 0 for a user without jobs.
func (s *AhsayServer) lastBackupMillis(u *AhsayUser) int64 {
	var newest time.Time
	for _, j := range s.mon.backupJobs[userKey(u.Owner, u.LoginName)] {
		if j.Start.After(newest) && !j.Start.After(s.now()) {
			newest = j.Start
		}
	}
	if newest.IsZero() {
		return 0
	}
	return newest.UnixMilli()
}

// quotaUsedOf is ListUsers' QuotaUsed: the user's as seeded.
func (s *AhsayServer) quotaUsedOf(u *AhsayUser) int64 { return u.QuotaUsed }

// scheduleSettings is GetBackupSet's ScheduleSettings for a set, nil when
// it has none.
func (s *AhsayServer) scheduleSettings(u *AhsayUser, setID string) any {
	b, _ := setOf(u, setID)
	list := b.Schedules
	if len(list) == 0 {
		return nil
	}
	out := []map[string]any{}
	for _, sc := range list {
		interval := sc.Interval
		if interval <= 0 {
			interval = -1
		}
		out = append(out, map[string]any{"ID": sc.ID, "Name": sc.Name, "Type": sc.Type, "BackupInterval": interval,
			"Enabled": !sc.Disabled, "Time": map[string]any{"Hour": 22, "Minute": 0, "Duration": -1}})
	}
	return map[string]any{"ScheduleList": out}
}

// AhsayHistory is a backup set with a history of runs, for SeedHistory.
type AhsayHistory struct {
	Set AhsayBackupSet
	// Runs are the statuses of its jobs, oldest first; the last ran at
	// Last, and each earlier one Every before the next (default 24 h). A
	// job takes an hour; one whose status is backupapi.BackupRunning has no
	// end yet.
	Runs  []backupapi.BackupJobStatus
	Last  time.Time
	Every time.Duration
	// Schedules, for SeedFreshnessFleet's sets (SeedHistory takes
	// Set.Schedules).
	Schedules []AhsaySchedule
}

// SeedHistory adds the user (when new, with the password "Pa55-" + login)
// and gives it the backup set and its runs.
func (s *AhsayServer) SeedHistory(owner, login string, h AhsayHistory) {
	s.mu.Lock()
	key := userKey(owner, login)
	u := s.users[key]
	if u == nil {
		u = &AhsayUser{LoginName: login, Owner: owner, Password: "Pa55-" + login}
		s.addUserLocked(u)
		u = s.users[key]
	}
	u.Sets, u.BackupSets = append(u.Sets, h.Set), append(u.BackupSets, h.Set.ID)
	every := h.Every
	if every <= 0 {
		every = 24 * time.Hour
	}
	for i, st := range h.Runs {
		start := h.Last.Add(-time.Duration(len(h.Runs)-1-i) * every)
		j := AhsayBackupJob{BackupSetID: h.Set.ID, Start: start, Status: st, UploadSize: 1 << 20, NewFiles: 3}
		if st != backupapi.BackupRunning {
			j.End = start.Add(time.Hour)
		}
		s.addBackupJobLocked(key, j)
	}
	s.mu.Unlock()
}

// FreshnessFleet is what SeedFreshnessFleet seeded: one user per history,
// each with one set, named by what its history is.
type FreshnessFleet struct {
	Now time.Time
	// Fresh succeeded an hour ago; Stale last succeeded 4 days ago (the
	// runs since were missed); Failing succeeded 2 days ago and failed
	// the three runs since, every 12 h; Never has failed every run;
	// Empty has a set that never ran; Running succeeded yesterday and has
	// a job running now; Overdue is daily by its schedule and last
	// succeeded 30 h ago; Owned belongs to the owner "reseller1".
	Fresh, Stale, Failing, Never, Empty, Running, Overdue, Owned FleetSet
}

// FleetSet names one seeded set.
type FleetSet struct {
	Owner, Login, SetID, SetName string
}

// SeedFreshnessFleet seeds the users and histories FreshnessFleet lists,
// relative to now (on the server's clock, jobs after it do not count).
func (s *AhsayServer) SeedFreshnessFleet(now time.Time) FreshnessFleet {
	ok, fail, miss, running := backupapi.BackupSuccess, backupapi.BackupStoppedBySystemError, backupapi.BackupMissed, backupapi.BackupRunning
	f := FreshnessFleet{Now: now}
	id := 1800000000000
	seed := func(owner, login, set string, h AhsayHistory) FleetSet {
		id++
		h.Set = AhsayBackupSet{ID: fmt.Sprint(id), Name: set, Schedules: h.Schedules}
		s.SeedHistory(owner, login, h)
		return FleetSet{Owner: owner, Login: login, SetID: h.Set.ID, SetName: set}
	}
	f.Fresh = seed("", "alice", "Documents", AhsayHistory{Runs: []backupapi.BackupJobStatus{ok, ok, ok}, Last: now.Add(-2 * time.Hour)})
	f.Stale = seed("", "bob", "Photos", AhsayHistory{Runs: []backupapi.BackupJobStatus{ok, miss, miss, miss}, Last: now.Add(-25 * time.Hour)})
	f.Failing = seed("", "carol", "Mail", AhsayHistory{Runs: []backupapi.BackupJobStatus{ok, fail, fail, fail}, Last: now.Add(-13 * time.Hour), Every: 12 * time.Hour})
	f.Never = seed("", "dave", "Database", AhsayHistory{Runs: []backupapi.BackupJobStatus{fail, fail}, Last: now.Add(-5 * time.Hour)})
	f.Empty = seed("", "erin", "New set", AhsayHistory{})
	f.Running = seed("", "frank", "Projects", AhsayHistory{Runs: []backupapi.BackupJobStatus{ok, running}, Last: now.Add(-30 * time.Minute)})
	f.Overdue = seed("", "grace", "Ledger", AhsayHistory{Runs: []backupapi.BackupJobStatus{ok}, Last: now.Add(-31 * time.Hour),
		Schedules: []AhsaySchedule{{ID: "1800000000101", Name: "Daily", Type: "DAILY"}}})
	f.Owned = seed("reseller1", "heidi", "Home", AhsayHistory{Runs: []backupapi.BackupJobStatus{ok}, Last: now.Add(-3 * time.Hour)})
	return f
}
