package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exitExamples gives, for every documented exit code, an error that must
// take it: a code without an example fails the test, so that the table
// and its proof cannot drift apart.
var exitExamples = map[int][]error{
	1: {errFailuresReported, commandError{fmt.Errorf("job 17 ended Stopped_With_Error: %w", backupapi.ErrJobFailed)},
		commandError{jobFailedf("the rebuild of backup set 1 ended Failed")}},
	2: {usagef("bad"), errors.New(`unknown command "nosuch" for "backupapi"`), commandError{usagef("aua: want on or off")},
		commandError{usageError{fmt.Errorf("--ca-file: %w", fs.ErrNotExist)}}},
	3:  {commandError{backupapi.ErrNotFound}, commandError{fmt.Errorf("event log: %w", &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist})}},
	4:  {commandError{backupapi.ErrAuthentication}},
	5:  {commandError{backupapi.ErrPermissionDenied}},
	6:  {commandError{backupapi.ErrInvalidRequest}},
	7:  {commandError{backupapi.ErrAlreadyExists}},
	8:  {commandError{backupapi.ErrUnavailable}},
	9:  {commandError{backupapi.ErrOutcomeUnknown}, commandError{&backupapi.Error{Err: backupapi.ErrOutcomeUnknown}}},
	10: {commandError{backupapi.ErrUnexpectedResponse}, commandError{fmt.Errorf("2 malformed records: %w", errMalformedInput)}},
	11: {commandError{backupapi.ErrServer}},
	12: {commandError{backupapi.ErrInconsistentData}},
	13: {commandError{backupapi.ErrClosed}},
	14: {commandError{errors.New("something else")}, commandError{context.DeadlineExceeded}},
	15: {commandError{&waitTimeoutError{after: time.Minute, running: "job 17 goes on"}},
		commandError{fmt.Errorf("wait for job 17: %w", &waitTimeoutError{after: time.Second})}},
	130: {interruptedError{commandError{context.Canceled}}, interruptedError{commandError{backupapi.ErrOutcomeUnknown}},
		commandError{fmt.Errorf("--password-file: %w", context.Canceled)}},
}

func TestEveryDocumentedExitCodeIsTakenByItsErrors(t *testing.T) {
	assert.Equal(t, exitOK, exitCodeOf(nil))
	for _, r := range exitRules {
		t.Run(fmt.Sprintf("%d %s", r.code, r.meaning), func(t *testing.T) {
			examples := exitExamples[r.code]
			require.NotEmpty(t, examples, "exitExamples needs an error for exit code %d", r.code)
			for _, err := range examples {
				assert.Equal(t, r.code, exitCodeOf(err), "%v", err)
			}
		})
	}
	for code := range exitExamples {
		assert.NotEmpty(t, exitMeaning(code), "exit code %d has examples but is not documented", code)
	}
}

func TestHelpExitCodesListsTheTableInNumericOrder(t *testing.T) {
	code, out, _ := runHere(t, "help", "exit-codes")
	require.Equal(t, 0, code)
	var listed []int
	for _, m := range regexp.MustCompile(`(?m)^\s+(\d+)  \S`).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		listed = append(listed, n)
	}
	want := []int{0}
	for _, r := range exitRules {
		want = append(want, r.code)
	}
	slices.Sort(want)
	assert.Equal(t, want, listed)
	for _, r := range exitRules {
		assert.Contains(t, out, r.meaning)
	}
	assert.Contains(t, out, "The check commands (backupapi check ...) are monitoring plugins", "the checks' own codes are named")
	for i, name := range pluginStatusNames {
		assert.Contains(t, out, strconv.Itoa(i)+" "+name)
	}
}

func TestCommandLineMistakesExitAsDocumented(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	empty := write("empty.txt", "")
	garbageCA := write("garbage.pem", "not a certificate\n")
	badLog := write("bad.csv", "Level,Date and Time,Source,Event ID,Task Category\nError,not a date,DCMaint,1009,None,Permission denied\n")
	for _, tc := range []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
		lines  int // 0: one
	}{
		{"an unknown command", nil, []string{"nosuch"}, 2, `unknown command "nosuch"`, 0},
		{"an unknown subcommand says so, not an argument count", nil, []string{"ahsay", "nosuch"}, 2, `unknown command "nosuch" for "backupapi ahsay"`, 0},
		{"an unknown subcommand gets a suggestion", nil, []string{"ahsay", "user"}, 2, `did you mean "users"?`, 0},
		{"an unknown flag", nil, []string{"events", "list", "--nope"}, 2, "unknown flag: --nope", 0},
		{"too many arguments", nil, []string{"events", "lookup", "1", "2"}, 2, "takes at most 1 argument", 0},
		{"a missing required flag", map[string]string{"AHSAY_URL": "https://cbs.example.com"}, []string{"ahsay", "rebuild", "run", "alice"}, 2, `required flag(s) "set" not set`, 0},
		{"help on an unknown topic", nil, []string{"help", "nosuch"}, 2, `unknown help topic "nosuch"`, 0},
		{"a URL without a scheme", map[string]string{"AHSAY_URL": "cbs.example.com:443"}, []string{"ahsay", "system", "auth"}, 2, "missing scheme: did you mean https://cbs.example.com:443?", 0},
		{"a URL without a scheme never shows its user info", map[string]string{"AHSAY_URL": "admin:Tr0ub%dor@cbs.example.com"}, []string{"ahsay", "system", "auth"}, 2, "did you mean https://cbs.example.com?", 0},
		{"http:// without --allow-http names the flag", map[string]string{"AHSAY_URL": "http://cbs.example.com"}, []string{"ahsay", "system", "auth"}, 2, "--allow-http", 0},
		{"a --ca-file that does not exist", nil, []string{"ahsay", "system", "auth", "--ca-file", filepath.Join(dir, "none.pem")}, 2, "none.pem", 0},
		{"a --ca-file without a certificate", nil, []string{"ahsay", "system", "auth", "--ca-file", garbageCA}, 2, "no PEM certificate", 0},
		{"an empty password file", map[string]string{"AHSAY_SYSPWD": ""}, []string{"ahsay", "system", "auth", "--password-file", empty}, 2, "empty", 0},
		{"an event log that does not exist", nil, []string{"events", "read", filepath.Join(dir, "none.csv")}, 3, "none.csv", 0},
		{"a malformed log record is not a failed job", nil, []string{"events", "read", badLog}, 10, "malformed", 2},
		{"a bad output format", nil, []string{"-o", "xml", "events", "list"}, 2, "want table, json or csv", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AHSAY_URL", "https://cbs.example.com")
			t.Setenv("AHSAY_SYSUSER", "system")
			t.Setenv("AHSAY_SYSPWD", "system1")
			t.Setenv("CA_FILE", "")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, _, stderr := runHere(t, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.stderr)
			assert.Equal(t, max(tc.lines, 1), strings.Count(stderr, "\n"), "one line per error: %q", stderr)
			assert.NotContains(t, stderr, "With", "no Go option in a hint")
			assert.NotContains(t, stderr, "backupapi: backupapi:")
			assert.NotContains(t, stderr, "Tr0ub")
		})
	}
}
