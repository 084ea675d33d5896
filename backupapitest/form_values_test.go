package backupapitest_test

import (
	"net/url"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A boolean parameter is read as a Java servlet reads one
// (Boolean.parseBoolean: "true" in any case), besides AhsayCBS's Y and N:
// Python's requests sends True in a form as "True", and PHP's json_encode
// of a string "TRUE" stays a string.
func TestABooleanParameterIsReadInAnyCase(t *testing.T) {
	cases := []struct {
		name, contentType, enable string
		want                      bool
	}{
		{"a form's True, as Python's requests encodes it", form, "True", true},
		{"a form's TRUE", form, "TRUE", true},
		{"a form's y", form, "y", true},
		{"a form's False", form, "False", false},
		{"a form's n", form, "n", false},
		{"a JSON string True", "application/json", `"True"`, true},
		{"a JSON true", "application/json", `true`, true},
		{"a JSON string FALSE", "application/json", `"FALSE"`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := backupapitest.NewUnstartedAhsayServer()
			srv.SeedUser(backupapitest.AhsayUser{LoginName: "erin", Password: "p", EnableAUA: !tc.want})
			var body string
			if tc.contentType == form {
				body = url.Values{"SysUser": {"system"}, "SysPwd": {"system1"}, "LoginName": {"erin"}, "EnableAUA": {tc.enable}}.Encode()
			} else {
				body = `{"SysUser":"system","SysPwd":"system1","LoginName":"erin","EnableAUA":` + tc.enable + `}`
			}
			out := rawAhsay(t, srv, "/obs/api/json/UpdateUser.do", tc.contentType, body)
			require.Equal(t, "OK", out["Status"], out)
			u, ok := srv.User("", "erin")
			require.True(t, ok)
			assert.Equal(t, tc.want, u.EnableAUA)

			list := rawAhsay(t, srv, "/obs/api/json/ListUsers.do", tc.contentType,
				map[bool]string{true: "SysUser=system&SysPwd=system1&LoginNameOnly=" + url.QueryEscape(tc.enable),
					false: `{"SysUser":"system","SysPwd":"system1","LoginNameOnly":` + tc.enable + `}`}[tc.contentType == form])
			users := list["User"].([]any)
			require.Len(t, users, 1)
			_, full := users[0].(map[string]any)["Alias"]
			assert.Equal(t, !tc.want, full, "LoginNameOnly leaves out the rest")
		})
	}
}

// A parameter whose percent-encoding is broken is skipped, as the servlet
// container AhsayCBS runs in (Tomcat) skips it, and the others are read:
// the request is not refused as invalid JSON.
func TestABrokenlyEncodedParameterIsSkipped(t *testing.T) {
	srv := backupapitest.NewUnstartedAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "p"})
	cases := []struct{ name, path, contentType, body string }{
		{"in a form body", "/obs/api/json/GetUser.do", form, "SysUser=system&SysPwd=system1&LoginName=alice&Notes=100%zz"},
		{"in the query string", "/obs/api/json/GetUser.do?Notes=%G0&LoginName=alice", form, "SysUser=system&SysPwd=system1"},
		{"in the query string beside a JSON body", "/obs/api/json/GetUser.do?Notes=%", "application/json",
			`{"SysUser":"system","SysPwd":"system1","LoginName":"alice"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := rawAhsay(t, srv, tc.path, tc.contentType, tc.body)
			require.Equal(t, "OK", out["Status"], out)
			assert.Equal(t, "alice", out["Data"].(map[string]any)["Name"])
		})
	}
}

// A form's RunBackup with CancelBackup=True (as Python's requests sends a
// True) is CancelPendingBackup: it meets a fault injected there and does
// not start a backup.
func TestAFormsCancelBackupTrueIsCancelPendingBackup(t *testing.T) {
	srv := backupapitest.NewUnstartedAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "p", BackupSets: []string{"1700000000001"}})
	body := url.Values{"SysUser": {"system"}, "SysPwd": {"system1"}, "LoginName": {"alice"},
		"BackupSetID": {"1700000000001"}, "CancelBackup": {"True"}}.Encode()
	out := rawAhsay(t, srv, "/obs/api/json/RunBackup.do", form, body)
	require.Equal(t, "OK", out["Status"], out)
	assert.Equal(t, 1, srv.Calls(backupapitest.OpCancelPendingBackup))
	assert.Zero(t, srv.Calls(backupapitest.OpRunBackup), "no backup was started")
	jobs := rawAhsay(t, srv, "/obs/api/json/ListBackupJobs.do", form, "SysUser=system&SysPwd=system1&LoginName=alice")
	for _, set := range jobs["Data"].([]any) {
		assert.Empty(t, set.(map[string]any)["BackupJob"], "no job was recorded")
	}
}
