package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain lets the test binary act as the command: the test re-executes
// itself with BACKUPAPI_FAKE_MAIN=1, so no separate build is needed.
func TestMain(m *testing.M) {
	if os.Getenv("BACKUPAPI_FAKE_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

func TestTheBinaryServesBothFakesAndStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	seedFile := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(seedFile, []byte(`{"ahsay":{"users":[{"loginName":"seeded","password":"p","sets":[{"id":"1700000000001","name":"Docs"}]}],
		"backupJobs":[{"loginName":"seeded","backupSetId":"1700000000001","start":"2026-11-23T01:00:00Z","end":"2026-11-23T02:00:00Z","status":"BS_STOP_BY_SYSTEM_ERROR"}]},
		"xclarity":{"backups":[{"uuid":"seed-uuid","filename":"seed.tgz"}]}}`), 0o600))
	caFile := filepath.Join(dir, "ca.pem")

	fake := startFake(t, nil, "--addr", "127.0.0.1:0", "--seed", seedFile, "--ca-file", caFile, "--job-duration", "1ms")
	cmd, env, sc, pool := fake.cmd, fake.env, fake.out, fake.pool
	require.NotEmpty(t, env["AHSAY_URL"], "the binary printed its URL")
	assert.True(t, strings.HasPrefix(env["AHSAY_URL"], "https://127.0.0.1:"))
	assert.True(t, strings.HasPrefix(env["CONTROL_URL"], "https://127.0.0.1:"), env["CONTROL_URL"])
	assert.True(t, strings.HasSuffix(env["CONTROL_URL"], "/_backupapi"), env["CONTROL_URL"])
	assert.NotEqual(t, strings.TrimPrefix(env["AHSAY_URL"], "https://"), strings.Split(strings.TrimPrefix(env["CONTROL_URL"], "https://"), "/")[0],
		"the control API has a listener of its own")
	assert.Len(t, env["CONTROL_TOKEN"], 64)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ahsay, err := backupapi.NewAhsayClient(env["AHSAY_URL"], env["AHSAY_SYSUSER"], env["AHSAY_SYSPWD"], backupapi.WithRootCAs(pool))
	require.NoError(t, err)
	users, err := ahsay.ListUsers(ctx, nil)
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, "seeded", users[0].LoginName)
	jobs, err := ahsay.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: backupapi.UserRef{LoginName: "seeded"},
		Date: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	require.Len(t, jobs, 1, "the seeded backup job is served")
	assert.Equal(t, backupapi.OutcomeFailed, jobs[0].Status.Outcome())

	lxca, err := backupapi.NewXClarityClient(env["XCLARITY_URL"], env["XCLARITY_USER"], env["XCLARITY_PASSWORD"], backupapi.WithRootCAs(pool))
	require.NoError(t, err)
	backups, err := lxca.ListBackups(ctx)
	require.NoError(t, err)
	assert.Len(t, backups, 1, "the seeded backup replaces the defaults")
	res, err := lxca.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "seed-uuid", Destination: "/mnt/x"})
	require.NoError(t, err)
	job, err := lxca.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, backupapi.JobComplete, job.Status)
	require.NoError(t, lxca.Close(ctx))

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	var rest []string
	for sc.Scan() {
		rest = append(rest, sc.Text())
	}
	require.NoError(t, cmd.Wait(), "exits 0 on SIGTERM")
	assert.Contains(t, rest, "stopped")
}

func TestABadSeedFileIsAnErrorThatNamesTheKey(t *testing.T) {
	cases := []struct{ name, seed, says string }{
		{"a key of the format before 0.4", `{"ahsayUsers":[]}`, "ahsayUsers: unknown key (renamed: write ahsay.users"},
		{"a key in the wrong case", `{"ahsay":{"users":[{"LoginName":"a"}]}}`, `ahsay.users[0].LoginName: unknown key (did you mean "loginName"?)`},
		{"a job of a user that does not exist", `{"ahsay":{"backupJobs":[{"loginName":"x","backupSetId":"1","start":"2026-01-01T00:00:00Z"}]}}`,
			`ahsay.backupJobs[0].loginName: no user "x"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "seed.json")
			require.NoError(t, os.WriteFile(f, []byte(tc.seed), 0o600))
			err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--seed", f}, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "seed "+f+": ")
			assert.Contains(t, err.Error(), tc.says)
		})
	}
}

func TestSeedSchemaPrintsTheSchema(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"--seed-schema"}, &out, io.Discard))
	assert.Equal(t, string(backupapitest.SeedSchema), out.String())
}

// runBinary runs the command with args and returns its exit code and
// outputs.
func runBinary(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BACKUPAPI_FAKE_MAIN=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

func TestTheCommandLine(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		code       int
		stderrHas  string
		stderrOnce string // appears exactly once
	}{
		{"--help prints the usage and exits 0", []string{"--help"}, 0, "-addr", "Usage of backupapi-fake"},
		{"an unknown flag is reported once, with the usage, exit 2", []string{"--nope"}, 2, "-addr", "flag provided but not defined: -nope"},
		{"a non-loopback address is refused", []string{"--addr", "0.0.0.0:0"}, 2, "loopback only", "loopback only"},
		{"a stray argument is refused", []string{"serve"}, 2, "-addr", `unexpected argument "serve"`},
		{"--help shows the seed file and its schema", []string{"--help"}, 0, "-seed string", "print the JSON Schema of the seed file"},
		{"--help shows the control API's address and the clock", []string{"--help"}, 0, "-control-addr", "-clock"},
		{"--help says what it prints for a harness to read", []string{"--help"}, 0, "as NAME=value lines", `then "READY <url>"`},
		{"a non-loopback control address is refused", []string{"--addr", "127.0.0.1:0", "--control-addr", "10.0.0.1:0"}, 2, "-addr", "--control-addr \"10.0.0.1:0\": the fake listens on loopback only"},
		{"a clock that is not a time is refused", []string{"--addr", "127.0.0.1:0", "--clock", "noon"}, 2, "-addr", `--clock "noon": want an RFC 3339 time`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runBinary(t, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.stderrHas)
			assert.Equal(t, 1, strings.Count(stderr, tc.stderrOnce), "said once: %s", stderr)
		})
	}
}

func TestTheDefaultCAFileIsRemovedOnExit(t *testing.T) {
	fake := startFake(t, nil, "--addr", "127.0.0.1:0")
	cmd, sc, caFile := fake.cmd, fake.out, fake.env["CA_FILE"]
	require.NotEmpty(t, caFile)
	require.FileExists(t, caFile)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for sc.Scan() {
	}
	require.NoError(t, cmd.Wait())
	assert.NoFileExists(t, caFile, "the CA file the fake created is gone")
}
