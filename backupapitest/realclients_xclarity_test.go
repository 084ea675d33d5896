package backupapitest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests send requests as Lenovo's own clients send them
// (lenovo/xclarity_client, the Ruby gem, and lenovo/pylxca) and check the
// answer's shape.

// rawXC sends a request to the fake's handler and decodes its JSON answer
// (nil for an empty body).
func rawXC(t *testing.T, srv *backupapitest.XClarityServer, r *http.Request) (*http.Response, any) {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, r)
	var out any
	if rec.Body.Len() > 0 {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	}
	return rec.Result(), out
}

// gemRequest is a request as the gem's Faraday connection in basic_auth
// mode sends it.
func gemRequest(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.SetBasicAuth(backupapitest.DefaultUsername, backupapitest.DefaultPassword)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

func TestTheRubyGemsCredentialCheckOpensAndClosesASession(t *testing.T) {
	srv := backupapitest.NewUnstartedXClarityServer()
	resp, out := rawXC(t, srv, gemRequest(http.MethodPost, "/sessions", `{"UserId":"ADMIN","password":"Passw0rd"}`))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body := out.(map[string]any)
	messages := body["messages"].([]any)
	require.NotEmpty(t, messages)
	id := messages[0].(map[string]any)["id"].(string) // JSON.parse(body)['messages'].first['id']
	session := body["response"].(map[string]any)["session"].(map[string]any)
	assert.Equal(t, id, session["id"], "messages[0].id is the session's ID")
	var csrf string
	for _, ck := range resp.Cookies() {
		if ck.Name == "csrf" {
			csrf = ck.Value
		}
	}
	assert.Equal(t, csrf, session["csrf"], "response.session.csrf is the csrf cookie")
	assert.Equal(t, "ADMIN", session["UserId"])
	_, err := time.Parse(time.RFC3339, session["created"].(string))
	assert.NoError(t, err)
	assert.Equal(t, float64(1440), session["inactivityTimeout"], "minutes, as Lenovo's pages give it")
	assert.Contains(t, messages, map[string]any{"id": "FQXHMSE0001I", "text": "The request completed successfully.", "explanation": "",
		"recovery": map[string]any{"text": "Information only; no action is required.", "URL": ""}})
	assert.Equal(t, 1, srv.Sessions())

	resp, _ = rawXC(t, srv, gemRequest(http.MethodDelete, "/sessions/"+id, ""))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Zero(t, srv.Sessions())
	resp, _ = rawXC(t, srv, gemRequest(http.MethodDelete, "/sessions/"+id, ""))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a session the appliance does not know")
	assert.Equal(t, 2, srv.Calls(backupapitest.OpLogout))
}

// viewState returns the state and percentage of a job in the /jobs view.
func viewState(v any) (state string, pct float64) {
	st := v.(map[string]any)["status"].(map[string]any)
	return st["state"].(string), st["percentage"].(float64)
}

func TestTheJobsViewServesTheGemAndPylxca(t *testing.T) {
	clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Second))
	// Job 17 completes; job 18 is left running.
	for i, uuid := range []string{"4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "9a1c4d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d"} {
		resp, _ := rawXC(t, srv, gemRequest(http.MethodPut, "/managementServer/data",
			`{"action":"start","operation":"copy","uuid":"`+uuid+`","destination":"/mnt/share"}`))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		clock.Advance([]time.Duration{12 * time.Second, 2 * time.Second}[i])
	}

	_, list := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs", ""))
	jobs := list.([]any)
	require.Len(t, jobs, 2, "GET /jobs is an array, as the blueprint shows")
	first := jobs[0].(map[string]any)
	for _, key := range []string{"id", "isCancelable", "status", "cancelledBy", "messageDisplay", "messageBundle", "startTime",
		"endTime", "messageParameters", "category", "messageID", "createdBy", "cancelURI", "uuid", "typeId"} {
		assert.Contains(t, first, key, "the blueprint's %s", key)
	}
	state, pct := viewState(first)
	assert.Equal(t, "17", first["id"])
	assert.Equal(t, "Complete", state)
	assert.Equal(t, float64(100), pct)
	assert.Equal(t, false, first["isCancelable"])
	state, _ = viewState(jobs[1])
	assert.Equal(t, "Running", state)
	assert.Equal(t, true, jobs[1].(map[string]any)["isCancelable"])

	for _, q := range []string{"?state=Complete", "?state=Complete,uuid=FEE5C5988F23453F8367597C3561DC54"} { // the gem; pylxca
		_, filtered := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs"+q, ""))
		require.Len(t, filtered, 1, q)
		assert.Equal(t, "17", filtered.([]any)[0].(map[string]any)["id"])
	}

	resp, one := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/18", ""))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "18", one.(map[string]any)["id"], "GET /jobs/{id} is one object")

	resp, _ = rawXC(t, srv, gemRequest(http.MethodPut, "/jobs/18", `{"cancelRequest":"true"}`)) // JSON.generate(cancelRequest: 'true')
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	_, one = rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/18", ""))
	state, _ = viewState(one)
	assert.Equal(t, "Cancelled", state)
	assert.Equal(t, backupapitest.DefaultUsername, one.(map[string]any)["cancelledBy"])

	resp, _ = rawXC(t, srv, gemRequest(http.MethodDelete, "/jobs/17", ""))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/17", ""))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a deleted job is gone")
	resp, _ = rawXC(t, srv, gemRequest(http.MethodPut, "/jobs/999", `{"cancelRequest":true}`))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, 1, srv.Calls(backupapitest.OpDeleteJob))
	assert.Equal(t, 2, srv.Calls(backupapitest.OpCancelJobs), "PUT /jobs/{id} with cancelRequest is CancelJobs")
}

