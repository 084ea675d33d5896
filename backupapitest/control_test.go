package backupapitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// controlled is a pair of fakes on a fake clock under a control handler.
type controlled struct {
	ahsay   *backupapitest.AhsayServer
	lxca    *backupapitest.XClarityServer
	clock   *backupapitest.FakeClock
	control http.Handler
}

const controlToken = "s3cret-control-token"

func newControlled(t *testing.T, seed string) *controlled {
	t.Helper()
	clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	opts := []backupapitest.ServerOption{backupapitest.WithClock(clock), backupapitest.WithJobDuration(time.Minute)}
	c := &controlled{ahsay: backupapitest.NewUnstartedAhsayServer(opts...), lxca: backupapitest.NewUnstartedXClarityServer(opts...), clock: clock}
	var s *backupapitest.Seed
	if seed != "" {
		var err error
		s, err = backupapitest.DecodeSeed(strings.NewReader(seed))
		require.NoError(t, err)
		require.NoError(t, backupapitest.ResetToSeed(s, c.ahsay, c.lxca))
	}
	c.control = backupapitest.ControlHandler(backupapitest.ControlConfig{Token: controlToken, Ahsay: c.ahsay, XClarity: c.lxca, Clock: clock, Seed: s})
	return c
}

// call sends a control request with the token; body is JSON text or "".
func (c *controlled) call(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+controlToken)
	rec := httptest.NewRecorder()
	c.control.ServeHTTP(rec, req)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// xc sends a request to the fake appliance with Basic auth.
func (c *controlled) xc(t *testing.T, method, path string, body any) (int, any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, strings.NewReader(string(b)))
	req.SetBasicAuth(c.lxca.Username, c.lxca.Password)
	rec := httptest.NewRecorder()
	c.lxca.Handler().ServeHTTP(rec, req)
	var out any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

// startCopy starts a copy job of a default backup and returns its ID.
func (c *controlled) startCopy(t *testing.T) string {
	t.Helper()
	code, out := c.xc(t, http.MethodPut, "/managementServer/data", map[string]any{"action": "start", "operation": "copy",
		"UUID": "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "destination": "/mnt/x"})
	require.Equal(t, http.StatusOK, code, out)
	return out.(map[string]any)["jobId"].(string)
}

func (c *controlled) jobState(t *testing.T, id string) string {
	t.Helper()
	code, out := c.xc(t, http.MethodGet, "/tasks/"+id, nil)
	require.Equal(t, http.StatusOK, code, out)
	return out.([]any)[0].(map[string]any)["status"].(string)
}

func TestTheControlAPINeedsItsToken(t *testing.T) {
	c := newControlled(t, "")
	cases := []struct{ name, header string }{
		{"no Authorization header", ""},
		{"a wrong token", "Bearer nope"},
		{"the token as Basic credentials", "Basic " + controlToken},
		{"the token without its scheme", controlToken},
		{"an empty bearer token", "Bearer "},
	}
	for _, tc := range cases {
		for _, path := range []string{"/_backupapi/", "/_backupapi/reset", "/_backupapi/nothing-here"} {
			t.Run(tc.name+" is 401 at "+path, func(t *testing.T) {
				req := httptest.NewRequest(http.MethodPost, path, nil)
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				rec := httptest.NewRecorder()
				c.control.ServeHTTP(rec, req)
				assert.Equal(t, http.StatusUnauthorized, rec.Code)
				assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")
				assert.NotContains(t, rec.Body.String(), controlToken)
			})
		}
	}
	t.Run("the right token is let in", func(t *testing.T) {
		code, _ := c.call(t, http.MethodGet, "/_backupapi/", "")
		assert.Equal(t, http.StatusOK, code)
	})
	t.Run("the token never prints", func(t *testing.T) {
		cfg := backupapitest.ControlConfig{Token: controlToken}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			assert.NotContains(t, fmt.Sprintf(verb, cfg), controlToken, verb)
		}
	})
	t.Run("an empty token is a programming error", func(t *testing.T) {
		assert.Panics(t, func() { backupapitest.ControlHandler(backupapitest.ControlConfig{}) })
	})
}

func TestTheControlAPIRoutes(t *testing.T) {
	c := newControlled(t, "")
	t.Run("the index lists the endpoints, the operations and the fault kinds", func(t *testing.T) {
		code, out := c.call(t, http.MethodGet, "/_backupapi/", "")
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, out["ahsayOps"], backupapitest.OpAddUser)
		assert.Contains(t, out["xclarityOps"], backupapitest.OpCopyBackup)
		assert.Contains(t, out["faultBodies"], "truncated")
		assert.Contains(t, out["faultDrops"], "afterAct")
	})
	t.Run("an unknown endpoint is 404", func(t *testing.T) {
		code, out := c.call(t, http.MethodGet, "/_backupapi/nothing", "")
		assert.Equal(t, http.StatusNotFound, code)
		assert.Contains(t, out["error"], "no control endpoint")
	})
	t.Run("a body over 32 MiB is 413", func(t *testing.T) {
		code, _ := c.call(t, http.MethodPost, "/_backupapi/seed", `{"$schema":"`+strings.Repeat("x", 33<<20)+`"}`)
		assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	})
	t.Run("a wrong method is 405 with the methods allowed", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPut, "/_backupapi/clock", nil)
		req.Header.Set("Authorization", "Bearer "+controlToken)
		rec := httptest.NewRecorder()
		c.control.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Equal(t, "GET, POST", rec.Header().Get("Allow"))
	})
}

