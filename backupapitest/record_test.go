package backupapitest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecordedRequestsMaskEverySecret(t *testing.T) {
	const secret = "TOPSECRET-41"
	cases := []struct {
		name, contentType, path, body string
		header                        map[string]string
		shown                         string // the body as recorded
	}{
		{"a JSON body", "application/json", "/obs/api/json/AuthUser.do",
			`{"SysUser":"system","SysPwd":"` + secret + `","LoginName":"a","Password":"` + secret + `"}`, nil,
			`{"LoginName":"a","Password":"***","SysPwd":"***","SysUser":"system"}`},
		{"a JSON body sent as a form (curl -d)", "application/x-www-form-urlencoded", "/obs/api/json/AuthUser.do",
			`{"SysUser":"system","SysPwd":"` + secret + `"}`, nil, `{"SysPwd":"***","SysUser":"system"}`},
		{"a form body", "application/x-www-form-urlencoded", "/obs/api/json/ListUsers.do",
			"SysUser=system&SysPwd=" + secret + "&LoginName=a", nil, "LoginName=a&SysPwd=%2A%2A%2A&SysUser=system"},
		{"secrets at any depth", "application/json", "/obs/api/json/UpdateUser.do",
			`{"Users":[{"NewPassword":"` + secret + `"}],"passphrase":{"x":"` + secret + `"}}`, nil, `{"Users":[{"NewPassword":"***"}],"passphrase":"***"}`},
		{"a query string", "", "/obs/api/json/ListUsers.do?SysUser=system&SysPwd=" + secret, "", nil, ""},
		{"a body that is neither JSON nor a form", "text/plain", "/obs/api/json/ListUsers.do", "SysPwd: " + secret, nil,
			"(not shown: 20 bytes that are neither JSON nor a form)"},
		{"a form whose names are not names", "application/x-www-form-urlencoded", "/obs/api/json/ListUsers.do",
			`{"SysPwd":"` + secret + `"`, nil, "(not shown: 24 bytes that are neither JSON nor a form)"},
		{"an upload", "multipart/form-data; boundary=x", "/files/managementServer/data?action=import",
			"--x\r\nContent-Disposition: form-data; name=\"uploadedfile\"; filename=\"b.tgz\"\r\n\r\n" + secret + "\r\n--x--\r\n", nil,
			"(not shown: 99 bytes of multipart/form-data)"},
		{"secret headers", "application/json", "/managementServer/data", `{}`,
			map[string]string{"Cookie": "JSESSIONID=" + secret, "X-Csrf-Token": secret, "Authorization": "Basic " + secret}, "{}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ahsay, lxca := backupapitest.NewUnstartedAhsayServer(), backupapitest.NewUnstartedXClarityServer()
			req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			if strings.HasPrefix(tc.path, "/obs/") {
				ahsay.Handler().ServeHTTP(httptest.NewRecorder(), req)
			} else {
				req.SetBasicAuth(lxca.Username, lxca.Password)
				lxca.Handler().ServeHTTP(httptest.NewRecorder(), req)
			}
			recorded := append(ahsay.Requests(), lxca.Requests()...)
			require.Len(t, recorded, 1)
			assert.Equal(t, tc.shown, recorded[0].Body)
			raw, err := json.Marshal(recorded)
			require.NoError(t, err)
			assert.NotContains(t, string(raw), secret)
			assert.NotContains(t, string(raw), lxca.Password)
		})
	}
	t.Run("the handler still reads the whole body", func(t *testing.T) {
		ahsay := backupapitest.NewUnstartedAhsayServer()
		ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "a", Password: "pw"})
		out := ahsayCall(t, ahsay, "AuthUser", map[string]any{"LoginName": "a", "Password": "pw"})
		assert.Equal(t, "OK", out["Status"])
	})
}

