package backupapitest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/backupapi/backupapi"
)

// ApplySeed adds the seed's state to the servers (either may be nil if the
// seed has nothing for it), as the Go methods it names would (SeedUser,
// AddBackupJob, SetStorageStat, SeedBackup, FailJobs, ...). It first
// checks the whole seed and changes nothing if any of it is wrong: every
// user, backup set, destination and policy group the seed names must be
// in the seed or on the server, and no user, set, group or backup may be
// given twice (nor a system user in one seed: one the server has already
// takes the seed's role), no backup or restore job may end before it
// starts, and no two backup (or restore) jobs of a set may have one ID (by
// default their start). Each problem is a *SeedError with the key's JSON
// path. The check and the change are one step, under the servers' locks:
// a call the servers answer meanwhile sees the state before the seed or
// after it, never a seed half applied, and cannot slip between the check
// and the change.
func ApplySeed(seed *Seed, ahsay *AhsayServer, lxca *XClarityServer) error {
	if seed == nil {
		return nil
	}
	if err := checkSeedTargets(seed, ahsay, lxca); err != nil {
		return err
	}
	defer lockServers(ahsay, lxca)()
	if err := checkSeedLocked(seed, ahsay, lxca); err != nil {
		return err
	}
	if testHookSeedChecked != nil {
		testHookSeedChecked()
	}
	return applySeedLocked(seed, ahsay, lxca)
}

// testHookSeedChecked, set by tests only, runs between the check of a seed
// and its application: where a concurrent call must not slip in.
var testHookSeedChecked func()

// lockServers locks the servers present, AhsayCBS first (the one order
// in which both are ever held), and returns what unlocks them.
func lockServers(ahsay *AhsayServer, lxca *XClarityServer) (unlock func()) {
	if ahsay != nil {
		ahsay.mu.Lock()
	}
	if lxca != nil {
		lxca.mu.Lock()
	}
	return func() {
		if lxca != nil {
			lxca.mu.Unlock()
		}
		if ahsay != nil {
			ahsay.mu.Unlock()
		}
	}
}

// applySeedLocked applies a checked seed to the locked servers, through
// the locked variants of the seeding methods. checkSeedLocked refuses
// every mistake they know; should one slip through, it is an error here,
// not a crash of the control API.
func applySeedLocked(seed *Seed, ahsay *AhsayServer, lxca *XClarityServer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &SeedError{Problem: fmt.Sprint(p)}
		}
	}()
	if a := seed.Ahsay; a != nil {
		if err := applyAhsaySeedLocked(a, ahsay); err != nil {
			return &SeedError{Path: "ahsay", Problem: err.Error()}
		}
	}
	if x := seed.XClarity; x != nil {
		for i, b := range x.Backups {
			if err := lxca.seedBackupLocked(b); err != nil {
				return &SeedError{Path: fmt.Sprintf("xclarity.backups[%d]", i), Problem: err.Error()}
			}
		}
		if x.SessionTimeout > 0 {
			lxca.sessionTimeout = time.Duration(x.SessionTimeout)
		}
	}
	if j := seed.Jobs; j != nil {
		applyJobSettingsLocked(*j, ahsay, lxca)
	}
	return nil
}