func TestControlFaults(t *testing.T) {
	c := newControlled(t, `{"ahsay":{"users":[{"loginName":"alice","password":"p"}]}}`)
	listUsers := func() string {
		_, out := post(t, c.ahsay.Handler(), http.MethodPost, "/obs/api/json/ListUsers.do", map[string]any{"SysUser": c.ahsay.SysUser, "SysPwd": c.ahsay.SysPwd})
		return out["Status"].(string)
	}
	t.Run("a fault injected by name hits the next calls, then goes", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/faults", `{"op":"ListUsers","status":503,"retryAfter":"2s","times":2}`)
		require.Equal(t, http.StatusOK, code, out)
		assert.Equal(t, []any{map[string]any{"server": "ahsay", "op": "ListUsers", "status": 503.0, "retryAfter": "2s", "times": 2.0}}, out["faults"])
		assert.Equal(t, "Error", listUsers())
		assert.Equal(t, "Error", listUsers())
		assert.Equal(t, "OK", listUsers())
		_, out = c.call(t, http.MethodGet, "/_backupapi/faults", "")
		assert.Empty(t, out["faults"])
	})
	t.Run("a fault of the appliance, with every kind given by name", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/faults", `{"server":"xclarity","op":"ListBackups","body":"truncated","times":-1}`)
		require.Equal(t, http.StatusOK, code, out)
		code, _ = c.xc(t, http.MethodGet, "/managementServer/data", nil)
		assert.Equal(t, http.StatusOK, code)
		faults := c.lxca.Faults()
		require.Len(t, faults, 1)
		assert.Equal(t, backupapitest.BodyTruncated, faults[0].Fault.Body)
		assert.Equal(t, -1, faults[0].Fault.Times, "forever")
		code, out = c.call(t, http.MethodPost, "/_backupapi/faults", `{"op":"AddUser","drop":"afterAct"}`)
		require.Equal(t, http.StatusOK, code, out)
		assert.Equal(t, backupapitest.DropAfterAct, c.ahsay.Faults()[0].Fault.Drop)
	})
	t.Run("clearing one operation's faults keeps the others", func(t *testing.T) {
		code, out := c.call(t, http.MethodDelete, "/_backupapi/faults?op=ListBackups", "")
		require.Equal(t, http.StatusOK, code, out)
		assert.Equal(t, []any{map[string]any{"server": "ahsay", "op": "AddUser", "drop": "afterAct", "times": 1.0}}, out["faults"])
		code, out = c.call(t, http.MethodDelete, "/_backupapi/faults", "")
		require.Equal(t, http.StatusOK, code)
		assert.Empty(t, out["faults"])
	})
	refused := []struct{ name, body, says string }{
		{"an unknown operation, with the valid ones", `{"op":"AddUsers","status":503}`, "unknown operation \"AddUsers\"; AhsayCBS: ListUsers, AuthUser"},
		{"an unknown drop, with the valid ones", `{"op":"AddUser","drop":"later"}`, `drop "later": not one of afterAct, beforeAct`},
		{"an unknown body, with the valid ones", `{"op":"AddUser","body":"garbage"}`, `not one of echo, empty, html, oversized, stall, truncated`},
		{"an unknown key", `{"op":"AddUser","status":503,"count":2}`, `unknown field "count"`},
		{"an operation of the other fake", `{"server":"xclarity","op":"AddUser","status":503}`, "unknown operation"},
		{"an unknown fake", `{"server":"cbs","op":"AddUser","status":503}`, `server "cbs"`},
		{"a fault that does nothing", `{"op":"AddUser","times":3}`, "does nothing"},
		{"a status that is not one", `{"op":"AddUser","status":42}`, "not an HTTP status"},
		{"a count below -1", `{"op":"AddUser","status":503,"times":-2}`, "times -2"},
		{"a duration that is not one", `{"op":"AddUser","delay":"soon"}`, "invalid duration"},
	}
	for _, tc := range refused {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			code, out := c.call(t, http.MethodPost, "/_backupapi/faults", tc.body)
			assert.Equal(t, http.StatusBadRequest, code)
			assert.Contains(t, out["error"], tc.says)
			assert.Empty(t, c.ahsay.Faults())
		})
	}
	t.Run("refused: clearing an unknown operation", func(t *testing.T) {
		code, _ := c.call(t, http.MethodDelete, "/_backupapi/faults?op=Nope", "")
		assert.Equal(t, http.StatusBadRequest, code)
	})
}

