package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAFailedCallLeavesStdoutEmpty(t *testing.T) {
	for _, format := range []string{"table", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			useAhsay(t)
			t.Setenv("AHSAY_SYSPWD", "Wrong-Secret-77")
			code, stdout, stderr := runHere(t, "ahsay", "users", "list", "-o", format)
			assert.Equal(t, 4, code, stderr)
			assert.Empty(t, stdout, "no header, no [] before the first record")
		})
	}
}

func TestAnEmptyListingStillSaysWhatItIs(t *testing.T) {
	for _, tc := range []struct{ format, args, want string }{
		{"table", "users list --search nobody", "LOGIN  OWNER  CLIENT  TYPE  STATUS  USED  REGISTERED\n"},
		{"csv", "users list --search nobody", "LOGIN,OWNER,CLIENT,TYPE,STATUS,USED,REGISTERED\n"},
		{"json", "users list --search nobody", ""}, // JSON lines: no line
		{"json", "live backups", "[]\n"},
	} {
		t.Run(tc.format+" "+tc.args, func(t *testing.T) {
			useAhsay(t)
			code, stdout, stderr := runHere(t, append(append([]string{"ahsay"}, strings.Fields(tc.args)...), "-o", tc.format)...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, tc.want, stdout)
		})
	}
}

func TestActionsPrintOneObjectUnderJSON(t *testing.T) {
	t.Run("users add", func(t *testing.T) {
		useAhsay(t)
		pw := writeTempFile(t, "Initial-Pa55\n")
		code, stdout, stderr := runHere(t, "ahsay", "users", "add", "alice", "--quota", "5GiB", "--user-password-file", pw, "-o", "json")
		require.Equal(t, 0, code, stderr)
		assert.JSONEq(t, `{"action":"add user","target":"alice","status":"done"}`, stdout)
		code, stdout, _ = runHere(t, "ahsay", "users", "add", "bob", "--quota", "5GiB", "--user-password-file", pw)
		require.Equal(t, 0, code)
		assert.Equal(t, "add user bob: done\n", stdout, "people read one line in one wording")
	})
	t.Run("backups copy", func(t *testing.T) {
		useXClarity(t)
		code, stdout, stderr := runHere(t, "xclarity", "backups", "copy", "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "--to", "/mnt/s", "-o", "json")
		require.Equal(t, 0, code, stderr)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
		assert.Equal(t, map[string]any{"action": "copy backup", "target": "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278",
			"uuid": "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "job_id": "17", "status": "started"}, got)
		assert.Equal(t, 1, strings.Count(stdout, "\n"))
	})
	t.Run("jobs cancel", func(t *testing.T) {
		useXClarity(t, backupapitest.WithJobDuration(time.Minute))
		code, _, stderr := runHere(t, "xclarity", "backups", "copy", "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "--to", "/mnt/s")
		require.Equal(t, 0, code, stderr)
		code, stdout, stderr := runHere(t, "xclarity", "jobs", "cancel", "17", "-o", "json")
		require.Equal(t, 0, code, stderr)
		assert.JSONEq(t, `{"action":"cancel jobs","target":"17","status":"done"}`, stdout)
	})
}

func TestErrorsUnderJSONAreOneObjectOnStderr(t *testing.T) {
	useAhsay(t)
	t.Setenv("AHSAY_SYSPWD", "Wrong-Secret-77")
	code, stdout, stderr := runHere(t, "ahsay", "users", "get", "alice", "-o", "json")
	require.Equal(t, 4, code)
	assert.Empty(t, stdout)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(stderr), &got), stderr)
	assert.Equal(t, float64(4), got["exit_code"])
	assert.Equal(t, "the credentials were refused", got["meaning"])
	assert.Contains(t, got["error"], "Incorrect system username/password")
	assert.NotContains(t, stderr, "Wrong-Secret-77")
}

func TestErrorMessagesSpeakTheCommandLine(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"the SDK's prefix is not doubled", "backupapi: backupapi: base URL has no host", "base URL has no host"},
		{"an inner doubling goes too", "ahsay GetUser: backupapi: backupapi: closed", "ahsay GetUser: backupapi: closed"},
		{"http needs --allow-http", `backupapi: base URL "http://x" uses plain http, which would send credentials in clear; use https or WithAllowHTTP()`,
			`base URL "http://x" uses plain http, which would send credentials in clear; use https, or --allow-http`},
		{"a private CA needs --ca-file", "ahsay GetUser: the server's TLS certificate is not trusted (use WithRootCAs for a private CA)",
			"ahsay GetUser: the server's TLS certificate is not trusted (use --ca-file for a private CA)"},
		{"sizes are written as the flags take them", "QuotaList[0].Quota is 50 bytes: quotas are in bytes (for 50 GB write 50 * backupapi.GiB)",
			"QuotaList[0].Quota is 50 bytes: quotas are in bytes (for 50 GB write 50GiB)"},
		{"an old server needs --ahsay-version", `ahsay GetUser: 404 (AhsayCBS before 8.5 has no v2 GetUser: use WithAhsayV1("GetUser") or WithAhsayVersion)`,
			"ahsay GetUser: 404 (AhsayCBS before 8.5 has no v2 GetUser: use --ahsay-version)"},
		{"the attempt timeout is --timeout", "reading the answer took longer than the attempt timeout (WithTimeout)",
			"reading the answer took longer than the attempt timeout (--timeout)"},
		{"a multi-line server message is one line, its escapes shown", "ahsay GetUser: [Error] bad\nsecond line\r\n\x1b]0;pwn\x07",
			`ahsay GetUser: [Error] bad second line \x1b]0;pwn\x07`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, errorMessage(errors.New(tc.in)))
		})
	}
}

