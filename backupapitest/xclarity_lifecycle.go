package backupapitest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// xcQuiesce is the backup or restore that quiesces the fake appliance:
// while its job runs (WithJobDuration, on the server's clock), GET
// /managementServer/quiesce reports it and the job API answers 503 or
// drops the connection, turn by turn.
type xcQuiesce struct {
	kind                   string // "backup" or "restore"
	job                    *xcJob
	label, passphrase      string
	includeFW, includeOS   bool
	remoteShareDestination string
	backup                 *XClarityBackup // restore: the backup restored
	uuid                   string          // backup: the UUID the new backup will have
}

// The lifecycle operations' names for Inject and Calls.
const (
	OpListJobs       = "ListJobs"       // GET /tasks
	OpUpdateJob      = "UpdateJob"      // PUT /tasks/{id} (pylxca's update)
	OpDeleteJob      = "DeleteJob"      // DELETE /tasks/{id}
	OpDeleteBackup   = "DeleteBackup"   // DELETE /managementServer/data/{uuid}
	OpQuiesceStatus  = "QuiesceStatus"  // GET /managementServer/quiesce
	OpResumeQuiesce  = "ResumeQuiesce"  // PUT /managementServer/quiesce
	OpCreateBackup   = "CreateBackup"   // POST /managementServer/data, operation backup
	OpPrepareRestore = "PrepareRestore" // ... operation restore, action prepare
	OpStartRestore   = "StartRestore"   // ... operation restore, action start
	OpDataAction     = "DataAction"     // a POST /managementServer/data of no known operation
	OpCreateJob      = "CreateJob"      // POST /tasks (pylxca's create)
	OpApplianceInfo  = "ApplianceInfo"  // GET /aicc (pylxca's connection test)
)

// lifecycleRoute routes the backup lifecycle's requests.
func (s *XClarityServer) lifecycleRoute(r *http.Request) (string, func(*http.Request, *answer)) {
	p := r.URL.Path
	switch {
	case p == "/tasks" && r.Method == http.MethodGet:
		return OpListJobs, s.listJobs
	case p == "/tasks" && r.Method == http.MethodPost:
		return OpCreateJob, s.createJob
	case p == "/aicc" && r.Method == http.MethodGet:
		return OpApplianceInfo, s.applianceInfo
	case strings.HasPrefix(p, "/tasks/") && r.Method == http.MethodPut:
		return OpUpdateJob, s.updateJob
	case strings.HasPrefix(p, "/tasks/") && r.Method == http.MethodDelete:
		return OpDeleteJob, s.deleteJob
	case strings.HasPrefix(p, "/managementServer/data/") && r.Method == http.MethodDelete:
		return OpDeleteBackup, s.deleteBackup
	case p == "/managementServer/quiesce" && r.Method == http.MethodGet:
		return OpQuiesceStatus, s.quiesceStatus
	case p == "/managementServer/quiesce" && r.Method == http.MethodPut:
		return OpResumeQuiesce, s.resumeQuiesce
	case p == "/managementServer/data" && r.Method == http.MethodPost:
		return s.dataOp(r), s.dataAction
	}
	return "", nil
}

// dataOp reads the POST body to name its operation, and puts it back.
func (s *XClarityServer) dataOp(r *http.Request) string {
	b := peekBody(r)
	var req struct{ Action, Operation string }
	_ = json.Unmarshal(b, &req)
	switch {
	case req.Operation == "backup":
		return OpCreateBackup
	case req.Operation == "restore" && req.Action == "prepare":
		return OpPrepareRestore
	case req.Operation == "restore" && req.Action == "start":
		return OpStartRestore
	}
	return OpDataAction
}

// quiescedNow reports whether a backup or restore is running.
func (s *XClarityServer) quiescedNow() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleLocked()
	s.settleQuiesceLocked()
	return s.quiesce != nil
}

// endQuiesceLocked ends the quiesced phase of a backup or restore job that
// has ended, applying a backup's result.
func (s *XClarityServer) endQuiesceLocked(j *xcJob) {
	q := s.quiesce
	if q == nil || q.job != j {
		return
	}
	s.quiesce = nil
	if st, _ := s.state(j); q.kind == "backup" && st == "Complete" {
		loc := "internal"
		if q.remoteShareDestination != "" {
			loc = q.remoteShareDestination
		}
		name := "lxca-backup-" + s.clock.Now().UTC().Format("2006-01-02-150405")
		if q.label != "" {
			name += "-" + q.label
		}
		s.backups = append(s.backups, &XClarityBackup{UUID: q.uuid, Filename: name + ".tgz", Location: loc,
			BackupDate: s.clock.Now(), RequestedBy: s.Username, Size: 3 << 30})
	}
}

