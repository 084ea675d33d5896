package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// icingaOutput is a plugin's output as Icinga reads it: the status line's
// state and text, its performance data, and the long output.
type icingaOutput struct {
	state string
	text  string
	perf  map[string]perfValue
	long  []string
}

// perfValue is one parsed performance datum.
type perfValue struct {
	value                float64
	uom                  string
	warn, crit, min, max string
}

var (
	statusLine = regexp.MustCompile(`^BACKUP (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*?)(?: \| (.*))?$`)
	perfItem   = regexp.MustCompile(`^('(?:[^']|'')+'|[^'=\s]+)=(-?[0-9]+(?:\.[0-9]+)?)(s|ms|us|%|B|KB|MB|TB|c)?((?:;-?[0-9.]*){0,4})$`)
)

// parseIcinga parses plugin output by the Monitoring Plugins grammar and
// fails the test on anything that does not fit it.
func parseIcinga(t *testing.T, out string) icingaOutput {
	t.Helper()
	require.True(t, strings.HasSuffix(out, "\n"), "output ends with a newline")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	m := statusLine.FindStringSubmatch(lines[0])
	require.NotNil(t, m, "status line %q", lines[0])
	o := icingaOutput{state: m[1], text: m[2], perf: map[string]perfValue{}, long: lines[1:]}
	for _, tok := range splitPerf(t, m[3]) {
		pm := perfItem.FindStringSubmatch(tok)
		require.NotNil(t, pm, "perfdata item %q", tok)
		label := pm[1]
		if strings.HasPrefix(label, "'") {
			label = strings.ReplaceAll(label[1:len(label)-1], "''", "'")
		}
		v, err := strconv.ParseFloat(pm[2], 64)
		require.NoError(t, err)
		fields := append(strings.Split(strings.TrimPrefix(pm[4], ";"), ";"), "", "", "", "")
		_, dup := o.perf[label]
		require.False(t, dup, "label %q twice", label)
		o.perf[label] = perfValue{value: v, uom: pm[3], warn: fields[0], crit: fields[1], min: fields[2], max: fields[3]}
	}
	for _, l := range o.long {
		assert.NotContains(t, l, "|", "no second perfdata block")
	}
	return o
}

// splitPerf splits perfdata at spaces outside quoted labels.
func splitPerf(t *testing.T, s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	require.False(t, quoted, "unbalanced quote in %q", s)
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

var stateOfCode = map[int]string{0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}

// runCheck runs the command in-process and parses its output.
func runCheck(t *testing.T, args ...string) (int, icingaOutput) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
	o := parseIcinga(t, out.String())
	assert.Equal(t, stateOfCode[code], o.state, "the state matches the exit code %d", code)
	return code, o
}

