package backupapitest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
)

// AhsayBackupSet is a backup set of a fake user, for the monitoring
// endpoints. A backup set named only by ID in AhsayUser.BackupSets is
// "BackupSet-<ID>", of type FILE, backing up to the AhsayCBS destination
// (key "OBS", ID AhsayDestinationID).
type AhsayBackupSet struct {
	ID, Name, Type string
	DestinationID  string          // default AhsayDestinationID
	Schedules      []AhsaySchedule // GetBackupSet's ScheduleSettings (freshness.go)
}

// AhsayDestinationID is the numeric ID of a backup set's destination on
// AhsayCBS (key "OBS") in job records, as real records carry numeric IDs:
// GetBackupJobProgress and GetBackupJobReport refuse another one.
const AhsayDestinationID = "1687077949198"

// AhsayBackupJob is a backup job of a fake user. A job without an End is
// running; RunBackup's jobs are pending for a tenth of the job duration
// (WithJobDuration, default 30 s), then run, then end in the status that
// SetBackupOutcome chose (BS_STOP_SUCCESS by default).
type AhsayBackupJob struct {
	BackupSetID   string
	DestinationID string // default: the backup set's
	JobID         string // default: Start as yyyy-MM-dd-HH-mm-ss
	Start, End    time.Time
	Status        backupapi.BackupJobStatus
	Mode          backupapi.BackupJobMode // default Scheduled
	UploadSize    int64
	NewFiles      int64
	WarnEntries   int64
	ErrorEntries  int64

	runBackup bool // started by RunBackup: its state follows the clock
}

// AhsayRestoreJob is a restore job of a fake user.
type AhsayRestoreJob struct {
	BackupSetID string
	JobID       string // default: Start as yyyy-MM-dd-HH-mm-ss
	Start, End  time.Time
	Status      backupapi.RestoreJobStatus
	RestoreSize int64
}

// AhsayLicense is the fake's licence. Quotas are the GetLicense counts
// (VMQuota, UsedVMQuota, ...), which the server sends as strings.
type AhsayLicense struct {
	Licensee string
	Key      string
	// Quotas are GetLicense's counts by field name ("VMQuota",
	// "UsedVMQuota", "RemainVMQuota", ...). A module given its quota but
	// not what remains is answered as the server would, Remain = quota -
	// used (never below 0); a Remain given is answered as it is, so that
	// a harness can seed a server that disagrees with itself.
	Quotas map[string]int64
	Info   string // a warning to send with "OK"
}

// AhsayGroup is a policy group or a user group of the fake.
type AhsayGroup struct {
	ID, Name, Owner string
	PolicyGroupID   string   // user groups: the policy group they use
	Members         []string // user groups: login names
}

// monitoring is the fake's monitoring state.
type monitoring struct {
	backupJobs    map[userID][]*AhsayBackupJob
	restoreJobs   map[userID][]*AhsayRestoreJob
	license       AhsayLicense
	policyGroups  []AhsayGroup
	userGroups    []AhsayGroup
	systemUsers   map[string]string // name -> role
	backupOutcome backupapi.BackupJobStatus
}

func newMonitoring(sysUser string) monitoring {
	return monitoring{
		backupJobs:  map[userID][]*AhsayBackupJob{},
		restoreJobs: map[userID][]*AhsayRestoreJob{},
		license: AhsayLicense{Licensee: "Fake Backup Ltd", Key: "FAKE1-LICEN-SEKEY-00000-00", Quotas: map[string]int64{
			"VMQuota": 100, "UsedVMQuota": 0, "RemainVMQuota": 100, "NasQuota": 10, "UsedNasQuota": 0, "RemainNasQuota": 10,
			"Office365Quota": 50, "UsedOffice365Quota": 0, "RemainOffice365Quota": 50,
			"HypervisorSocketQuota": 8, "UsedHypervisorSocketQuota": 0, "RemainHypervisorSocketQuota": 8}},
		policyGroups:  []AhsayGroup{{ID: "1687069108450", Name: "Default Backup User Policy Group"}},
		userGroups:    []AhsayGroup{{ID: allUsersGroupID, Name: "All Users", PolicyGroupID: "1687069108450"}},
		systemUsers:   map[string]string{sysUser: "ADMIN"},
		backupOutcome: backupapi.BackupSuccess,
	}
}

