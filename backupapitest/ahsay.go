package backupapitest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Default credentials of the fakes.
const (
	DefaultSysUser  = "system"
	DefaultSysPwd   = "system1"
	DefaultUsername = "ADMIN"
	DefaultPassword = "Passw0rd"
)

// ExptTypes the fake AhsayCBS answers with, as the reference shows them.
const (
	exptNoSuchUser = "com.ahsay.obs.core.dbs.ai"
	exptDbs        = "com.ahsay.obs.core.dbs.DbsException"
	exptJava       = "java.lang.Exception"
)

// AhsayServer is an in-memory AhsayCBS implementing every endpoint of the
// Backup User API with real state.
type AhsayServer struct {
	*Server // URL, Start, StartTLS, Client, Certificate, Handler, Close
	// SysUser and SysPwd are the system credentials the server accepts.
	SysUser, SysPwd string

	faults *faults

	mu           sync.Mutex
	users        map[userID]*AhsayUser
	destinations map[string]string // key -> name, the destinations visible to users
	stats        map[userID]map[string]AhsayStorageStat
	live         []AhsayLiveJob
	runJobs      map[userID][]AhsayRunJob
	rebuilds     map[userID]*rebuildState
	forgotEmails map[userID]int
	mon          monitoring
	jobLength    time.Duration
	nextID       int64
	now          func() time.Time
	cfg          serverConfig // what Reset returns to
}

// AhsayUser is a backup user of the fake. Seed with SeedUser; read with User.
type AhsayUser struct {
	LoginName, Owner, Password, Email string
	Alias, ClientType, Type, Status   string // ClientType OBM/ACB, Type TRIAL/PAID, Status ENABLE/SUSPENDED
	Language, Notes, QuotaType        string
	StorageQuota                      int64 // GB
	EnableAUA                         bool
	Quotas                            []AhsayQuota
	Contacts                          []AhsayContact
	Modules                           map[string]any   // module settings as last set
	BackupSets                        []string         // IDs of the user's backup sets
	Sets                              []AhsayBackupSet // backup sets with a name and type (IDs join BackupSets)
	ID                                string
	RegistrationDate                  time.Time
	QuotaUsed                         int64 // bytes: ListUsers' QuotaUsed
}

// AhsayQuota is one destination quota of a fake user.
type AhsayQuota struct {
	DestinationKey, DestinationName string
	Enabled                         bool
	Quota                           int64
}

// AhsayContact is one contact of a fake user.
type AhsayContact struct {
	Name, Email, Company, Address, Website, Phone1, Phone2 string
	ID                                                     string
}

// AhsayStorageStat is a month of storage statistics for GetUserStorageStat.
type AhsayStorageStat struct {
	DataBytes, UploadBytes, RetainBytes, Files int64
}

// AhsayLiveJob is a running backup or restore job for GetUserStatus.
type AhsayLiveJob struct {
	Restore     bool // a restore job; otherwise a backup job
	LoginName   string
	BackupSetID string
	BackupSet   string
	Percent     int
	JobID       string // YYYY-MM-DD-hh-mm-ss
}

// AhsayRunJob is a Run-on-Server job for GetServerRunJobStatus.
type AhsayRunJob struct {
	BackupSetID, ExecuteJob string
}

type rebuildState struct {
	backupSetID string
	polls       int
	start       time.Time
}

// NewAhsayServer starts a fake AhsayCBS over TLS (http with PlainHTTP) on
// a loopback port. By default it knows the destinations OBS, Local-1
// (-1687068833705) and AhsayCBS-1 (-1686815201815), and no users.
func NewAhsayServer(opts ...ServerOption) *AhsayServer {
	s := NewUnstartedAhsayServer(opts...)
	s.startAsConfigured()
	return s
}