func TestControlCalls(t *testing.T) {
	c := newControlled(t, `{"ahsay":{"users":[{"loginName":"alice","password":"alice-pw"}]}}`)
	ahsayCall(t, c.ahsay, "AuthUser", map[string]any{"LoginName": "alice", "Password": "alice-pw"})
	ahsayCall(t, c.ahsay, "AuthUser", map[string]any{"LoginName": "alice", "Password": "alice-pw"})
	code, _ := post(t, c.lxca.Handler(), http.MethodPost, "/sessions", map[string]any{"UserId": c.lxca.Username, "password": c.lxca.Password})
	require.Equal(t, http.StatusOK, code)
	c.xc(t, http.MethodPost, "/managementServer/data", map[string]any{"operation": "backup", "action": "start", "passphrase": "my-passphrase"})

	code, out := c.call(t, http.MethodGet, "/_backupapi/calls?last=3", "")
	require.Equal(t, http.StatusOK, code)
	counts := out["counts"].(map[string]any)
	assert.Equal(t, 2.0, counts["ahsay"].(map[string]any)["AuthUser"])
	assert.Equal(t, 0.0, counts["ahsay"].(map[string]any)["AddUser"], "every operation is listed, zeros too")
	assert.Equal(t, 1.0, counts["xclarity"].(map[string]any)["Login"])
	requests := out["requests"].([]any)
	require.Len(t, requests, 3, "the last 3")
	first, last := requests[0].(map[string]any), requests[2].(map[string]any)
	assert.Equal(t, "ahsay", first["server"])
	assert.Equal(t, "AuthUser", first["op"])
	assert.Equal(t, "/obs/api/json/AuthUser.do", first["path"])
	assert.Contains(t, first["body"], `"LoginName":"alice"`)
	assert.Equal(t, "xclarity", last["server"])
	assert.Equal(t, "CreateBackup", last["op"])
	raw, _ := json.Marshal(out)
	for _, secret := range []string{c.ahsay.SysPwd, "alice-pw", c.lxca.Password, "my-passphrase"} {
		assert.NotContains(t, string(raw), secret, "secrets are masked")
	}
	assert.Equal(t, `{"UserId":"ADMIN","password":"***"}`, requests[1].(map[string]any)["body"])
	assert.Equal(t, []any{"***"}, last["header"].(map[string]any)["Authorization"])

	t.Run("last=0 lists counts only; a wrong last is refused", func(t *testing.T) {
		_, out := c.call(t, http.MethodGet, "/_backupapi/calls?last=0", "")
		assert.Empty(t, out["requests"])
		code, _ := c.call(t, http.MethodGet, "/_backupapi/calls?last=many", "")
		assert.Equal(t, http.StatusBadRequest, code)
	})
}

