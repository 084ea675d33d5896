package backupapitest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post sends a JSON request to a fake's handler and decodes the answer.
func post(t *testing.T, h http.Handler, method, path string, body any, header ...string) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req := httptest.NewRequest(method, path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

// ahsayCall calls an AhsayCBS endpoint of the fake with the system
// credentials and params.
func ahsayCall(t *testing.T, srv *backupapitest.AhsayServer, op string, params map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{"SysUser": srv.SysUser, "SysPwd": srv.SysPwd}
	for k, v := range params {
		body[k] = v
	}
	code, out := post(t, srv.Handler(), http.MethodPost, "/obs/api/json/"+op+".do", body)
	require.Equal(t, http.StatusOK, code)
	return out
}

func seedFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/seeds/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestEveryExampleSeedMatchesTheSchemaAndApplies(t *testing.T) {
	for _, f := range seedFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			seed, err := backupapitest.LoadSeed(f)
			require.NoError(t, err, "the schema admits it")
			ahsay, lxca := backupapitest.NewUnstartedAhsayServer(), backupapitest.NewUnstartedXClarityServer()
			require.NoError(t, backupapitest.ResetToSeed(seed, ahsay, lxca), "its references hold")
		})
	}
}

func TestTheShippedSchemaFileIsTheEmbeddedOne(t *testing.T) {
	b, err := os.ReadFile("seed.schema.json")
	require.NoError(t, err)
	assert.Equal(t, string(b), string(backupapitest.SeedSchema))
}

