package backupapitest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backupapi/backupapi"
)

// XClarityServer is an in-memory Lenovo XClarity Administrator: sessions
// with CSRF tokens and an inactivity timeout, management-server backups to
// list, copy, move, push, import and process (each copy listed with its
// location), and jobs that progress Pending → Running → Complete on the
// server's clock (or end as told by FailJobs), served at /tasks and at
// /jobs.
type XClarityServer struct {
	*Server // URL, Start, StartTLS, Client, Certificate, Handler, Close
	// Username and Password are the credentials the appliance accepts.
	Username, Password string

	faults *faults
	clock  Clock

	mu             sync.Mutex
	sessions       map[string]*xcSession // by JSESSIONID
	sessionTimeout time.Duration
	backups        []*XClarityBackup
	jobs           map[string]*xcJob
	nextJob        int
	jobLength      time.Duration
	failWith       string // the terminal state of the next jobs, "" for Complete
	imported       bool

	quiesce     *xcQuiesce      // the backup or restore running now, nil when none
	prepared    map[string]bool // backups prepared for a restore
	quiesceMiss atomic.Int64    // job API calls refused while quiesced

	cfg serverConfig // what Reset returns to
}

// XClarityBackup is a backup held by the fake appliance.
type XClarityBackup struct {
	UUID, Filename, Location string // Location: "internal" or a share's mount point
	BackupDate               time.Time
	RequestedBy              string
	Size                     int64
}

// xcSession is an open session: its CSRF token, its user, when it was
// opened and when it last saw user input (a request without
// X-NOT-USER-INPUT: checkSession).
type xcSession struct {
	csrf, user         string
	created, lastInput time.Time
}

type xcJob struct {
	id, name, operation string
	backup              *XClarityBackup
	destination         string
	start               time.Time
	cancelled           bool
	outcome             string // the terminal state it will reach
	applied             bool   // it has ended and settleLocked has seen it
	// The history an ended job keeps: its final state, percentage and end
	// time ("" while it is pending or running). A later cancel, job
	// duration or clock does not change them.
	final    string
	finalPct int
	end      time.Time
}

// NewXClarityServer starts a fake appliance over TLS (http with
// PlainHTTP) on a loopback port, holding two backups in its local
// repository unless Empty is given.
func NewXClarityServer(opts ...ServerOption) *XClarityServer {
	s := NewUnstartedXClarityServer(opts...)
	s.startAsConfigured()
	return s
}

// NewUnstartedXClarityServer returns a fake appliance that is not
// listening yet, as httptest.NewUnstartedServer does: call Start or
// StartTLS, or use Handler without a socket.
func NewUnstartedXClarityServer(opts ...ServerOption) *XClarityServer {
	cfg := buildConfig(DefaultUsername, DefaultPassword, opts)
	s := &XClarityServer{Username: cfg.user, Password: cfg.pwd, faults: newFaults(), clock: cfg.clock,
		sessions: map[string]*xcSession{}, sessionTimeout: cfg.sessionTimeout, jobs: map[string]*xcJob{}, nextJob: 16, jobLength: cfg.jobLength, prepared: map[string]bool{}, cfg: cfg}
	if !cfg.noDefaults {
		now := s.clock.Now()
		s.backups = []*XClarityBackup{
			{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Filename: "lxca-backup-1.tgz", Location: "internal", BackupDate: now.Add(-48 * time.Hour), RequestedBy: "ADMIN", Size: 1 << 30},
			{UUID: "9a1c4d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d", Filename: "lxca-backup-2.tgz", Location: "internal", BackupDate: now.Add(-24 * time.Hour), RequestedBy: "ADMIN", Size: 1 << 30},
		}
	}
	s.Server = newServer(http.HandlerFunc(s.serveHTTP), cfg)
	return s
}

// Inject makes the next fault.Times calls of op misbehave: one of
// XClarityOps (OpLogin, OpListBackups, OpCopyBackup, OpGetJobs, ...); any
// other name panics, and so does an invalid fault (see AhsayServer.Inject).
func (s *XClarityServer) Inject(op string, f Fault) {
	mustKnow("XClarityServer", "Inject", op, XClarityOps)
	mustBeValid("XClarityServer", f)
	s.faults.inject(op, f)
}

// Calls returns how often the appliance acted on op. An unknown op panics,
// as with Inject.
func (s *XClarityServer) Calls(op string) int {
	mustKnow("XClarityServer", "Calls", op, XClarityOps)
	return s.faults.count(op)
}

