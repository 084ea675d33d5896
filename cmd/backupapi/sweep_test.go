package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sweep runs every leaf command in every output format against the
// fakes behind a hostile proxy, which puts a secret in every
// Secret-typed field of the answers (found by type in the SDK), and
// control characters, escape sequences, newlines and formula prefixes in
// every string the servers return. It asserts that no secret, no raw
// control character and no live spreadsheet formula reaches stdout or
// stderr, and the documented exit code. Then it runs them again with every
// answer a multi-line, escape-laden error, and asserts one line (or one
// JSON object) on stderr.

// sweepSecret is the secret the proxy puts in every Secret-typed field.
const sweepSecret = "Sw33p-S3cret-9f2c"

// Secrets the command line sends: none may be shown either.
const (
	sweepUserPassword = "Sw33p-User-Pa55"
	sweepPassphrase   = "Sw33p-Phrase-77"
)

// hostileBody is appended to a formula prefix at the start of every string
// the servers send: an OSC title, a screen clear, C1's CSI, DEL, a bidi
// override, a newline, a tab and a carriage return.
const hostileBody = "HYPERLINK(\"http://evil.example\",\"x\")\x1b]0;pwned\x07\x1b[2J\u009b31m\x7f\u202e\nforged\trow\r"

var formulaPrefixes = []string{"=", "+", "-", "@", "\t", "\r"}

// sweepCase is how a leaf command is run in the sweep.
type sweepCase struct {
	args   []string // after the command path; {LOG}, {BACKUP}, {PW} are files
	code   int      // the documented exit code with hostile data
	before []string // a command to run first (its output is not checked)
	// ownOutput: the command writes an output contract of its own (a
	// monitoring plugin's status line), whatever -o says; it is checked
	// for secrets and control characters, not as a table, JSON or CSV.
	ownOutput bool
}

const sweepUUID = "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"

// sweepWaitBound bounds the sweep's waits (the fakes' jobs take a fraction
// of a second), so that a wait that never ends fails its case with the
// command's own "gave up waiting" instead of holding the sweep.
const sweepWaitBound = "20s"