func TestTheFakesKeepTheLast200Requests(t *testing.T) {
	ahsay := backupapitest.NewUnstartedAhsayServer()
	for i := range 205 {
		ahsayCall(t, ahsay, "GetUser", map[string]any{"LoginName": "n" + string(rune('a'+i%26))})
	}
	recorded := ahsay.Requests()
	require.Len(t, recorded, 200)
	for i := 1; i < len(recorded); i++ {
		assert.Less(t, recorded[i-1].Seq, recorded[i].Seq, "oldest first")
	}
	assert.Equal(t, `{"LoginName":"nf","SysPwd":"***","SysUser":"system"}`, recorded[0].Body, "the first five are gone")
}

// TestTheFakesRecordEveryRequestTheyRefuse: a request a fake refuses —
// wrong credentials, a quiesced job API (a 503 or a dropped connection),
// an unknown path — is in Requests and in the control API's calls, as
// the requests it serves are.
func TestTheFakesRecordEveryRequestTheyRefuse(t *testing.T) {
	send := func(t *testing.T, h http.Handler, method, path, user, password string) {
		t.Helper()
		srv := httptest.NewServer(h)
		defer srv.Close()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(`{"SysUser":"`+user+`","SysPwd":"`+password+`"}`))
		require.NoError(t, err)
		req.SetBasicAuth(user, password)
		resp, err := srv.Client().Do(req)
		if err == nil { // a dropped connection is an error
			resp.Body.Close()
		}
	}
	cases := []struct {
		name     string
		prepare  func(t *testing.T, c *controlled)
		xclarity bool
		method   string
		path     string
		wrongPwd bool
		op       string
	}{
		{"XClarity: wrong credentials (401)", nil, true, http.MethodGet, "/managementServer/data", true, "ListBackups"},
		{"XClarity: an unknown path (404)", nil, true, http.MethodGet, "/nothing/here", false, ""},
		{"XClarity: the job API while quiesced (503, then a dropped connection)", func(t *testing.T, c *controlled) {
			code, out := c.xc(t, http.MethodPost, "/managementServer/data", map[string]any{"operation": "backup", "action": "start", "passphrase": "x"})
			require.Equal(t, http.StatusOK, code, out)
		}, true, http.MethodGet, "/tasks/1", false, "GetJobs"},
		{"AhsayCBS: wrong credentials", nil, false, http.MethodPost, "/obs/api/json/ListUsers.do", true, "ListUsers"},
		{"AhsayCBS: an unknown endpoint (404)", nil, false, http.MethodPost, "/obs/api/json/NoSuchThing.do", false, ""},
		{"AhsayCBS: a GET (405)", nil, false, http.MethodGet, "/obs/api/json/ListUsers.do", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newControlled(t, "")
			if tc.prepare != nil {
				tc.prepare(t, c)
			}
			user, password, handler, server := c.ahsay.SysUser, c.ahsay.SysPwd, c.ahsay.Handler(), "ahsay"
			if tc.xclarity {
				user, password, handler, server = c.lxca.Username, c.lxca.Password, c.lxca.Handler(), "xclarity"
			}
			if tc.wrongPwd {
				password = "WRONG"
			}
			before := len(c.ahsay.Requests()) + len(c.lxca.Requests())
			sends := 1
			if tc.op == "GetJobs" {
				sends = 2 // quiesced: a 503, then a dropped connection
			}
			for range sends {
				send(t, handler, tc.method, tc.path, user, password)
			}
			recorded := append(c.ahsay.Requests(), c.lxca.Requests()...)
			require.Len(t, recorded, before+sends)
			for _, r := range recorded[before:] {
				assert.Equal(t, tc.op, r.Op)
				assert.Equal(t, tc.path, r.Path)
			}
			_, out := c.call(t, http.MethodGet, "/_backupapi/calls?last=2", "")
			shown := out["requests"].([]any)
			require.NotEmpty(t, shown)
			last := shown[len(shown)-1].(map[string]any)
			assert.Equal(t, server, last["server"])
			assert.Equal(t, tc.path, last["path"])
		})
	}
}
