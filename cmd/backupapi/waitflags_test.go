package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitingCommands walks the command tree for the commands that wait: those
// named wait, and those with a --wait flag.
func waitingCommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	if c.Runnable() && (c.Name() == "wait" || c.LocalFlags().Lookup("wait") != nil) {
		out = append(out, c)
	}
	for _, sub := range c.Commands() {
		out = append(out, waitingCommands(sub)...)
	}
	return out
}

// waitRuns runs each command that waits: its arguments (--wait included),
// and what must be so on the appliance first.
var waitRuns = map[string]struct {
	args  []string
	setup func(t *testing.T)
}{
	"backupapi ahsay rebuild run":              {args: []string{"alice", "--set", "1687750405259", "--wait"}},
	"backupapi ahsay rebuild wait":             {args: []string{"alice", "--set", "1687750405259"}},
	"backupapi xclarity backups copy":          {args: []string{backupUUID, "--to", "/mnt/share", "--wait"}},
	"backupapi xclarity backups move":          {args: []string{backupUUID, "--to", "/mnt/share", "--wait"}},
	"backupapi xclarity backups push":          {args: []string{backupUUID, "--to", "10.0.0.5", "--wait"}},
	"backupapi xclarity backups process":       {args: []string{"--wait"}, setup: importBackup},
	"backupapi xclarity backups create":        {args: []string{"--wait"}},
	"backupapi xclarity backups restore start": {args: []string{backupUUID, "--wait"}, setup: prepareRestore},
	"backupapi xclarity backups wait":          {args: []string{"17"}, setup: startCopy},
	"backupapi xclarity jobs wait":             {args: []string{"17"}, setup: startCopy},
}

func startCopy(t *testing.T) {
	code, _, stderr := runCLI(context.Background(), "xclarity", "backups", "copy", backupUUID, "--to", "/mnt/share", "--allow-http")
	require.Equal(t, 0, code, stderr)
}

func importBackup(t *testing.T) {
	file := secretFile(t, "not really a backup", 0o600)
	code, _, stderr := runCLI(context.Background(), "xclarity", "backups", "import", file, "--allow-http")
	require.Equal(t, 0, code, stderr)
}

func prepareRestore(t *testing.T) {
	code, _, stderr := runCLI(context.Background(), "xclarity", "backups", "restore", "prepare", backupUUID, "--allow-http", "--wait-timeout", "1m")
	require.Equal(t, exitUsage, code, "prepare does not wait: %s", stderr)
	code, _, stderr = runCLI(context.Background(), "xclarity", "backups", "restore", "prepare", backupUUID, "--allow-http")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runCLI(context.Background(), "xclarity", "jobs", "wait", "17", "--allow-http")
	require.Equal(t, 0, code, stderr)
}

// TestEveryCommandThatWaitsIsBoundedByWaitTimeout walks every command that
// waits: each has --wait-timeout and --poll-interval, refuses them when
// it is not asked to wait, and gives up once the timeout has passed,
// saying what goes on on the server.
func TestEveryCommandThatWaitsIsBoundedByWaitTimeout(t *testing.T) {
	cmds := waitingCommands((&app{}).rootCommand())
	require.Len(t, cmds, len(waitRuns), "every command that waits has a run below, and no other")
	for _, cmd := range cmds {
		path := cmd.CommandPath()
		t.Run(path, func(t *testing.T) {
			for _, name := range []string{waitTimeoutFlag, pollIntervalFlag} {
				require.NotNil(t, cmd.LocalFlags().Lookup(name), "--%s", name)
			}
			runSpec, ok := waitRuns[path]
			require.True(t, ok, "no run for %s in waitRuns", path)
			newAhsayStub(t, map[string]string{
				"RunSingleUserRebuild":       `{"Status":"OK"}`,
				"GetSingleUserRebuildStatus": rebuildStatus("Running", time.Now()),
			})
			xclarityBehind(t, nil, backupapitest.WithJobDuration(time.Millisecond))
			t.Setenv("XCLARITY_PASSPHRASE", "Backup-Phrase-1")
			if runSpec.setup != nil {
				runSpec.setup(t)
			}
			args := append(strings.Fields(strings.TrimPrefix(path, "backupapi ")), runSpec.args...)
			args = append(args, "--allow-http")

			// An expired bound: the wait gives up at once.
			code, _, stderr := runCLI(context.Background(), append(args, "--wait-timeout", "1ns")...)
			assert.Equal(t, exitWaitTimeout, code, "a wait that gave up has its own exit code: %s", stderr)
			assert.Contains(t, stderr, "gave up waiting after 1ns (--wait-timeout); ")
			assert.Contains(t, stderr, "follow it with: backupapi ")

			for _, bad := range [][]string{{"--wait-timeout", "-1s"}, {"--poll-interval", "1ms"}, {"--poll-interval", "-1s"}} {
				code, _, stderr := runCLI(context.Background(), append(args, bad...)...)
				assert.Equal(t, exitUsage, code, "%v: %s", bad, stderr)
				assert.Contains(t, stderr, bad[0], bad)
			}
			if i := indexOf(args, "--wait"); i >= 0 {
				noWait := append(append([]string(nil), args[:i]...), args[i+1:]...)
				code, _, stderr := runCLI(context.Background(), append(noWait, "--wait-timeout", "1m")...)
				assert.Equal(t, exitUsage, code, stderr)
				assert.Contains(t, stderr, "--wait-timeout bounds a wait: add --wait")
			}
		})
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func TestPollIntervalIsTheIntervalOfEveryPoll(t *testing.T) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
		min, max time.Duration
	}{
		{name: "unset leaves the SDK's backoff", interval: 0, min: 0, max: 0},
		{name: "set is the longest wait between polls, with no growth", interval: 5 * time.Second, min: 5 * time.Second, max: 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &app{stdio: stdio{errOut: &strings.Builder{}}, wait: waitFlags{interval: tc.interval}}
			var got backupapi.WaitOptions
			err := a.waitFor(context.Background(), "job 17", "job 17 goes on", func(_ context.Context, opts backupapi.WaitOptions) (string, error) {
				got = opts
				return "Complete", nil
			})
			require.NoError(t, err)
			assert.Equal(t, tc.min, got.MinInterval)
			assert.Equal(t, tc.max, got.MaxInterval)
			assert.NotNil(t, got.OnProgress, "progress is still shown")
		})
	}
}