// checkFakes starts both fakes with the seeded fleet and points the
// environment at them.
func checkFakes(t *testing.T) (*backupapitest.AhsayServer, *backupapitest.XClarityServer, backupapitest.FreshnessFleet) {
	ahsay := backupapitest.NewAhsayServer()
	t.Cleanup(ahsay.Close)
	fleet := ahsay.SeedFreshnessFleet(time.Now())
	xc := backupapitest.NewXClarityServer()
	t.Cleanup(xc.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pems := append(readFile(t, writeCA(t, ahsay.Server)), readFile(t, writeCA(t, xc.Server))...)
	require.NoError(t, os.WriteFile(ca, pems, 0o600))
	for k, v := range map[string]string{"AHSAY_URL": ahsay.URL, "AHSAY_SYSUSER": ahsay.SysUser, "AHSAY_SYSPWD": ahsay.SysPwd,
		"XCLARITY_URL": xc.URL, "XCLARITY_USER": xc.Username, "XCLARITY_PASSWORD": xc.Password, "CA_FILE": ca} {
		t.Setenv(k, v)
	}
	return ahsay, xc, fleet
}

func readFile(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func TestCheckAhsayFreshness(t *testing.T) {
	ahsay, _, fleet := checkFakes(t)
	cases := []struct {
		name string
		args []string
		code int
		text []string // in the status line
		perf map[string]float64
	}{
		{"a fresh set is OK", []string{"--user", fleet.Fresh.Login}, pluginOK, []string{"all 1 set fresh"},
			map[string]float64{"fresh": 1, "stale": 0}},
		{"a set past --warn is a WARNING", []string{"--set", fleet.Overdue.SetName}, pluginWarning, []string{"1 of 1 set stale: grace/Ledger 1d6h"},
			map[string]float64{"warning": 1, "oldest_age": 30 * 3600}},
		{"stale, failing and never-succeeded sets are CRITICAL", nil, pluginCritical,
			[]string{"of 8 sets stale: ", "dave/Database never succeeded"}, map[string]float64{"never_succeeded": 2, "fresh": 3}},
		{"an owner filter selects its users' sets", []string{"--owner", "reseller1", "--crit", "1h", "--warn", "30m"}, pluginCritical,
			[]string{"reseller1/heidi/Home 2h"}, map[string]float64{"critical": 1}},
		{"a schedule makes a set overdue", []string{"--set", fleet.Overdue.SetName, "--warn", "1w", "--crit", "2w", "--schedules"}, pluginWarning,
			[]string{"grace/Ledger"}, map[string]float64{"overdue": 1}},
		{"failures can be judged", []string{"--user", fleet.Failing.Login, "--warn", "1w", "--crit", "2w", "--fail-crit", "3"}, pluginCritical,
			[]string{"carol/Mail"}, map[string]float64{"failing": 1}},
		{"the users-only fast path judges last runs", []string{"--users-only", "--user", "alice,dave"}, pluginOK,
			[]string{"all 2 users fresh"}, map[string]float64{"fresh": 2}},
		{"nothing selected is UNKNOWN, never OK", []string{"--user", "nobody"}, pluginUnknown, []string{"no backup sets to judge", "or none matches the filter"}, nil},
		{"a bad flag is UNKNOWN", []string{"--warn", "soon"}, pluginUnknown, []string{"soon"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, o := runCheck(t, append([]string{"check", "ahsay", "freshness"}, tc.args...)...)
			assert.Equal(t, tc.code, code, "%s\n%s", o.text, strings.Join(o.long, "\n"))
			for _, want := range tc.text {
				assert.Contains(t, o.text, want)
			}
			for k, v := range tc.perf {
				if assert.Contains(t, o.perf, k) {
					assert.InDelta(t, v, o.perf[k].value, 120, k)
				}
			}
		})
	}
	t.Run("the worst items follow, worst first, and the perfdata has its thresholds", func(t *testing.T) {
		_, o := runCheck(t, "check", "ahsay", "freshness")
		require.NotEmpty(t, o.long)
		assert.True(t, strings.HasPrefix(o.long[0], "NEVER SUCCEEDED "), o.long[0])
		assert.Contains(t, strings.Join(o.long, "\n"), "CRITICAL bob/Photos: last success 4d ago")
		assert.Equal(t, perfValue{value: o.perf["oldest_age"].value, uom: "s", warn: "93600", crit: "259200", min: "0"}, o.perf["oldest_age"])
	})
	t.Run("--sys-user names the system user, since --user selects backup users", func(t *testing.T) {
		t.Setenv("AHSAY_SYSUSER", "nobody")
		code, _ := runCheck(t, "check", "ahsay", "freshness", "--user", fleet.Fresh.Login)
		assert.Equal(t, pluginUnknown, code, "the wrong system user is refused")
		code, o := runCheck(t, "check", "ahsay", "freshness", "--user", fleet.Fresh.Login, "--sys-user", ahsay.SysUser)
		assert.Equal(t, pluginOK, code, o.text)
	})
	t.Run("refused credentials are UNKNOWN", func(t *testing.T) {
		t.Setenv("AHSAY_SYSPWD", "wrong")
		code, o := runCheck(t, "check", "ahsay", "freshness")
		assert.Equal(t, pluginUnknown, code)
		assert.NotContains(t, o.text, "wrong", "no secret in the output")
	})
	t.Run("no server is UNKNOWN", func(t *testing.T) {
		t.Setenv("AHSAY_URL", "https://127.0.0.1:1")
		code, _ := runCheck(t, "check", "ahsay", "freshness", "--timeout", "2s")
		assert.Equal(t, pluginUnknown, code)
	})
	t.Run("a timeout is UNKNOWN and says so", func(t *testing.T) {
		ahsay.Inject(backupapitest.OpListUsers, backupapitest.Fault{Delay: time.Second, Times: 1})
		code, o := runCheck(t, "check", "ahsay", "freshness", "--timeout", "150ms")
		assert.Equal(t, pluginUnknown, code)
		assert.Contains(t, o.text, "timed out after 150ms")
	})
}

func TestCheckEscapesServerStrings(t *testing.T) {
	ahsay, _, _ := checkFakes(t)
	ahsay.SeedHistory("", "mallory", backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1900000000001",
		Name: "Evil\nBACKUP OK - fine | ok=1\x1b[2J"}})
	var out bytes.Buffer
	code := run(context.Background(), []string{"check", "ahsay", "freshness", "--user", "mallory"}, stdio{in: strings.NewReader(""), out: &out, errOut: &out})
	assert.Equal(t, pluginCritical, code)
	o := parseIcinga(t, out.String())
	assert.NotContains(t, out.String(), "\x1b", "no raw escape")
	assert.Len(t, o.long, 1, "the newline in the name starts no line")
	assert.Contains(t, o.long[0], `Evil\nBACKUP OK - fine ¦ ok=1\x1b[2J`)
	assert.NotContains(t, o.perf, "ok", "the name injects no perfdata")
}

