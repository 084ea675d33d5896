package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"os"
	"os/exec"
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
	cmd := exec.Command(os.Args[0], "--addr", "127.0.0.7:0")
	cmd.Env = append(os.Environ(), "BACKUPAPI_FAKE_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()
	env := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "READY ") {
		k, v, _ := strings.Cut(sc.Text(), "=")
		env[k] = v
	}
	require.True(t, strings.HasPrefix(env["AHSAY_URL"], "https://127.0.0.7:"), env["AHSAY_URL"])
	pem, err := os.ReadFile(env["CA_FILE"])
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
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
