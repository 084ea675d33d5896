package exporter

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestExporterServesTheFleet(t *testing.T) {
	f := startFleet(t, "")
	code, text := f.get(t, "/metrics")
	require.Equal(t, http.StatusOK, code)
	fams := families(t, text)
	set := func(s backupapitest.FleetSet) map[string]string {
		return map[string]string{"target": "cbs", "owner": s.Owner, "user": s.Login, "set": s.SetName, "set_id": s.SetID}
	}
	t.Run("both targets are up", func(t *testing.T) {
		for _, target := range []string{"cbs", "lxca"} {
			v, ok := value(t, fams, "backupapi_up", map[string]string{"target": target, "error": ""})
			assert.True(t, ok && v == 1, target)
		}
	})
	t.Run("each set's freshness, as the policy judges it", func(t *testing.T) {
		cases := []struct {
			name          string
			set           backupapitest.FleetSet
			overdue       float64
			failures      float64
			outcome       string
			neverSucceded bool
		}{
			{"fresh", f.seeded.Fresh, 0, 0, "success", false},
			{"stale", f.seeded.Stale, 2, 3, "missed", false},
			{"failing", f.seeded.Failing, 1, 3, "failed", false},
			{"never succeeded", f.seeded.Never, 3, 2, "failed", true},
			{"never ran", f.seeded.Empty, 3, 0, "none", true},
			{"running", f.seeded.Running, 0, 0, "running", false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				v, ok := value(t, fams, "backupapi_ahsay_backup_set_overdue", set(tc.set))
				require.True(t, ok)
				assert.Equal(t, tc.overdue, v)
				v, _ = value(t, fams, "backupapi_ahsay_backup_set_consecutive_failures", set(tc.set))
				assert.Equal(t, tc.failures, v)
				withOutcome := set(tc.set)
				withOutcome["outcome"] = tc.outcome
				v, ok = value(t, fams, "backupapi_ahsay_backup_set_last_job_outcome", withOutcome)
				assert.True(t, ok && v == 1, "outcome %s", tc.outcome)
				v, _ = value(t, fams, "backupapi_ahsay_backup_set_last_success_timestamp_seconds", set(tc.set))
				if tc.neverSucceded {
					assert.Zero(t, v)
				} else {
					assert.InDelta(t, float64(time.Now().Unix()), v, 5*86400)
				}
			})
		}
	})
	t.Run("users' quotas and the licence", func(t *testing.T) {
		v, _ := value(t, fams, "backupapi_ahsay_user_quota_used_bytes", map[string]string{"user": "alice"})
		assert.Equal(t, float64(3<<30), v)
		v, _ = value(t, fams, "backupapi_ahsay_user_quota_bytes", map[string]string{"user": "alice"})
		assert.Equal(t, float64(50<<30), v)
		v, _ = value(t, fams, "backupapi_ahsay_license_remaining", map[string]string{"target": "cbs", "module": "vm"})
		assert.Equal(t, 5.0, v)
		v, _ = value(t, fams, "backupapi_ahsay_license_quota", map[string]string{"target": "cbs", "module": "nas"})
		assert.Equal(t, 10.0, v)
	})
	t.Run("the XClarity appliance's backups", func(t *testing.T) {
		v, ok := value(t, fams, "backupapi_xclarity_newest_backup_timestamp_seconds", map[string]string{"target": "lxca", "location": "internal"})
		require.True(t, ok)
		assert.InDelta(t, float64(time.Now().Add(-24*time.Hour).Unix()), v, 60)
		v, _ = value(t, fams, "backupapi_xclarity_backups", map[string]string{"target": "lxca", "location": "internal"})
		assert.Equal(t, 2.0, v)
		v, _ = value(t, fams, "backupapi_xclarity_quiesced", map[string]string{"target": "lxca"})
		assert.Zero(t, v)
		v, _ = value(t, fams, "backupapi_xclarity_backup_overdue", map[string]string{"target": "lxca"})
		assert.Zero(t, v, "a day-old backup is fresh by 8d/15d")
	})
	t.Run("no label holds a job ID", func(t *testing.T) {
		for name, fam := range fams {
			for _, m := range fam.GetMetric() {
				for _, lp := range m.GetLabel() {
					assert.NotRegexp(t, `^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$`, lp.GetValue(), "%s{%s}", name, lp.GetName())
				}
			}
		}
	})
	t.Run("every family is one the exporter lists, or the SDK's own", func(t *testing.T) {
		known := map[string]bool{}
		for _, m := range Metrics {
			known[m.Name] = true
		}
		for name := range fams {
			assert.True(t, known[name] || isSDKMetric(name), name)
		}
	})
	t.Run("the SDK's call metrics by operation and result, through the OpenTelemetry bridge", func(t *testing.T) {
		fam, ok := fams["backupapi_client_operation_duration_seconds"]
		require.True(t, ok, "the SDK's call durations are served")
		ops := map[string]bool{}
		for _, m := range fam.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == "backupapi_operation" {
					ops[lp.GetValue()] = true
				}
			}
		}
		for _, op := range []string{"ListUsers", "ListBackupSets", "ListBackupJobs", "ListBackupJobStatus", "GetLicense", "ListBackups"} {
			assert.True(t, ops[op], "%s in %v", op, ops)
		}
	})
	t.Run("the SDK's call metrics name their target", func(t *testing.T) {
		targets := map[string]bool{}
		for name, fam := range fams {
			if !isSDKMetric(name) {
				continue
			}
			for _, m := range fam.GetMetric() {
				target := ""
				for _, lp := range m.GetLabel() {
					if lp.GetName() == "target" {
						target = lp.GetValue()
					}
				}
				require.Contains(t, []string{"cbs", "lxca"}, target, "%s has the target label of a configured target", name)
				targets[target] = true
			}
		}
		assert.Len(t, targets, 2, "both targets' SDK clients are measured, each under its own name")
	})
	t.Run("no secret reaches the logs or the metrics", func(t *testing.T) {
		assert.NotContains(t, f.logs.String(), testAhsayPassword)
		assert.NotContains(t, text, testAhsayPassword)
		assert.Contains(t, f.logs.String(), `"msg":"refreshed"`, "the logs are there to look at")
	})
}