// settleQuiesceLocked ends a quiesced phase whose job failed or was
// cancelled (settleLocked applies only the completed ones).
func (s *XClarityServer) settleQuiesceLocked() {
	if q := s.quiesce; q != nil {
		if st, _ := s.state(q.job); st != "Running" && st != "Pending" {
			s.endQuiesceLocked(q.job)
		}
	}
}

func (s *XClarityServer) dataAction(r *http.Request, a *answer) {
	a.acted = true
	var req struct {
		Operation, Action, Label, Passphrase, UUID string
		IncludeFW                                  bool   `json:"includeFW"`
		IncludeOS                                  bool   `json:"includeOS"`
		RemoteShareDestination                     string `json:"remoteShareDestination"`
	}
	if !decodeBody(r, a, &req, "FQXHMSE0400J") {
		return
	}
	s.settleQuiesceLocked()
	switch {
	case req.Operation != "backup" && req.Operation != "restore":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0402J", "The operation "+req.Operation+" is not supported."))
	case s.quiesce != nil && req.Action == "start":
		a.status = http.StatusConflict
		a.json(failed("FQXHMSE0430J", "A backup or restore is already running."))
	case req.Operation == "backup" && req.Action != "start":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0401J", "The action "+req.Action+" is not supported."))
	case req.Operation == "backup" && req.Passphrase == "":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0420J", "The passphrase is required."))
	case req.Operation == "backup":
		id := s.startJobLocked("Back up the management server", "backup", nil, req.RemoteShareDestination)
		s.quiesce = &xcQuiesce{kind: "backup", job: s.jobs[id], label: req.Label, passphrase: req.Passphrase,
			includeFW: req.IncludeFW, includeOS: req.IncludeOS, remoteShareDestination: req.RemoteShareDestination, uuid: newUUID()}
		// The job ID comes back in a Location header, one of the shapes the
		// SDK accepts (the reference does not show the answer).
		a.header.Set("Location", "/tasks/"+id)
		a.json(map[string]any{"result": "success", "messages": []any{map[string]any{"id": "FQXHMSE0431I",
			"text": "The backup of the management server was started."}}})
	default:
		s.restore(req.Action, req.UUID, a)
	}
}

func (s *XClarityServer) restore(action, uuid string, a *answer) {
	b := s.findBackup(uuid)
	switch {
	case b == nil:
		backupNotFound(a, uuid)
	case b.Location != DestinationInternal:
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0432J", "The backup "+uuid+" is not in the local repository: copy it there first."))
	case action == "prepare":
		id := s.startJobLocked("Prepare the restore", "prepare", b, "")
		s.prepared[uuid] = true
		a.json(map[string]any{"jobId": id, "result": "success", "messages": []any{}})
	case action != "start":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0401J", "The action "+action+" is not supported."))
	case !s.prepared[uuid]:
		a.status = http.StatusPreconditionFailed
		a.json(failed("FQXHMSE0433J", "The backup "+uuid+" has not been prepared for a restore."))
	default:
		id := s.startJobLocked("Restore the management server", "restore", b, "")
		s.quiesce = &xcQuiesce{kind: "restore", job: s.jobs[id], backup: b}
		a.json(map[string]any{"jobId": id, "result": "success", "messages": []any{}})
	}
}

func (s *XClarityServer) quiesceStatus(_ *http.Request, a *answer) {
	a.acted = true
	s.settleQuiesceLocked()
	q := s.quiesce
	if q == nil {
		a.json(map[string]any{})
		return
	}
	_, pct := s.state(q.job)
	stage := quiesceStages[min(len(quiesceStages)-1, pct*len(quiesceStages)/100)]
	if q.kind == "backup" {
		a.json(map[string]any{"backupRequest": map[string]any{"backupRequestedBy": s.Username, "filename": "",
			"includeFW": q.includeFW, "includeOS": q.includeOS, "jobId": q.job.id, "label": q.label,
			"progress": fmt.Sprint(pct), "remoteShareDestination": q.remoteShareDestination, "status": stage, "uuid": q.uuid}})
		return
	}
	a.json(map[string]any{"restoreRequest": map[string]any{"devices": true, "filename": q.backup.Filename, "firmware": true,
		"jobId": q.job.id, "progress": fmt.Sprint(pct), "status": "EXEC: Restoring LXCA data", "uuid": q.backup.UUID}})
}

// quiesceStages are the backup statuses the reference lists.
var quiesceStages = []string{"EXEC: Ready to begin data export", "EXEC: Export thread started",
	"EXEC: Init export package procedures", "EXEC: Checking if appliance has enough space to export package",
	"EXEC: Starting the backup procedures", "EXEC: Starting export of transformed content", "EXEC: Saving xcat data",
	"EXEC: Starting the packaging procedures", "EXEC: Packaging LXCA data", "EXEC: Validating LXCA data"}

