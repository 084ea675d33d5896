package backupapi

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// ApplianceBackupFreshness is how fresh an XClarity appliance's own
// backups are.
type ApplianceBackupFreshness struct {
	// Locations has the newest backup of each location, sorted by name.
	Locations []LocationFreshness
	// Newest is the newest backup anywhere (zero: no backup at all), and
	// Age its age measured from the request's Now.
	Newest time.Time
	Age    time.Duration
	// LastBackupJob is the newest job that backs the appliance up (nil
	// when ListJobs lists none, or could not be read while quiesced).
	LastBackupJob *Job
	// JobStates counts the appliance's jobs (all of them, not only
	// backups) by state.
	JobStates map[JobStatus]int
	// Quiesced is true while a backup or restore runs (QuiesceStatus).
	Quiesced bool
	// JobsUnread is true when ListJobs failed while the appliance was
	// quiesced (the reference says status calls may fail then).
	JobsUnread bool
}

// LocationFreshness is the newest backup of one location.
type LocationFreshness struct {
	Location string // LocationInternal, a remote share's mount point, or "unknown"
	// Newest is the date of the location's newest backup, and Age its age
	// from the request's Now; Newest is zero (and Age, UUID and Filename
	// empty) when none of its Backups has a readable BackupDate: an
	// unknown age, not a fresh one.
	Newest   time.Time
	Age      time.Duration
	UUID     string
	Filename string
	Backups  int // how many backups the location holds
}

// BackupFreshnessRequest tunes BackupFreshness; it may be nil.
type BackupFreshnessRequest struct {
	Now time.Time // the time ages are measured from (zero: time.Now())
}

// BackupFreshness reports the newest backup of each location and its age,
// the last backup job and its state, and whether the appliance is quiesced.
//
// A backup's location is Backup.Location (or a "locations" list); a backup
// without one counts under "unknown". A backup job is a job whose name says it backs up (it
// contains "back up" or "backup" and none of copy, move, push, import,
// restore, delete, process, validate), since the jobs have no documented
// type; its state is Job.Status (JobStatus.Failed).
//
// Cost: 3 calls (QuiesceStatus, ListBackups, ListJobs with Compact). While
// the appliance is quiesced a failing ListJobs is not an error: JobsUnread
// is set instead.
//
// Wire: GET /managementServer/quiesce, GET /managementServer/data, GET /tasks?compact=true
//
// Answer: QuiesceStatus's object, ListBackups' {"backups":[...]} and ListJobs' array of jobs; no backups or no jobs are empty lists
func (c *XClarityClient) BackupFreshness(ctx context.Context, req *BackupFreshnessRequest) (_ *ApplianceBackupFreshness, err error) {
	ctx, span := c.core.startOp(ctx, "BackupFreshness")
	defer func() { span.end(err) }()
	now := time.Now()
	if req != nil && !req.Now.IsZero() {
		now = req.Now
	}
	q, err := c.QuiesceStatus(ctx)
	if err != nil {
		return nil, err
	}
	out := &ApplianceBackupFreshness{Quiesced: q.Running()}
	backups, err := c.ListBackups(ctx)
	if err != nil {
		return nil, err
	}
	byLoc := map[string]*LocationFreshness{}
	for _, b := range backups {
		for _, loc := range backupLocations(&b) {
			l := byLoc[loc]
			if l == nil {
				l = &LocationFreshness{Location: loc}
				byLoc[loc] = l
			}
			l.Backups++
			if b.BackupDate.After(l.Newest) {
				l.Newest, l.UUID, l.Filename = b.BackupDate, b.UUID, b.Filename
			}
		}
		if b.BackupDate.After(out.Newest) {
			out.Newest = b.BackupDate
		}
	}
	for _, l := range byLoc {
		if !l.Newest.IsZero() {
			l.Age = max(0, now.Sub(l.Newest))
		}
		out.Locations = append(out.Locations, *l)
	}
	slices.SortFunc(out.Locations, func(a, b LocationFreshness) int { return strings.Compare(a.Location, b.Location) })
	if !out.Newest.IsZero() {
		out.Age = max(0, now.Sub(out.Newest))
	}
	jobs, err := c.ListJobs(ctx, &ListJobsRequest{Compact: true})
	switch {
	case err != nil && out.Quiesced:
		out.JobsUnread = true
	case err != nil:
		return nil, err
	}
	if len(jobs) > 0 {
		out.JobStates = map[JobStatus]int{}
	}
	for i := range jobs {
		j := &jobs[i]
		out.JobStates[j.Status]++
		if !IsBackupJob(j) {
			continue
		}
		if out.LastBackupJob == nil || j.StartTime.After(out.LastBackupJob.StartTime) {
			out.LastBackupJob = j
		}
	}
	return out, nil
}

// IsBackupJob reports whether a job backs the appliance up, by its name
// (see BackupFreshness).
func IsBackupJob(j *Job) bool {
	name := strings.ToLower(j.Name)
	if !strings.Contains(name, "back up") && !strings.Contains(name, "backup") {
		return false
	}
	for _, other := range []string{"copy", "move", "push", "import", "restore", "delete", "process", "validate"} {
		if strings.Contains(name, other) {
			return false
		}
	}
	return true
}

// backupLocations reads where a backup is kept: Backup.Location, else a
// "locations" list (the reference's DELETE speaks of "the list of
// locations where the package exists").
func backupLocations(b *Backup) []string {
	if b.Location != "" {
		return []string{b.Location}
	}
	if raw, ok := b.Extra["locations"]; ok {
		var many []string
		if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
			return slices.Compact(slices.Sorted(slices.Values(many)))
		}
	}
	return []string{"unknown"}
}
