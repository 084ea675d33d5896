package backupapitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// jobsViewRoute routes /jobs, the job API Lenovo's xclarity_client and
// pylxca use: a view of the same jobs as /tasks, in the shape of the
// gem's API blueprint (docs/apib/jobs.apib): GET /jobs[?state=],
// GET /jobs/{id}, PUT /jobs/{id} {"cancelRequest":"true"}, DELETE
// /jobs/{id}.
func (s *XClarityServer) jobsViewRoute(r *http.Request) (string, func(*http.Request, *answer)) {
	id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/jobs"), "/")
	switch {
	case id == "" && r.Method == http.MethodGet:
		return OpListJobs, s.listJobsView
	case id == "":
		return "", nil
	case r.Method == http.MethodGet:
		return OpGetJobs, s.getJobsView
	case r.Method == http.MethodPut && isCancelRequest(r):
		return OpCancelJobs, s.cancelJobView
	case r.Method == http.MethodPut:
		return OpUpdateJob, s.updateJob
	case r.Method == http.MethodDelete:
		return OpDeleteJob, s.deleteJobView
	}
	return "", nil
}

// isCancelRequest reads a PUT body for "cancelRequest" (the string
// "true", as the clients send it, or true, as the blueprint shows it),
// and puts the body back.
func isCancelRequest(r *http.Request) bool {
	b := peekBody(r)
	var req struct {
		CancelRequest json.RawMessage `json:"cancelRequest"`
	}
	_ = json.Unmarshal(b, &req)
	v := strings.Trim(string(req.CancelRequest), `"`)
	return strings.EqualFold(v, "true")
}

// listJobsView is GET /jobs: every job, or those in ?state= (pylxca
// appends ",uuid=..." to the state, which is ignored).
func (s *XClarityServer) listJobsView(r *http.Request, a *answer) {
	a.acted = true
	state, _, _ := strings.Cut(r.URL.Query().Get("state"), ",")
	out := []map[string]any{}
	for _, id := range sortedJobIDs(s.jobs) {
		if st, _ := s.state(s.jobs[id]); state != "" && !strings.EqualFold(st, state) {
			continue
		}
		out = append(out, s.jobView(s.jobs[id]))
	}
	a.json(out)
}

// viewedJobs returns the jobs /jobs/{id,...} names, or answers 404.
func (s *XClarityServer) viewedJobs(r *http.Request, a *answer) []*xcJob {
	raw := strings.TrimPrefix(r.URL.Path, "/jobs/")
	var out []*xcJob
	for _, id := range strings.Split(raw, ",") {
		if j, ok := s.jobs[strings.TrimSpace(id)]; ok {
			out = append(out, j)
		}
	}
	if len(out) == 0 {
		jobNotFound(a, raw)
	}
	return out
}

// getJobsView is GET /jobs/{id}: the job as an object, as the blueprint
// shows; several IDs (GET /jobs/{id},{id}) give an array.
func (s *XClarityServer) getJobsView(r *http.Request, a *answer) {
	a.acted = true
	jobs := s.viewedJobs(r, a)
	switch len(jobs) {
	case 0:
	case 1:
		a.json(s.jobView(jobs[0]))
	default:
		out := make([]map[string]any, 0, len(jobs))
		for _, j := range jobs {
			out = append(out, s.jobView(j))
		}
		a.json(out)
	}
}

// cancelJobView is PUT /jobs/{id} {"cancelRequest":"true"}.
func (s *XClarityServer) cancelJobView(r *http.Request, a *answer) {
	a.acted = true
	jobs := s.viewedJobs(r, a)
	for _, j := range jobs {
		s.cancelLocked(j)
	}
	if len(jobs) > 0 {
		a.json(map[string]any{"result": "success", "messages": []any{}})
	}
}

// deleteJobView is DELETE /jobs/{id}: the job is forgotten, unless it
// has not ended (see refuseUnendedLocked).
func (s *XClarityServer) deleteJobView(r *http.Request, a *answer) {
	a.acted = true
	jobs := s.viewedJobs(r, a)
	if len(jobs) == 0 || s.refuseUnendedLocked(jobs, a) {
		return
	}
	for _, j := range jobs {
		delete(s.jobs, j.id)
	}
	a.json(map[string]any{"result": "success", "messages": []any{}})
}

// refuseUnendedLocked answers 409 Conflict, one of the statuses the gem's
// blueprint lists for DELETE /jobs/{id}, when one of the jobs is pending
// or running, so that nothing is deleted: a job that is forgotten while it
// runs would never apply its effect (a copy would never land). Cancel it
// first; a cancelled job has ended.
func (s *XClarityServer) refuseUnendedLocked(jobs []*xcJob, a *answer) bool {
	for _, j := range jobs {
		if !s.endedLocked(j) {
			a.status = http.StatusConflict
			a.json(failed("FQXHMJM0409J", "The job "+j.id+" has not ended and cannot be deleted; cancel it first."))
			return true
		}
	}
	return false
}

// endedLocked reports whether a job is neither pending nor running.
func (s *XClarityServer) endedLocked(j *xcJob) bool {
	st, _ := s.state(j)
	return st != "Pending" && st != "Running"
}

// jobView renders a job as /jobs shows it: the state and percentage in
// "status", whether it can still be cancelled, and its URI to cancel.
func (s *XClarityServer) jobView(j *xcJob) map[string]any {
	st, pct := s.state(j)
	cancelable := !s.endedLocked(j)
	end, cancelURI, cancelledBy, uuid := "", "", "", ""
	if !cancelable {
		end = j.end.UTC().Format(time.RFC3339)
	} else {
		cancelURI = "/jobs/" + j.id
	}
	if j.cancelled {
		cancelledBy = s.Username
	}
	if j.backup != nil {
		uuid = strings.ToUpper(strings.ReplaceAll(j.backup.UUID, "-", ""))
	}
	return map[string]any{
		"id": j.id, "isCancelable": cancelable, "cancelURI": cancelURI, "cancelledBy": cancelledBy,
		"status":         map[string]any{"state": st, "percentage": pct, "substatus": []any{}, "description": []any{}},
		"messageDisplay": j.name, "messageBundle": "com.lenovo.lxca.backup.bundle.tasks.messages", "messageID": "",
		"messageParameters": []any{}, "startTime": j.start.UTC().Format(time.RFC3339), "endTime": end,
		"category": "MANAGEMENT", "createdBy": s.Username, "uuid": uuid, "typeId": -1, "legacy": false,
		"rebootPersistent": false, "hidden": false,
	}
}

// jobNotFound answers, for every job endpoint alike, that the appliance
// does not know the job (or jobs) of ids.
func jobNotFound(a *answer, ids string) {
	a.status = http.StatusNotFound
	a.json(failed("FQXHMJM0404J", "The job "+ids+" was not found."))
}

// peekBody reads a request body (up to 1 MiB) and puts it back.
func peekBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// pathJobID is the job ID of /tasks/{id} or /jobs/{id}.
func pathJobID(p string) string {
	return strings.TrimPrefix(strings.TrimPrefix(p, "/tasks/"), "/jobs/")
}