func TestControlClock(t *testing.T) {
	c := newControlled(t, `{"ahsay":{"users":[{"loginName":"alice","sets":[{"id":"1700000000001"}]}]}}`)
	t.Run("it reads the clock", func(t *testing.T) {
		_, out := c.call(t, http.MethodGet, "/_backupapi/clock", "")
		assert.Equal(t, "2026-11-23T12:00:00Z", out["now"])
	})
	t.Run("jobs, quiesce and rebuilds move with it", func(t *testing.T) {
		copyJob := c.startCopy(t)
		assert.Equal(t, "Pending", c.jobState(t, copyJob))
		code, out := c.xc(t, http.MethodPost, "/managementServer/data", map[string]any{"operation": "backup", "action": "start", "passphrase": "x"})
		require.Equal(t, http.StatusOK, code, out)
		ahsayCall(t, c.ahsay, "RunSingleUserRebuild", map[string]any{"LoginName": "alice", "BackupSetID": "1700000000001"})
		ahsayCall(t, c.ahsay, "RunBackup", map[string]any{"LoginName": "alice", "BackupSetID": "1700000000001"})
		_, quiesce := c.xc(t, http.MethodGet, "/managementServer/quiesce", nil)
		require.NotEmpty(t, quiesce, "quiesced while the backup runs")

		code, out2 := c.call(t, http.MethodPost, "/_backupapi/clock", `{"advance":"2m"}`)
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, "2026-11-23T12:02:00Z", out2["now"])
		assert.Equal(t, "Complete", c.jobState(t, copyJob))
		_, quiesce = c.xc(t, http.MethodGet, "/managementServer/quiesce", nil)
		assert.Empty(t, quiesce, "the backup ended: no longer quiesced")
		rebuild := ahsayCall(t, c.ahsay, "GetSingleUserRebuildStatus", map[string]any{"LoginName": "alice"})["Data"].(map[string]any)
		assert.Equal(t, "Finished", rebuild["Status"], "on the first poll after the job duration")
		jobs := ahsayCall(t, c.ahsay, "ListBackupJobStatus", map[string]any{"LoginName": "alice", "BackupDate": "2026-11-23"})["Data"].([]any)
		require.Len(t, jobs, 1)
		assert.Equal(t, "BS_STOP_SUCCESS", jobs[0].(map[string]any)["BackupJobStatus"])
	})
	t.Run("it never goes back", func(t *testing.T) {
		for _, body := range []string{`{"advance":"-1m"}`, `{"advance":"0s"}`, `{}`, `{"advance":"1m","by":"x"}`} {
			code, _ := c.call(t, http.MethodPost, "/_backupapi/clock", body)
			assert.Equal(t, http.StatusBadRequest, code, body)
		}
	})
	t.Run("without a clock to move it is 409", func(t *testing.T) {
		h := backupapitest.ControlHandler(backupapitest.ControlConfig{Token: "t", Ahsay: c.ahsay})
		code, _ := post(t, h, http.MethodGet, "/_backupapi/clock", nil, "Authorization", "Bearer t")
		assert.Equal(t, http.StatusConflict, code)
	})
}

func TestControlJobs(t *testing.T) {
	c := newControlled(t, `{"ahsay":{"users":[{"loginName":"alice","sets":[{"id":"1700000000001"}]}]}}`)
	t.Run("jobs started from now on fail, and take the new duration", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/jobs", `{"duration":"10s","xclarityOutcome":"Stopped_With_Error","ahsayBackupOutcome":"BS_STOP_BY_SYSTEM_ERROR"}`)
		require.Equal(t, http.StatusOK, code, out)
		assert.Equal(t, map[string]any{"duration": "10s", "xclarityOutcome": "Stopped_With_Error", "ahsayBackupOutcome": "BS_STOP_BY_SYSTEM_ERROR"}, out)
		id := c.startCopy(t)
		ahsayCall(t, c.ahsay, "RunBackup", map[string]any{"LoginName": "alice", "BackupSetID": "1700000000001"})
		c.clock.Advance(11 * time.Second)
		assert.Equal(t, string(backupapi.JobStoppedWithError), c.jobState(t, id))
		jobs := ahsayCall(t, c.ahsay, "ListBackupJobStatus", map[string]any{"LoginName": "alice", "BackupDate": "2026-11-23"})["Data"].([]any)
		assert.Equal(t, "BS_STOP_BY_SYSTEM_ERROR", jobs[0].(map[string]any)["BackupJobStatus"])
	})
	t.Run("Complete makes them finish well again; a field left out stays", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/jobs", `{"xclarityOutcome":"Complete"}`)
		require.Equal(t, http.StatusOK, code, out)
		_, out = c.call(t, http.MethodGet, "/_backupapi/jobs", "")
		assert.Equal(t, map[string]any{"duration": "10s", "xclarityOutcome": "Complete", "ahsayBackupOutcome": "BS_STOP_BY_SYSTEM_ERROR"}, out)
		id := c.startCopy(t)
		c.clock.Advance(11 * time.Second)
		assert.Equal(t, "Complete", c.jobState(t, id))
	})
	t.Run("a wrong setting is refused with its key", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/jobs", `{"xclarityOutcome":"Done","durtion":"1s"}`)
		assert.Equal(t, http.StatusBadRequest, code)
		paths := []any{}
		for _, p := range out["problems"].([]any) {
			paths = append(paths, p.(map[string]any)["path"])
		}
		assert.ElementsMatch(t, []any{"xclarityOutcome", "durtion"}, paths)
	})
}

