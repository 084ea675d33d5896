package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Backup locations for DeleteBackup: the local repository, every place
// the backup is kept, or (any other value) a remote share's mount point.
const (
	LocationInternal = DestinationInternal
	LocationAll      = "all"
)

// ListJobsRequest selects ListJobs's answer; it may be nil.
type ListJobsRequest struct {
	// Compact leaves each job's children out (?compact=true).
	Compact bool
}

// ListJobs returns every job (task) of the appliance, with their sub-jobs
// unless req.Compact. The appliance answers with one JSON array.
//
// Wire: GET /tasks (?compact=true)
//
// Answer: [{"jobUID":...,"status":...,"percentage":...,"children":[...]},...] (or one job object); an empty array is no jobs (for GetJob, ErrNotFound)
func (c *XClarityClient) ListJobs(ctx context.Context, req *ListJobsRequest) ([]Job, error) {
	if req == nil {
		req = &ListJobsRequest{}
	}
	return xcListJobs.call(ctx, c, req)
}

func (r *ListJobsRequest) path() string {
	if r.Compact {
		return "/tasks?compact=true"
	}
	return "/tasks"
}

// DeleteBackupRequest names a backup to delete and where from.
type DeleteBackupRequest struct {
	UUID string `backupapi:"required"`
	// Location is LocationInternal, LocationAll, or the mount point of a
	// remote share ("/mnt/my share"); it is required.
	Location string
}

func (r *DeleteBackupRequest) validate() error {
	switch {
	case r.UUID == "":
		return errors.New("no backup UUID given")
	case r.Location == "":
		return errors.New("no location given (LocationInternal, LocationAll or a mount point)")
	}
	return nil
}

// path builds the request path. The mount point goes into the query as the
// reference prints it, "/" unescaped, and every other special character
// (a space, "&", "+") percent-encoded, so that it reaches the appliance
// intact.
func (r *DeleteBackupRequest) path() string {
	loc := strings.NewReplacer("%2F", "/", "+", "%20").Replace(url.QueryEscape(r.Location))
	return managementData + "/" + url.PathEscape(r.UUID) + "?location=" + loc
}

// DeleteBackup deletes a backup from one location, or with LocationAll
// every copy ListBackups lists (a copied backup keeps its UUID; each copy
// has its Location).
// It changes state and is not retried: a lost answer is ErrOutcomeUnknown
// (check with ListBackups).
//
// Wire: DELETE /managementServer/data/{uuid}?location={location}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) DeleteBackup(ctx context.Context, req *DeleteBackupRequest) (*ActionResult, error) {
	return xcDeleteBackup.call(ctx, c, req)
}

