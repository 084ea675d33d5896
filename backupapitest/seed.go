package backupapitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/backupapi/backupapi"
)

// Seed is state for the fakes: the file backupapi-fake --seed reads, the
// body of the control API's seed and reset calls, and what ApplySeed and
// ResetToSeed give a Go test's servers. Its JSON form is described by
// SeedSchema (seed.schema.json): keys are lowerCamelCase with initialisms
// written as words (backupSetId, uuid, enableAua), times RFC 3339,
// durations Go durations ("90s"). For example:
//
//	{"ahsay": {
//	   "users": [{"loginName": "alice", "password": "p", "email": "a@example.com",
//	              "sets": [{"id": "1700000000001", "name": "Documents"}]}],
//	   "backupJobs": [{"loginName": "alice", "backupSetId": "1700000000001",
//	                   "start": "2026-11-23T01:00:00Z", "end": "2026-11-23T02:00:00Z",
//	                   "status": "BS_STOP_SUCCESS"}],
//	   "storageStats": [{"loginName": "alice", "yearMonth": "2026-11", "dataBytes": 1048576}]},
//	 "xclarity": {"backups": [{"uuid": "4edf27ff-0000-4000-8000-000000000001",
//	                           "filename": "b.tgz", "location": "/mnt/share"}]},
//	 "jobs": {"duration": "10s", "xclarityOutcome": "Stopped_With_Error"}}
type Seed struct {
	Ahsay    *AhsaySeed    `json:"ahsay,omitempty"`
	XClarity *XClaritySeed `json:"xclarity,omitempty"`
	// Jobs sets how jobs run, as the control API's jobs call does.
	Jobs *JobSettings `json:"jobs,omitempty"`
}

// AhsaySeed is the state of the fake AhsayCBS: each list adds to what the
// server holds (SetLiveJobs and SetRunJobs replace; a seed's live and run
// jobs are added to the server's), and every user or backup set a job,
// statistic or group names must exist in the seed or on the server.
type AhsaySeed struct {
	Destinations []SeedDestination `json:"destinations,omitempty"` // AddDestination
	Users        []AhsayUser       `json:"users,omitempty"`        // SeedUser
	BackupJobs   []SeedBackupJob   `json:"backupJobs,omitempty"`   // AddBackupJob
	RestoreJobs  []SeedRestoreJob  `json:"restoreJobs,omitempty"`  // AddRestoreJob
	StorageStats []SeedStorageStat `json:"storageStats,omitempty"` // SetStorageStat
	LiveJobs     []AhsayLiveJob    `json:"liveJobs,omitempty"`     // SetLiveJobs
	RunJobs      []SeedRunJob      `json:"runJobs,omitempty"`      // SetRunJobs
	License      *AhsayLicense     `json:"license,omitempty"`      // SetLicense
	PolicyGroups []AhsayGroup      `json:"policyGroups,omitempty"` // AddPolicyGroup (ID, Name, Owner)
	UserGroups   []AhsayGroup      `json:"userGroups,omitempty"`   // AddUserGroup
	SystemUsers  []SeedSystemUser  `json:"systemUsers,omitempty"`  // AddSystemUser
}

// SeedDestination is a predefined destination made visible to users.
type SeedDestination struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// SeedBackupJob is a backup job of the user (Owner, LoginName).
type SeedBackupJob struct {
	Owner     string `json:"owner,omitempty"`
	LoginName string `json:"loginName"`
	AhsayBackupJob
}

// SeedRestoreJob is a restore job of the user (Owner, LoginName).
type SeedRestoreJob struct {
	Owner     string `json:"owner,omitempty"`
	LoginName string `json:"loginName"`
	AhsayRestoreJob
}

// SeedStorageStat is a month ("2026-11") of storage statistics of the
// user (Owner, LoginName).
type SeedStorageStat struct {
	Owner     string `json:"owner,omitempty"`
	LoginName string `json:"loginName"`
	YearMonth string `json:"yearMonth"`
	AhsayStorageStat
}

// SeedRunJob is a Run-on-Server job of the user (Owner, LoginName).
type SeedRunJob struct {
	Owner     string `json:"owner,omitempty"`
	LoginName string `json:"loginName"`
	AhsayRunJob
}

// SeedSystemUser is a system user of the fake AhsayCBS (AddSystemUser).
type SeedSystemUser struct {
	Name string `json:"name"`
	Role string `json:"role"` // ADMIN, READ_ONLY_ADMIN, RESELLER or API_ONLY
}