// resumeQuiesce is PUT /managementServer/quiesce: it cancels a running
// backup; idle, a real appliance restarts (the fake only says so).
func (s *XClarityServer) resumeQuiesce(r *http.Request, a *answer) {
	a.acted = true
	var req struct{ Action string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Action != "resume" {
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0440J", `The request must be {"action":"resume"}.`))
		return
	}
	s.settleQuiesceLocked()
	if q := s.quiesce; q != nil && q.kind == "backup" {
		s.cancelLocked(q.job)
		s.quiesce = nil
		a.json(map[string]any{"result": "success", "messages": []any{map[string]any{"id": "FQXHMSE0441I", "text": "The backup was cancelled."}}})
		return
	}
	a.json(map[string]any{"result": "success", "messages": []any{map[string]any{"id": "FQXHMSE0442I", "text": "The management server is restarting."}}})
}

func (s *XClarityServer) deleteBackup(r *http.Request, a *answer) {
	a.acted = true
	uuid := strings.TrimPrefix(r.URL.Path, "/managementServer/data/")
	loc := r.URL.Query().Get("location")
	switch {
	case loc == "":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0450J", "The location parameter is required."))
	case s.findBackup(uuid) == nil:
		backupNotFound(a, uuid)
	case loc != "all" && s.backupAt(uuid, loc) == nil:
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0451J", "The backup "+uuid+" is not at "+loc+"."))
	default:
		// "all" deletes every copy the appliance lists, in the local
		// repository and on the remote shares.
		s.backups = slices.DeleteFunc(s.backups, func(b *XClarityBackup) bool {
			return b.UUID == uuid && (loc == "all" || b.Location == loc)
		})
		a.json(map[string]any{"result": "success", "messages": []any{}})
	}
}

func (s *XClarityServer) listJobs(r *http.Request, a *answer) {
	a.acted = true
	compact := r.URL.Query().Get("compact") == "true"
	out := []map[string]any{}
	for _, id := range sortedJobIDs(s.jobs) {
		j := s.renderJob(s.jobs[id])
		if compact {
			delete(j, "children")
		}
		out = append(out, j)
	}
	a.json(out)
}

// sortedJobIDs returns the IDs of jobs in the order the job lists show
// them: numeric job IDs in numeric order (shorter is smaller).
func sortedJobIDs(jobs map[string]*xcJob) []string {
	return slices.SortedFunc(maps.Keys(jobs), func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b)) })
}

// updateJob is PUT /tasks/{id}, which Lenovo's clients use to set a job's
// percentage and state ({"jobUID":"9","percentage":50}); a cancel callback
// body is accepted too.
func (s *XClarityServer) updateJob(r *http.Request, a *answer) {
	a.acted = true
	id := pathJobID(r.URL.Path)
	j, ok := s.jobs[id]
	if !ok {
		jobNotFound(a, id)
		return
	}
	var req struct {
		Percentage *float64 `json:"percentage"`
		Status     string   `json:"status"`
	}
	if !decodeBody(r, a, &req, "FQXHMJM0400J") {
		return
	}
	if req.Status != "" {
		j.outcome = req.Status
		if j.final != "" && !j.cancelled {
			j.final = req.Status // the job's owner restates how it ended
		}
	}
	a.json(map[string]any{"result": "success", "messages": []any{}})
}

// deleteJob is DELETE /tasks/{id,...}: it forgets ended jobs, and none
// when one of them has not ended (see refuseUnendedLocked).
func (s *XClarityServer) deleteJob(r *http.Request, a *answer) {
	a.acted = true
	var jobs []*xcJob
	for _, id := range strings.Split(strings.TrimPrefix(r.URL.Path, "/tasks/"), ",") {
		if j, ok := s.jobs[strings.TrimSpace(id)]; ok {
			jobs = append(jobs, j)
		}
	}
	if s.refuseUnendedLocked(jobs, a) {
		return
	}
	for _, j := range jobs {
		delete(s.jobs, j.id)
	}
	a.status = http.StatusOK
}

// createJob is POST /tasks: a job made from pylxca's template (name or
// jobName, percentage, status), answered with its ID in the body and a
// Location header (the reference does not show the answer).
func (s *XClarityServer) createJob(r *http.Request, a *answer) {
	a.acted = true
	var req struct {
		Name, JobName, Status string
	}
	if !decodeBody(r, a, &req, "FQXHMJM0400J") {
		return
	}
	name := req.Name
	if name == "" {
		name = req.JobName
	}
	id := s.startJobLocked(name, "external", nil, "")
	if req.Status != "" {
		s.jobs[id].outcome = req.Status
	}
	a.status = http.StatusCreated
	a.header.Set("Location", "/tasks/"+id)
	a.json(map[string]any{"jobUID": id})
}

// applianceInfo is GET /aicc, which pylxca reads to test a connection.
func (s *XClarityServer) applianceInfo(_ *http.Request, a *answer) {
	a.acted = true
	a.json(map[string]any{"appliance": map[string]any{"name": "backupapi-fake", "version": "4.1.0", "build": "fake"}})
}