// QuiesceStatus is what GET /managementServer/quiesce reports: the backup
// or the restore running now, each nil when none is. While the appliance
// is quiesced its other status calls may fail.
type QuiesceStatus struct {
	Backup  *QuiesceBackup             `json:"backupRequest"`
	Restore *QuiesceRestore            `json:"restoreRequest"`
	Extra   map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (q *QuiesceStatus) UnmarshalJSON(data []byte) error {
	type plain QuiesceStatus
	return decodeKeepingExtra(data, (*plain)(q), &q.Extra)
}

// Running reports whether a backup or a restore is under way.
func (q *QuiesceStatus) Running() bool { return q.Backup != nil || q.Restore != nil }

// JobID returns the running backup's or restore's job ID, "" when none.
func (q *QuiesceStatus) JobID() string {
	switch {
	case q.Backup != nil:
		return q.Backup.JobID
	case q.Restore != nil:
		return q.Restore.JobID
	}
	return ""
}

// QuiesceBackup is the backup being created. Progress is a percentage,
// which the appliance sends as a string.
type QuiesceBackup struct {
	BackupRequestedBy      string                     `json:"backupRequestedBy"`
	Filename               string                     `json:"filename"`
	IncludeFW              Bool                       `json:"includeFW"`
	IncludeOS              Bool                       `json:"includeOS"`
	JobID                  string                     `json:"jobId"`
	Label                  string                     `json:"label"`
	Progress               Percent                    `json:"progress"`
	RemoteShareDestination string                     `json:"remoteShareDestination"`
	Status                 string                     `json:"status"` // "EXEC: Starting the backup procedures", ...
	UUID                   string                     `json:"uuid"`
	Extra                  map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (b *QuiesceBackup) UnmarshalJSON(data []byte) error {
	type plain QuiesceBackup
	return decodeKeepingExtra(data, (*plain)(b), &b.Extra)
}

// QuiesceRestore is the restore under way. The reference shows devices,
// filename and firmware; the other fields are inferred from
// backupRequest, and everything else is in Extra.
type QuiesceRestore struct {
	Devices  Bool                       `json:"devices"`
	Filename string                     `json:"filename"`
	Firmware Bool                       `json:"firmware"`
	JobID    string                     `json:"jobId"`
	Progress Percent                    `json:"progress"`
	Status   string                     `json:"status"`
	UUID     string                     `json:"uuid"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known fields and keeps the rest in Extra.
func (r *QuiesceRestore) UnmarshalJSON(data []byte) error {
	type plain QuiesceRestore
	return decodeKeepingExtra(data, (*plain)(r), &r.Extra)
}

// Percent is a percentage the appliance sends as a number or as a string
// ("42", "42.5", "42%"); anything else decodes as 0.
type Percent float64

// UnmarshalJSON accepts a number or a numeric string, with or without "%".
func (p *Percent) UnmarshalJSON(b []byte) error {
	f, _ := percentOf(b) // 0 when it is no number
	*p = Percent(f)
	return nil
}

// QuiesceStatus reports the backup or restore running now. Nothing
// running is a valid answer (both fields nil). It only reads, so it is
// retried.
//
// The SDK does not wrap PUT /managementServer/quiesce: the reference says
// it cancels a running backup, breaks a running restore, and restarts an
// idle appliance.
//
// Wire: GET /managementServer/quiesce
//
// Answer: {"backupRequest":{...}} or {"restoreRequest":{...}}; with neither (or an empty body), nothing is running
func (c *XClarityClient) QuiesceStatus(ctx context.Context) (*QuiesceStatus, error) {
	return xcQuiesceStatus.call(ctx, c, none{})
}

// CreateBackupRequest describes a backup to make. Lenovo documents the
// endpoint's purpose and that the appliance is quiesced while it runs, but
// not its request body: these field names are the ones the appliance
// reports for a running backup (GET /managementServer/quiesce), and the
// operation name "backup" follows the other operations' naming. Both are
// inferred; the request's shape is the body of CreateBackup's doc.
type CreateBackupRequest struct {
	Label      string
	Passphrase Secret // encrypts the package; needed again to restore it
	IncludeFW  bool   // firmware and OS device-driver updates
	IncludeOS  bool   // operating-system images
	// RemoteShareDestination is a remote share's mount point; "" keeps
	// the backup in the local repository.
	RemoteShareDestination string
}

func (r *CreateBackupRequest) validate() error {
	if r.Passphrase == "" {
		return errors.New("no passphrase given: a backup cannot be restored without one")
	}
	return nil
}

func (r *CreateBackupRequest) wire() any {
	return struct {
		Operation              string `json:"operation"`
		Action                 string `json:"action"`
		Label                  string `json:"label,omitempty"`
		Passphrase             string `json:"passphrase"`
		IncludeFW              bool   `json:"includeFW"`
		IncludeOS              bool   `json:"includeOS"`
		RemoteShareDestination string `json:"remoteShareDestination,omitempty"`
	}{"backup", "start", r.Label, string(r.Passphrase), r.IncludeFW, r.IncludeOS, r.RemoteShareDestination}
}

// CreateBackup starts a backup of the appliance, which is quiesced while it
// runs: follow it with WaitForBackup. The request body is inferred (see
// CreateBackupRequest). Where the job ID comes back is not documented
// either: it is taken from the answer's body (jobId or jobUID), else from
// a Location header, else from GET /managementServer/quiesce; when none
// gives it, ActionResult.JobID is "" and WaitForBackup follows whatever
// backup is running. It is not retried: a lost answer is
// ErrOutcomeUnknown (check with QuiesceStatus and ListBackups).
//
// Wire: POST /managementServer/data {"operation":"backup","action":"start",...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) CreateBackup(ctx context.Context, req *CreateBackupRequest) (*ActionResult, error) {
	res, err := xcCreateBackup.call(ctx, c, req)
	if err != nil {
		return nil, err
	}
	return c.withQuiesceJob(ctx, res), nil
}

// withQuiesceJob fills a missing job ID from the quiesce status, if it
// can; the action has succeeded either way.
func (c *XClarityClient) withQuiesceJob(ctx context.Context, res *ActionResult) *ActionResult {
	if res.JobID == "" {
		if q, err := c.QuiesceStatus(ctx); err == nil {
			res.JobID = q.JobID()
		}
	}
	return res
}

// RestoreRequest names the backup to restore. Lenovo documents operation
// "restore" with action "prepare" (decrypt and prepare) and "start"; the
// other fields are inferred: uuid as every other backup operation names
// the backup, passphrase as process takes it, devices and firmware from
// what the quiesce status reports for a restore.
type RestoreRequest struct {
	UUID       string `backupapi:"required"`
	Passphrase Secret // "" sends none
	Devices    *bool  // restore the device inventory
	Firmware   *bool  // restore firmware and OS device-driver updates
}

func (r *RestoreRequest) validate() error {
	if r.UUID == "" {
		return errors.New("no backup UUID given")
	}
	return nil
}

func (r *RestoreRequest) body(action string) any {
	return struct {
		Operation  string `json:"operation"`
		Action     string `json:"action"`
		UUID       string `json:"uuid"`
		Passphrase string `json:"passphrase,omitempty"`
		Devices    *bool  `json:"devices,omitempty"`
		Firmware   *bool  `json:"firmware,omitempty"`
	}{"restore", action, r.UUID, string(r.Passphrase), r.Devices, r.Firmware}
}

func (r *RestoreRequest) prepareWire() any { return r.body("prepare") }
func (r *RestoreRequest) startWire() any   { return r.body("start") }

// PrepareRestore decrypts and prepares a backup in the local repository
// for a restore. It is not retried.
//
// Wire: POST /managementServer/data {"operation":"restore","action":"prepare",...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) PrepareRestore(ctx context.Context, req *RestoreRequest) (*ActionResult, error) {
	return xcPrepareRestore.call(ctx, c, req)
}

// StartRestore restores a prepared backup; the appliance is quiesced while
// it runs, and may come back on the restored address. Follow it with
// WaitForBackup. It is not retried. The job ID is found as CreateBackup
// finds it.
//
// Wire: POST /managementServer/data {"operation":"restore","action":"start",...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) StartRestore(ctx context.Context, req *RestoreRequest) (*ActionResult, error) {
	res, err := xcStartRestore.call(ctx, c, req)
	if err != nil {
		return nil, err
	}
	return c.withQuiesceJob(ctx, res), nil
}

// WaitForBackup follows a backup or restore through the appliance's
// quiesced state until its job ends, and keeps the contract of
// WaitOptions. While GET /managementServer/quiesce reports the operation,
// progress comes from it (Progress.Quiesce; the job API is unreachable
// then, and its failures are ridden out); once the appliance has resumed,
// it polls the job (GET /tasks/{jobID}) like WaitForJob.
//
// jobID "" (a CreateBackup or StartRestore whose answer named no job)
// follows whatever backup or restore is running, taking its job ID from
// the quiesce status. When the quiesce status names no job, it takes,
// from GET /tasks, the newest backup or restore job (a job whose name says
// "backup", "back up" or "restore"): once the appliance has resumed from a
// quiesce the wait saw, one that had not ended BackupClockSkew before the
// wait first saw it, however long before the call it started; when the
// wait saw no quiesce, one that started no more than BackupClockSkew
// before WaitForBackup was called. When there is none, it fails with
// ErrNotFound.
//
// A job that ends in failure returns it with an *Error matching
// ErrJobFailed and holding it.
//
// Wire: GET /managementServer/quiesce, then GET /tasks/{jobID}, repeatedly (GET /tasks once when jobID is "" and nothing is quiesced)
//
// Answer: as QuiesceStatus's, then as GetJob's (and ListJobs's)
func (c *XClarityClient) WaitForBackup(ctx context.Context, jobID string, opts WaitOptions) (_ *Job, err error) {
	if jobID != "" { // "" waits for the backup under way
		if err := checkRequest(SourceXClarity, "WaitForBackup", jobID); err != nil {
			return nil, err
		}
	}
	ctx, span := c.core.startOp(ctx, "WaitForBackup")
	defer func() { span.end(err) }()
	var last *Job
	var lastQuiesce string
	clock := opts.clock()
	since := backupJobSince{started: clock.Now().Add(-BackupClockSkew)}
	err = poll(ctx, opts, func(ctx context.Context, polls int) (bool, error) {
		q, qerr := c.QuiesceStatus(ctx)
		if qerr == nil && q.Running() && (jobID == "" || q.JobID() == "" || q.JobID() == jobID) {
			if jobID == "" {
				jobID = q.JobID()
			}
			if since.quiesced.IsZero() {
				since.quiesced = clock.Now().Add(-BackupClockSkew)
			}
			status, pct := quiesceProgress(q)
			if opts.OnProgress != nil && status+fmt.Sprint(pct) != lastQuiesce {
				opts.OnProgress(Progress{Status: status, Percent: pct, Polls: polls, Quiesce: q})
			}
			lastQuiesce = status + fmt.Sprint(pct)
			return false, nil
		}
		if jobID == "" {
			if qerr != nil {
				return false, qerr
			}
			id, err := c.newestBackupJob(ctx, since)
			if err != nil {
				return false, err
			}
			jobID = id
		}
		return c.pollJob(ctx, "WaitForBackup", jobID, polls, opts, &last)
	})
	return last, err
}

// BackupClockSkew is how far before its call WaitForBackup, given no job
// ID, looks for the backup or restore job to follow: the appliance's clock
// may run behind the client's, and the job starts before the call.
const BackupClockSkew = time.Minute

// backupJobSince bounds the jobs WaitForBackup("") may take for its own:
// started at or after started, or, once a quiesce was seen (quiesced not
// zero), not ended before quiesced.
type backupJobSince struct {
	started, quiesced time.Time
}

// admits reports whether j may be the backup or restore awaited.
func (s backupJobSince) admits(j *Job) bool {
	if !isBackupJob(j) {
		return false
	}
	if !s.quiesced.IsZero() {
		return j.EndTime.IsZero() || !j.EndTime.Before(s.quiesced)
	}
	return !j.StartTime.IsZero() && !j.StartTime.Before(s.started)
}

// newestBackupJob returns the ID of the newest backup or restore job that
// since admits.
func (c *XClarityClient) newestBackupJob(ctx context.Context, since backupJobSince) (string, error) {
	jobs, err := c.ListJobs(ctx, &ListJobsRequest{Compact: true})
	if err != nil {
		return "", err
	}
	var best *Job
	for i := range jobs {
		j := &jobs[i]
		if !since.admits(j) {
			continue
		}
		if best == nil || j.StartTime.After(best.StartTime) || (j.StartTime.Equal(best.StartTime) && laterID(j.JobUID, best.JobUID)) {
			best = j
		}
	}
	if best == nil {
		msg := fmt.Sprintf("no job ID given, nothing is quiesced, and no backup or restore job started since %s: pass the job ID", since.started.UTC().Format(time.RFC3339))
		if !since.quiesced.IsZero() {
			msg = fmt.Sprintf("no job ID given, and the appliance, quiesced until now, lists no backup or restore job that was running at %s: pass the job ID", since.quiesced.UTC().Format(time.RFC3339))
		}
		return "", &Error{Source: SourceXClarity, Op: "WaitForBackup", Message: msg, kinds: []error{ErrNotFound}}
	}
	return best.JobUID, nil
}

// isBackupJob reports whether a job's name says it backs up or restores
// the appliance (Lenovo does not document the jobs' names or types).
func isBackupJob(j *Job) bool {
	name := strings.ToLower(j.Name)
	return strings.Contains(name, "backup") || strings.Contains(name, "back up") || strings.Contains(name, "restore")
}

// laterID orders numeric job IDs ("9" < "10"), and others as text.
func laterID(a, b string) bool {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return len(a) > len(b)
	}
	return a > b
}

func quiesceProgress(q *QuiesceStatus) (string, float64) {
	if q.Backup != nil {
		return q.Backup.Status, float64(q.Backup.Progress)
	}
	return q.Restore.Status, float64(q.Restore.Progress)
}