func TestASeedSetsEveryStateTheGoAPICanSet(t *testing.T) {
	seed, err := backupapitest.LoadSeed("testdata/seeds/full.json")
	require.NoError(t, err)
	ahsay, lxca := backupapitest.NewUnstartedAhsayServer(), backupapitest.NewUnstartedXClarityServer()
	require.NoError(t, backupapitest.ResetToSeed(seed, ahsay, lxca))
	alice := map[string]any{"LoginName": "alice"}

	t.Run("users with every field, their quotas, contacts, modules and sets", func(t *testing.T) {
		u, ok := ahsay.User("", "alice")
		require.True(t, ok)
		assert.Equal(t, "alice-pw", u.Password)
		assert.Equal(t, "Alice", u.Alias)
		assert.Equal(t, "PAID", u.Type)
		assert.Equal(t, int64(200), u.StorageQuota)
		assert.True(t, u.EnableAUA)
		assert.Equal(t, "1700000000100", u.ID)
		assert.Equal(t, time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC), u.RegistrationDate.UTC())
		require.Len(t, u.Quotas, 2)
		assert.Equal(t, "Share-9", u.Quotas[1].DestinationName, "a seeded destination")
		require.Len(t, u.Contacts, 1)
		assert.Equal(t, "+41 00 000 00 00", u.Contacts[0].Phone1)
		assert.Equal(t, map[string]any{"EnableMSSQL": true}, u.Modules)
		assert.Equal(t, []string{"1700000000001", "1700000000002"}, u.BackupSets)
		bob, ok := ahsay.User("reseller1", "bob")
		require.True(t, ok, "a user with an owner")
		assert.Equal(t, "ACB", bob.ClientType)
		sets := ahsayCall(t, ahsay, "ListBackupSets", alice)["Data"].([]any)
		require.Len(t, sets, 2)
		assert.Equal(t, "Documents", sets[0].(map[string]any)["Name"])
		assert.Equal(t, int64(2097152), u.QuotaUsed, "storage used, as ListUsers reports it")
		mail := ahsayCall(t, ahsay, "GetBackupSet", map[string]any{"LoginName": "alice", "BackupSetID": "1700000000002"})["Data"].(map[string]any)
		assert.Equal(t, "DAILY", mail["ScheduleSettings"].(map[string]any)["ScheduleList"].([]any)[0].(map[string]any)["Type"], "a set's schedule")
	})
	t.Run("storage statistics", func(t *testing.T) {
		out := ahsayCall(t, ahsay, "GetUserStorageStat", map[string]any{"LoginName": "alice", "YearMonth": "2026-11"})
		require.Equal(t, "OK", out["Status"], out)
		assert.Equal(t, "5505024", out["Data"].(map[string]any)["AvgDataRawSize"])
	})
	t.Run("backup and restore jobs", func(t *testing.T) {
		jobs := ahsayCall(t, ahsay, "ListBackupJobStatus", map[string]any{"LoginName": "alice", "BackupDate": "2026-11-23"})["Data"].([]any)
		require.Len(t, jobs, 2)
		assert.Equal(t, "BS_STOP_BY_SYSTEM_ERROR", jobs[1].(map[string]any)["BackupJobStatus"])
		assert.Equal(t, "1687077949198", jobs[0].(map[string]any)["DestinationID"], "the set's destination")
		restores := ahsayCall(t, ahsay, "ListRestoreJobStatus", map[string]any{"LoginName": "alice", "RestoreDate": "2026-11-24"})["Data"].([]any)
		require.Len(t, restores, 1)
		assert.Equal(t, "4096", restores[0].(map[string]any)["RestoreSize"])
		running := ahsayCall(t, ahsay, "ListBackupJobStatus", map[string]any{"Owner": "reseller1", "LoginName": "bob", "BackupDate": "2026-11-23"})["Data"].([]any)
		require.Len(t, running, 1)
		assert.Equal(t, "", running[0].(map[string]any)["EndTime"], "a job without an end is running")
	})
	t.Run("live jobs, named after their set", func(t *testing.T) {
		backups := ahsayCall(t, ahsay, "GetUserStatus", nil)["BkpStatus"].([]any)
		require.Len(t, backups, 1)
		assert.Equal(t, "Documents", backups[0].(map[string]any)["BackupSet"])
		assert.Equal(t, "40", backups[0].(map[string]any)["OverallPercent"])
		restores := ahsayCall(t, ahsay, "GetUserStatus", map[string]any{"Type": "Restore"})["RestoreStatus"].([]any)
		require.Len(t, restores, 1)
	})
	t.Run("run jobs", func(t *testing.T) {
		run := ahsayCall(t, ahsay, "GetServerRunJobStatus", alice)["RunJob"].([]any)
		assert.Equal(t, []any{map[string]any{"BackupSetID": "1700000000001", "ExecuteJob": "backup"}}, run)
	})
	t.Run("the licence", func(t *testing.T) {
		out := ahsayCall(t, ahsay, "GetLicense", nil)
		assert.Equal(t, "Seeded Ltd", out["Data"].(map[string]any)["Licensee"])
		assert.Equal(t, "5", out["Data"].(map[string]any)["VMQuota"])
		assert.Equal(t, "Licence expires soon", out["Info"])
	})
	t.Run("groups and system users, added to the defaults", func(t *testing.T) {
		pgs := ahsayCall(t, ahsay, "ListPolicyGroups", nil)["Data"].([]any)
		assert.Len(t, pgs, 2)
		ugs := ahsayCall(t, ahsay, "ListUserGroups", nil)["Data"].([]any)
		require.Len(t, ugs, 2)
		assert.Equal(t, "alice", ugs[1].(map[string]any)["Users"].([]any)[0].(map[string]any)["LoginName"])
		sys := ahsayCall(t, ahsay, "ListSystemUsers", nil)["Data"].([]any)
		require.Len(t, sys, 2)
		assert.Equal(t, "READ_ONLY_ADMIN", sys[0].(map[string]any)["Role"])
	})
	t.Run("XClarity backups with their location replace the defaults", func(t *testing.T) {
		backups := lxca.Backups()
		require.Len(t, backups, 2)
		assert.Equal(t, "internal", backups[0].Location)
		assert.Equal(t, "/mnt/share", backups[1].Location)
		assert.Equal(t, int64(3221225472), backups[0].Size)
	})
	t.Run("the XClarity session timeout", func(t *testing.T) {
		clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		lxca := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock))
		require.NoError(t, backupapitest.ApplySeed(&backupapitest.Seed{XClarity: seed.XClarity}, nil, lxca))
		rec := httptest.NewRecorder()
		lxca.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/sessions", strings.NewReader(`{"UserId":"ADMIN","password":"Passw0rd"}`)))
		require.Equal(t, http.StatusOK, rec.Code)
		list := func() int {
			req := httptest.NewRequest(http.MethodGet, "/managementServer/data", nil)
			for _, c := range rec.Result().Cookies() {
				req.AddCookie(c)
				if c.Name == "csrf" {
					req.Header.Set("X-Csrf-Token", c.Value)
				}
			}
			out := httptest.NewRecorder()
			lxca.Handler().ServeHTTP(out, req)
			return out.Code
		}
		require.Equal(t, http.StatusOK, list(), "the session works")
		clock.Advance(2 * time.Minute)
		assert.Equal(t, http.StatusUnauthorized, list(), "idle longer than the seeded minute")
	})
	t.Run("job settings", func(t *testing.T) {
		c := backupapitest.ControlHandler(backupapitest.ControlConfig{Token: "t", Ahsay: ahsay, XClarity: lxca})
		_, jobs := post(t, c, http.MethodGet, "/_backupapi/jobs", nil, "Authorization", "Bearer t")
		assert.Equal(t, map[string]any{"duration": "10s", "xclarityOutcome": "Complete", "ahsayBackupOutcome": "BS_STOP_SUCCESS_WITH_WARNING"}, jobs)
	})
}

