package exporter

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// needTool finds a command-line tool of Debian's prometheus package. A
// machine without it skips the test, saying what to install; under CI
// (CI=true) a missing tool fails it.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := name + " is not installed: apt-get install -y prometheus (Debian/Ubuntu) gives prometheus and promtool"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// fleet is a running exporter against both fakes.
type fleet struct {
	ahsay   *backupapitest.AhsayServer
	xc      *backupapitest.XClarityServer
	seeded  backupapitest.FreshnessFleet
	exp     *Exporter
	url     string // the exporter's root URL
	logs    *syncBuffer
	dir     string
	stop    func()
	cfgText string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const testAhsayPassword = "Sys-Pa55-word!"

// startFleet starts the fakes (the AhsayCBS one with the seeded fleet, on
// its real clock), writes a config naming both, and runs the exporter on a
// loopback port until the test ends. extra is added to each target.
func startFleet(t *testing.T, extra string) *fleet {
	t.Helper()
	f := &fleet{dir: t.TempDir(), logs: &syncBuffer{}}
	f.ahsay = backupapitest.NewAhsayServer(backupapitest.WithCredentials("system", testAhsayPassword))
	t.Cleanup(f.ahsay.Close)
	f.ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "Pa55-alice", QuotaUsed: 3 << 30}) // the fleet adds her set
	f.seeded = f.ahsay.SeedFreshnessFleet(time.Now())
	f.ahsay.SetLicense(backupapitest.AhsayLicense{Licensee: "Test", Key: "K", Quotas: map[string]int64{
		"VMQuota": 100, "UsedVMQuota": 95, "RemainVMQuota": 5, "NasQuota": 10, "UsedNasQuota": 1, "RemainNasQuota": 9}})
	f.xc = backupapitest.NewXClarityServer()
	t.Cleanup(f.xc.Close)
	var pems []byte
	for _, s := range []*backupapitest.Server{f.ahsay.Server, f.xc.Server} {
		pems = append(pems, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
	}
	ca := filepath.Join(f.dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pems, 0o600))
	pwFile := filepath.Join(f.dir, "lxca-password")
	require.NoError(t, os.WriteFile(pwFile, []byte(f.xc.Password+"\n"), 0o600))
	t.Setenv("TEST_CBS_SYSPWD", testAhsayPassword)
	f.cfgText = `listen: 127.0.0.1:0
targets:
  - name: cbs
    type: ahsay
    url: ` + f.ahsay.URL + `
    user: system
    password_env: TEST_CBS_SYSPWD
    ca_file: ` + ca + `
    interval: 1h
    freshness: {warn: 26h, critical: 72h}
` + extra + `
  - name: lxca
    type: xclarity
    url: ` + f.xc.URL + `
    user: ` + f.xc.Username + `
    password_file: ` + pwFile + `
    ca_file: ` + ca + `
    interval: 1h
`
	cfg, err := ParseConfig([]byte(f.cfgText))
	require.NoError(t, err)
	f.exp, err = New(cfg, Options{Logger: newTestLogger(f.logs), SDKMetrics: true})
	require.NoError(t, err)
	f.url, f.stop = serveForTest(t, f.exp)
	return f
}

// get fetches a path of the exporter.
func (f *fleet) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(f.url + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// families parses an exposition.
func families(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	require.NoError(t, err)
	return fams
}

// value finds the series of a family with these labels (a subset).
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	fam, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range fam.GetMetric() {
		have := map[string]string{}
		for _, lp := range m.GetLabel() {
			have[lp.GetName()] = lp.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// serveForTest serves the exporter on a loopback port until the test ends
// (or stop), and waits until it is ready.
func serveForTest(t *testing.T, e *Exporter) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Serve(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	wait, cancelWait := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelWait()
	require.NoError(t, e.WaitReady(wait))
	return "http://" + ln.Addr().String(), stop
}

// backupapitestHistoryWithOddName is a set whose name holds every
// character the text format escapes.
func backupapitestHistoryWithOddName() backupapitest.AhsayHistory {
	return backupapitest.AhsayHistory{Set: backupapitest.AhsayBackupSet{ID: "1900000000009", Name: "Say \"hi\"\\ \nbye"}}
}