// ResetToSeed returns the servers to the state they were made with
// (Reset: no faults, no calls counted, no sessions) and applies the seed:
// what backupapi-fake does with --seed and the control API's reset. A
// seed that lists XClarity backups replaces the default ones unless it
// says KeepDefaultBackups. The clock does not move back. The seed is
// applied to fresh servers of the same configuration, whose state each
// server then takes in one step: a seed that ApplySeed would refuse
// changes nothing, and a call that the servers answer meanwhile acts on
// the old state or on the new, never on a seed half applied.
func ResetToSeed(seed *Seed, ahsay *AhsayServer, lxca *XClarityServer) error {
	if seed == nil {
		if ahsay != nil {
			ahsay.Reset()
		}
		if lxca != nil {
			lxca.Reset()
		}
		return nil
	}
	if err := checkSeedTargets(seed, ahsay, lxca); err != nil {
		return err
	}
	var freshA *AhsayServer
	var freshX *XClarityServer
	if ahsay != nil {
		freshA = NewUnstartedAhsayServer(ahsay.cfg.asOption())
	}
	if lxca != nil {
		freshX = NewUnstartedXClarityServer(lxca.cfg.asOption())
		if seed.XClarity.replacesBackups() {
			freshX.backups = nil
		}
	}
	if err := ApplySeed(seed, freshA, freshX); err != nil {
		return err
	}
	if ahsay != nil {
		ahsay.adopt(freshA)
	}
	if lxca != nil {
		lxca.adopt(freshX)
	}
	return nil
}

// checkSeedTargets refuses a seed for a server that is not there.
func checkSeedTargets(seed *Seed, ahsay *AhsayServer, lxca *XClarityServer) error {
	var errs []error
	if seed.Ahsay != nil && ahsay == nil {
		errs = append(errs, &SeedError{Path: "ahsay", Problem: "there is no fake AhsayCBS to seed"})
	}
	if seed.XClarity != nil && lxca == nil {
		errs = append(errs, &SeedError{Path: "xclarity", Problem: "there is no fake XClarity Administrator to seed"})
	}
	return errors.Join(errs...)
}

// seedCheck collects a seed's problems.
type seedCheck struct{ problems []error }

func (c *seedCheck) fail(format string, args ...any) func(path string) {
	return func(path string) {
		if len(c.problems) < maxSeedProblems {
			c.problems = append(c.problems, &SeedError{Path: path, Problem: fmt.Sprintf(format, args...)})
		}
	}
}

func (c *seedCheck) failf(path, format string, args ...any) { c.fail(format, args...)(path) }

// checkSeedLocked checks seed against the locked servers (see ApplySeed).
func checkSeedLocked(seed *Seed, ahsay *AhsayServer, lxca *XClarityServer) error {
	c := &seedCheck{}
	if seed.Ahsay != nil {
		c.ahsay(seed.Ahsay, ahsay)
	}
	if seed.XClarity != nil {
		c.xclarity(seed.XClarity, lxca)
	}
	if seed.Jobs != nil {
		c.jobs(*seed.Jobs, "jobs")
	}
	return errors.Join(c.problems...)
}

// ahsayKnown is what an AhsayCBS seed may refer to: the server's state
// and the seed's.
type ahsayKnown struct {
	users        map[userID][]AhsayBackupSet
	backupJobs   map[jobKey]bool // the job IDs of every user's sets
	restoreJobs  map[jobKey]bool
	destinations map[string]bool
	policyGroups map[string]bool
	userGroups   map[string]bool
}

func knownOfLocked(s *AhsayServer) ahsayKnown {
	k := ahsayKnown{users: map[userID][]AhsayBackupSet{}, destinations: map[string]bool{},
		policyGroups: map[string]bool{}, userGroups: map[string]bool{},
		backupJobs: map[jobKey]bool{}, restoreJobs: map[jobKey]bool{}}
	for key, u := range s.users {
		k.users[key] = setsOf(u)
	}
	for key, jobs := range s.mon.backupJobs {
		for _, j := range jobs {
			k.backupJobs[jobKey{key, j.BackupSetID, j.JobID}] = true
		}
	}
	for key, jobs := range s.mon.restoreJobs {
		for _, j := range jobs {
			k.restoreJobs[jobKey{key, j.BackupSetID, j.JobID}] = true
		}
	}
	for d := range s.destinations {
		k.destinations[d] = true
	}
	for _, g := range s.mon.policyGroups {
		k.policyGroups[g.ID] = true
	}
	for _, g := range s.mon.userGroups {
		k.userGroups[g.ID] = true
	}
	return k
}