func TestABadSeedIsRefusedWithTheKeysPath(t *testing.T) {
	cases := []struct {
		name, seed, path, problem string
	}{
		{"a key in the wrong case", `{"ahsay":{"users":[{"loginName":"a"},{"loginName":"b"},{"loginName":"c","Sets":[]}]}}`,
			"ahsay.users[2].Sets", `unknown key (did you mean "sets"?)`},
		{"a key of a set in the wrong case", `{"ahsay":{"users":[{"loginName":"a","sets":[{"ID":"1"}]}]}}`,
			"ahsay.users[0].sets[0].ID", `unknown key (did you mean "id"?)`},
		{"a key of the old format", `{"ahsayUsers":[]}`, "ahsayUsers", "renamed: write ahsay.users"},
		{"an unknown key lists the known ones", `{"xclarity":{"backup":[]}}`, "xclarity.backup", "known: backups, keepDefaultBackups"},
		{"a missing key", `{"ahsay":{"users":[{"password":"p"}]}}`, "ahsay.users[0]", `missing key "loginName"`},
		{"a wrong type", `{"ahsay":{"users":[{"loginName":7}]}}`, "ahsay.users[0].loginName", "want a string, got the number 7"},
		{"a time that is not RFC 3339", `{"ahsay":{"users":[{"loginName":"a","registrationDate":"yesterday"}]}}`,
			"ahsay.users[0].registrationDate", "not an RFC 3339 time"},
		{"a value outside the enum", `{"ahsay":{"systemUsers":[{"name":"x","role":"ROOT"}]}}`, "ahsay.systemUsers[0].role", `"ROOT" is not one of ADMIN`},
		{"a count below zero", `{"xclarity":{"backups":[{"uuid":"u","filename":"f","size":-1}]}}`, "xclarity.backups[0].size", "below the minimum"},
		{"a fraction for an integer", `{"ahsay":{"users":[{"loginName":"a","storageQuota":1.5}]}}`, "ahsay.users[0].storageQuota", "want an integer"},
		{"a duration that is not Go's", `{"jobs":{"duration":"ten seconds"}}`, "jobs.duration", "does not match"},
		{"a month that is not one", `{"ahsay":{"storageStats":[{"loginName":"a","yearMonth":"2026-13"}]}}`, "ahsay.storageStats[0].yearMonth", "does not match"},
		{"not JSON", `{"ahsay":`, "", "not JSON"},
		{"two documents", `{} {}`, "", "more than one value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := backupapitest.DecodeSeed(strings.NewReader(tc.seed))
			require.Error(t, err)
			var se *backupapitest.SeedError
			require.True(t, errors.As(err, &se), "%v", err)
			assert.Equal(t, tc.path, se.Path)
			assert.Contains(t, se.Problem, tc.problem)
		})
	}
}