// sweepCases are the leaf commands that need arguments, files or a job
// to act on, with their arguments and exit code. A command that needs
// nothing is swept without being listed (expecting exit 0); one that
// needs arguments and is missing here fails the sweep, unless
// sweepExempt says why it is not swept.
var sweepCases = map[string]sweepCase{
	"ahsay users get":             {args: []string{"alice"}},
	"ahsay users add":             {args: []string{"dave", "--quota", "5GiB", "--email", "d@example.com", "--user-password-file", "{PW}"}},
	"ahsay users update":          {args: []string{"alice", "--notes", "VIP"}},
	"ahsay users suspend":         {args: []string{"alice"}},
	"ahsay users enable":          {args: []string{"alice"}},
	"ahsay users remove":          {args: []string{"alice"}},
	"ahsay users auth":            {args: []string{"alice", "--user-password-file", "{PW}"}},
	"ahsay users forgot-password": {args: []string{"alice"}},
	"ahsay users aua":             {args: []string{"on", "alice"}},
	"ahsay contacts add":          {args: []string{"alice", "--name", "Ops", "--email", "ops@example.com"}},
	"ahsay contacts append":       {args: []string{"alice", "--email", "a@example.com"}},
	"ahsay contacts replace":      {args: []string{"alice", "--email", "a@example.com"}},
	"ahsay contacts change":       {args: []string{"alice", "--old", "plain@example.com", "--new", "b@example.com"}, code: 3},
	"ahsay storage":               {args: []string{"alice", "--month", "2026-11"}},
	"ahsay rebuild run":           {args: []string{"alice", "--set", "1700000000001"}},
	"ahsay rebuild status":        {args: []string{"alice"}, before: []string{"ahsay", "rebuild", "run", "alice", "--set", "1700000000001"}},
	"ahsay rebuild wait":          {args: []string{"alice", "--set", "1700000000001", "--wait-timeout", sweepWaitBound}, before: []string{"ahsay", "rebuild", "run", "alice", "--set", "1700000000001"}},
	"ahsay run-jobs":              {args: []string{"alice"}},
	"ahsay sets list":             {args: []string{"alice"}},
	"ahsay sets get":              {args: []string{"alice", "1700000000001"}},
	"ahsay jobs report":           {args: []string{"--date", "2026-11-23"}, code: 1},
	"ahsay jobs list":             {args: []string{"alice"}},
	"ahsay jobs status":           {args: []string{"alice", "--date", "2026-11-23"}},
	"ahsay jobs mode":             {args: []string{"alice", "--date", "2026-11-23"}},
	"ahsay jobs progress":         {args: []string{"alice", "--set", "1700000000001", "--dest", backupapitest.AhsayDestinationID, "--job", "2026-11-23-01-00-00"}},
	"ahsay jobs job-report":       {args: []string{"alice", "--set", "1700000000001", "--dest", backupapitest.AhsayDestinationID, "--job", "2026-11-23-01-00-00"}},
	"ahsay jobs run":              {args: []string{"alice", "--set", "1700000000001"}},
	"ahsay jobs cancel-pending":   {args: []string{"alice", "--set", "1700000000001"}, before: []string{"ahsay", "jobs", "run", "alice", "--set", "1700000000001"}},
	"ahsay restores list":         {args: []string{"alice"}},
	"ahsay restores status":       {args: []string{"alice", "--date", "2026-11-23"}},
	"ahsay do":                    {args: []string{"GetUser", `{"LoginName":"alice"}`}},

	"xclarity backups copy":            {args: []string{sweepUUID, "--to", "/mnt/share", "--wait", "--wait-timeout", sweepWaitBound}},
	"xclarity backups move":            {args: []string{sweepUUID, "--to", "/mnt/share"}},
	"xclarity backups push":            {args: []string{sweepUUID, "--to", "10.0.0.5"}},
	"xclarity backups cancel-push":     {before: []string{"xclarity", "backups", "push", sweepUUID, "--to", "10.0.0.5"}},
	"xclarity backups import":          {args: []string{"{BACKUP}"}},
	"xclarity backups process":         {before: []string{"xclarity", "backups", "import", "{BACKUP}"}},
	"xclarity backups create":          {args: []string{"--label", "nightly", "--wait", "--wait-timeout", sweepWaitBound}},
	"xclarity backups delete":          {args: []string{sweepUUID, "--location", "internal"}},
	"xclarity backups restore prepare": {args: []string{sweepUUID}},
	"xclarity backups restore start":   {args: []string{sweepUUID, "--wait", "--wait-timeout", sweepWaitBound}, before: []string{"xclarity", "backups", "restore", "prepare", sweepUUID}},
	"xclarity backups wait":            {args: []string{"--wait-timeout", sweepWaitBound}, before: []string{"xclarity", "backups", "create", "--label", "nightly"}},
	"xclarity jobs list":               {before: []string{"xclarity", "backups", "copy", sweepUUID, "--to", "/mnt/share"}},
	"xclarity jobs get":                {args: []string{"17"}, before: []string{"xclarity", "backups", "copy", sweepUUID, "--to", "/mnt/share"}},
	"xclarity jobs wait":               {args: []string{"17", "--wait-timeout", sweepWaitBound}, before: []string{"xclarity", "backups", "copy", sweepUUID, "--to", "/mnt/share"}},
	"xclarity jobs cancel":             {args: []string{"17"}, before: []string{"xclarity", "backups", "copy", sweepUUID, "--to", "/mnt/share"}},
	"xclarity do":                      {args: []string{"GET", "/managementServer/data"}},

	"check ahsay freshness":  {code: pluginCritical, ownOutput: true},
	"check ahsay jobs":       {args: []string{"--date", "2026-11-23"}, code: pluginCritical, ownOutput: true},
	"check xclarity backups": {code: pluginOK, ownOutput: true},

	"events lookup": {args: []string{"11915"}},
	"events match":  {args: []string{"No Available Capacity. Session =1+2\x1b]0;x\x07 could not be served."}},
	"events format": {args: []string{"11915", "=cmd|' /C calc'!A0\x1b[2J\nforged"}},
	"events read":   {args: []string{"{LOG}"}},
}

// sweepExempt are the leaf commands the sweep does not run, and why.
var sweepExempt = map[string]string{
	"exporter":              "a server that runs until SIGTERM; its metrics are swept by internal/exporter's tests",
	"help":                  "cobra's help text: no server data, no output format",
	"completion bash":       "a shell script generated by cobra: no server data",
	"completion zsh":        "a shell script generated by cobra: no server data",
	"completion fish":       "a shell script generated by cobra: no server data",
	"completion powershell": "a shell script generated by cobra: no server data",
}