// AddBackupJob records a backup job of the user (owner "" for users
// without one). A user the fake does not have, a backup set the user
// does not have, a job that ends before it starts and a job whose ID
// (default: its Start) one of the set's backup jobs has already panic
// (see SeedUser).
func (s *AhsayServer) AddBackupJob(owner, login string, job AhsayBackupJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mustSeed("AddBackupJob", s.seedBackupJobLocked(owner, login, job))
}

// seedBackupJobLocked checks job and records it (see AddBackupJob).
func (s *AhsayServer) seedBackupJobLocked(owner, login string, job AhsayBackupJob) error {
	if err := s.checkJobLocked(owner, login, job.BackupSetID); err != nil {
		return err
	}
	key := userKey(owner, login)
	if job.JobID == "" {
		job.JobID = job.Start.Format(jobIDLayout)
	}
	var ids []string
	for _, j := range s.mon.backupJobs[key] {
		if j.BackupSetID == job.BackupSetID {
			ids = append(ids, j.JobID)
		}
	}
	if err := checkJobRecord(job.BackupSetID, job.JobID, job.Start, job.End, ids); err != nil {
		return err
	}
	s.addBackupJobLocked(key, job)
	return nil
}

func (s *AhsayServer) addBackupJobLocked(key userID, job AhsayBackupJob) *AhsayBackupJob {
	if job.JobID == "" {
		job.JobID = job.Start.Format(jobIDLayout)
	}
	if job.Mode == "" {
		job.Mode = backupapi.BackupJobScheduled
	}
	j := &job
	s.mon.backupJobs[key] = append(s.mon.backupJobs[key], j)
	return j
}

// AddRestoreJob records a restore job of the user. A user or a backup
// set the fake does not have, a job that ends before it starts and a job
// whose ID one of the set's restore jobs has already panic, as with
// AddBackupJob.
func (s *AhsayServer) AddRestoreJob(owner, login string, job AhsayRestoreJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mustSeed("AddRestoreJob", s.seedRestoreJobLocked(owner, login, job))
}

// seedRestoreJobLocked checks job and records it (see AddRestoreJob).
func (s *AhsayServer) seedRestoreJobLocked(owner, login string, job AhsayRestoreJob) error {
	if err := s.checkJobLocked(owner, login, job.BackupSetID); err != nil {
		return err
	}
	if job.JobID == "" {
		job.JobID = job.Start.Format(jobIDLayout)
	}
	key := userKey(owner, login)
	var ids []string
	for _, j := range s.mon.restoreJobs[key] {
		if j.BackupSetID == job.BackupSetID {
			ids = append(ids, j.JobID)
		}
	}
	if err := checkJobRecord(job.BackupSetID, job.JobID, job.Start, job.End, ids); err != nil {
		return err
	}
	s.mon.restoreJobs[key] = append(s.mon.restoreJobs[key], &job)
	return nil
}

// SetBackupOutcome sets the status RunBackup's jobs end in from now on
// (backupapi.BackupSuccess by default).
func (s *AhsayServer) SetBackupOutcome(status backupapi.BackupJobStatus) {
	s.mu.Lock()
	s.setBackupOutcomeLocked(status)
	s.mu.Unlock()
}

func (s *AhsayServer) setBackupOutcomeLocked(status backupapi.BackupJobStatus) {
	s.settleRunsLocked() // jobs that have ended keep how they ended
	s.mon.backupOutcome = status
}

// SetLicense replaces the licence GetLicense answers with.
func (s *AhsayServer) SetLicense(l AhsayLicense) {
	s.mu.Lock()
	s.mon.license = l
	s.mu.Unlock()
}

