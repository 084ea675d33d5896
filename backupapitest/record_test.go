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