func (c *seedCheck) ahsay(a *AhsaySeed, s *AhsayServer) {
	k := knownOfLocked(s)
	for i, d := range a.Destinations {
		path := fmt.Sprintf("ahsay.destinations[%d].key", i)
		if d.Key == "" {
			c.failf(path, "empty")
		}
		k.destinations[d.Key] = true
	}
	for i, u := range a.Users {
		path := fmt.Sprintf("ahsay.users[%d]", i)
		key := userKey(u.Owner, u.LoginName)
		switch _, exists := k.users[key]; {
		case u.LoginName == "":
			c.failf(path+".loginName", "empty")
		case exists:
			c.failf(path+".loginName", "user %s is given twice (or is on the server already)", userName(u.Owner, u.LoginName))
		}
		for j, q := range u.Quotas {
			if !k.destinations[q.DestinationKey] {
				c.failf(fmt.Sprintf("%s.quotas[%d].destinationKey", path, j), "no destination %q (add it to ahsay.destinations)", q.DestinationKey)
			}
		}
		if slices.Contains(u.BackupSets, "") {
			c.failf(path+".sets", "an empty backup set ID")
		}
		seen := map[string]bool{}
		for j, b := range u.Sets {
			switch {
			case b.ID == "":
				c.failf(fmt.Sprintf("%s.sets[%d].id", path, j), "empty")
			case seen[b.ID]:
				c.failf(fmt.Sprintf("%s.sets[%d].id", path, j), "backup set %q is given twice", b.ID)
			}
			seen[b.ID] = true
		}
		k.users[key] = setsOf(&u)
	}
	for i, j := range a.BackupJobs {
		path := fmt.Sprintf("ahsay.backupJobs[%d]", i)
		c.userSet(k, path, j.Owner, j.LoginName, j.BackupSetID)
		c.jobRecord(k.backupJobs, path, userKey(j.Owner, j.LoginName), j.BackupSetID, j.JobID, j.Start, j.End)
	}
	for i, j := range a.RestoreJobs {
		path := fmt.Sprintf("ahsay.restoreJobs[%d]", i)
		c.userSet(k, path, j.Owner, j.LoginName, j.BackupSetID)
		c.jobRecord(k.restoreJobs, path, userKey(j.Owner, j.LoginName), j.BackupSetID, j.JobID, j.Start, j.End)
	}
	for i, st := range a.StorageStats {
		path := fmt.Sprintf("ahsay.storageStats[%d]", i)
		c.userSet(k, path, st.Owner, st.LoginName, "")
		if _, err := time.Parse("2006-01", st.YearMonth); err != nil {
			c.failf(path+".yearMonth", "%q is not a month such as 2026-11", st.YearMonth)
		}
	}
	for i, j := range a.LiveJobs {
		c.userSet(k, fmt.Sprintf("ahsay.liveJobs[%d]", i), "", j.LoginName, j.BackupSetID)
	}
	for i, j := range a.RunJobs {
		c.userSet(k, fmt.Sprintf("ahsay.runJobs[%d]", i), j.Owner, j.LoginName, j.BackupSetID)
	}
	for i, g := range a.PolicyGroups {
		c.group(k.policyGroups, fmt.Sprintf("ahsay.policyGroups[%d]", i), g)
	}
	for i, g := range a.UserGroups {
		path := fmt.Sprintf("ahsay.userGroups[%d]", i)
		c.group(k.userGroups, path, g)
		if g.PolicyGroupID != "" && !k.policyGroups[g.PolicyGroupID] {
			c.failf(path+".policyGroupId", "no policy group %q", g.PolicyGroupID)
		}
		for j, m := range g.Members {
			_, mine := k.users[userKey(g.Owner, m)]
			_, plain := k.users[userKey("", m)]
			if !mine && !plain {
				c.failf(fmt.Sprintf("%s.members[%d]", path, j), "no user %q", m)
			}
		}
	}
	systemUsers := map[string]bool{}
	for i, u := range a.SystemUsers {
		path := fmt.Sprintf("ahsay.systemUsers[%d]", i)
		switch {
		case u.Name == "":
			c.failf(path+".name", "empty")
		case systemUsers[u.Name]:
			c.failf(path+".name", "system user %q is given twice", u.Name)
		}
		systemUsers[u.Name] = true
		if !slices.Contains(systemRoles, u.Role) {
			c.failf(path+".role", "%q is not one of %v", u.Role, systemRoles)
		}
	}
}

