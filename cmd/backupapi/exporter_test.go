package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExporterCommand(t *testing.T) {
	ahsay, _, _ := checkFakes(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cfg := filepath.Join(t.TempDir(), "exporter.yml")
	require.NoError(t, os.WriteFile(cfg, []byte(`listen: `+addr+`
targets:
  - name: cbs
    type: ahsay
    url: `+ahsay.URL+`
    user: `+ahsay.SysUser+`
    password_env: AHSAY_SYSPWD
    ca_file: `+os.Getenv("CA_FILE")+`
    interval: 1h
`), 0o600))

	t.Run("it serves until its context ends (SIGTERM), then exits 0", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var logs bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"exporter", "--config", cfg}, stdio{in: strings.NewReader(""), out: io.Discard, errOut: &logs})
		}()
		var body string
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			resp, err := http.Get("http://" + addr + "/-/ready")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					r, err := http.Get("http://" + addr + "/metrics")
					require.NoError(t, err)
					b, _ := io.ReadAll(r.Body)
					r.Body.Close()
					body = string(b)
					break
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		assert.Contains(t, body, `backupapi_up{error="",target="cbs",type="ahsay"} 1`)
		assert.Contains(t, body, "backupapi_ahsay_backup_set_overdue{")
		cancel()
		assert.Equal(t, 0, <-done, "a graceful shutdown is a success")
		_, err := net.DialTimeout("tcp", addr, time.Second)
		assert.Error(t, err, "the port is closed")
		assert.NotContains(t, logs.String(), ahsay.SysPwd, "no password in the logs")
		assert.Contains(t, logs.String(), `"msg":"shutting down"`)
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"without --config it is a usage mistake", []string{"exporter"}, "--config is required"},
		{"a config that does not parse is a usage mistake", []string{"exporter", "--config", writeTemp(t, "targets: [{name: x, type: nas}]")}, "no url"},
		{"a missing file is a usage mistake", []string{"exporter", "--config", "/nonexistent.yml"}, "no such file"},
		{"a target's credential variable that is not set is a usage mistake", []string{"exporter", "--config", writeTemp(t,
			"targets: [{name: cbs, type: ahsay, url: 'https://cbs.example.com', user: u, password_env: BACKUPAPI_TEST_UNSET_VARIABLE}]")},
			`target "cbs": password_env BACKUPAPI_TEST_UNSET_VARIABLE is not set`},
		{"a target's CA file that is not there is a usage mistake", []string{"exporter", "--config", writeTemp(t,
			"targets: [{name: cbs, type: ahsay, url: 'https://cbs.example.com', user: u, password_env: AHSAY_SYSPWD, ca_file: /nonexistent/ca.pem}]")},
			`target "cbs": ca_file`},
		{"a log format it does not know is a usage mistake", []string{"exporter", "--config", cfg, "--log-format", "logfmt",
			"--listen", "not-an-address"}, `--log-format "logfmt": want json or text`}, // refused before it listens (or fails to)
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errOut bytes.Buffer
			code := run(context.Background(), tc.args, stdio{in: strings.NewReader(""), out: io.Discard, errOut: &errOut})
			assert.Equal(t, exitUsage, code, errOut.String())
			assert.Contains(t, errOut.String(), tc.want)
		})
	}
}

func writeTemp(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "c"+strconv.Itoa(len(text))+".yml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
	return p
}