// AddPolicyGroup and AddUserGroup add groups to those ListPolicyGroups and
// ListUserGroups answer with; AddSystemUser a system user (role ADMIN,
// READ_ONLY_ADMIN, RESELLER or API_ONLY) to ListSystemUsers's.
func (s *AhsayServer) AddPolicyGroup(g AhsayGroup) {
	s.mu.Lock()
	s.mon.policyGroups = append(s.mon.policyGroups, g)
	s.mu.Unlock()
}

// AddUserGroup adds a user group (see AddPolicyGroup).
func (s *AhsayServer) AddUserGroup(g AhsayGroup) {
	s.mu.Lock()
	s.mon.userGroups = append(s.mon.userGroups, g)
	s.mu.Unlock()
}

// AddSystemUser adds a system user (see AddPolicyGroup).
func (s *AhsayServer) AddSystemUser(name, role string) {
	s.mu.Lock()
	s.mon.systemUsers[name] = role
	s.mu.Unlock()
}

const (
	jobIDLayout   = "2006-01-02-15-04-05"
	wireTime      = "2006-01-02 15:04:05"
	wireDate      = "2006-01-02"
	runVersion    = "10.1.0.0"
	backupSetType = "FILE"
)

// setsOf returns the user's backup sets, named ones and bare IDs alike.
func setsOf(u *AhsayUser) []AhsayBackupSet {
	out := make([]AhsayBackupSet, 0, len(u.BackupSets)+len(u.Sets))
	out = append(out, u.Sets...)
	for _, id := range u.BackupSets {
		if !slices.ContainsFunc(out, func(b AhsayBackupSet) bool { return b.ID == id }) {
			out = append(out, AhsayBackupSet{ID: id})
		}
	}
	for i := range out {
		if out[i].Name == "" {
			out[i].Name = "BackupSet-" + out[i].ID
		}
		if out[i].Type == "" {
			out[i].Type = backupSetType
		}
		if out[i].DestinationID == "" {
			out[i].DestinationID = AhsayDestinationID
		}
	}
	return out
}

func setOf(u *AhsayUser, id string) (AhsayBackupSet, bool) {
	for _, b := range setsOf(u) {
		if b.ID == id {
			return b, true
		}
	}
	return AhsayBackupSet{}, false
}

// state returns a job's status and end now: RunBackup's jobs follow the
// clock.
func (s *AhsayServer) state(j *AhsayBackupJob) (backupapi.BackupJobStatus, time.Time) {
	if !j.runBackup || !j.End.IsZero() {
		return j.Status, j.End
	}
	if s.now().Before(j.Start.Add(s.jobLength)) {
		return backupapi.BackupRunning, time.Time{}
	}
	j.End, j.Status = j.Start.Add(s.jobLength), s.mon.backupOutcome
	j.UploadSize, j.NewFiles = 1<<20, 12
	return j.Status, j.End
}

