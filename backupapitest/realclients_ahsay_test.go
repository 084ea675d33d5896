package backupapitest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests send requests as public clients nobody here wrote send them
// (inmediasit/check_ahsay, hannesbe/php-ahsay-api-wrapper,
// skymailbr/ahsay-php) and check the answer's shape.

// rawAhsay posts a body of the content type to the fake's endpoint (path
// may carry a query) and decodes the JSON answer.
func rawAhsay(t *testing.T, srv *backupapitest.AhsayServer, path, contentType, body string) map[string]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, "AhsayCBS answers errors with 200 and Status Error")
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return out
}

const form = "application/x-www-form-urlencoded"

// monitoredAlice is a fake with alice, two sets and a night of jobs.
func monitoredAlice(t *testing.T) *backupapitest.AhsayServer {
	srv := backupapitest.NewUnstartedAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "Pa55-alice",
		Sets: []backupapitest.AhsayBackupSet{{ID: "1700000000001", Name: "Documents"}, {ID: "1700000000002", Name: "Photos"}}})
	night := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	srv.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1700000000001", Start: night.Add(time.Hour),
		End: night.Add(2 * time.Hour), Status: backupapi.BackupSuccess})
	srv.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1700000000002", Start: night.Add(3 * time.Hour),
		End: night.Add(4 * time.Hour), Status: backupapi.BackupStoppedBySystemError})
	return srv
}

func TestCheckAhsaysFormEncodedRequestIsAnswered(t *testing.T) {
	srv := monitoredAlice(t)
	body := url.Values{"SysUser": {"system"}, "SysPwd": {"system1"}, "LoginName": {"alice"}, "BackupDate": {"2026-11-23"}}.Encode()
	out := rawAhsay(t, srv, "/obs/api/json/ListBackupJobStatus.do", form, body)
	assert.Equal(t, "OK", out["Status"])
	data, ok := out["Data"].([]any)
	require.True(t, ok, "Data is a list")
	require.Len(t, data, 2)
	for _, item := range data {
		job := item.(map[string]any)
		_, err := time.Parse("2006-01-02 15:04:05", job["StartTime"].(string))
		assert.NoError(t, err, "StartTime as check_ahsay parses it")
		assert.NotEmpty(t, job["BackupSetName"], "jobs are grouped by BackupSetName")
		assert.Contains(t, []any{"BS_STOP_SUCCESS", "BS_STOP_BY_SYSTEM_ERROR"}, job["BackupJobStatus"])
	}

	refused := rawAhsay(t, srv, "/obs/api/json/ListBackupJobStatus.do", form,
		url.Values{"SysUser": {"system"}, "SysPwd": {"wrong"}, "LoginName": {"alice"}, "BackupDate": {"2026-11-23"}}.Encode())
	assert.Equal(t, "Error", refused["Status"])
	assert.Equal(t, "Incorrect system username/password", refused["Message"], "check_ahsay prints Message")
}

func TestParametersComeFromTheBodyAndTheQueryString(t *testing.T) {
	srv := monitoredAlice(t)
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "p"})
	cases := []struct {
		name, path, contentType, body string
		want                          string // the user GetUser answers with
	}{
		{"a JSON body", "/obs/api/json/GetUser.do", "application/json", `{"SysUser":"system","SysPwd":"system1","LoginName":"alice"}`, "alice"},
		{"a form body", "/obs/api/json/GetUser.do", form, "SysUser=system&SysPwd=system1&LoginName=alice", "alice"},
		{"the query string and no body", "/obs/api/json/GetUser.do?SysUser=system&SysPwd=system1&LoginName=alice", "", "", "alice"},
		{"the query string beside a form body", "/obs/api/json/GetUser.do?LoginName=alice", form, "SysUser=system&SysPwd=system1", "alice"},
		{"a form and the query string: the query string's value comes first", "/obs/api/json/GetUser.do?LoginName=bob", form,
			"SysUser=system&SysPwd=system1&LoginName=alice", "bob"},
		{"a JSON body and the query string: the body's value wins", "/obs/api/json/GetUser.do?LoginName=bob", "application/json",
			`{"SysUser":"system","SysPwd":"system1","LoginName":"alice"}`, "alice"},
		{"a form body on a v2 path", "/obs/api/json/2/GetUser.do", form, "SysUser=system&SysPwd=system1&LoginName=alice", "alice"},
		{"a form body on a /cbs/ path", "/cbs/api/json/GetUserStatus.do", form, "SysUser=system&SysPwd=system1&Type=backup", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := rawAhsay(t, srv, tc.path, tc.contentType, tc.body)
			require.Equal(t, "OK", out["Status"], out)
			if tc.want != "" {
				assert.Equal(t, tc.want, out["Data"].(map[string]any)["Name"])
			}
		})
	}
	t.Run("a body that is neither a form nor JSON is refused as the server does", func(t *testing.T) {
		out := rawAhsay(t, srv, "/obs/api/json/GetUser.do", "application/json", "LoginName=alice")
		assert.Equal(t, "Error", out["Status"])
		assert.Contains(t, out["Message"], "[Error] Invalid JSON request")
	})
}

