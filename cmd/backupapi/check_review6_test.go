package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

// TestCheckFaultsAreNeverOK runs every check against every fault of the
// fake, on the calls each check makes: each is UNKNOWN (or CRITICAL when a
// stale set was seen), never OK, the output keeps the plugin grammar, and
// no secret is printed, even when the server quotes the request back.
func TestCheckFaultsAreNeverOK(t *testing.T) {
	faults := []struct {
		name  string
		fault backupapitest.Fault
		slow  bool // retried until --timeout: tried on each check's first call only
	}{
		{"500s", backupapitest.Fault{Status: 500, Times: -1}, true},
		{"503s", backupapitest.Fault{Status: 503, Times: -1}, true},
		{"an HTML page", backupapitest.Fault{Body: backupapitest.BodyHTML, Times: -1}, false},
		{"an HTML 502 page", backupapitest.Fault{Body: backupapitest.BodyHTML, Status: 502, Times: -1}, false},
		{"a truncated answer", backupapitest.Fault{Body: backupapitest.BodyTruncated, Times: -1}, false},
		{"an empty body", backupapitest.Fault{Body: backupapitest.BodyEmpty, Times: -1}, false},
		{"a stalled answer", backupapitest.Fault{Body: backupapitest.BodyStall, Times: -1}, true},
		{"a dropped connection", backupapitest.Fault{Drop: backupapitest.DropBeforeAct, Times: -1}, true},
		{"the request quoted back", backupapitest.Fault{Body: backupapitest.BodyEcho, Times: -1}, false},
		{"the request quoted back in a 500", backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 500, Times: -1}, false},
	}
	checks := []struct {
		args []string
		ops  []string
	}{
		{[]string{"check", "ahsay", "freshness"}, []string{backupapitest.OpListUsers, backupapitest.OpListBackupSets,
			backupapitest.OpListBackupJobs, backupapitest.OpListBackupJobStatus}},
		{[]string{"check", "ahsay", "freshness", "--users-only"}, []string{backupapitest.OpListUsers}},
		{[]string{"check", "ahsay", "jobs", "--date", "today"}, []string{backupapitest.OpListUsers, backupapitest.OpListBackupJobStatus}},
		{[]string{"check", "xclarity", "backups"}, []string{backupapitest.OpLogin, backupapitest.OpListBackups, backupapitest.OpListJobs, backupapitest.OpQuiesceStatus}},
	}
	for _, c := range checks {
		for i, op := range c.ops {
			for _, f := range faults {
				if f.slow && i > 0 {
					continue
				}
				if harmless(op, f.fault) {
					continue
				}
				t.Run(strings.Join(c.args[1:], " ")+"/"+op+"/"+f.name, func(t *testing.T) {
					ahsay, xc, _ := checkFakes(t)
					if c.args[1] == "xclarity" {
						xc.Inject(op, f.fault)
					} else {
						ahsay.Inject(op, f.fault)
					}
					var out, errOut bytes.Buffer
					args := append(append([]string(nil), c.args...), "--timeout", "1s")
					code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
					o := parseIcinga(t, out.String())
					assert.Equal(t, stateOfCode[code], o.state)
					assert.NotEqual(t, pluginOK, code, "a fault is never OK: %s", out.String())
					assert.NotEqual(t, pluginWarning, code, "a fault is never a mere warning: %s", out.String())
					for _, secret := range []string{ahsay.SysPwd, xc.Password} {
						assert.NotContains(t, out.String()+errOut.String(), secret, "no secret printed")
					}
				})
			}
		}
	}
}

func TestCheckFreshnessWithUnreadableUsersNeverSaysAllFresh(t *testing.T) {
	ahsay, _, _ := checkFakes(t)
	ahsay.Inject(backupapitest.OpListBackupSets, backupapitest.Fault{Status: 403, Times: -1})
	code, o := runCheck(t, "check", "ahsay", "freshness")
	assert.Equal(t, pluginUnknown, code)
	assert.Equal(t, "0 sets read, all fresh; 8 users unreadable", o.text, "nothing read is not \"all 0 sets fresh\"")
}

// harmless tells the faults a check may rightly shrug off: the data it
// then reads is real.
func harmless(op string, f backupapitest.Fault) bool {
	switch {
	case op == backupapitest.OpQuiesceStatus && f.Body == backupapitest.BodyEmpty:
		return true // an empty quiesce answer is the appliance's "nothing runs" (the SDK's documented shape)
	case op == backupapitest.OpLogin && f.Body != backupapitest.BodyOK && f.Body != backupapitest.BodyStall && f.Status == 0:
		return true // the session was made before the body broke (the fake acts first): the calls after it read real data
	}
	return false
}

func TestCheckPerfdataLabelsFromHostileLocations(t *testing.T) {
	names := []string{"/mnt/it's", "/mnt/a=b", "/mnt/a|b", "/mnt/semi;colon", "/mnt/new\nline", "/mnt/esc\x1b[2J", "/mnt/''", "/mnt/sp ace", "=", "'", "/mnt/new_line"}
	f := &backupapi.ApplianceBackupFreshness{}
	now := time.Now()
	for i, n := range names {
		age := time.Duration(i+1) * time.Hour
		f.Locations = append(f.Locations, backupapi.LocationFreshness{Location: n, Newest: now.Add(-age), Age: age, Backups: 1})
	}
	var out bytes.Buffer
	xclarityVerdict(f, 8*24*time.Hour, 15*24*time.Hour, nil).write(&out)
	o := parseIcinga(t, out.String())
	assert.NotContains(t, out.String(), "\x1b")
	assert.Len(t, o.perf, 5+len(names), "every location has its own label, none lost to another: %s", out.String())
	for k := range o.perf {
		assert.NotContains(t, k, "=", "the guidelines allow no '=' in a label, quoted or not")
		assert.NotContains(t, k, "|", "no second perfdata separator")
	}
}

// TestATimeoutDuringRetriesSaysTheLastError: when --timeout ends a check
// while the SDK repeats a failing read, the status line keeps the cause
// ("timed out after 1s (--timeout) (last error: 502 Bad Gateway)"); when
// the retries run out first, it is the SDK's error. Either way the status
// is said and no secret is.
func TestATimeoutDuringRetriesSaysTheLastError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  backupapitest.Fault
		status string
	}{
		{"an HTML 502 page", backupapitest.Fault{Body: backupapitest.BodyHTML, Status: 502, Times: -1}, "502 Bad Gateway"},
		{"a 503 quoting the request", backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 503, Times: -1}, "503 Service Unavailable"},
	} {
		for _, args := range [][]string{{"check", "xclarity", "backups"}, {"check", "ahsay", "freshness"}} {
			t.Run(strings.Join(args[1:], " ")+"/"+tc.name, func(t *testing.T) {
				ahsay, xc, _ := checkFakes(t)
				xc.Inject(backupapitest.OpListBackups, tc.fault)
				ahsay.Inject(backupapitest.OpListUsers, tc.fault)
				var out, errOut bytes.Buffer
				code := run(context.Background(), append(args, "--timeout", "1s"), stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
				assert.Equal(t, pluginUnknown, code)
				if strings.Contains(out.String(), "timed out") {
					assert.Contains(t, out.String(), "timed out after 1s (--timeout) (last error: "+tc.status+")")
				} else {
					assert.Contains(t, out.String(), tc.status[:3], "the retries ran out: the SDK's error names the status")
				}
				for _, secret := range []string{ahsay.SysPwd, xc.Password} {
					assert.NotContains(t, out.String(), secret)
				}
			})
		}
	}
}