func TestUsersGetShowsWhatTheUserHas(t *testing.T) {
	srv := useAhsay(t)
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "Pa55-word", QuotaType: "DESTINATION_QUOTA", StorageQuota: 99,
		Quotas:   []backupapitest.AhsayQuota{{DestinationKey: "OBS", DestinationName: "AhsayCBS", Enabled: true, Quota: 50 << 30}},
		Contacts: []backupapitest.AhsayContact{{Name: "Ops", Email: "ops@example.com"}}})
	code, stdout, stderr := runHere(t, "ahsay", "users", "get", "alice")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `(?m)^quota OBS \(AhsayCBS\) +50 GiB$`, stdout)
	assert.Regexp(t, `(?m)^e-mail +ops@example.com$`, stdout)
	assert.NotContains(t, stdout, "99 GiB", "the total quota is not what a destination-quota user has")
	assert.NotContains(t, stdout, "storage quota")
	code, stdout, _ = runHere(t, "ahsay", "users", "get", "alice", "-o", "csv")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "quota OBS (AhsayCBS),53687091200\n", "a byte count in CSV")
}

func TestMachineFormatsHaveRFC3339TimesAndByteCounts(t *testing.T) {
	srv := useAhsay(t)
	seedNight(srv)
	code, stdout, stderr := runHere(t, "ahsay", "jobs", "status", "carol", "--date", "2026-11-23", "-o", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"StartTime": "2026-11-23T03:00:00Z"`)
	assert.Contains(t, stdout, `"UploadSize": 5242880`)
	code, stdout, _ = runHere(t, "ahsay", "jobs", "status", "carol", "--date", "2026-11-23", "-o", "csv")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, ",2026-11-23T03:00:00Z,2026-11-23T04:00:00Z,5242880\n")
	code, stdout, _ = runHere(t, "ahsay", "jobs", "status", "carol", "--date", "2026-11-23")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "2026-11-23 03:00:00 UTC", "a table shows the zone")
	code, stdout, _ = runHere(t, "ahsay", "users", "list", "-o", "json")
	require.Equal(t, 0, code)
	assert.NotContains(t, stdout, `:-1`, "never is null, not -1")
	assert.Regexp(t, `"RegistrationDate":("\d{4}-\d\d-\d\dT[^"]+"|null)`, stdout)
}

func TestCompletionOffersNoFileNamesForLogins(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		files bool
	}{
		{[]string{"ahsay", "users", "get", ""}, false},
		{[]string{"xclarity", "jobs", "wait", ""}, false},
		{[]string{"events", "read", ""}, true},
		{[]string{"xclarity", "backups", "import", ""}, true},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runHere(t, append([]string{cobra.ShellCompRequestCmd}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			noFiles := strings.Contains(stdout, ":4\n") // ShellCompDirectiveNoFileComp
			assert.Equal(t, !tc.files, noFiles, stdout)
		})
	}
}

func TestEveryCommandHasAnExample(t *testing.T) {
	a := &app{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() != "completion" && c.Name() != "exit-codes" && !c.Hidden {
			assert.NotEmpty(t, c.Example, "%s has no example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			if sub.Parent().Name() != "completion" {
				walk(sub)
			}
		}
	}
	walk(a.rootCommand())
}

func TestAWaitThatSucceedsEndsAt100Percent(t *testing.T) {
	useXClarity(t, backupapitest.WithJobDuration(300*time.Millisecond))
	t.Setenv("XCLARITY_PASSPHRASE", "Backup-Phrase-1")
	code, stdout, stderr := runHere(t, "xclarity", "backups", "create", "--label", "n", "--wait")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `job \d+ Complete`, stdout)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	assert.Equal(t, "backup: 100% Complete", lines[len(lines)-1])
}

// writeTempFile writes content to a private file and returns its path.
func writeTempFile(t *testing.T, content string) string {
	t.Helper()
	p := t.TempDir() + "/f.txt"
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestAFailedJobExits1WithOneLine(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		t.Run(format, func(t *testing.T) {
			xc := useXClarity(t, backupapitest.WithJobDuration(100*time.Millisecond))
			xc.FailJobs(backupapi.JobStoppedWithError)
			code, stdout, stderr := runHere(t, "xclarity", "backups", "copy", "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "--to", "/mnt/s", "--wait", "-o", format)
			assert.Equal(t, 1, code, stderr)
			assert.Empty(t, stdout)
			last := stderr[strings.LastIndex(strings.TrimSuffix(stderr, "\n"), "\n")+1:]
			assert.Contains(t, last, "Stopped_With_Error")
		})
	}
}

func TestProgressLinesAreEscaped(t *testing.T) {
	var errOut strings.Builder
	a := &app{stdio: stdio{errOut: &errOut}}
	opts, finish := a.waitOptions("copy\x1b[2J")
	opts.OnProgress(backupapi.Progress{Percent: 42, Status: "Running\x1b]0;pwned\x07\nforged line\u009b"})
	opts.OnProgress(backupapi.Progress{Percent: -1, Status: "Quiesced\r=1"})
	finish(true, "Complete\x1b[5m")
	assert.Equal(t, "copy\\x1b[2J: 42% Running\\x1b]0;pwned\\x07 forged line\\x9b\n"+
		"copy\\x1b[2J: Quiesced =1\n"+
		"copy\\x1b[2J: 100% Complete\\x1b[5m\n", errOut.String())
}