// SeedBackup adds a backup to the appliance, in the local repository
// unless Location names a share. The appliance lists one row per copy: a
// backup without a UUID, or a copy at a location where its UUID is
// already, panics, as an unknown operation name does in Inject.
func (s *XClarityServer) SeedBackup(b XClarityBackup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.seedBackupLocked(b); err != nil {
		panic("backupapitest: XClarityServer.SeedBackup: " + err.Error())
	}
}

// seedBackupLocked checks b and adds it (see SeedBackup).
func (s *XClarityServer) seedBackupLocked(b XClarityBackup) error {
	if b.Location == "" {
		b.Location = DestinationInternal
	}
	switch {
	case b.UUID == "":
		return errors.New("a backup without a UUID")
	case s.backupAt(b.UUID, b.Location) != nil:
		return fmt.Errorf("backup %q is at %s already (one copy per location)", b.UUID, b.Location)
	}
	s.backups = append(s.backups, &b)
	return nil
}

// Backups returns copies of the appliance's backups.
func (s *XClarityServer) Backups() []XClarityBackup {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backupsLocked()
}

func (s *XClarityServer) backupsLocked() []XClarityBackup {
	s.settleLocked()
	out := make([]XClarityBackup, len(s.backups))
	for i, b := range s.backups {
		out[i] = *b
	}
	return out
}

// FailJobs makes jobs started from now on end in state (for example
// backupapi.JobStoppedWithError) instead of Complete; "" restores success.
func (s *XClarityServer) FailJobs(state backupapi.JobStatus) {
	s.mu.Lock()
	s.failWith = string(state)
	s.mu.Unlock()
}

// Sessions returns how many sessions are open (a session idle past its
// inactivity timeout is closed).
func (s *XClarityServer) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.sessions {
		s.openSessionLocked(id) // closes a session idle past its timeout
	}
	return len(s.sessions)
}

func (s *XClarityServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	op, handle := s.route(r)
	s.faults.requests.record(r, op) // every request, refused ones included
	if handle == nil {
		writeXC(w, http.StatusNotFound, failed("FQXHMSE0404J", "The requested resource "+r.URL.Path+" was not found."))
		return
	}
	// Resuming needs no authentication, as documented; a DELETE
	// /sessions/{id} is authenticated by the session ID it names, unless
	// it carries credentials, which must then be right.
	if op != OpLogin && op != OpResumeQuiesce && !(isSessionPath(r) && !hasBasicAuth(r)) && !s.authorized(r) {
		writeXC(w, http.StatusUnauthorized, failed("FQXHMSE0401J", "The request requires authentication."))
		return
	}
	if (op == OpGetJobs || op == OpListJobs) && s.quiescedNow() {
		// While a backup or restore runs, the job API is out of reach.
		if s.quiesceMiss.Add(1)%2 == 0 {
			panic(http.ErrAbortHandler)
		}
		writeXC(w, http.StatusServiceUnavailable, failed("FQXHMSE0503J", "The management server is quiesced."))
		return
	}
	s.faults.serve(w, r, op, func(a *answer) {
		a.header.Set("Content-Type", "application/json")
		s.mu.Lock()
		defer s.mu.Unlock()
		s.settleLocked()
		handle(r, a)
	})
}

// route picks the operation for a request.
func (s *XClarityServer) route(r *http.Request) (string, func(*http.Request, *answer)) {
	p := r.URL.Path
	switch {
	case p == "/sessions" && r.Method == http.MethodPost:
		return "Login", s.login
	case p == "/sessions" && r.Method == http.MethodDelete:
		return "Logout", s.logout
	case isSessionPath(r):
		return OpLogout, s.deleteSession
	case p == "/managementServer/data" && r.Method == http.MethodGet:
		return "ListBackups", s.listBackups
	case p == "/managementServer/data" && r.Method == http.MethodPut:
		return s.actionOp(r), s.backupAction
	case p == "/files/managementServer/data" && r.Method == http.MethodPost && r.URL.Query().Get("action") == "import":
		return "ImportBackup", s.importBackup
	case p == "/files/managementServer/data" && r.Method == http.MethodPost && r.URL.Query().Get("action") == "process":
		return "ProcessBackup", s.processBackup
	case p == "/tasks" && r.Method == http.MethodPut:
		return "CancelJobs", s.cancelJobs
	case strings.HasPrefix(p, "/tasks/") && r.Method == http.MethodGet:
		return "GetJobs", s.getJobs
	case p == "/jobs" || strings.HasPrefix(p, "/jobs/"):
		return s.jobsViewRoute(r)
	}
	return s.lifecycleRoute(r)
}

