package backupapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// JobStatus is the state of an XClarity job.
type JobStatus string

// Job states. Complete and CompleteWithWarnings are success;
// CompleteWithErrors, Cancelled, CancelledWithErrors, StoppedWithError,
// Interrupted and Failed end a job in failure; the others are still
// running. A state not listed here is treated as still running, never as
// success. (No Lenovo page lists the /tasks states: these are the older
// jobs API's, and the two CompleteWith ones Lenovo's Ansible roles check.)
const (
	JobPending           JobStatus = "Pending"
	JobRunning           JobStatus = "Running"
	JobRunningWithErrors JobStatus = "Running_With_Errors"
	JobComplete          JobStatus = "Complete"
	JobCancelled         JobStatus = "Cancelled"
	JobCancelledWithErrs JobStatus = "Cancelled_With_Errors"
	JobStoppedWithError  JobStatus = "Stopped_With_Error"
	JobInterrupted       JobStatus = "Interrupted"
	JobFailed            JobStatus = "Failed"

	JobCompleteWithWarnings JobStatus = "CompleteWithWarnings"
	JobCompleteWithErrors   JobStatus = "CompleteWithErrors"
)

// Terminal reports whether the job has ended, well or badly. Like Failed,
// it ignores space around the state.
func (s JobStatus) Terminal() bool {
	t := s.trimmed()
	return t == JobComplete || t == JobCompleteWithWarnings || t.Failed()
}

// Failed reports whether the job has ended in failure. Space around the
// state is ignored.
func (s JobStatus) Failed() bool {
	switch s.trimmed() {
	case JobCancelled, JobCancelledWithErrs, JobStoppedWithError, JobInterrupted, JobFailed, JobCompleteWithErrors:
		return true
	}
	return false
}

// trimmed is the state without the space an appliance may pad it with.
func (s JobStatus) trimmed() JobStatus { return JobStatus(strings.TrimSpace(string(s))) }

// Job is an XClarity job (task), with its sub-jobs. Fields the SDK knows are
// typed; the rest, and any known field whose value does not fit its type,
// are kept in Extra.
type Job struct {
	JobUID           string
	Name             string
	Status           JobStatus
	Percentage       float64
	CreatedBy        string
	StartTime        time.Time // sent as ISO 8601 UTC; zero when absent
	EndTime          time.Time
	CancelURL        string
	CancelRESTMethod string
	CancelRESTBody   json.RawMessage
	Args             json.RawMessage
	Children         []Job
	Extra            map[string]json.RawMessage
}

// MaxJobDepth bounds how deeply a job's children may nest; a deeper
// answer fails to decode (ErrUnexpectedResponse) rather than cost memory,
// and ends a wait: polling again gets the same tree.
const MaxJobDepth = 64

// errJobTooDeep is the cause of a job tree deeper than MaxJobDepth.
var errJobTooDeep = fmt.Errorf("job children nested deeper than %d levels", MaxJobDepth)

// UnmarshalJSON decodes the known fields tolerantly (IDs and percentages
// sent as numbers or strings) and keeps the rest in Extra. The job tree is
// read in one pass, in memory linear in its size; children nested deeper
// than MaxJobDepth are an error. A child that is not an object is skipped.
func (j *Job) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("a job is %v, not an object", tok)
	}
	return decodeJobBody(dec, j, 0)
}

// decodeJobBody reads a job object whose '{' has been read.
func decodeJobBody(dec *json.Decoder, j *Job, depth int) error {
	if depth > MaxJobDepth {
		return errJobTooDeep
	}
	*j = Job{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if key == "children" {
			if err := decodeChildren(dec, &j.Children, depth+1); err != nil {
				return err
			}
			continue
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		j.set(key, v)
	}
	_, err := dec.Token() // '}'
	return err
}

// decodeChildren reads "children": an array of jobs, one job, or null.
func decodeChildren(dec *json.Decoder, out *[]Job, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return appendChild(dec, out, depth)
	case json.Delim('['):
	default:
		return nil // null or a scalar: no children
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			err = appendChild(dec, out, depth)
		case json.Delim('['):
			err = skipRest(dec)
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.Token() // ']'
	return err
}

// appendChild reads a child job whose '{' has been read.
func appendChild(dec *json.Decoder, out *[]Job, depth int) error {
	var child Job
	if err := decodeJobBody(dec, &child, depth); err != nil {
		return err
	}
	*out = append(*out, child)
	return nil
}

// skipRest consumes the rest of an array or object whose opening
// delimiter has been read.
func skipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// set stores one field of a job, tolerantly: a value that does not fit
// its field goes to Extra.
func (j *Job) set(k string, v json.RawMessage) {
	var text *string
	switch k {
	case "jobUID":
		text = &j.JobUID
	case "name":
		text = &j.Name
	case "createdBy":
		text = &j.CreatedBy
	case "cancelURL":
		text = &j.CancelURL
	case "cancelRESTMethod":
		text = &j.CancelRESTMethod
	}
	switch {
	case text != nil && isScalar(v):
		*text = rawText(v)
		return
	case k == "startTime" && parseTime(v, &j.StartTime), k == "endTime" && parseTime(v, &j.EndTime):
		return
	case k == "status" && isScalar(v):
		j.Status = JobStatus(rawText(v))
		return
	case k == "percentage" && isScalar(v) && parsePercent(v, &j.Percentage):
		return
	case k == "cancelRESTBody":
		j.CancelRESTBody = v
		return
	case k == "args":
		j.Args = v
		return
	}
	if j.Extra == nil {
		j.Extra = map[string]json.RawMessage{}
	}
	j.Extra[k] = v
}

func parsePercent(v json.RawMessage, out *float64) bool {
	f, ok := percentOf(v)
	if ok {
		*out = f
	}
	return ok
}

// percentOf is the one parser of percentages (jobs' percentage, the
// quiesce status's progress): a decimal number or a string of one ("42",
// "42.5", "42%", " 42 "). Only a finite decimal number counts: NaN,
// infinities, hex ("0x1p6"), underscores ("4_2"), trailing text ("42abc")
// and anything else are (0, false), so that every decoded value encodes
// to JSON again.
func percentOf(v json.RawMessage) (float64, bool) {
	text := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rawText(v)), "%"))
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || !decimalText(text) || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func tasksPath(ids jobIDs) string {
	esc := make([]string, len(ids))
	for i, id := range ids {
		esc[i] = url.PathEscape(id)
	}
	return "/tasks/" + strings.Join(esc, ",")
}

