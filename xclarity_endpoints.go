package backupapi

import "net/http"

// The XClarity endpoint table: one declaration per SDK operation. To add
// an endpoint, declare its request and answer types, add a row here (and
// to endpointRows in answer_shape_test.go), and write a one-line method
// with its doc comment (ending in its "Wire:" and "Answer:" paragraphs)
// and a test row.
//
// A row's answer shape decides what an answer without its key is: no
// "backups" is an empty list, an empty job array no jobs (GetJob: not
// found), a quiesce status with neither request nothing running, and an
// action's envelope without a job an ActionResult with JobID "" (the
// appliance acted; CreateBackup then asks the quiesce status). Each
// shape's answerShape says so, and every method's "Answer:" paragraph
// repeats it.

// none is the request of an endpoint that takes no input.
type none struct{}

var (
	xcListBackups = &xcEndpoint[none, []Backup, backupsAnswer, *backupsAnswer]{
		op: "ListBackups", method: http.MethodGet, path: managementData, idempotent: true}
	xcCopyBackup = &xcEndpoint[*TransferBackupRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "CopyBackup", method: http.MethodPut, path: managementData, wire: (*TransferBackupRequest).copyWire}
	xcMoveBackup = &xcEndpoint[*TransferBackupRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "MoveBackup", method: http.MethodPut, path: managementData, wire: (*TransferBackupRequest).moveWire}
	xcPushBackup = &xcEndpoint[*PushBackupRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "PushBackup", method: http.MethodPut, path: managementData, wire: (*PushBackupRequest).wire}
	xcCancelPush = &xcEndpoint[none, *ActionResult, actionAnswer, *actionAnswer]{
		op: "CancelPush", method: http.MethodPut, path: managementData,
		wire: func(none) any { return backupAction{Action: "cancel", Operation: "push"} }}
	xcProcessBackup = &xcEndpoint[*ProcessBackupRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "ProcessBackup", method: http.MethodPost, path: fileActionPath("process"), wire: (*ProcessBackupRequest).wire,
		secrets: func(r *ProcessBackupRequest) []string { return []string{string(r.Passphrase)} }}

	xcGetJob = &xcEndpoint[string, []Job, jobsAnswer, *jobsAnswer]{
		op: "GetJob", method: http.MethodGet, pathOf: func(id string) string { return tasksPath(jobIDs{id}) }, idempotent: true}
	xcGetJobs = &xcEndpoint[jobIDs, []Job, jobsAnswer, *jobsAnswer]{
		op: "GetJobs", method: http.MethodGet, pathOf: tasksPath, idempotent: true}
	xcCancelJobs = &xcEndpoint[jobIDs, struct{}, emptyAnswer, *emptyAnswer]{
		op: "CancelJobs", method: http.MethodPut, path: "/tasks", idempotent: true, wire: cancelJobsWire}

	// The backup lifecycle.
	xcListJobs = &xcEndpoint[*ListJobsRequest, []Job, jobsAnswer, *jobsAnswer]{
		op: "ListJobs", method: http.MethodGet, pathOf: (*ListJobsRequest).path, idempotent: true}
	xcDeleteBackup = &xcEndpoint[*DeleteBackupRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "DeleteBackup", method: http.MethodDelete, pathOf: (*DeleteBackupRequest).path}
	xcQuiesceStatus = &xcEndpoint[none, *QuiesceStatus, quiesceAnswer, *quiesceAnswer]{
		op: "QuiesceStatus", method: http.MethodGet, path: "/managementServer/quiesce", idempotent: true}
	xcCreateBackup = &xcEndpoint[*CreateBackupRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "CreateBackup", method: http.MethodPost, path: managementData, wire: (*CreateBackupRequest).wire,
		secrets: func(r *CreateBackupRequest) []string { return []string{string(r.Passphrase)} }}
	xcPrepareRestore = &xcEndpoint[*RestoreRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "PrepareRestore", method: http.MethodPost, path: managementData, wire: (*RestoreRequest).prepareWire,
		secrets: func(r *RestoreRequest) []string { return []string{string(r.Passphrase)} }}
	xcStartRestore = &xcEndpoint[*RestoreRequest, *ActionResult, actionAnswer, *actionAnswer]{
		op: "StartRestore", method: http.MethodPost, path: managementData, wire: (*RestoreRequest).startWire,
		secrets: func(r *RestoreRequest) []string { return []string{string(r.Passphrase)} }}
)