// systemRoles are the roles of AhsayCBS system users.
var systemRoles = []string{"ADMIN", "READ_ONLY_ADMIN", "RESELLER", "API_ONLY"}

func userName(owner, login string) string {
	if owner == "" {
		return fmt.Sprintf("%q", login)
	}
	return fmt.Sprintf("%q of owner %q", login, owner)
}

// userSet checks that a user and (if setID is not "") its backup set exist.
func (c *seedCheck) userSet(k ahsayKnown, path, owner, login, setID string) {
	sets, ok := k.users[userKey(owner, login)]
	if !ok {
		c.failf(path+".loginName", "no user %s in the seed or on the server", userName(owner, login))
		return
	}
	if setID != "" && !slices.ContainsFunc(sets, func(b AhsayBackupSet) bool { return b.ID == setID }) {
		c.failf(path+".backupSetId", "user %s has no backup set %q", userName(owner, login), setID)
	}
}

// jobKey is a job of a user's backup set.
type jobKey struct {
	user     userID
	set, job string
}

// jobRecord checks a backup or restore job at path as AddBackupJob and
// AddRestoreJob do (checkJobRecord): it does not end before it starts, and
// its ID (by default its start) is new to its set, in known, which
// includes the server's jobs and the seed's before it.
func (c *seedCheck) jobRecord(known map[jobKey]bool, path string, user userID, setID, jobID string, start, end time.Time) {
	if !end.IsZero() && end.Before(start) {
		c.failf(path+".end", "the job ends before it starts (%s < %s)", end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	idPath := path + ".jobId"
	if jobID == "" {
		jobID, idPath = start.Format(jobIDLayout), path+".start"
	}
	key := jobKey{user, setID, jobID}
	if known[key] {
		c.failf(idPath, "backup set %q has a job %s already (in the seed or on the server; jobId defaults to start as yyyy-MM-dd-HH-mm-ss)", setID, jobID)
	}
	known[key] = true
}

func (c *seedCheck) group(known map[string]bool, path string, g AhsayGroup) {
	switch {
	case g.ID == "":
		c.failf(path+".id", "empty")
	case known[g.ID]:
		c.failf(path+".id", "group %q is given twice (or is on the server already)", g.ID)
	}
	known[g.ID] = true
}

func (c *seedCheck) xclarity(x *XClaritySeed, s *XClarityServer) {
	// A copy keeps its UUID: a backup is its UUID at its location.
	at := func(b XClarityBackup) string {
		if b.Location == "" {
			b.Location = DestinationInternal
		}
		return b.UUID + "\x00" + b.Location
	}
	if x.SessionTimeout < 0 {
		c.failf("xclarity.sessionTimeout", "negative")
	}
	known := map[string]bool{}
	for _, b := range s.backupsLocked() {
		known[at(b)] = true
	}
	for i, b := range x.Backups {
		path := fmt.Sprintf("xclarity.backups[%d].uuid", i)
		switch {
		case b.UUID == "":
			c.failf(path, "empty")
		case known[at(b)]:
			c.failf(path, "backup %q at %q is given twice (or is on the appliance already)", b.UUID, cmp.Or(b.Location, DestinationInternal))
		}
		known[at(b)] = true
	}
}

// xclarityOutcomes are the states an XClarity job may be told to end in.
var xclarityOutcomes = []backupapi.JobStatus{backupapi.JobComplete, backupapi.JobCompleteWithWarnings,
	backupapi.JobCompleteWithErrors, backupapi.JobCancelled, backupapi.JobCancelledWithErrs,
	backupapi.JobStoppedWithError, backupapi.JobInterrupted, backupapi.JobFailed}

func (c *seedCheck) jobs(j JobSettings, path string) {
	if j.Duration < 0 {
		c.failf(joinPath(path, "duration"), "negative")
	}
	if j.XClarityOutcome != "" && !slices.Contains(xclarityOutcomes, j.XClarityOutcome) {
		c.failf(joinPath(path, "xclarityOutcome"), "%q is not one of %v", j.XClarityOutcome, xclarityOutcomes)
	}
}

// applyAhsaySeedLocked applies a checked AhsayCBS seed to the locked
// server; an error names the key's path.
func applyAhsaySeedLocked(a *AhsaySeed, s *AhsayServer) error {
	for _, d := range a.Destinations {
		s.destinations[d.Key] = d.Name
	}
	var errs []error
	at := func(path string, i int, err error) {
		if err != nil {
			errs = append(errs, &SeedError{Path: fmt.Sprintf("ahsay.%s[%d]", path, i), Problem: err.Error()})
		}
	}
	for i, u := range a.Users {
		at("users", i, s.seedUserLocked(u))
	}
	for i, j := range a.BackupJobs {
		at("backupJobs", i, s.seedBackupJobLocked(j.Owner, j.LoginName, j.AhsayBackupJob))
	}
	for i, j := range a.RestoreJobs {
		at("restoreJobs", i, s.seedRestoreJobLocked(j.Owner, j.LoginName, j.AhsayRestoreJob))
	}
	for i, st := range a.StorageStats {
		at("storageStats", i, s.setStorageStatLocked(st.Owner, st.LoginName, st.YearMonth, st.AhsayStorageStat))
	}
	for _, j := range a.LiveJobs {
		if j.BackupSet == "" {
			if b, ok := setOf(s.users[userKey("", j.LoginName)], j.BackupSetID); ok {
				j.BackupSet = b.Name
			}
		}
		s.live = append(s.live, j)
	}
	for _, j := range a.RunJobs {
		key := userKey(j.Owner, j.LoginName)
		s.runJobs[key] = append(s.runJobs[key], j.AhsayRunJob)
	}
	if a.License != nil {
		s.mon.license = *a.License
	}
	for _, g := range a.PolicyGroups {
		s.mon.policyGroups = append(s.mon.policyGroups, AhsayGroup{ID: g.ID, Name: g.Name, Owner: g.Owner})
	}
	s.mon.userGroups = append(s.mon.userGroups, a.UserGroups...)
	for _, u := range a.SystemUsers {
		s.mon.systemUsers[u.Name] = u.Role
	}
	return errors.Join(errs...)
}

// applyJobSettings applies the set fields of j to the servers present.
func applyJobSettings(j JobSettings, ahsay *AhsayServer, lxca *XClarityServer) {
	defer lockServers(ahsay, lxca)()
	applyJobSettingsLocked(j, ahsay, lxca)
}

// applyJobSettingsLocked applies j to the locked servers present.
func applyJobSettingsLocked(j JobSettings, ahsay *AhsayServer, lxca *XClarityServer) {
	if j.Duration > 0 {
		if ahsay != nil {
			ahsay.setJobDurationLocked(time.Duration(j.Duration))
		}
		if lxca != nil {
			lxca.setJobDurationLocked(time.Duration(j.Duration))
		}
	}
	if j.XClarityOutcome != "" && lxca != nil {
		state := j.XClarityOutcome
		if state == backupapi.JobComplete {
			state = ""
		}
		lxca.failWith = string(state)
	}
	if j.AhsayBackupOutcome != "" && ahsay != nil {
		ahsay.setBackupOutcomeLocked(j.AhsayBackupOutcome)
	}
}