func TestExporterEndpoints(t *testing.T) {
	f := startFleet(t, "")
	cases := []struct {
		path     string
		code     int
		contains string
		lacks    string
	}{
		{"/-/healthy", 200, "OK", ""},
		{"/-/ready", 200, "OK", ""},
		{"/probe?target=lxca", 200, `backupapi_up{error="",target="lxca",type="xclarity"} 1`, `target="cbs"`},
		{"/probe?target=cbs", 200, `target="cbs"`, `target="lxca"`},
		{"/probe?target=nope", 404, "unknown target", ""},
		{"/probe", 400, "no target: /probe?target=NAME", ""},
		{"/probe?target=", 400, "no target", ""},
		{"/", 200, "/probe?target=cbs", ""},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			code, body := f.get(t, tc.path)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, body, tc.contains)
			if tc.lacks != "" {
				assert.NotContains(t, body, tc.lacks)
			}
		})
	}
	t.Run("a scrape never calls a backup server", func(t *testing.T) {
		before := f.ahsay.Calls(backupapitest.OpListUsers)
		for range 3 {
			code, _ := f.get(t, "/metrics")
			require.Equal(t, 200, code)
		}
		assert.Equal(t, before, f.ahsay.Calls(backupapitest.OpListUsers))
	})
}

func TestOneFailingTargetNeverStopsTheOthers(t *testing.T) {
	f := startFleetWithPassword(t, "wrong")
	_, text := f.get(t, "/metrics")
	fams := families(t, text)
	v, ok := value(t, fams, "backupapi_up", map[string]string{"target": "cbs", "error": "auth"})
	assert.True(t, ok && v == 0, "down, with its error kind")
	v, ok = value(t, fams, "backupapi_up", map[string]string{"target": "lxca", "error": ""})
	assert.True(t, ok && v == 1, "the other target is up")
	_, ok = value(t, fams, "backupapi_ahsay_backup_set_overdue", nil)
	assert.False(t, ok, "no values without a good refresh")
	v, _ = value(t, fams, "backupapi_refresh_errors_total", map[string]string{"target": "cbs", "kind": "auth"})
	assert.Equal(t, 1.0, v)
	code, _ := f.get(t, "/-/ready")
	assert.Equal(t, 200, code, "a target that failed its first refresh has ended it")
	assert.NotContains(t, f.logs.String(), "wrong\"", "the refused password is not logged")
}