// leafCommands returns every runnable command without subcommands, from
// the command tree itself, by path (without "backupapi ").
func leafCommands() map[string]*cobra.Command {
	root := (&app{}).rootCommand()
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	out := map[string]*cobra.Command{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.HasSubCommands() && c.Runnable() && c != root {
			out[strings.TrimPrefix(c.CommandPath(), "backupapi ")] = c
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// needsNothing reports a command that runs without arguments or required
// flags: the sweep runs it as it is, unlisted.
func needsNothing(c *cobra.Command) bool {
	required := false
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if len(f.Annotations[cobra.BashCompOneRequiredFlag]) > 0 {
			required = true
		}
	})
	return !required && (c.Args == nil || c.Args(c, nil) == nil)
}

// sweepCaseOf is how the sweep runs a leaf command: as sweepCases says,
// or with no arguments (expecting success) when it needs none; false
// when it needs arguments sweepCases does not give.
func sweepCaseOf(path string, c *cobra.Command) (sweepCase, bool) {
	if tc, ok := sweepCases[path]; ok {
		return tc, true
	}
	if _, exempt := sweepExempt[path]; !exempt && needsNothing(c) {
		return sweepCase{}, true
	}
	return sweepCase{}, false
}

// sortedLeaves returns the leaf commands' paths in order.
func sortedLeaves() []string {
	var paths []string
	for p := range leafCommands() {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func TestSweepCoversEveryLeafCommand(t *testing.T) {
	leaves := leafCommands()
	for _, path := range sortedLeaves() {
		_, swept := sweepCaseOf(path, leaves[path])
		_, exempt := sweepExempt[path]
		assert.True(t, swept || exempt, "%q needs arguments: give them in sweepCases (or say in sweepExempt why it is not swept)", path)
		assert.False(t, swept && exempt, "%q is both swept and exempt", path)
	}
	for name := range sweepCases {
		assert.Contains(t, leaves, name, "sweepCases names a command that does not exist")
	}
	for name, why := range sweepExempt {
		assert.Contains(t, leaves, name, "sweepExempt names a command that does not exist")
		assert.NotEmpty(t, why)
	}
}

func TestSweepEveryCommandInEveryFormatWithHostileData(t *testing.T) {
	leaves := leafCommands()
	for _, leaf := range sortedLeaves() {
		tc, ok := sweepCaseOf(leaf, leaves[leaf])
		if !ok {
			continue // TestSweepCoversEveryLeafCommand says why
		}
		formats := []string{"table", "json", "csv"}
		if tc.ownOutput {
			formats = []string{"own"} // it takes no -o
		}
		for _, format := range formats {
			t.Run(leaf+"/"+format, func(t *testing.T) {
				env := newSweepEnv(t, false)
				code, stdout, stderr := env.run(t, tc, leaf, format)
				assert.Equal(t, tc.code, code, "exit code; stderr: %q", stderr)
				assertClean(t, "stdout", stdout)
				assertClean(t, "stderr", stderr)
				switch {
				case tc.ownOutput:
				case format == "csv":
					assertNoLiveFormula(t, stdout)
				case format == "json":
					assertJSON(t, stdout)
				}
				if code == 0 && tc.code == 0 && !strings.HasPrefix(leaf, "events") {
					assert.NotEmpty(t, stdout, "the command printed what it did")
				}
			})
		}
	}
}

func TestSweepEveryServerErrorIsOneCleanLine(t *testing.T) {
	leaves := leafCommands()
	for _, leaf := range sortedLeaves() {
		tc, ok := sweepCaseOf(leaf, leaves[leaf])
		if !ok || strings.HasPrefix(leaf, "events") || tc.ownOutput {
			continue // the event commands ask no server; a plugin says UNKNOWN on stdout (check_test.go)
		}
		for _, format := range []string{"table", "json"} {
			t.Run(leaf+"/"+format, func(t *testing.T) {
				env := newSweepEnv(t, true)
				code, stdout, stderr := env.run(t, sweepCase{args: tc.args}, leaf, format)
				assert.NotEqual(t, 0, code)
				assert.NotEmpty(t, exitMeaning(code), "exit code %d is documented", code)
				assert.Empty(t, stdout, "a failed call leaves stdout empty")
				assertClean(t, "stderr", stderr)
				lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
				require.Len(t, lines, 1, "one line: %q", stderr)
				if format == "json" {
					var obj map[string]any
					require.NoError(t, json.Unmarshal([]byte(lines[0]), &obj), lines[0])
					assert.Equal(t, float64(code), obj["exit_code"])
				} else {
					assert.True(t, strings.HasPrefix(lines[0], "backupapi: "), lines[0])
					assert.Contains(t, lines[0], `second line \x1b]0;pwned\x07`, "the message is one line, its escapes shown")
				}
			})
		}
	}
}

// sweepEnv is a fresh pair of fakes behind hostile proxies, and the files
// the commands read.
type sweepEnv struct {
	ahsay *backupapitest.AhsayServer
	files map[string]string
}

func newSweepEnv(t *testing.T, failing bool) *sweepEnv {
	t.Helper()
	ahsay := backupapitest.NewAhsayServer(backupapitest.WithJobDuration(200 * time.Millisecond))
	t.Cleanup(ahsay.Close)
	seedHostile(ahsay)
	xc := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(100 * time.Millisecond))
	t.Cleanup(xc.Close)
	xc.SeedBackup(backupapitest.XClarityBackup{UUID: "0b1f1b6e-0000-4000-8000-000000000001", Filename: "=evil\x1b]0;x\x07\n.tgz",
		Location: "internal", BackupDate: night, RequestedBy: "@admin\u009b2J", Size: 1 << 20})

	ahsayProxy := httptest.NewTLSServer(hostileProxy(ahsay.Handler(), failing, false))
	t.Cleanup(ahsayProxy.Close)
	xcProxy := httptest.NewTLSServer(hostileProxy(xc.Handler(), failing, true))
	t.Cleanup(xcProxy.Close)

	dir := t.TempDir()
	var pems []byte
	for _, s := range []*httptest.Server{ahsayProxy, xcProxy} {
		pems = append(pems, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
	}
	files := map[string]string{"{CA}": "ca.pem", "{PW}": "pw.txt", "{LOG}": "dcmaint.csv", "{BACKUP}": "lxca-backup.tgz"}
	contents := map[string][]byte{
		"{CA}": pems,
		"{PW}": []byte(sweepUserPassword + "\n"),
		"{LOG}": []byte("Level,Date and Time,Source,Event ID,Task Category\n" +
			"Error,11/23/2026 9:52:40 PM,DCMaint,1009,None,\"=cmd|' /C calc'!A0\x1b]0;pwned\x07\nsecond line\ttab\u009b2J\"\n" +
			"Information,11/23/2026 9:53:40 PM,DCMaint,11901,None,@SUM(1+1)\x7f\u202e\n"),
		"{BACKUP}": []byte("a backup package"),
	}
	for k, name := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, contents[k], 0o600))
		files[k] = p
	}
	for k, v := range map[string]string{"AHSAY_URL": ahsayProxy.URL, "AHSAY_SYSUSER": ahsay.SysUser, "AHSAY_SYSPWD": ahsay.SysPwd,
		"XCLARITY_URL": xcProxy.URL, "XCLARITY_USER": xc.Username, "XCLARITY_PASSWORD": xc.Password,
		"XCLARITY_PASSPHRASE": sweepPassphrase, "CA_FILE": files["{CA}"]} {
		t.Setenv(k, v)
	}
	return &sweepEnv{ahsay: ahsay, files: files}
}