func TestPylxcasSessionUsesTheCSRFCookieAsItsToken(t *testing.T) {
	srv := backupapitest.NewUnstartedXClarityServer()
	login := httptest.NewRequest(http.MethodPost, "/sessions", strings.NewReader(`{"UserId":"ADMIN","password":"Passw0rd"}`))
	login.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, _ := rawXC(t, srv, login)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	get := httptest.NewRequest(http.MethodGet, "/jobs?state=Running", nil)
	for _, ck := range resp.Cookies() {
		get.AddCookie(ck)
		if ck.Name == "csrf" {
			get.Header.Set("X-Csrf-Token", ck.Value) // session.headers.update({'X-Csrf-Token': cookies.get('csrf')})
		}
	}
	resp, out := rawXC(t, srv, get)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []any{}, out)
}

// sessionRequest is a request on the session login opened, with or
// without X-NOT-USER-INPUT: checkSession.
func sessionRequest(login *http.Response, checkSession bool) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/managementServer/data", nil)
	for _, ck := range login.Cookies() {
		r.AddCookie(ck)
		if ck.Name == "csrf" {
			r.Header.Set("X-Csrf-Token", ck.Value)
		}
	}
	if checkSession {
		r.Header.Set("X-NOT-USER-INPUT", "checkSession")
	}
	return r
}