// NewUnstartedAhsayServer returns a fake AhsayCBS that is not listening
// yet, as httptest.NewUnstartedServer does: call Start or StartTLS, or use
// Handler without a socket (through Responder or Transport).
func NewUnstartedAhsayServer(opts ...ServerOption) *AhsayServer {
	cfg := buildConfig(DefaultSysUser, DefaultSysPwd, opts)
	s := &AhsayServer{
		SysUser: cfg.user, SysPwd: cfg.pwd, faults: newFaults(),
		users:        map[userID]*AhsayUser{},
		destinations: map[string]string{"OBS": "AhsayCBS", "-1687068833705": "Local-1", "-1686815201815": "AhsayCBS-1"},
		stats:        map[userID]map[string]AhsayStorageStat{},
		runJobs:      map[userID][]AhsayRunJob{},
		rebuilds:     map[userID]*rebuildState{},
		forgotEmails: map[userID]int{},
		nextID:       1687069108461,
		now:          cfg.clock.Now,
		mon:          newMonitoring(cfg.user),
		jobLength:    cfg.jobLength,
		cfg:          cfg,
	}
	s.Server = newServer(http.HandlerFunc(s.serveHTTP), cfg)
	return s
}

// Inject makes the next fault.Times calls of op misbehave. op is the SDK
// operation's name (OpAddUser, OpListUsers, OpUpdateUser,
// OpAppendContacts, OpCancelPendingBackup, ...: see AhsayOps and the Op
// constants for how a request is named); any other name panics, and so
// does an invalid fault, as the control API refuses it: a status outside
// 200 to 599, an unknown Drop or Body, a negative Delay, RetryAfter or
// Size, a RetryAfter that is not whole seconds, a Size beyond
// MaxFaultSize, Times below -1. (The zero Fault is a fault that does
// nothing.)
func (s *AhsayServer) Inject(op string, f Fault) {
	mustKnow("AhsayServer", "Inject", op, AhsayOps)
	mustBeValid("AhsayServer", f)
	s.faults.inject(op, f)
}

// Calls returns how often the server acted on op (a call that was refused
// by an injected status or dropped before acting does not count). An
// unknown op panics, as with Inject.
func (s *AhsayServer) Calls(op string) int {
	mustKnow("AhsayServer", "Calls", op, AhsayOps)
	return s.faults.count(op)
}

// MaxInFlight returns the most calls of op the server has had under way at
// once (an injected Delay included): a client's concurrency, as the server
// saw it.
func (s *AhsayServer) MaxInFlight(op string) int {
	mustKnow("AhsayServer", "MaxInFlight", op, AhsayOps)
	return s.faults.peak(op)
}

// userID keys a user in the fake's maps: its owner (compared without
// case) and its login name. A struct, not a joined string, so that no
// owner and login pair can stand for another ("a" and "b/c" against "a/b"
// and "c").
type userID struct{ owner, login string }

// userKey returns the key of the user login of owner.
func userKey(owner, login string) userID { return userID{strings.ToLower(owner), login} }

// compare orders keys by owner, then login name.
func (k userID) compare(o userID) int {
	return cmp.Or(strings.Compare(k.owner, o.owner), strings.Compare(k.login, o.login))
}

// userKeys returns the keys of s.users in order.
func (s *AhsayServer) userKeys() []userID {
	return slices.SortedFunc(maps.Keys(s.users), userID.compare)
}

// SeedUser adds a user as AddUser would, with the defaults AddUser
// applies, but without AddUser's checks of the request. u is copied: the
// fake never writes into the caller's slices or map. A seeding mistake
// panics, as an unknown operation name does in Inject, so that a test
// cannot go on against state it did not mean: an empty LoginName, a quota
// on a destination the fake does not know (see AddDestination), a backup
// set without an ID. A user of the same owner and login is replaced.
func (s *AhsayServer) SeedUser(u AhsayUser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mustSeed("SeedUser", s.seedUserLocked(u))
}