// actionOp reads the PUT body to name its operation, and puts it back.
func (s *XClarityServer) actionOp(r *http.Request) string {
	b := peekBody(r)
	var req struct{ Action, Operation string }
	_ = json.Unmarshal(b, &req)
	switch {
	case req.Action == "cancel":
		return "CancelPush"
	case req.Operation == "copy":
		return "CopyBackup"
	case req.Operation == "move":
		return "MoveBackup"
	case req.Operation == "push":
		return "PushBackup"
	}
	return "BackupAction"
}

func (s *XClarityServer) authorized(r *http.Request) bool {
	if u, p, ok := r.BasicAuth(); ok {
		return u == s.Username && p == s.Password
	}
	ck, err := r.Cookie("JSESSIONID")
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.openSessionLocked(ck.Value)
	if ss == nil || ss.csrf == "" || r.Header.Get("X-Csrf-Token") != ss.csrf {
		return false
	}
	// A script's request marked X-NOT-USER-INPUT: checkSession does not
	// renew the session, so that it times out when idle (Lenovo's
	// POST /sessions page); any other request is user input.
	if r.Header.Get("X-NOT-USER-INPUT") != "checkSession" {
		ss.lastInput = s.clock.Now()
	}
	return true
}

// expiredLocked reports whether a session has been without user input
// for longer than the inactivity timeout.
func (s *XClarityServer) expiredLocked(ss *xcSession) bool {
	return s.clock.Now().Sub(ss.lastInput) > s.sessionTimeout
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *XClarityServer) login(r *http.Request, a *answer) {
	a.acted = true
	var req struct {
		UserID   string `json:"UserId"`
		Password string `json:"password"`
	}
	if !decodeBody(r, a, &req, "FQXHMSE0400J") {
		return
	}
	if req.UserID != s.Username || req.Password != s.Password {
		a.status = http.StatusUnauthorized
		a.json(failed("FQXHMSE0001J", "The user name or password is not valid."))
		return
	}
	id, csrf := randomToken(), randomToken()
	now := s.clock.Now()
	s.sessions[id] = &xcSession{csrf: csrf, user: req.UserID, created: now, lastInput: now}
	// The appliance serves https only and marks its cookies Secure; over
	// the fake's plain http a Secure cookie would never come back.
	secure := r.TLS != nil
	a.header.Add("Set-Cookie", (&http.Cookie{Name: "JSESSIONID", Value: id, Path: "/", Secure: secure, HttpOnly: true}).String())
	a.header.Add("Set-Cookie", (&http.Cookie{Name: "csrf", Value: csrf, Path: "/", Secure: secure}).String())
	a.json(s.loginAnswer(r, id, s.sessions[id]))
}

func (s *XClarityServer) logout(r *http.Request, a *answer) {
	a.acted = true
	if ck, err := r.Cookie("JSESSIONID"); err == nil {
		delete(s.sessions, ck.Value)
	}
	a.json(map[string]any{"result": "success", "messages": []any{}})
}

func (s *XClarityServer) listBackups(_ *http.Request, a *answer) {
	a.acted = true
	list := []map[string]any{}
	for _, b := range s.backups {
		list = append(list, map[string]any{
			"uuid": b.UUID, "filename": b.Filename, "backupDate": b.BackupDate.UTC().Format(time.RFC3339),
			"backupRequestedBy": b.RequestedBy, "checksum": fmt.Sprintf("%x", len(b.UUID)*7919), "chassis": "2",
			"firmware": fmt.Sprint(b.Size), "dhcp": false, "dhcpEth": "eth0", "dhcpMac": "00:1a:64:00:00:01",
			"eth0IPv4": "10.243.16.40", "eth0IPv6": "", "eth1IPv4": "", "eth1IPv6": "", "ipRedirect": "disabled",
			"location": b.Location, "version": "4.1.0",
		})
	}
	a.json(map[string]any{"backups": list})
}

func (s *XClarityServer) backupAction(r *http.Request, a *answer) {
	a.acted = true
	var req struct{ Action, Operation, UUID, Destination string }
	if !decodeBody(r, a, &req, "FQXHMSE0400J") {
		return
	}
	switch {
	case req.Action == "cancel" && req.Operation == "push":
		for _, j := range s.jobs {
			if j.operation == "push" {
				s.cancelLocked(j)
			}
		}
		a.json(map[string]any{"result": "success", "message": []any{}})
		return
	case req.Action != "start":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0401J", "The action "+req.Action+" is not supported."))
		return
	case req.Operation != "copy" && req.Operation != "move" && req.Operation != "push":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0402J", "The operation "+req.Operation+" is not supported."))
		return
	case req.Destination == "":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0403J", "The destination attribute is required."))
		return
	}
	b := s.findBackup(req.UUID)
	switch {
	case b == nil:
		backupNotFound(a, req.UUID)
		return
	case req.Operation != "push" && s.backupAt(req.UUID, req.Destination) != nil:
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0452J", "The backup "+req.UUID+" is at "+req.Destination+" already."))
		return
	}
	id := s.startJobLocked(req.Operation+" backup", req.Operation, b, req.Destination)
	a.json(map[string]any{"jobId": id, "result": "success", "message": []any{}})
}