func TestASeedThatNamesWhatDoesNotExistIsRefusedWithThePathAndChangesNothing(t *testing.T) {
	user := `{"loginName":"alice","sets":[{"id":"1"}]}`
	cases := []struct {
		name, ahsay, path, problem string
	}{
		{"a backup job of a user that does not exist", `{"backupJobs":[{"loginName":"bob","backupSetId":"1","start":"2026-01-01T00:00:00Z"}]}`,
			"ahsay.backupJobs[0].loginName", `no user "bob"`},
		{"a user of another owner", `{"users":[` + user + `],"storageStats":[{"owner":"r","loginName":"alice","yearMonth":"2026-01"}]}`,
			"ahsay.storageStats[0].loginName", `no user "alice" of owner "r"`},
		{"a backup job of a set the user does not have", `{"users":[` + user + `],"backupJobs":[{"loginName":"alice","backupSetId":"2","start":"2026-01-01T00:00:00Z"}]}`,
			"ahsay.backupJobs[0].backupSetId", `user "alice" has no backup set "2"`},
		{"a restore job of a set the user does not have", `{"users":[` + user + `],"restoreJobs":[{"loginName":"alice","backupSetId":"2","start":"2026-01-01T00:00:00Z"}]}`,
			"ahsay.restoreJobs[0].backupSetId", `no backup set "2"`},
		{"a live job of a set the user does not have", `{"users":[` + user + `],"liveJobs":[{"loginName":"alice","backupSetId":"9"}]}`,
			"ahsay.liveJobs[0].backupSetId", `no backup set "9"`},
		{"a run job of a user that does not exist", `{"runJobs":[{"loginName":"x","backupSetId":"1"}]}`, "ahsay.runJobs[0].loginName", `no user "x"`},
		{"a quota on a destination that does not exist", `{"users":[{"loginName":"a","quotas":[{"destinationKey":"-5"}]}]}`,
			"ahsay.users[0].quotas[0].destinationKey", `no destination "-5"`},
		{"a user given twice", `{"users":[` + user + `,` + user + `]}`, "ahsay.users[1].loginName", "given twice"},
		{"a set given twice", `{"users":[{"loginName":"a","sets":[{"id":"1"},{"id":"1"}]}]}`, "ahsay.users[0].sets[1].id", "given twice"},
		{"a user group of a policy group that does not exist", `{"userGroups":[{"id":"1700000000000","name":"g","policyGroupId":"7"}]}`,
			"ahsay.userGroups[0].policyGroupId", `no policy group "7"`},
		{"a user group member that does not exist", `{"userGroups":[{"id":"1700000000000","name":"g","members":["nobody"]}]}`,
			"ahsay.userGroups[0].members[0]", `no user "nobody"`},
		{"a backup job that ends before it starts", `{"users":[` + user + `],"backupJobs":[{"loginName":"alice","backupSetId":"1",` +
			`"start":"2026-11-23T01:00:00Z","end":"2026-11-23T00:00:00Z"}]}`, "ahsay.backupJobs[0].end", "ends before it starts"},
		{"a restore job that ends before it starts", `{"users":[` + user + `],"restoreJobs":[{"loginName":"alice","backupSetId":"1",` +
			`"start":"2026-11-23T01:00:00Z","end":"2026-11-23T00:00:00Z"}]}`, "ahsay.restoreJobs[0].end", "ends before it starts"},
		{"two backup jobs of a set with one ID", `{"users":[` + user + `],"backupJobs":[{"loginName":"alice","backupSetId":"1","jobId":"j1",` +
			`"start":"2026-11-23T01:00:00Z"},{"loginName":"alice","backupSetId":"1","jobId":"j1","start":"2026-11-24T01:00:00Z"}]}`,
			"ahsay.backupJobs[1].jobId", `backup set "1" has a job j1 already`},
		{"two backup jobs of a set with one start and no ID", `{"users":[` + user + `],"backupJobs":[{"loginName":"alice","backupSetId":"1",` +
			`"start":"2026-11-23T01:00:00Z"},{"loginName":"alice","backupSetId":"1","start":"2026-11-23T01:00:00Z"}]}`,
			"ahsay.backupJobs[1].start", "has a job 2026-11-23-01-00-00 already"},
		{"two restore jobs of a set with one ID", `{"users":[` + user + `],"restoreJobs":[{"loginName":"alice","backupSetId":"1","jobId":"r",` +
			`"start":"2026-11-23T01:00:00Z"},{"loginName":"alice","backupSetId":"1","jobId":"r","start":"2026-11-24T01:00:00Z"}]}`,
			"ahsay.restoreJobs[1].jobId", `backup set "1" has a job r already`},
		{"a policy group the server has already", `{"policyGroups":[{"id":"1687069108450","name":"again"}]}`, "ahsay.policyGroups[0].id", "given twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":` + tc.ahsay + `}`))
			require.NoError(t, err, "the shape is right")
			ahsay := backupapitest.NewUnstartedAhsayServer()
			err = backupapitest.ApplySeed(seed, ahsay, nil)
			var se *backupapitest.SeedError
			require.True(t, errors.As(err, &se), "%v", err)
			assert.Equal(t, tc.path, se.Path)
			assert.Contains(t, se.Problem, tc.problem)
			assert.Empty(t, ahsay.Users(), "nothing was applied")
		})
	}
	t.Run("a backup the appliance has already", func(t *testing.T) {
		seed := &backupapitest.Seed{XClarity: &backupapitest.XClaritySeed{Backups: []backupapitest.XClarityBackup{{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"}}}}
		err := backupapitest.ApplySeed(seed, nil, backupapitest.NewUnstartedXClarityServer())
		require.ErrorContains(t, err, "xclarity.backups[0].uuid: backup")
	})
	t.Run("state for a fake that is not there", func(t *testing.T) {
		err := backupapitest.ApplySeed(&backupapitest.Seed{Ahsay: &backupapitest.AhsaySeed{}}, nil, backupapitest.NewUnstartedXClarityServer())
		require.ErrorContains(t, err, "ahsay: there is no fake AhsayCBS")
	})
	t.Run("an outcome that is not a final state", func(t *testing.T) {
		seed := &backupapitest.Seed{Jobs: &backupapitest.JobSettings{XClarityOutcome: backupapi.JobRunning}}
		err := backupapitest.ApplySeed(seed, nil, backupapitest.NewUnstartedXClarityServer())
		require.ErrorContains(t, err, "jobs.xclarityOutcome")
	})
	t.Run("a backup job whose ID the server has already", func(t *testing.T) {
		ahsay := backupapitest.NewUnstartedAhsayServer()
		ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "alice", BackupSets: []string{"1"}})
		ahsay.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1", JobID: "j1", Start: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)})
		seed, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":{"backupJobs":[{"loginName":"alice","backupSetId":"1","jobId":"j1","start":"2026-11-24T01:00:00Z"}]}}`))
		require.NoError(t, err)
		err = backupapitest.ApplySeed(seed, ahsay, nil)
		require.ErrorContains(t, err, `ahsay.backupJobs[0].jobId: backup set "1" has a job j1 already`)
	})
	t.Run("jobs of one ID in different sets, users or kinds are fine", func(t *testing.T) {
		seed, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":{"users":[{"loginName":"alice","sets":[{"id":"1"},{"id":"2"}]},` +
			`{"loginName":"bob","sets":[{"id":"1"}]}],"backupJobs":[` +
			`{"loginName":"alice","backupSetId":"1","jobId":"j","start":"2026-11-23T01:00:00Z"},` +
			`{"loginName":"alice","backupSetId":"2","jobId":"j","start":"2026-11-23T01:00:00Z"},` +
			`{"loginName":"bob","backupSetId":"1","jobId":"j","start":"2026-11-23T01:00:00Z"}],` +
			`"restoreJobs":[{"loginName":"alice","backupSetId":"1","jobId":"j","start":"2026-11-23T01:00:00Z"}]}}`))
		require.NoError(t, err)
		require.NoError(t, backupapitest.ApplySeed(seed, backupapitest.NewUnstartedAhsayServer(), nil))
	})
	t.Run("a seed may name what the server already holds", func(t *testing.T) {
		ahsay := backupapitest.NewUnstartedAhsayServer()
		ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "alice", BackupSets: []string{"1"}})
		seed, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":{"backupJobs":[{"loginName":"alice","backupSetId":"1","start":"2026-01-01T00:00:00Z"}]}}`))
		require.NoError(t, err)
		require.NoError(t, backupapitest.ApplySeed(seed, ahsay, nil))
	})
}