func TestControlSeedAndReset(t *testing.T) {
	c := newControlled(t, `{"ahsay":{"users":[{"loginName":"alice","sets":[{"id":"1"}]}]},"xclarity":{"backups":[]}}`)
	t.Run("seed adds state, naming what the fakes hold", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/seed", `{"ahsay":{"users":[{"loginName":"bob"}],
			"backupJobs":[{"loginName":"alice","backupSetId":"1","start":"2026-11-23T01:00:00Z"}]},
			"xclarity":{"backups":[{"uuid":"u-1","filename":"f.tgz","location":"/mnt/share"}]}}`)
		require.Equal(t, http.StatusOK, code, out)
		assert.Len(t, c.ahsay.Users(), 2)
		require.Len(t, c.lxca.Backups(), 1)
		assert.Equal(t, "/mnt/share", c.lxca.Backups()[0].Location)
	})
	t.Run("a wrong seed is refused with every problem's path, and changes nothing", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/seed", `{"ahsay":{"users":[{"loginName":"carol"}],"runJobs":[{"loginName":"dave","backupSetId":"1"}]}}`)
		assert.Equal(t, http.StatusBadRequest, code)
		assert.Equal(t, []any{map[string]any{"path": "ahsay.runJobs[0].loginName", "problem": `no user "dave" in the seed or on the server`}}, out["problems"])
		_, carol := c.ahsay.User("", "carol")
		assert.False(t, carol)
		code, out = c.call(t, http.MethodPost, "/_backupapi/seed", `{"ahsay":{"users":[{"LoginName":"x"}]}}`)
		assert.Equal(t, http.StatusBadRequest, code)
		assert.Contains(t, out["error"], `ahsay.users[0].LoginName: unknown key (did you mean "loginName"?)`)
	})
	t.Run("reset returns to the seed", func(t *testing.T) {
		c.ahsay.Inject(backupapitest.OpListUsers, backupapitest.Fault{Status: 500})
		code, out := c.call(t, http.MethodPost, "/_backupapi/reset", "")
		require.Equal(t, http.StatusOK, code, out)
		users := c.ahsay.Users()
		require.Len(t, users, 1)
		assert.Equal(t, "alice", users[0].LoginName)
		assert.Empty(t, c.lxca.Backups(), "the seed's [] replaced the default backups")
		assert.Empty(t, c.ahsay.Faults())
	})
	t.Run("reset with a seed makes it the one to return to", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/reset", `{"ahsay":{"users":[{"loginName":"zoe"}]}}`)
		require.Equal(t, http.StatusOK, code, out)
		c.ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "extra"})
		code, _ = c.call(t, http.MethodPost, "/_backupapi/reset", "")
		require.Equal(t, http.StatusOK, code)
		users := c.ahsay.Users()
		require.Len(t, users, 1)
		assert.Equal(t, "zoe", users[0].LoginName)
		assert.Len(t, c.lxca.Backups(), 2, "this seed lists no backups: the defaults")
	})
	t.Run("reset with a wrong seed changes nothing", func(t *testing.T) {
		code, _ := c.call(t, http.MethodPost, "/_backupapi/reset", `{"ahsay":{"liveJobs":[{"loginName":"nobody","backupSetId":"1"}]}}`)
		assert.Equal(t, http.StatusBadRequest, code)
		_, zoe := c.ahsay.User("", "zoe")
		assert.True(t, zoe)
		code, _ = c.call(t, http.MethodPost, "/_backupapi/reset", "")
		require.Equal(t, http.StatusOK, code)
		_, zoe = c.ahsay.User("", "zoe")
		assert.True(t, zoe, "the base seed is still zoe's")
	})
}