// findBackup returns a backup's copy in the local repository, or else
// its first copy on a remote share, or nil: a backup copied to a share
// keeps its UUID, and the appliance lists each copy with its location.
func (s *XClarityServer) findBackup(uuid string) *XClarityBackup {
	if b := s.backupAt(uuid, DestinationInternal); b != nil {
		return b
	}
	for _, b := range s.backups {
		if b.UUID == uuid {
			return b
		}
	}
	return nil
}

// DestinationInternal is the appliance's local repository as a backup's
// location.
const DestinationInternal = "internal"

// backupAt returns the backup's copy at a location, or nil.
func (s *XClarityServer) backupAt(uuid, location string) *XClarityBackup {
	for _, b := range s.backups {
		if b.UUID == uuid && b.Location == location {
			return b
		}
	}
	return nil
}

// backupNotFound answers that no backup has the UUID. The status is 400
// for every operation: Lenovo's pages for DELETE /managementServer/data/
// {uuid} (https://pubs.lenovo.com/lxca_scripting/rest_api_managementserver_data_id_delete)
// and PUT /managementServer/data
// (https://pubs.lenovo.com/lxca_scripting/rest_api_managementserver_data_put)
// list 200, 400 ("a query parameter or request attribute is missing or not
// valid"), 403 and 500, and no 404.
func backupNotFound(a *answer, uuid string) {
	a.status = http.StatusBadRequest
	a.json(failed("FQXHMSE0404J", "The backup "+uuid+" was not found."))
}

func (s *XClarityServer) startJobLocked(name, operation string, b *XClarityBackup, dest string) string {
	s.nextJob++
	id := fmt.Sprint(s.nextJob)
	outcome := "Complete"
	if s.failWith != "" {
		outcome = s.failWith
	}
	s.jobs[id] = &xcJob{id: id, name: name, operation: operation, backup: b, destination: dest, start: s.clock.Now(), outcome: outcome}
	return id
}

func (s *XClarityServer) importBackup(r *http.Request, a *answer) {
	a.acted = true
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0410J", "The request must be multipart/form-data."))
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			a.status = http.StatusBadRequest
			a.json(failed("FQXHMSE0411J", "The request has no part named uploadedfile."))
			return
		}
		if part.FormName() != "uploadedfile" {
			continue
		}
		n, err := io.Copy(io.Discard, part)
		if err != nil {
			a.status = http.StatusBadRequest
			a.json(failed("FQXHMSE0412J", "The upload was interrupted."))
			return
		}
		b := &XClarityBackup{UUID: newUUID(), Filename: part.FileName(), Location: "internal", BackupDate: s.clock.Now(), RequestedBy: s.Username, Size: n}
		s.backups = append(s.backups, b)
		s.imported = true
		a.json(map[string]any{"result": "success", "messages": []any{}, "uuid": b.UUID})
		return
	}
}