func TestResetToSeed(t *testing.T) {
	defaults := len(backupapitest.NewUnstartedXClarityServer().Backups())
	require.Equal(t, 2, defaults)
	cases := []struct {
		file    string
		backups int
	}{
		{"testdata/seeds/minimal.json", 2},       // no backups listed: the defaults stay
		{"testdata/seeds/no-backups.json", 0},    // [] replaces them with none
		{"testdata/seeds/keep-defaults.json", 3}, // keepDefaultBackups adds
		{"testdata/seeds/full.json", 2},          // two of its own
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.file)+" starts the appliance with its backups", func(t *testing.T) {
			seed, err := backupapitest.LoadSeed(tc.file)
			require.NoError(t, err)
			lxca := backupapitest.NewUnstartedXClarityServer()
			require.NoError(t, backupapitest.ResetToSeed(seed, backupapitest.NewUnstartedAhsayServer(), lxca))
			assert.Len(t, lxca.Backups(), tc.backups)
		})
	}
	t.Run("it forgets what happened since and returns to the seed", func(t *testing.T) {
		seed, err := backupapitest.LoadSeed("testdata/seeds/minimal.json")
		require.NoError(t, err)
		ahsay, lxca := backupapitest.NewUnstartedAhsayServer(), backupapitest.NewUnstartedXClarityServer()
		require.NoError(t, backupapitest.ResetToSeed(seed, ahsay, lxca))
		ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "extra"})
		ahsay.Inject(backupapitest.OpListUsers, backupapitest.Fault{Status: 503, Times: -1})
		ahsay.SetJobDuration(time.Hour)
		ahsayCall(t, ahsay, "AuthUser", map[string]any{"LoginName": "alice", "Password": "p"})
		lxca.FailJobs(backupapi.JobFailed)
		code, _ := post(t, lxca.Handler(), http.MethodPost, "/sessions", map[string]any{"UserId": lxca.Username, "password": lxca.Password})
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, 1, lxca.Sessions())

		require.NoError(t, backupapitest.ResetToSeed(seed, ahsay, lxca))
		users := ahsay.Users()
		require.Len(t, users, 1)
		assert.Equal(t, "alice", users[0].LoginName)
		assert.Empty(t, ahsay.Faults())
		assert.Zero(t, ahsay.Calls(backupapitest.OpAuthUser))
		assert.Empty(t, ahsay.Requests())
		assert.Zero(t, lxca.Sessions())
		assert.Zero(t, lxca.Calls(backupapitest.OpLogin))
		c := backupapitest.ControlHandler(backupapitest.ControlConfig{Token: "t", Ahsay: ahsay, XClarity: lxca})
		_, jobs := post(t, c, http.MethodGet, "/_backupapi/jobs", nil, "Authorization", "Bearer t")
		assert.Equal(t, map[string]any{"duration": "30s", "xclarityOutcome": "Complete", "ahsayBackupOutcome": "BS_STOP_SUCCESS"}, jobs)
	})
	t.Run("a seed it refuses changes nothing", func(t *testing.T) {
		ahsay := backupapitest.NewUnstartedAhsayServer()
		ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "kept"})
		bad := &backupapitest.Seed{Ahsay: &backupapitest.AhsaySeed{RunJobs: []backupapitest.SeedRunJob{{LoginName: "nobody"}}}}
		require.Error(t, backupapitest.ResetToSeed(bad, ahsay, nil))
		_, ok := ahsay.User("", "kept")
		assert.True(t, ok)
	})
}