// XClaritySeed is the state of the fake XClarity Administrator.
type XClaritySeed struct {
	// Backups are added to the appliance (SeedBackup). When the fake
	// starts from the seed (ResetToSeed: backupapi-fake --seed, the
	// control API's reset), a seed that lists backups (even none, [])
	// replaces the two default backups unless KeepDefaultBackups is set.
	Backups            []XClarityBackup `json:"backups,omitempty"`
	KeepDefaultBackups bool             `json:"keepDefaultBackups,omitempty"`
	// SessionTimeout is how long a session may be idle
	// (SetSessionTimeout, WithSessionTimeout); zero leaves it as it is.
	SessionTimeout Duration `json:"sessionTimeout,omitempty"`

	listsBackups bool // the JSON had a "backups" key
}

// UnmarshalJSON notes whether the seed lists backups at all.
func (x *XClaritySeed) UnmarshalJSON(b []byte) error {
	type plain XClaritySeed
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := json.Unmarshal(b, (*plain)(x)); err != nil {
		return err
	}
	_, x.listsBackups = raw["backups"]
	return nil
}

// replacesBackups reports whether starting from the seed drops the
// default backups.
func (x *XClaritySeed) replacesBackups() bool {
	return x != nil && !x.KeepDefaultBackups && (x.listsBackups || x.Backups != nil)
}

// JobSettings says how the jobs the fakes start from now on run: the
// seed's "jobs" and the body of the control API's jobs call. A zero field
// leaves its setting as it is.
type JobSettings struct {
	// Duration is how long XClarity jobs and AhsayCBS RunBackup jobs take
	// (WithJobDuration); it must be positive.
	Duration Duration `json:"duration,omitempty"`
	// XClarityOutcome is the state XClarity jobs end in (FailJobs);
	// JobComplete makes them succeed again.
	XClarityOutcome backupapi.JobStatus `json:"xclarityOutcome,omitempty"`
	// AhsayBackupOutcome is the status RunBackup's jobs end in
	// (SetBackupOutcome); BackupSuccess makes them succeed again.
	AhsayBackupOutcome backupapi.BackupJobStatus `json:"ahsayBackupOutcome,omitempty"`
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("90s", "1h30m").
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"90s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// SeedError is one problem of a seed, at the JSON path of the key it
// concerns ("ahsay.users[2].sets[0].id").
type SeedError struct {
	Path    string
	Problem string
}

func (e *SeedError) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

// maxSeedSize bounds a seed document.
const maxSeedSize = 32 << 20

// DecodeSeed reads a seed from r, checks it against SeedSchema and
// decodes it. Every problem is a *SeedError with its path (errors.As
// finds the first; the error lists up to 20): an unknown key, a key given
// twice in one object, a value of the wrong type, a time that is not
// RFC 3339, a duration longer than a Go duration can be. References to users, sets,
// destinations and groups are checked by ApplySeed, which knows the
// servers' state.
func DecodeSeed(r io.Reader) (*Seed, error) {
	var s Seed
	if err := decodeChecked(r, "", "", &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// decodeChecked reads one JSON document from r, checks it against the
// seed schema's definition def ("" for the whole seed), with paths
// starting at path, and decodes it into v.
func decodeChecked(r io.Reader, def, path string, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, maxSeedSize+1))
	if err != nil {
		return err
	}
	if len(b) > maxSeedSize {
		return &SeedError{Path: path, Problem: fmt.Sprintf("larger than %d MiB", maxSeedSize>>20)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return &SeedError{Path: path, Problem: "not JSON: " + err.Error()}
	}
	if dec.More() {
		return &SeedError{Path: path, Problem: "not JSON: more than one value"}
	}
	c := &schemaChecker{root: seedSchemaRoot, problems: duplicateKeys(b, path)}
	node := c.root
	if def != "" {
		node = schema{"$ref": "#/$defs/" + def}
	}
	c.check(node, doc, path)
	if len(c.problems) > 0 {
		return errors.Join(c.problems...)
	}
	// The schema admits only the exact lowerCamelCase keys, which
	// encoding/json matches to the Go fields (it ignores case).
	if plainIntegers(doc) {
		if b, err = json.Marshal(doc); err != nil {
			return &SeedError{Path: path, Problem: err.Error()}
		}
	}
	if err := json.Unmarshal(b, v); err != nil {
		return &SeedError{Path: path, Problem: err.Error()}
	}
	return nil
}

// LoadSeed reads and decodes the seed file at path (see DecodeSeed); the
// error names the file.
func LoadSeed(path string) (*Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := DecodeSeed(f)
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}