// run runs the case's command (after its "before" command) in a format.
func (e *sweepEnv) run(t *testing.T, tc sweepCase, leaf, format string) (int, string, string) {
	t.Helper()
	expand := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			if f, ok := e.files[a]; ok {
				a = f
			}
			out[i] = a
		}
		return out
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if tc.before != nil {
		var out, errOut bytes.Buffer
		run(ctx, expand(tc.before), stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
	}
	args := append(strings.Fields(leaf), expand(tc.args)...)
	var out, errOut bytes.Buffer
	if !tc.ownOutput {
		args = append(args, "-o", format)
	}
	code := run(ctx, args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
	require.NoError(t, ctx.Err(), "the command did not end")
	return code, out.String(), errOut.String()
}

// seedHostile gives the fake AhsayCBS users, sets, jobs, a licence, groups
// and system users whose free text is hostile. alice's login is plain, so
// that commands can name her.
func seedHostile(srv *backupapitest.AhsayServer) {
	h := func(s string) string { return "=" + hostileBody + s }
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: sweepUserPassword, Email: h("alice@example.com"),
		Alias: h("alias"), Notes: "line one\nline two\x1b[31m", QuotaType: "DESTINATION_QUOTA",
		Quotas:   []backupapitest.AhsayQuota{{DestinationKey: "OBS", DestinationName: h("dest"), Enabled: true, Quota: 5 << 30}},
		Contacts: []backupapitest.AhsayContact{{Name: h("Ops"), Email: "plain@example.com", Company: "+" + hostileBody}},
		Sets:     []backupapitest.AhsayBackupSet{{ID: "1700000000001", Name: h("Accounts"), Type: "FILE"}}})
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "eve\x1b]0;pwned\x07", Password: "Eve-Pa55", Notes: "@" + hostileBody})
	srv.AddBackupJob("", "alice", backupapitest.AhsayBackupJob{BackupSetID: "1700000000001", Start: night.Add(time.Hour),
		End: night.Add(2 * time.Hour), Status: backupapi.BackupStoppedBySystemError, UploadSize: 5 << 20})
	srv.AddRestoreJob("", "alice", backupapitest.AhsayRestoreJob{BackupSetID: "1700000000001", Start: night.Add(5 * time.Hour),
		End: night.Add(6 * time.Hour), Status: backupapi.RestoreSuccess, RestoreSize: 1 << 20})
	srv.SetStorageStat("", "alice", "2026-11", backupapitest.AhsayStorageStat{DataBytes: 1 << 30, UploadBytes: 1 << 20, RetainBytes: 1 << 10, Files: 3})
	srv.SetLiveJobs(backupapitest.AhsayLiveJob{LoginName: "alice", BackupSetID: "1700000000001", BackupSet: h("live set"), Percent: 42, JobID: "2026-11-23-01-00-00"},
		backupapitest.AhsayLiveJob{Restore: true, LoginName: "alice", BackupSetID: "1700000000001", BackupSet: h("restore set"), Percent: 7, JobID: "2026-11-23-05-00-00"})
	srv.SetRunJobs("", "alice", backupapitest.AhsayRunJob{BackupSetID: "1700000000001", ExecuteJob: h("job")})
	srv.SetLicense(backupapitest.AhsayLicense{Licensee: h("Licensee"), Key: sweepSecret, Info: "expires\nsoon\x1b[5m"})
	srv.AddPolicyGroup(backupapitest.AhsayGroup{ID: "1700000000101", Name: h("policy")})
	srv.AddUserGroup(backupapitest.AhsayGroup{ID: "1700000000102", Name: h("group"), PolicyGroupID: "1700000000101", Members: []string{"alice"}})
	srv.AddSystemUser(h("admin2"), "+"+hostileBody)
}