func (s *AhsayServer) addUserLocked(u *AhsayUser) {
	if u.ID == "" {
		u.ID = s.newIDLocked()
	}
	if u.RegistrationDate.IsZero() {
		u.RegistrationDate = s.now()
	}
	if u.ClientType == "" {
		u.ClientType = "OBM"
	}
	if u.Type == "" {
		u.Type = "TRIAL"
	}
	if u.Status == "" {
		u.Status = "ENABLE"
	}
	if u.QuotaType == "" {
		u.QuotaType = "PER_DESTINATION_QUOTA"
	}
	if u.StorageQuota == 0 {
		u.StorageQuota = 100
	}
	if u.Language == "" {
		u.Language = "en"
	}
	if len(u.Quotas) == 0 && u.QuotaType == "PER_DESTINATION_QUOTA" {
		u.Quotas = []AhsayQuota{{DestinationKey: "OBS", Enabled: true, Quota: 50 << 30}}
	}
	for i := range u.Quotas {
		if u.Quotas[i].DestinationName == "" {
			u.Quotas[i].DestinationName = s.destinations[u.Quotas[i].DestinationKey]
		}
	}
	for _, b := range u.Sets {
		if !slices.Contains(u.BackupSets, b.ID) {
			u.BackupSets = append(u.BackupSets, b.ID)
		}
	}
	if u.Email != "" && len(u.Contacts) == 0 {
		u.Contacts = []AhsayContact{{Email: u.Email}}
	}
	for i := range u.Contacts {
		if u.Contacts[i].ID == "" {
			u.Contacts[i].ID = s.newIDLocked()
		}
	}
	s.users[userKey(u.Owner, u.LoginName)] = u
}

func (s *AhsayServer) newIDLocked() string {
	s.nextID++
	return fmt.Sprint(s.nextID)
}

// User returns a copy of the named user (owner "" for users without one).
func (s *AhsayServer) User(owner, login string) (AhsayUser, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userKey(owner, login)]
	if !ok {
		return AhsayUser{}, false
	}
	return copyUser(u), true
}

// Users returns copies of every user, sorted by login name.
func (s *AhsayServer) Users() []AhsayUser {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AhsayUser, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, copyUser(u))
	}
	slices.SortFunc(out, func(a, b AhsayUser) int { return strings.Compare(a.LoginName, b.LoginName) })
	return out
}

func copyUser(u *AhsayUser) AhsayUser {
	c := *u
	c.Quotas = slices.Clone(u.Quotas)
	c.Contacts = slices.Clone(u.Contacts)
	c.BackupSets = slices.Clone(u.BackupSets)
	c.Sets = slices.Clone(u.Sets)
	if u.Modules != nil {
		c.Modules = map[string]any{}
		for k, v := range u.Modules {
			c.Modules[k] = v
		}
	}
	return c
}

// AddDestination makes a predefined destination visible to users.
func (s *AhsayServer) AddDestination(key, name string) {
	s.mu.Lock()
	s.destinations[key] = name
	s.mu.Unlock()
}

// AddBackupSet gives the user a backup set (for rebuilds and run jobs).
// A user the fake does not have, or an empty ID, panics (see SeedUser).
func (s *AhsayServer) AddBackupSet(owner, login, backupSetID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.seededUserLocked(owner, login)
	if err == nil && backupSetID == "" {
		err = errors.New("a backup set needs an ID")
	}
	mustSeed("AddBackupSet", err)
	if !slices.Contains(u.BackupSets, backupSetID) {
		u.BackupSets = append(u.BackupSets, backupSetID)
	}
}

// SetStorageStat records a month ("2024-06") of statistics for a user,
// who may be added later (by SeedUser or AddUser). A month in another
// form panics (see SeedUser).
func (s *AhsayServer) SetStorageStat(owner, login, yearMonth string, st AhsayStorageStat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mustSeed("SetStorageStat", s.setStorageStatLocked(owner, login, yearMonth, st))
}

// setStorageStatLocked checks the month and records st (see SetStorageStat).
func (s *AhsayServer) setStorageStatLocked(owner, login, yearMonth string, st AhsayStorageStat) error {
	if _, err := time.Parse("2006-01", yearMonth); err != nil {
		return fmt.Errorf("month %q is not in the form 2006-01", yearMonth)
	}
	key := userKey(owner, login)
	if s.stats[key] == nil {
		s.stats[key] = map[string]AhsayStorageStat{}
	}
	s.stats[key][yearMonth] = st
	return nil
}

// SetLiveJobs replaces the running backup and restore jobs that
// GetUserStatus lists (besides RunBackup's, which it shows while they
// run). A live job needs no seeded user: the fake reports what it is told.
func (s *AhsayServer) SetLiveJobs(jobs ...AhsayLiveJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live = slices.Clone(jobs)
}

