package main

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestANegativeJobDurationIsAUsageError(t *testing.T) {
	var stderr strings.Builder
	_, err := parse([]string{"--addr", "127.0.0.1:0", "--job-duration", "-5s"}, &stderr)
	var usage usageError
	require.ErrorAs(t, err, &usage, "exit 2")
	assert.Equal(t, 1, strings.Count(stderr.String(), `--job-duration -5s: want a duration of 0 or more`), stderr.String())
	assert.Contains(t, stderr.String(), "-addr", "with the usage")
}

// Every address of 127.0.0.0/8 is loopback, and the fake accepts each:
// its certificate must name the one it serves, or no client trusts it.
func TestTheCertificateNamesTheLoopbackAddressServed(t *testing.T) {
	fake := startFake(t, nil, "--addr", "127.0.0.7:0")
	cmd, env, sc, pool := fake.cmd, fake.env, fake.out, fake.pool
	require.True(t, strings.HasPrefix(env["AHSAY_URL"], "https://127.0.0.7:"), env["AHSAY_URL"])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ahsay, err := backupapi.NewAhsayClient(env["AHSAY_URL"], env["AHSAY_SYSUSER"], env["AHSAY_SYSPWD"], backupapi.WithRootCAs(pool))
	require.NoError(t, err)
	_, err = ahsay.ListUsers(ctx, nil)
	assert.NoError(t, err, "the certificate is valid for 127.0.0.7")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for sc.Scan() {
	}
	require.NoError(t, cmd.Wait())
}

// A stall or delay fault holds its request until the client gives up; on
// SIGTERM the fake ends such requests and stops cleanly (exit 0) instead
// of waiting out its shutdown timeout and exiting 1.
func TestTheFakeStopsCleanlyWhileAFaultStallsARequest(t *testing.T) {
	for _, fault := range []string{`{"op":"ListUsers","body":"stall"}`, `{"op":"ListUsers","delay":"1h"}`} {
		t.Run(fault, func(t *testing.T) {
			var stderr strings.Builder
			fake := startFake(t, &stderr, "--addr", "127.0.0.1:0")
			cmd, env, sc := fake.cmd, fake.env, fake.out
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fake.pool, MinVersion: tls.VersionTLS12}}}
			defer client.CloseIdleConnections()
			control := func(method, path, body string) string {
				req, err := http.NewRequest(method, env["CONTROL_URL"]+path, strings.NewReader(body))
				require.NoError(t, err)
				req.Header.Set("Authorization", "Bearer "+env["CONTROL_TOKEN"])
				resp, err := client.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
				return string(b)
			}
			control(http.MethodPost, "/faults", fault)

			stalled := make(chan error, 1)
			go func() {
				resp, err := client.Post(env["AHSAY_URL"]+"/obs/api/json/ListUsers.do", "application/json",
					strings.NewReader(`{"SysUser":"`+env["AHSAY_SYSUSER"]+`","SysPwd":"`+env["AHSAY_SYSPWD"]+`"}`))
				if err == nil {
					_, err = io.ReadAll(resp.Body)
					_ = resp.Body.Close()
				}
				stalled <- err
			}()
			for !strings.Contains(control(http.MethodGet, "/calls", ""), `"op":"ListUsers"`) {
				runtime.Gosched() // until the fake holds the request
			}
			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			var rest []string
			for sc.Scan() {
				rest = append(rest, sc.Text())
			}
			assert.NoError(t, cmd.Wait(), "exit 0; stderr: %s", stderr.String())
			assert.Contains(t, rest, "stopped")
			<-stalled // the held request ended with the fake
		})
	}
}