// settleRunsLocked records how every RunBackup job that has ended by now
// ended, before the job duration or the outcome change.
func (s *AhsayServer) settleRunsLocked() {
	for _, jobs := range s.mon.backupJobs {
		for _, j := range jobs {
			s.state(j)
		}
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(wireTime)
}

func (s *AhsayServer) listBackupSets(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	all, _ := req.boolean("ListAll")
	data := []map[string]any{}
	for _, b := range setsOf(u) {
		item := map[string]any{"ID": b.ID, "Name": b.Name, "Type": b.Type}
		if all {
			item["ModuleUsage"] = map[string]any{"ModuleType": "", "ModuleUsage": 0, "HostCount": 1}
		}
		data = append(data, item)
	}
	a.ok(map[string]any{"Data": data})
}

// lookupSet finds the request's user and backup set, or answers that
// one of them is not found.
func (s *AhsayServer) lookupSet(req ahsayRequest, a *answer) (*AhsayUser, AhsayBackupSet, bool) {
	u := s.lookup(req, a)
	if u == nil {
		return nil, AhsayBackupSet{}, false
	}
	b, ok := setOf(u, req.str("BackupSetID"))
	if !ok {
		a.fail("[Error] Backup set ‘"+req.str("BackupSetID")+"’ not found", exptDbs)
	}
	return u, b, ok
}

func (s *AhsayServer) getBackupSet(req ahsayRequest, a *answer) {
	u, b, ok := s.lookupSet(req, a)
	if !ok {
		return
	}
	data := map[string]any{
		"BackupSetID": b.ID, "Name": b.Name, "Class": "com.ahsay.obx.cxp.obs.BackupSet", "ReadOnly": false,
		"CompressType": "GzipDefaultCompression", "LogRetentionDays": 30, "WorkingDir": "", "ShadowCopyEnabled": true,
		"DestinationSettings": map[string]any{"DestinationList": []any{map[string]any{
			"@class": "com.ahsay.obx.cxp.obs.OBSDestination", "Id": b.DestinationID, "Name": "AhsayCBS",
			"DestinationKey": "OBS", "HostName": "", "Port": 443, "Password": "", "DataMigrationStatus": "NotStarted"}}},
	}
	if sched := s.scheduleSettings(u, b.ID); sched != nil {
		data["ScheduleSettings"] = sched
	}
	a.ok(map[string]any{"Data": data, "DeduplicationSettings": map[string]any{"Enabled": false}})
}

func (s *AhsayServer) listBackupJobs(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	skipEmpty, _ := req.boolean("SkipEmpty")
	data := []map[string]any{}
	for _, b := range setsOf(u) {
		ids := []string{}
		for _, j := range s.mon.backupJobs[userKey(u.Owner, u.LoginName)] {
			if j.BackupSetID == b.ID {
				ids = append(ids, j.JobID)
			}
		}
		if skipEmpty && len(ids) == 0 {
			continue
		}
		data = append(data, map[string]any{"BackupSetID": b.ID, "Removed": false, "BackupJob": ids})
	}
	a.ok(map[string]any{"Data": data})
}

// jobsOn returns the user's backup jobs that started on the date (UTC).
func (s *AhsayServer) jobsOn(u *AhsayUser, req ahsayRequest, key string, a *answer) ([]*AhsayBackupJob, bool) {
	date := req.str(key)
	if date == "" {
		a.fail("[Error] Parameter "+key+" is null / empty!", exptDbs)
		return nil, false
	}
	if len(date) > len(wireDate) {
		date = date[:len(wireDate)] // the ListBackupJobMode example sends a job ID
	}
	var out []*AhsayBackupJob
	for _, j := range s.mon.backupJobs[userKey(u.Owner, u.LoginName)] {
		if j.Start.UTC().Format(wireDate) == date {
			out = append(out, j)
		}
	}
	return out, true
}

func (s *AhsayServer) listBackupJobStatus(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	jobs, ok := s.jobsOn(u, req, "BackupDate", a)
	if !ok {
		return
	}
	if len(jobs) == 0 {
		// A real server's answer for a day without jobs (the public
		// clients check_ahsay and php-ahsay-api-wrapper expect this text).
		a.fail("[Error] No Backup Job on that day", exptDbs)
		return
	}
	data := []map[string]any{}
	for _, j := range jobs {
		b, _ := setOf(u, j.BackupSetID)
		status, end := s.state(j)
		data = append(data, map[string]any{"ID": j.JobID, "LoginName": u.LoginName, "Owner": u.Owner, "UserId": u.ID,
			"StartTime": fmtTime(j.Start), "EndTime": fmtTime(end), "BackupJobStatus": string(status),
			"BackupSetID": j.BackupSetID, "BackupSetName": b.Name, "UploadSize": fmt.Sprint(j.UploadSize),
			"RunVersion": runVersion, "DestinationID": firstNonEmpty(j.DestinationID, b.DestinationID)})
	}
	a.ok(map[string]any{"Data": data})
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *AhsayServer) listBackupJobMode(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	jobs, ok := s.jobsOn(u, req, "BackupDate", a)
	if !ok {
		return
	}
	only := req.str("BackupSetID")
	data := []map[string]any{}
	for _, j := range jobs {
		if only != "" && j.BackupSetID != only {
			continue
		}
		b, _ := setOf(u, j.BackupSetID)
		_, end := s.state(j)
		data = append(data, map[string]any{"LoginName": u.LoginName, "Owner": u.Owner, "UserId": u.LoginName,
			"StartTime": fmtTime(j.Start), "EndTime": fmtTime(end), "BackupSetID": j.BackupSetID,
			"BackupSetName": b.Name, "BackupJobMode": string(j.Mode)})
	}
	a.ok(map[string]any{"Data": data})
}

// findJob finds the job a progress or report request names.
func (s *AhsayServer) findJob(req ahsayRequest, a *answer) (*AhsayUser, *AhsayBackupJob) {
	u := s.lookup(req, a)
	if u == nil {
		return nil, nil
	}
	for _, j := range s.mon.backupJobs[userKey(u.Owner, u.LoginName)] {
		if j.BackupSetID == req.str("BackupSetID") && j.JobID == req.str("BackupJobID") {
			if dest := req.str("DestinationID"); !s.jobAt(u, j, dest) {
				a.fail("[Error] Backup job ‘"+j.JobID+"’ of backup set ‘"+j.BackupSetID+"’ not found in destination ‘"+dest+"’", exptDbs)
				return nil, nil
			}
			return u, j
		}
	}
	a.fail("[Error] Backup job ‘"+req.str("BackupJobID")+"’ of backup set ‘"+req.str("BackupSetID")+"’ not found", exptDbs)
	return nil, nil
}

func (s *AhsayServer) getBackupJobProgress(req ahsayRequest, a *answer) {
	u, j := s.findJob(req, a)
	if j == nil {
		return
	}
	b, _ := setOf(u, j.BackupSetID)
	_, end := s.state(j)
	a.ok(map[string]any{"Data": map[string]any{"ID": j.JobID, "LoginName": u.LoginName, "Owner": u.Owner, "UserID": u.ID,
		"StartTime": fmtTime(j.Start), "EndTime": fmtTime(end), "FileUploadTime": fmtTime(j.Start),
		"BackupSetID": j.BackupSetID, "BackupSetName": b.Name, "CurrentFileName": "",
		"CurrentFileCount": fmt.Sprint(j.NewFiles), "TotalFileCount": fmt.Sprint(j.NewFiles),
		"UploadedFileSize": fmt.Sprint(j.UploadSize), "TotalFileSize": fmt.Sprint(j.UploadSize)}})
}

func (s *AhsayServer) getBackupJobReport(summary bool) func(ahsayRequest, *answer) {
	return func(req ahsayRequest, a *answer) {
		_, j := s.findJob(req, a)
		if j == nil {
			return
		}
		status, end := s.state(j)
		report := map[string]any{"ID": j.JobID, "StartTime": fmtTime(j.Start), "EndTime": fmtTime(end),
			"BackupJobStatus": string(status), "NumOfWarnEntries": j.WarnEntries, "NumOfErrorEntries": j.ErrorEntries,
			"NumOfNewFiles": j.NewFiles, "TotalNewFilesSize": j.UploadSize, "NumOfUpdatedFiles": 0, "TotalUpdatedFilesSize": 0}
		if summary {
			report["NumOfDeletedFiles"], report["TotalDeletedFilesSize"] = 0, 0
			report["NumOfMovedFiles"], report["TotalMovedFilesSize"], report["NumOfUpdatedPermissionFiles"] = 0, 0, 0
		} else {
			report["TotalUnzipNewFilesSize"], report["NewFilesZipRatio"] = j.UploadSize, 100
			report["TotalUnzipUpdatedFilesSize"], report["UpdatedFilesZipRation"] = 0, 100
		}
		a.ok(map[string]any{"Data": report})
	}
}

func (s *AhsayServer) runBackup(req ahsayRequest, a *answer) {
	u, b, ok := s.lookupSet(req, a)
	if !ok {
		return
	}
	key := userKey(u.Owner, u.LoginName)
	if cancel, _ := req.boolean("CancelBackup"); cancel {
		// Only a job still pending (not yet started) can be cancelled.
		s.mon.backupJobs[key] = slices.DeleteFunc(s.mon.backupJobs[key], func(j *AhsayBackupJob) bool {
			return j.runBackup && j.BackupSetID == b.ID && s.now().Before(j.Start)
		})
		a.ok(nil)
		return
	}
	start := s.now().Add(s.jobLength / 10)
	j := s.addBackupJobLocked(key, AhsayBackupJob{BackupSetID: b.ID, DestinationID: b.DestinationID, Start: start,
		Mode: backupapi.BackupJobRemote})
	j.runBackup = true
	a.ok(map[string]any{"Data": []any{}})
}

func (s *AhsayServer) listRestoreJobs(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	data := []map[string]any{}
	for _, b := range setsOf(u) {
		ids := []string{}
		for _, j := range s.mon.restoreJobs[userKey(u.Owner, u.LoginName)] {
			if j.BackupSetID == b.ID {
				ids = append(ids, j.JobID)
			}
		}
		data = append(data, map[string]any{"BackupSetID": b.ID, "Removed": false, "RestoreJob": ids})
	}
	a.ok(map[string]any{"Data": data})
}

func (s *AhsayServer) listRestoreJobStatus(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	date := req.str("RestoreDate")
	if date == "" {
		a.fail("[Error] Parameter RestoreDate is null / empty!", exptDbs)
		return
	}
	data := []map[string]any{}
	for _, j := range s.mon.restoreJobs[userKey(u.Owner, u.LoginName)] {
		if j.Start.UTC().Format(wireDate) != date {
			continue
		}
		b, _ := setOf(u, j.BackupSetID)
		end := ""
		if !j.End.IsZero() {
			end = j.End.UTC().Format(jobIDLayout)
		}
		data = append(data, map[string]any{"ID": j.JobID, "LoginName": u.LoginName, "Owner": u.Owner, "UserID": u.ID,
			"StartTime": j.Start.UTC().Format(jobIDLayout), "EndTime": end, "RestoreJobStatus": string(j.Status),
			"BackupSetID": j.BackupSetID, "BackupSetName": b.Name, "RestoreSize": fmt.Sprint(j.RestoreSize), "RunVersion": runVersion})
	}
	a.ok(map[string]any{"Data": data})
}

func (s *AhsayServer) authSystemUser(_ ahsayRequest, a *answer) { a.ok(nil) }

func (s *AhsayServer) getLicense(_ ahsayRequest, a *answer) {
	l := s.mon.license
	data := map[string]any{"Licensee": l.Licensee, "Key": l.Key, "Deactivated": false}
	for k, v := range licenseCounts(l.Quotas) {
		data[k] = fmt.Sprint(v) // counts sent as strings, as documented
	}
	out := map[string]any{"Data": data}
	if l.Info != "" {
		out["Info"] = l.Info
	}
	a.ok(out)
}

// licenseCounts are the licence's counts as GetLicense answers them: each
// module with a quota and no Remain count gets quota - used (see
// AhsayLicense.Quotas).
func licenseCounts(quotas map[string]int64) map[string]int64 {
	out := maps.Clone(quotas)
	for k, quota := range quotas {
		module, ok := strings.CutSuffix(k, "Quota")
		if !ok || module == "" || strings.HasPrefix(k, "Used") || strings.HasPrefix(k, "Remain") {
			continue
		}
		if _, given := quotas["Remain"+k]; !given {
			out["Remain"+k] = max(quota-quotas["Used"+k], 0)
		}
	}
	return out
}

func (s *AhsayServer) listPolicyGroups(req ahsayRequest, a *answer) {
	nameOnly, _ := req.boolean("PolicyGroupNameOnly")
	data := []map[string]any{}
	for _, g := range s.mon.policyGroups {
		item := map[string]any{"PolicyGroupID": g.ID, "PolicyGroupName": g.Name}
		if !nameOnly {
			item["Type"], item["Owner"], item["UserSettings"], item["BackupSetSettings"] = "BACKUP_USER", g.Owner, []any{}, []any{}
		}
		data = append(data, item)
	}
	a.ok(map[string]any{"Data": data})
}

func (s *AhsayServer) listUserGroups(req ahsayRequest, a *answer) {
	groupOnly, _ := req.boolean("UserGroupOnly")
	only := req.str("UserGroupID")
	if only != "" && len(only) != 13 {
		a.fail("[Error] Parameter UserGroupID, "+only+" is not a 13-digit format!", exptDbs)
		return
	}
	data := []map[string]any{}
	for _, g := range s.mon.userGroups {
		if only != "" && g.ID != only {
			continue
		}
		item := map[string]any{"ID": g.ID, "Name": g.Name, "Type": "BACKUP_USER", "Owner": g.Owner}
		if !groupOnly {
			users := []map[string]any{}
			for _, login := range s.membersOf(g) {
				users = append(users, map[string]any{"LoginName": login, "Owner": "", "UserId": login})
			}
			item["Users"], item["PolicyGroup"] = users, []any{map[string]any{"ID": g.PolicyGroupID}}
		}
		data = append(data, item)
	}
	a.ok(map[string]any{"Data": data})
}

func (s *AhsayServer) listSystemUsers(req ahsayRequest, a *answer) {
	roleOnly, _ := req.boolean("RoleOnly")
	var names []string
	for n := range s.mon.systemUsers {
		names = append(names, n)
	}
	slices.Sort(names)
	data := []map[string]any{}
	for _, n := range names {
		item := map[string]any{"Name": n, "Role": s.mon.systemUsers[n]}
		if !roleOnly {
			item["Status"], item["HashedPwd"] = "ENABLED", "ggeRi1mrAu37jPPCb6q6sRyBRlz/VxUgHbso6jqZu0I="
			item["IsShowRebrandingPages"], item["IsSendConsolidatedReport"], item["IsFreeTrialOfferAllowed"] = false, false, true
		}
		data = append(data, item)
	}
	a.ok(map[string]any{"Data": data})
}

// monitoringEndpoint maps a monitoring endpoint's name to its handler.
func (s *AhsayServer) monitoringEndpoint(name string) func(ahsayRequest, *answer) {
	switch name {
	case OpListBackupSets:
		return s.listBackupSets
	case OpGetBackupSet:
		return s.getBackupSet
	case OpListBackupJobs:
		return s.listBackupJobs
	case OpListBackupJobStatus:
		return s.listBackupJobStatus
	case OpListBackupJobMode:
		return s.listBackupJobMode
	case OpGetBackupJobProgress:
		return s.getBackupJobProgress
	case OpGetBackupJobReport:
		return s.getBackupJobReport(false)
	case OpGetBackupJobReportSummary:
		return s.getBackupJobReport(true)
	case OpRunBackup:
		return s.runBackup
	case OpListRestoreJobs:
		return s.listRestoreJobs
	case OpListRestoreJobStatus:
		return s.listRestoreJobStatus
	case OpAuthSystemUser:
		return s.authSystemUser
	case OpGetLicense:
		return s.getLicense
	case OpListPolicyGroups:
		return s.listPolicyGroups
	case OpListUserGroups:
		return s.listUserGroups
	case OpListSystemUsers:
		return s.listSystemUsers
	}
	return nil
}