func newUUID() string {
	h := randomToken()
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (s *XClarityServer) processBackup(r *http.Request, a *answer) {
	a.acted = true
	var req struct {
		Passphrase string `json:"passphrase"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	switch {
	case req.Passphrase == "":
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMSE0420J", "The passphrase is required."))
	case !s.imported:
		a.status = http.StatusConflict
		a.json(failed("FQXHMSE0421J", "There is no imported or pushed backup to process."))
	default:
		id := s.startJobLocked("Validate and prepare backup", "process", nil, "")
		a.json(map[string]any{"jobId": id, "result": "success", "messages": []any{}})
	}
}

func (s *XClarityServer) getJobs(r *http.Request, a *answer) {
	a.acted = true
	ids := strings.Split(strings.TrimPrefix(r.URL.Path, "/tasks/"), ",")
	out := []map[string]any{}
	for _, id := range ids {
		if j, ok := s.jobs[strings.TrimSpace(id)]; ok {
			out = append(out, s.renderJob(j))
		}
	}
	if len(out) == 0 {
		jobNotFound(a, strings.Join(ids, ","))
		return
	}
	a.json(out)
}

func (s *XClarityServer) cancelJobs(r *http.Request, a *answer) {
	a.acted = true
	var req struct {
		Action string   `json:"action"`
		List   []string `json:"list"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Action != "cancel" {
		a.status = http.StatusBadRequest
		a.json(failed("FQXHMJM0400J", "The request must be {\"action\":\"cancel\",\"list\":[...]}."))
		return
	}
	for _, id := range req.List {
		if j, ok := s.jobs[id]; ok {
			s.cancelLocked(j)
		}
	}
	a.json(map[string]any{"result": "success", "messages": []any{}})
}

// state returns a job's status and percentage at the clock's time, or
// those it ended with.
func (s *XClarityServer) state(j *xcJob) (string, int) {
	if j.final != "" {
		return j.final, j.finalPct
	}
	elapsed := s.clock.Now().Sub(j.start)
	switch {
	case elapsed < time.Second && s.jobLength > 2*time.Second:
		return "Pending", 0
	case elapsed < s.jobLength:
		return "Running", s.percent(elapsed)
	case j.outcome == "Complete":
		return "Complete", 100
	}
	return j.outcome, 90
}

func (s *XClarityServer) percent(elapsed time.Duration) int {
	if s.jobLength <= 0 {
		return 100
	}
	return min(99, int(elapsed*100/s.jobLength))
}

// cancelLocked cancels a job that has not ended: it ends now, Cancelled,
// at the percentage it had reached. An ended job keeps its history.
func (s *XClarityServer) cancelLocked(j *xcJob) {
	if s.endedLocked(j) {
		return
	}
	_, pct := s.state(j)
	j.cancelled = true
	j.final, j.finalPct, j.end = "Cancelled", pct, s.clock.Now()
}

// settleLocked records the history of jobs that have ended and applies
// the effects of those that completed.
func (s *XClarityServer) settleLocked() {
	for _, j := range s.jobs {
		if j.applied || !s.endedLocked(j) {
			continue
		}
		j.applied = true
		if j.final == "" {
			j.final, j.finalPct = s.state(j)
			j.end = j.start.Add(s.jobLength)
		}
		if j.final != "Complete" {
			continue
		}
		if (j.operation == "copy" || j.operation == "move") && !slices.Contains(s.backups, j.backup) {
			// The backup was deleted while the job ran: nothing to copy
			// or move, and it must not come back at the destination.
			j.final, j.finalPct = string(backupapi.JobStoppedWithError), 90
			continue
		}
		switch j.operation {
		case "backup", "restore":
			s.endQuiesceLocked(j)
		case "copy":
			if s.backupAt(j.backup.UUID, j.destination) == nil {
				c := *j.backup
				c.Location = j.destination // the copy keeps the UUID
				s.backups = append(s.backups, &c)
			}
		case "move":
			j.backup.Location = j.destination
		}
	}
}

func (s *XClarityServer) renderJob(j *xcJob) map[string]any {
	st, pct := s.state(j)
	child := func(suffix, name string, pct int) map[string]any {
		cst := "Running"
		if pct >= 100 {
			cst = "Complete"
		} else if pct == 0 {
			cst = "Pending"
		}
		return map[string]any{"jobUID": j.id + "." + suffix, "name": name, "status": cst, "percentage": pct, "children": []any{}}
	}
	out := map[string]any{
		"jobUID": j.id, "id": j.id, "name": j.name, "status": st, "percentage": pct, "createdBy": s.Username,
		"startTime": j.start.UTC().Format(time.RFC3339), "cancelURL": "/tasks", "cancelRESTMethod": "PUT",
		"cancelRESTBody": map[string]any{"action": "cancel", "list": []string{j.id}},
		"children":       []any{child("1", "Prepare", min(100, pct*2)), child("2", "Transfer", max(0, pct*2-100))},
	}
	if j.final != "" {
		out["endTime"] = j.end.UTC().Format(time.RFC3339)
	}
	return out
}

// decodeBody decodes the request's JSON body into v. A body that is not
// JSON is answered as the appliance answers it, 400 with the message
// msgID of the service the path belongs to (FQXHMSE0400J for the
// management server, FQXHMJM0400J for the job manager), and decodeBody
// reports false: the handler is done.
func decodeBody(r *http.Request, a *answer, v any, msgID string) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		a.status = http.StatusBadRequest
		a.json(failed(msgID, "The request body is not valid JSON."))
		return false
	}
	return true
}

func failed(id, text string) map[string]any {
	return map[string]any{"result": "failed", "messages": []map[string]any{{
		"id": id, "text": text, "explanation": text,
		"recovery": map[string]any{"text": "Correct the request and try again.", "URL": "https://pubs.lenovo.com/lxca/"},
	}}}
}

func (a *answer) json(v any) { _ = json.NewEncoder(&a.body).Encode(v) }

func writeXC(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