func TestAFormCarriesListsAsJSONText(t *testing.T) {
	srv := backupapitest.NewUnstartedAhsayServer()
	body := url.Values{"SysUser": {"system"}, "SysPwd": {"system1"}, "LoginName": {"dora"}, "Password": {"p"},
		"QuotaList": {`[{"Enabled":true,"DestinationKey":"OBS","Quota":1073741824}]`}, "StorageQuota": {"20"}}.Encode()
	out := rawAhsay(t, srv, "/obs/api/json/AddUser.do", form, body)
	require.Equal(t, "OK", out["Status"], out)
	u, ok := srv.User("", "dora")
	require.True(t, ok)
	assert.Equal(t, []backupapitest.AhsayQuota{{DestinationKey: "OBS", DestinationName: "AhsayCBS", Enabled: true, Quota: 1 << 30}}, u.Quotas)
	assert.Equal(t, int64(20), u.StorageQuota, "a number sent as text")
}

func TestThePHPWrappersTextValuesFindAJobReport(t *testing.T) {
	srv := monitoredAlice(t)
	// The wrapper reads the job's DestinationID from ListBackupJobStatus,
	// then sends every value as a JSON string.
	status := rawAhsay(t, srv, "/obs/api/json/ListBackupJobStatus.do", "application/json",
		`{"LoginName":"alice","BackupDate":"2026-11-23","SysUser":"system","SysPwd":"system1"}`)
	job := status["Data"].([]any)[0].(map[string]any)
	dest, _ := job["DestinationID"].(string)
	assert.Regexp(t, `^-?[0-9]+$`, dest, "a numeric destination ID, as real records carry")
	report := func(dest string) map[string]any {
		return rawAhsay(t, srv, "/obs/api/json/GetBackupJobReport.do", "application/json",
			`{"LoginName":"alice","BackupSetID":"1700000000001","BackupJobID":"2026-11-23-01-00-00","DestinationID":"`+dest+`","SysUser":"system","SysPwd":"system1"}`)
	}
	ok := report(dest)
	require.Equal(t, "OK", ok["Status"], ok)
	assert.Equal(t, "BS_STOP_SUCCESS", ok["Data"].(map[string]any)["BackupJobStatus"])
	assert.Equal(t, "2026-11-23 02:00:00", ok["Data"].(map[string]any)["EndTime"])
	wrong := report("0") // the wrapper's fallback when it found no destination
	assert.Equal(t, "Error", wrong["Status"], "a wrong destination is caught")
	assert.Contains(t, wrong["Message"], "not found")
}

func TestAddUserNeedsAQuotaListUnlessTheQuotaIsTotal(t *testing.T) {
	cases := []struct {
		name, extra string
		wantErr     string
		wantQuotas  int
	}{
		{"no QuotaList and no QuotaType", ``, "[Error] Parameter QuotaList is null / empty!", 0},
		{"an empty QuotaList", `,"QuotaList":[]`, "[Error] Parameter QuotaList is null / empty!", 0},
		{"PER_DESTINATION_QUOTA without QuotaList", `,"QuotaType":"PER_DESTINATION_QUOTA"`, "[Error] Parameter QuotaList is null / empty!", 0},
		{"TOTAL_QUOTA without QuotaList", `,"QuotaType":"TOTAL_QUOTA","StorageQuota":100`, "", 0},
		{"a QuotaList", `,"QuotaList":[{"Enabled":true,"DestinationKey":"OBS","Quota":1073741824}]`, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := backupapitest.NewUnstartedAhsayServer()
			out := rawAhsay(t, srv, "/obs/api/json/2/AddUser.do", "application/json",
				`{"SysUser":"system","SysPwd":"system1","LoginName":"erin","Password":"p"`+tc.extra+`}`)
			u, added := srv.User("", "erin")
			if tc.wantErr != "" {
				assert.Equal(t, map[string]any{"Status": "Error", "Message": tc.wantErr, "ExptType": "com.ahsay.obs.core.dbs.DbsException"}, out)
				assert.False(t, added)
				return
			}
			assert.Equal(t, "OK", out["Status"], out)
			require.True(t, added)
			assert.Len(t, u.Quotas, tc.wantQuotas, "no destination quota is granted unasked")
		})
	}
}

func TestAnEchoFaultQuotesTheAhsayRequestBody(t *testing.T) {
	for _, tc := range []struct{ name, contentType, body, want string }{
		{"JSON", "application/json", `{"SysUser":"system","SysPwd":"system1","LoginName":"alice"}`, `"LoginName":"alice"`},
		{"a form", form, "SysUser=system&SysPwd=system1&LoginName=alice", "LoginName=alice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := monitoredAlice(t)
			srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Body: backupapitest.BodyEcho})
			out := rawAhsay(t, srv, "/obs/api/json/GetUser.do", tc.contentType, tc.body)
			assert.Contains(t, out["Message"], tc.want, "the fault sees the body the fake read")
		})
	}
}