// startFleetWithPassword starts the fleet with the AhsayCBS target given
// another password than the fake's.
func startFleetWithPassword(t *testing.T, pw string) *fleet {
	t.Helper()
	f := startFleet(t, "")
	f.stop()
	// startFleet set the right password; run a second exporter on the
	// same fakes with the wrong one.
	t.Setenv("TEST_CBS_SYSPWD", pw)
	cfg, err := ParseConfig([]byte(f.cfgText))
	require.NoError(t, err)
	g := *f
	g.logs = &syncBuffer{}
	g.exp, err = New(cfg, Options{Logger: newTestLogger(g.logs)})
	require.NoError(t, err)
	g.url, g.stop = serveForTest(t, g.exp)
	return &g
}

func TestLastGoodValues(t *testing.T) {
	f := startFleet(t, "")
	tg := f.exp.byName["cbs"]
	clock := time.Now()
	tg.now = func() time.Time { return clock }
	snap, st := tg.served()
	require.NotNil(t, snap)
	require.Empty(t, st.errKind)

	t.Run("a failed refresh keeps the last good values, and says it is down", func(t *testing.T) {
		f.ahsay.Inject(backupapitest.OpListUsers, backupapitest.Fault{Status: 401, Times: 1})
		tg.refreshOnce(context.Background())
		kept, st := tg.served()
		assert.Equal(t, "auth", st.errKind)
		assert.Same(t, snap, kept, "the last good snapshot is served")
		clock = clock.Add(3*time.Hour + time.Minute) // keep_last_good defaults to 3 intervals of 1h
		dropped, _ := tg.served()
		assert.Nil(t, dropped, "past keep_last_good the values are dropped")
	})
	t.Run("a user that cannot be read keeps its sets' last values", func(t *testing.T) {
		clock = time.Now()
		tg.refreshOnce(context.Background())
		good, _ := tg.served()
		require.NotNil(t, good)
		f.ahsay.Inject(backupapitest.OpListBackupSets, backupapitest.Fault{Status: 403, Times: 1})
		tg.refreshOnce(context.Background())
		next, st := tg.served()
		assert.Empty(t, st.errKind, "one user failing does not fail the refresh")
		assert.Equal(t, 1.0, st.errors["permission"])
		assert.Equal(t, len(good.samples), len(next.samples), "the unreadable user's sets were carried over")
	})
}

func TestPromtoolChecksTheExposition(t *testing.T) {
	promtool := needTool(t, "promtool")
	f := startFleet(t, "")
	_, text := f.get(t, "/metrics")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "%s", out)
	assert.Empty(t, strings.TrimSpace(string(out)), "no lint findings")
}

func TestShippedRules(t *testing.T) {
	promtool := needTool(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "rules.yml"},
		{"test", "rules", "rules_test.yml"},
		{"check", "config", "prometheus.yml"},
		{"check", "config", "prometheus-probe.yml"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(promtool, args...)
			cmd.Dir = "../../examples/prometheus"
			out, err := cmd.CombinedOutput()
			assert.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "SUCCESS")
		})
	}
}

func TestShippedExporterConfigParses(t *testing.T) {
	b, err := os.ReadFile("../../examples/prometheus/exporter.yml")
	require.NoError(t, err)
	cfg, err := ParseConfig(b)
	require.NoError(t, err)
	require.Len(t, cfg.Targets, 2)
	assert.Equal(t, 5*time.Minute, time.Duration(cfg.Targets[0].Interval))
	assert.Equal(t, 8*24*time.Hour, time.Duration(cfg.Targets[0].Freshness.Overrides[0].Warn))
}

// isSDKMetric tells the SDK's call metrics (issue 20's, named by the
// OpenTelemetry bridge) from the exporter's own.
func isSDKMetric(name string) bool {
	return strings.HasPrefix(name, "backupapi_client_") || strings.HasPrefix(name, "http_client_")
}