// hostileProxy serves the fake through h, rewriting every JSON answer:
// every string becomes hostile (a formula prefix, escapes, newlines) except
// the few the protocol needs as they are, and every Secret-typed field of
// the answer's SDK type holds sweepSecret. With failing, every answer
// (but an XClarity login) is an error with a multi-line, escape-laden
// message.
func hostileProxy(h http.Handler, failing, xclarity bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		isLogin := xclarity && r.URL.Path == "/sessions"
		if failing && !isLogin {
			copyHeader(w, rec.Header())
			w.Header().Set("Content-Type", "application/json")
			w.Header().Del("Content-Length")
			msg := "first line\nsecond line \x1b]0;pwned\x07\r\n\u009b2J=cmd|' /C calc'!A0"
			if xclarity {
				w.WriteHeader(http.StatusBadRequest)
				b, _ := json.Marshal(map[string]any{"result": "failed", "messages": []any{map[string]any{"id": "FQXHMSE0001J",
					"text": msg, "explanation": msg, "recovery": map[string]any{"text": msg}}}})
				_, _ = w.Write(b)
				return
			}
			b, _ := json.Marshal(map[string]any{"Status": "Error", "Message": "[Error] " + msg, "ExptType": "com.ahsay.obs.core.dbs.c\n\x1b[2J"})
			_, _ = w.Write(b)
			return
		}
		if strings.Contains(rec.Header().Get("Content-Type"), "json") && len(bytes.TrimSpace(body)) > 0 && !isLogin {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var tree any
			if dec.Decode(&tree) == nil {
				n := 0
				tree = hostileStrings(tree, "", &n)
				if t, ok := secretAnswers[strings.TrimSuffix(filepath.Base(r.URL.Path), ".do")]; ok && !xclarity {
					if env, ok := tree.(map[string]any); ok {
						env["Data"] = mergeSkeleton(env["Data"], secretSkeleton(t))
					}
				}
				body, _ = json.Marshal(tree)
			}
		}
		copyHeader(w, rec.Header())
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func copyHeader(w http.ResponseWriter, h http.Header) {
	for k, v := range h {
		w.Header()[k] = v
	}
}

// protocolKeys are the strings the SDK or a wait needs as they are: the
// envelope's status, a job's state, the IDs a wait follows.
var protocolKeys = map[string]bool{"Status": true, "status": true, "result": true, "BackupJobStatus": true,
	"jobUID": true, "LoginName": true, "id": true, "jobId": true, "taskid": true, "uuid": true, "UUID": true, "@class": true, "ExptType": true}

var timeOrNumber = regexp.MustCompile(`^[\d\s:./TZ+-]*$`)

// hostileStrings makes every free-text string of an answer hostile.
func hostileStrings(v any, key string, n *int) any {
	switch x := v.(type) {
	case string:
		if protocolKeys[key] || timeOrNumber.MatchString(x) {
			return x
		}
		*n++
		return formulaPrefixes[*n%len(formulaPrefixes)] + hostileBody + x
	case []any:
		for i := range x {
			x[i] = hostileStrings(x[i], key, n)
		}
	case map[string]any:
		for k := range x {
			x[k] = hostileStrings(x[k], k, n)
		}
	}
	return v
}

// secretAnswers are the AhsayCBS answers whose SDK type holds a Secret,
// by endpoint: their Data gets sweepSecret in every Secret-typed field.
// TestSweepPutsASecretInEverySecretTypedField checks that every SDK
// result type holding a Secret is here.
var secretAnswers = map[string]reflect.Type{
	"GetUser":         reflect.TypeFor[backupapi.UserDetail](),
	"GetLicense":      reflect.TypeFor[backupapi.License](),
	"ListSystemUsers": reflect.TypeFor[backupapi.SystemUser](),
	"GetBackupSet":    reflect.TypeFor[backupapi.BackupSetDetail](),
}

func TestSweepPutsASecretInEverySecretTypedField(t *testing.T) {
	covered := map[reflect.Type]bool{}
	for _, typ := range secretAnswers {
		covered[typ] = true
	}
	for _, client := range []reflect.Type{reflect.TypeFor[*backupapi.AhsayClient](), reflect.TypeFor[*backupapi.XClarityClient]()} {
		for i := range client.NumMethod() {
			m := client.Method(i)
			for j := range m.Type.NumOut() {
				out := m.Type.Out(j)
				for out.Kind() == reflect.Pointer || out.Kind() == reflect.Slice {
					out = out.Elem()
				}
				if out.Kind() == reflect.Struct && holdsSecret(out, map[reflect.Type]bool{}) {
					assert.True(t, covered[out], "%s returns %s, which holds a Secret: add its endpoint to secretAnswers", m.Name, out)
				}
			}
		}
	}
	// The skeleton reaches every Secret of the type, nested ones included.
	sk, _ := json.Marshal(secretSkeleton(reflect.TypeFor[backupapi.UserDetail]()))
	for _, key := range []string{`"AccessToken"`, `"Password"`, `"SmtpAuthPwd"`, `"Token"`, `"ProxySettings"`} {
		assert.Contains(t, string(sk), key)
	}
}

func holdsSecret(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == secretType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsSecret(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsSecret(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// secretSkeleton is the JSON of a type with sweepSecret in each of its
// Secret-typed fields, and only the paths to them; nil when it holds none.
func secretSkeleton(t reflect.Type) any {
	if t == secretType {
		return sweepSecret
	}
	switch t.Kind() {
	case reflect.Pointer:
		return secretSkeleton(t.Elem())
	case reflect.Slice, reflect.Array:
		if sk := secretSkeleton(t.Elem()); sk != nil {
			return []any{sk}
		}
	case reflect.Map:
		if sk := secretSkeleton(t.Elem()); sk != nil {
			return map[string]any{"k": sk}
		}
	case reflect.Struct:
		obj := map[string]any{}
		for _, f := range jsonFields(t) {
			if sk := secretSkeleton(t.FieldByIndex(f.index).Type); sk != nil {
				obj[f.name] = sk
			}
		}
		if len(obj) > 0 {
			return obj
		}
	}
	return nil
}

// mergeSkeleton puts a skeleton's secrets into an answer's value.
func mergeSkeleton(dst, sk any) any {
	switch s := sk.(type) {
	case map[string]any:
		switch d := dst.(type) {
		case map[string]any:
			for k, v := range s {
				d[k] = mergeSkeleton(d[k], v)
			}
			return d
		case []any: // a documented object sent as an array, or a list of records
			for i := range d {
				d[i] = mergeSkeleton(d[i], s)
			}
			return d
		}
		return mergeSkeleton(map[string]any{}, s)
	case []any:
		if d, ok := dst.([]any); ok && len(d) > 0 {
			for i := range d {
				d[i] = mergeSkeleton(d[i], s[0])
			}
			return d
		}
		return []any{mergeSkeleton(nil, s[0])}
	}
	return sk
}

// assertClean checks that an output holds no secret and no raw control
// character: only newlines end lines.
func assertClean(t *testing.T, name, out string) {
	t.Helper()
	for _, secret := range []string{sweepSecret, sweepUserPassword, sweepPassphrase, backupapitest.DefaultPassword, "system1"} {
		assert.NotContains(t, out, secret, "%s shows a secret", name)
	}
	for i, r := range out {
		switch {
		case r == '\n':
		case r == utf8.RuneError:
			assert.Fail(t, name+" has a byte that is not UTF-8", "at %d: %q", i, excerpt(out, i))
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || isBidiControl(r):
			assert.Fail(t, name+" has a raw control character", "%U at %d: %q", r, i, excerpt(out, i))
			return
		}
	}
}

func excerpt(s string, i int) string {
	return s[max(0, i-30):min(len(s), i+30)]
}

// assertNoLiveFormula reads CSV output and checks that no cell starts a
// spreadsheet formula.
func assertNoLiveFormula(t *testing.T, out string) {
	t.Helper()
	trimmed := strings.TrimSpace(out)
	if trimmed == "" || trimmed[0] == '{' || trimmed[0] == '[' { // the "do" commands print the raw answer
		return
	}
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	require.NoError(t, err, out)
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				if _, err := strconv.ParseFloat(cell, 64); err == nil {
					continue // a negative number
				}
				assert.Fail(t, "a CSV cell starts a formula", "%q", cell)
			}
		}
	}
}

// assertJSON checks that JSON output is one JSON value or JSON lines.
func assertJSON(t *testing.T, out string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			return
		}
		require.NoError(t, err, fmt.Sprintf("not JSON: %q", out))
	}
}

func TestANewCommandIsSweptOrFailsTheSweep(t *testing.T) {
	run := func(*cobra.Command, []string) error { return nil }
	needsArg := &cobra.Command{Use: "brand-new ID", Args: args(1, 1), RunE: run}
	_, ok := sweepCaseOf("ahsay brand-new", needsArg)
	assert.False(t, ok, "a new command that needs an argument is not swept until sweepCases gives one")
	needsFlag := &cobra.Command{Use: "brand-new", Args: args(0, 0), RunE: run}
	needsFlag.Flags().String("set", "", "")
	require.NoError(t, needsFlag.MarkFlagRequired("set"))
	_, ok = sweepCaseOf("ahsay brand-new", needsFlag)
	assert.False(t, ok, "nor one with a required flag")
	needsNothing := &cobra.Command{Use: "brand-new", Args: args(0, 0), RunE: run}
	tc, ok := sweepCaseOf("ahsay brand-new", needsNothing)
	assert.True(t, ok, "a new command that needs nothing is swept as it is")
	assert.Equal(t, 0, tc.code)
}