func TestAnIdleSessionTimesOutWhenScriptsSayCheckSession(t *testing.T) {
	cases := []struct {
		name         string
		checkSession bool
		want         []int // the statuses of requests 4 minutes apart
	}{
		{"requests without the header are input: the session lives on", false, []int{200, 200, 200, 200}},
		{"requests with the header are not: the session times out", true, []int{200, 200, 401, 401}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
			srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithSessionTimeout(10*time.Minute))
			login, _ := rawXC(t, srv, httptest.NewRequest(http.MethodPost, "/sessions", strings.NewReader(`{"UserId":"ADMIN","password":"Passw0rd"}`)))
			var got []int
			for range tc.want {
				clock.Advance(4 * time.Minute)
				resp, _ := rawXC(t, srv, sessionRequest(login, tc.checkSession))
				got = append(got, resp.StatusCode)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// headerRecorder records one header of every request it passes on.
type headerRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string][]string // path -> values
}

func (h *headerRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.seen[r.Method+" "+r.URL.Path] = append(h.seen[r.Method+" "+r.URL.Path], r.Header.Get("X-NOT-USER-INPUT"))
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

func TestWithCheckSessionMarksEveryRequestAndSurvivesTheTimeout(t *testing.T) {
	for _, opted := range []bool{true, false} {
		t.Run(map[bool]string{true: "with WithCheckSession", false: "without"}[opted], func(t *testing.T) {
			clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
			srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithSessionTimeout(10*time.Minute))
			rec := &headerRecorder{next: srv.Handler(), seen: map[string][]string{}}
			opts := []backupapi.Option{backupapi.WithHTTPClient(&http.Client{Transport: backupapitest.Transport(rec)})}
			if opted {
				opts = append(opts, backupapi.WithCheckSession())
			}
			c, err := backupapi.NewXClarityClient("https://lxca.test", srv.Username, srv.Password, opts...)
			require.NoError(t, err)
			_, err = c.ListBackups(ctx)
			require.NoError(t, err)
			clock.Advance(11 * time.Minute) // idle past the timeout
			_, err = c.ListBackups(ctx)
			require.NoError(t, err, "an expired session is opened again")
			require.NoError(t, c.Close(ctx))

			want := ""
			if opted {
				want = "checkSession"
			}
			for req, values := range rec.seen {
				for _, v := range values {
					assert.Equal(t, want, v, req)
				}
			}
			assert.Equal(t, 2, srv.Calls(backupapitest.OpLogin), "the idle session timed out either way")
			assert.Len(t, rec.seen["GET /managementServer/data"], 3, "the refused call, then again after the login")
		})
	}
}

func TestABackupNotFoundIs400ForEveryOperation(t *testing.T) {
	_, c := fakeXClarity(t, inProcess())
	const nope = "00000000-0000-0000-0000-000000000000"
	cases := map[string]func() error{
		"CopyBackup": func() error {
			_, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: nope, Destination: "/mnt/s"})
			return err
		},
		"MoveBackup": func() error {
			_, err := c.MoveBackup(ctx, &backupapi.TransferBackupRequest{UUID: nope, Destination: "/mnt/s"})
			return err
		},
		"PushBackup": func() error {
			_, err := c.PushBackup(ctx, &backupapi.PushBackupRequest{UUID: nope, TargetAddress: "10.0.0.9"})
			return err
		},
		"DeleteBackup": func() error {
			_, err := c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: nope, Location: backupapi.LocationAll})
			return err
		},
		"PrepareRestore": func() error {
			_, err := c.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: nope, Passphrase: "p"})
			return err
		},
		"StartRestore": func() error {
			_, err := c.StartRestore(ctx, &backupapi.RestoreRequest{UUID: nope, Passphrase: "p"})
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			var e *backupapi.Error
			require.ErrorAs(t, call(), &e)
			assert.Equal(t, http.StatusBadRequest, e.HTTPStatus, "Lenovo's pages list 400, never 404")
			require.NotEmpty(t, e.Messages)
			assert.Equal(t, "FQXHMSE0404J", e.Messages[0].ID)
		})
	}
}

func TestACopyIsListedAtItsLocationAndLocationAllDeletesEveryCopy(t *testing.T) {
	clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv, c := fakeXClarity(t, inProcess(), withServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(time.Second)))
	const uuid = "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"
	copyTo := func(dest string) {
		_, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: uuid, Destination: dest})
		require.NoError(t, err)
		clock.Advance(2 * time.Second)
	}
	locations := func() []string {
		backups, err := c.ListBackups(ctx)
		require.NoError(t, err)
		var out []string
		for _, b := range backups {
			if b.UUID == uuid {
				out = append(out, b.Location)
			}
		}
		return out
	}
	copyTo("/mnt/share")
	copyTo("/mnt/other")
	assert.Equal(t, []string{"internal", "/mnt/share", "/mnt/other"}, locations(), "one row per copy, each with its location")

	_, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: uuid, Destination: "/mnt/share"})
	assert.ErrorIs(t, err, backupapi.ErrInvalidRequest, "a copy where one is already")

	_, err = c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: uuid, Location: "/mnt/share"})
	require.NoError(t, err)
	assert.Equal(t, []string{"internal", "/mnt/other"}, locations(), "one location deletes that copy")
	_, err = c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: uuid, Location: "/mnt/share"})
	assert.ErrorIs(t, err, backupapi.ErrInvalidRequest, "no copy is there any more")

	_, err = c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: uuid, Location: backupapi.LocationAll})
	require.NoError(t, err)
	assert.Empty(t, locations(), "LocationAll deletes every copy")
	assert.Len(t, srv.Backups(), 1, "the other backup stays")
}
