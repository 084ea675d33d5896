package main

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAClientThatDoesNotTrustTheCertificateLeavesStderrQuiet(t *testing.T) {
	var stderr bytes.Buffer
	fake := startFake(t, &stderr, "--addr", "127.0.0.1:0", "--ca-file", filepath.Join(t.TempDir(), "ca.pem"))
	cmd, sc := fake.cmd, fake.out
	host, ok := strings.CutPrefix(fake.env["READY"], "https://")
	require.True(t, ok && host != "", "the fake printed READY https://…")

	// A client without the CA gives up mid-handshake, as curl or a browser
	// does; once the server has closed the connection, it has logged
	// whatever it logs about it.
	raw, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer raw.Close()
	err = tls.Client(raw, &tls.Config{ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}).Handshake()
	require.Error(t, err, "the certificate is not trusted")
	require.NoError(t, raw.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, _ = io.Copy(io.Discard, raw) // until the server closes its side

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for sc.Scan() { // the rest of its output, until it exits
	}
	require.NoError(t, cmd.Wait())
	assert.NotContains(t, stderr.String(), "TLS handshake error")
}

func TestASeedMistakeIsAnErrorNotACrash(t *testing.T) {
	cases := []struct{ name, seed, want string }{
		{"a user without a login", `{"ahsay":{"users":[{"password":"p"}]}}`, `ahsay.users[0]: missing key "loginName"`},
		{"a job for a user who does not exist", `{"ahsay":{"backupJobs":[{"loginName":"ghost","backupSetId":"1","start":"2026-11-23T01:00:00Z"}]}}`, `ahsay.backupJobs[0].loginName: no user "ghost"`},
		{"a job for a set the user lacks", `{"ahsay":{"users":[{"loginName":"a"}],"backupJobs":[{"loginName":"a","backupSetId":"9","start":"2026-11-23T01:00:00Z"}]}}`,
			`ahsay.backupJobs[0].backupSetId: user "a" has no backup set "9"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "seed.json")
			require.NoError(t, os.WriteFile(f, []byte(tc.seed), 0o600))
			code, _, stderr := runBinary(t, "--addr", "127.0.0.1:0", "--seed", f)
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, f)
			assert.Contains(t, stderr, tc.want)
			assert.NotContains(t, stderr, "goroutine", "no panic trace")
		})
	}
}