func TestCheckAhsayJobs(t *testing.T) {
	ahsay, _, _ := checkFakes(t)
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	ok := func(login, set string, st backupapi.BackupJobStatus, at time.Duration) {
		ahsay.SeedHistory("", login, backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "19000000000" + strconv.Itoa(len(login)) + set, Name: set},
			Runs: []backupapi.BackupJobStatus{st}, Last: day.Add(at)})
	}
	ok("ivan", "10", backupapi.BackupSuccess, time.Hour)
	ok("judy", "20", backupapi.BackupSuccessWithError, 2*time.Hour)
	ok("mike", "30", backupapi.BackupStoppedQuotaExceeded, 3*time.Hour)
	cases := []struct {
		name string
		args []string
		code int
		text string
	}{
		{"a day of successes is OK", []string{"--date", "2026-11-20", "--user", "ivan"}, pluginOK, "1 backup job on 2026-11-20: 0 failed or missed"},
		{"a success with errors is a WARNING", []string{"--date", "2026-11-20", "--user", "ivan,judy"}, pluginWarning, "1 with warnings"},
		{"a failed job is CRITICAL", []string{"--date", "2026-11-20"}, pluginCritical, "3 backup jobs on 2026-11-20: 1 failed or missed"},
		{"a bad date is UNKNOWN", []string{"--date", "20/11/2026"}, pluginUnknown, "--date"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, o := runCheck(t, append([]string{"check", "ahsay", "jobs"}, tc.args...)...)
			assert.Equal(t, tc.code, code, o.text)
			assert.Contains(t, o.text, tc.text)
		})
	}
	t.Run("the failed job is listed first, with its status", func(t *testing.T) {
		_, o := runCheck(t, "check", "ahsay", "jobs", "--date", "2026-11-20")
		require.Len(t, o.long, 2)
		assert.Contains(t, o.long[0], "CRITICAL mike/30: failed (BS_STOP_BY_QUOTA_EXCEEDED)")
		assert.Equal(t, 3.0, o.perf["jobs"].value)
		assert.Equal(t, "B", o.perf["uploaded"].uom)
	})
}

func TestCheckXClarityBackups(t *testing.T) {
	_, xc, _ := checkFakes(t)
	cases := []struct {
		name string
		args []string
		code int
		text string
	}{
		{"a day-old backup is OK by default", nil, pluginOK, "newest backup 1d old"},
		{"past --warn is a WARNING", []string{"--warn", "12h", "--crit", "2d"}, pluginWarning, "newest backup 1d old"},
		{"past --crit is CRITICAL", []string{"--warn", "6h", "--crit", "20h"}, pluginCritical, "newest backup 1d old"},
		{"a location without a backup is CRITICAL", []string{"--location", "/mnt/share"}, pluginCritical, "/mnt/share: no backup"},
		{"a bad age is UNKNOWN", []string{"--crit", "15 days"}, pluginUnknown, "15 days"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, o := runCheck(t, append([]string{"check", "xclarity", "backups"}, tc.args...)...)
			assert.Equal(t, tc.code, code, o.text)
			assert.Contains(t, o.text, tc.text)
			if tc.code != pluginUnknown {
				assert.Equal(t, "s", o.perf["newest_age"].uom)
				assert.Contains(t, o.perf, "age internal", "a quoted label with a space")
			}
		})
	}
	t.Run("credentials refused are UNKNOWN", func(t *testing.T) {
		t.Setenv("XCLARITY_PASSWORD", "nope")
		code, _ := runCheck(t, "check", "xclarity", "backups")
		assert.Equal(t, pluginUnknown, code)
	})
	_ = xc
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"26h": 26 * time.Hour, "8d": 8 * 24 * time.Hour, "1w": 7 * 24 * time.Hour,
		"1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "1.5d": 36 * time.Hour} {
		got, err := parseAge(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "soon", "8", "d", "15 days"} {
		_, err := parseAge(bad)
		assert.Error(t, err, bad)
	}
}

func TestPerfDatumGrammar(t *testing.T) {
	for want, p := range map[string]perfDatum{
		"fresh=409;;;0":                     perf("fresh", 409, ""),
		"oldest_age=345600s;93600;259200;0": perf("oldest_age", 345600, "s").thresholds("93600", "259200"),
		"'age /mnt/my share'=5s;;;0":        perf("age /mnt/my share", 5, "s"),
		"'it''s'=1;;;0":                     perf("it's", 1, ""),
		"a_b=1;;;0":                         perf("a=b", 1, ""), // the guidelines allow no '=' in a label, quoted or not
		"ctl_x=1;;;0":                       perf("ctl\nx", 1, ""),
		"uploaded=1048576B;;;0":             perf("uploaded", 1<<20, "B"),
		"x=0.5":                             {label: "x", value: 0.5},
	} {
		assert.Equal(t, want, p.String())
	}
}
