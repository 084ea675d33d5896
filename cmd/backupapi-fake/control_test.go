package main

import (
	"crypto/tls"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// harnessEnv is the environment a harness script runs in: the test binary
// acts as backupapi-fake.
func harnessEnv() []string {
	return append(os.Environ(), "BACKUPAPI_FAKE="+os.Args[0], "BACKUPAPI_FAKE_MAIN=1")
}

// need finds a program the harness tests run, failing with a message
// when it is not installed.
func need(t *testing.T, program, why string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		t.Fatalf("%s is needed to %s: install it (Debian: apt-get install %s)", program, why, program)
	}
	return path
}

func TestAShellHarnessDrivesTheControlAPIWithCurl(t *testing.T) {
	bash := need(t, "bash", "run testdata/control.sh")
	need(t, "curl", "drive the control API from testdata/control.sh")
	cmd := exec.Command(bash, "testdata/control.sh")
	cmd.Env = harnessEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, step := range []string{"ok: 401 without the token", "ok: fault injected and spent", "ok: call counted, secrets masked",
		"ok: clock advanced, job finished", "ok: reset", "PASS"} {
		assert.Contains(t, string(out), step)
	}
}

func TestAPythonHarnessDrivesTheControlAPI(t *testing.T) {
	python := need(t, "python3", "run testdata/control_test.py (the standard library only)")
	cmd := exec.Command(python, "testdata/control_test.py")
	cmd.Env = harnessEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, step := range []string{"ok: 401 without the token", "ok: fault injected and spent", "ok: call counted, secrets masked",
		"ok: clock advanced, job finished", "ok: jobs fail when told", "ok: wrong names refused", "ok: reset", "PASS"} {
		assert.Contains(t, string(out), step)
	}
}

func TestTheControlAPIIsNotServedOnTheProductsPort(t *testing.T) {
	fake := startFake(t, nil, "--addr", "127.0.0.1:0")
	cmd, env, sc := fake.cmd, fake.env, fake.out
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fake.pool, MinVersion: tls.VersionTLS12}}}
	defer client.CloseIdleConnections()
	get := func(url string) int {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+env["CONTROL_TOKEN"])
		resp, err := client.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, get(env["CONTROL_URL"]+"/clock"), "on its own listener")
	assert.Equal(t, http.StatusNotFound, get(env["AHSAY_URL"]+"/_backupapi/clock"), "a client of the products cannot reach it")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for sc.Scan() {
	}
	require.NoError(t, cmd.Wait())
}
