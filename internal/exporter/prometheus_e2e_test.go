package exporter

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPrometheusScrapesTheExporter runs a real Prometheus server (loopback
// only, its own port and temp dir) with the shipped scrape config and
// rules against the exporter against the fakes, and asks its HTTP API for
// a stale set's series and for the firing alert.
func TestPrometheusScrapesTheExporter(t *testing.T) {
	bin := needTool(t, "prometheus")
	f := startFleet(t, "")
	dir := t.TempDir()

	shipped := func(name string) string {
		b, err := os.ReadFile(filepath.Join("../../examples/prometheus", name))
		require.NoError(t, err)
		return string(b)
	}
	cfg := shipped("prometheus.yml")
	exporterAddr := strings.TrimPrefix(f.url, "http://")
	for old, repl := range map[string]string{
		`"127.0.0.1:9877"`:         `"` + exporterAddr + `"`,
		"scrape_interval: 60s":     "scrape_interval: 1s",
		"evaluation_interval: 60s": "evaluation_interval: 1s",
		"scrape_timeout: 20s":      "scrape_timeout: 1s",
	} {
		require.Contains(t, cfg, old, "the shipped scrape config changed: update this test")
		cfg = strings.ReplaceAll(cfg, old, repl)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rules.yml"), []byte(shipped("rules.yml")), 0o600))

	port := freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr, "--log.level=warn")
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		_ = syscall.Kill(pid, syscall.SIGTERM)
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(pid, syscall.SIGKILL)
			<-exited
		}
	})

	api := "http://" + addr + "/api/v1/"
	stale := `backupapi_ahsay_backup_set_overdue{user="` + f.seeded.Stale.Login + `",set="` + f.seeded.Stale.SetName + `"}`
	eventually(t, 90*time.Second, logs, "a stale set's series", func() bool {
		var r struct {
			Status string
			Data   struct {
				Result []struct {
					Metric map[string]string
					Value  [2]any
				}
			}
		}
		if !getJSON(api+"query?query="+url.QueryEscape(stale), &r) || len(r.Data.Result) != 1 {
			return false
		}
		res := r.Data.Result[0]
		return res.Metric["target"] == "cbs" && res.Metric["job"] == "backupapi" && res.Value[1] == "2"
	})
	eventually(t, 60*time.Second, logs, "the BackupSetStale alert firing for it", func() bool {
		var r struct {
			Data struct {
				Alerts []struct {
					Labels map[string]string
					State  string
				}
			}
		}
		if !getJSON(api+"alerts", &r) {
			return false
		}
		for _, a := range r.Data.Alerts {
			if a.Labels["alertname"] == "BackupSetStale" && a.Labels["user"] == f.seeded.Stale.Login && a.State == "firing" {
				return true
			}
		}
		return false
	})
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func getJSON(u string, out any) bool {
	resp, err := http.Get(u)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(out) == nil
}

// eventually polls cond until it holds, or fails the test with the
// server's logs when the deadline passes.
func eventually(t *testing.T, within time.Duration, logs *syncBuffer, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s; prometheus said:\n%s", what, within, logs.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
}
