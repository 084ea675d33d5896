package main

import (
	"bufio"
	"crypto/x509"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeProcess is this binary run as backupapi-fake by a test, read up to
// its READY line.
type fakeProcess struct {
	cmd  *exec.Cmd
	env  map[string]string // the NAME=value lines it printed; "READY": what followed READY
	out  *bufio.Scanner    // its stdout after the READY line
	pool *x509.CertPool    // trusts the CA in its CA_FILE
}

// startFake starts the fake with args (its stderr to stderr, when not nil),
// waits for READY and kills it when the test ends, if still running.
func startFake(t *testing.T, stderr io.Writer, args ...string) *fakeProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BACKUPAPI_FAKE_MAIN=1")
	if stderr != nil {
		cmd.Stderr = stderr
	}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	p := &fakeProcess{cmd: cmd, env: map[string]string{}, out: bufio.NewScanner(stdout)}
	for p.out.Scan() {
		if ready, ok := strings.CutPrefix(p.out.Text(), "READY "); ok {
			p.env["READY"] = ready
			break
		}
		k, v, _ := strings.Cut(p.out.Text(), "=")
		p.env[k] = v
	}
	require.NotEmpty(t, p.env["READY"], "the fake printed READY")
	pem, err := os.ReadFile(p.env["CA_FILE"])
	require.NoError(t, err)
	p.pool = x509.NewCertPool()
	require.True(t, p.pool.AppendCertsFromPEM(pem))
	return p
}