// SetRunJobs sets a user's Run-on-Server jobs. A user the fake does not
// have, or a backup set the user does not have, panics (see SeedUser).
func (s *AhsayServer) SetRunJobs(owner, login string, jobs ...AhsayRunJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.seededUserLocked(owner, login)
	mustSeed("SetRunJobs", err)
	for _, j := range jobs {
		mustSeed("SetRunJobs", hasSet(u, j.BackupSetID))
	}
	s.runJobs[userKey(owner, login)] = slices.Clone(jobs)
}

// ForgotPasswordEmails returns how many reset e-mails the user was sent.
func (s *AhsayServer) ForgotPasswordEmails(owner, login string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.forgotEmails[userKey(owner, login)]
}

// ahsayEndpoints maps an endpoint name to its handler.
func (s *AhsayServer) endpoint(name string) func(req ahsayRequest, a *answer) {
	switch name {
	case "ListUsers":
		return s.listUsers
	case "AuthUser":
		return s.authUser
	case "GetUser":
		return s.getUser
	case "AddUser":
		return s.addUser
	case "UpdateUser", "UpdateUserProfile": // and the contact operations (see ahsayOp)
		return s.updateUser
	case "ModifyUserStatus":
		return s.modifyUserStatus
	case "RemoveUser":
		return s.removeUser
	case "SendForgotPwdEmail": // OpSendForgotPasswordEmail
		return s.sendForgotPwdEmail
	case "UpdateAUA":
		return s.updateAUA
	case "GetUserStorageStat":
		return s.getUserStorageStat
	case "AddContact":
		return s.addContact
	case "RunSingleUserRebuild":
		return s.runSingleUserRebuild
	case "GetSingleUserRebuildStatus":
		return s.getSingleUserRebuildStatus
	case "GetUserStatus":
		return s.getUserStatus
	case "GetServerRunJobStatus":
		return s.getServerRunJobStatus
	}
	return s.monitoringEndpoint(name)
}

func (s *AhsayServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if !(strings.HasPrefix(path, "/obs/api/json/") || strings.HasPrefix(path, "/cbs/api/json/")) || !strings.HasSuffix(path, ".do") {
		s.faults.requests.record(r, "")
		http.NotFound(w, r)
		return
	}
	name := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".do")
	handle := s.endpoint(name)
	if handle == nil || r.Method != http.MethodPost {
		s.faults.requests.record(r, "")
	}
	if handle == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST method only", http.StatusMethodNotAllowed)
		return
	}
	req, parseErr := readAhsayRequest(r)
	op := ahsayOp(name, req)
	s.faults.requests.record(r, op) // wrong credentials included
	s.faults.serve(w, r, op, func(a *answer) {
		a.header.Set("Content-Type", "application/json;charset=UTF-8")
		if parseErr != nil {
			a.fail("[Error] Invalid JSON request: "+parseErr.Error(), exptDbs)
			return
		}
		if req.str("SysUser") != s.SysUser || req.str("SysPwd") != s.SysPwd {
			a.fail("Incorrect system username/password", "com.ahsay.obs.core.dbs.c") // as the AuthSystemUser page shows
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		a.acted = true
		handle(req, a)
	})
}

// ok writes {"Status":"OK"} plus fields.
func (a *answer) ok(fields map[string]any) {
	out := map[string]any{"Status": "OK"}
	for k, v := range fields {
		out[k] = v
	}
	_ = json.NewEncoder(&a.body).Encode(out)
}

// fail writes the reference's error shape.
func (a *answer) fail(message, exptType string) {
	out := map[string]any{"Status": "Error"}
	if message != "" {
		out["Message"] = message
	}
	if exptType != "" {
		out["ExptType"] = exptType
	}
	_ = json.NewEncoder(&a.body).Encode(out)
}

func noSuchUser(a *answer, login string) {
	a.fail("[UserCacheManager.NoSuchUserExpt] User ‘"+login+"’ not found.", exptNoSuchUser)
}

// lookup finds the request's user or answers NoSuchUserExpt.
func (s *AhsayServer) lookup(req ahsayRequest, a *answer) *AhsayUser {
	login := req.str("LoginName")
	if login == "" {
		a.fail("[Error] Parameter LoginName is null / empty!", exptDbs)
		return nil
	}
	u, ok := s.users[userKey(req.str("Owner"), login)]
	if !ok {
		noSuchUser(a, login)
		return nil
	}
	return u
}