// GetJob returns one job with its children.
//
// Wire: GET /tasks/{id}
//
// Answer: [{"jobUID":...,"status":...,"percentage":...,"children":[...]},...] (or one job object); an empty array is no jobs (for GetJob, ErrNotFound)
func (c *XClarityClient) GetJob(ctx context.Context, id string) (*Job, error) {
	jobs, err := xcGetJob.call(ctx, c, id)
	if err != nil {
		return nil, err
	}
	for i := range jobs {
		if jobs[i].JobUID == id || len(jobs) == 1 {
			return &jobs[i], nil
		}
	}
	return nil, &Error{Source: SourceXClarity, Op: "GetJob", HTTPStatus: http.StatusOK, Message: fmt.Sprintf("job %q is not in the answer", id), kinds: []error{ErrNotFound}}
}

// jobIDs is a list of job IDs, at least one.
type jobIDs []string

func (ids jobIDs) validate() error {
	if len(ids) == 0 {
		return errors.New("no job IDs given")
	}
	return nil
}

// GetJobs returns the jobs with the given IDs.
//
// Wire: GET /tasks/{id,id,...}
//
// Answer: [{"jobUID":...,"status":...,"percentage":...,"children":[...]},...] (or one job object); an empty array is no jobs (for GetJob, ErrNotFound)
func (c *XClarityClient) GetJobs(ctx context.Context, ids ...string) ([]Job, error) {
	return xcGetJobs.call(ctx, c, ids)
}

// cancelJobsWire is the body of PUT /tasks that cancels jobs.
func cancelJobsWire(ids jobIDs) any {
	return struct {
		Action string   `json:"action"`
		List   []string `json:"list"`
	}{"cancel", ids}
}

// CancelJobs asks the appliance to cancel the jobs. Asking twice is
// harmless, so it is retried.
//
// Wire: PUT /tasks {"action":"cancel","list":[...]}
//
// Answer: any body, or none (it is not read)
func (c *XClarityClient) CancelJobs(ctx context.Context, ids ...string) error {
	return xcCancelJobs.do(ctx, c, ids)
}

// WaitForJob polls the job with jittered backoff between opts' bounds
// until it reaches a terminal state, calling opts.OnProgress whenever its
// status or percentage changes. Complete returns the job; a failed state
// (JobStatus.Failed) returns the job and an *Error matching ErrJobFailed
// whose Job field holds it too. While a
// backup runs the appliance is quiesced and may answer 5xx or drop
// connections: WaitForJob rides that out until ctx ends. See WaitOptions
// for the contract every waiter keeps.
//
// Wire: GET /tasks/{id}, repeatedly
//
// Answer: [{"jobUID":...,"status":...,"percentage":...,"children":[...]},...] (or one job object); an empty array is no jobs (for GetJob, ErrNotFound)
func (c *XClarityClient) WaitForJob(ctx context.Context, id string, opts WaitOptions) (_ *Job, err error) {
	ctx, span := c.core.startOp(ctx, "WaitForJob")
	defer func() { span.end(err) }() // OnProgress may panic
	var last *Job
	err = poll(ctx, opts, func(ctx context.Context, polls int) (bool, error) {
		return c.pollJob(ctx, "WaitForJob", id, polls, opts, &last)
	})
	return last, err
}

// pollJob is one poll of a waiter that follows a job: it reads the job,
// reports a change to opts.OnProgress, keeps it in *last, and says
// whether the job has ended (a failed end is an *Error holding the job).
func (c *XClarityClient) pollJob(ctx context.Context, op, id string, polls int, opts WaitOptions, last **Job) (bool, error) {
	job, err := c.GetJob(ctx, id)
	if err != nil {
		return false, err
	}
	if opts.OnProgress != nil && (*last == nil || (*last).Status != job.Status || (*last).Percentage != job.Percentage) {
		opts.OnProgress(Progress{Status: string(job.Status), Percent: job.Percentage, Polls: polls, Job: job})
	}
	*last = job
	if job.Status.Failed() {
		e := jobFailed(SourceXClarity, op, fmt.Sprintf("job %s ended %s", id, job.Status))
		e.Result, e.Job = string(job.Status), job
		return false, e
	}
	return job.Status.Terminal(), nil
}
