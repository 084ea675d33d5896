package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
)

// runHere runs the command line in the test's process and returns its exit
// code and what it wrote.
func runHere(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
	return code, out.String(), errOut.String()
}

// useAhsay points the command line at a fresh fake AhsayCBS.
func useAhsay(t *testing.T) *backupapitest.AhsayServer {
	t.Helper()
	srv := backupapitest.NewAhsayServer()
	t.Cleanup(srv.Close)
	t.Setenv("AHSAY_URL", srv.URL)
	t.Setenv("AHSAY_SYSUSER", srv.SysUser)
	t.Setenv("AHSAY_SYSPWD", srv.SysPwd)
	t.Setenv("CA_FILE", writeCA(t, srv.Server))
	return srv
}

// useXClarity points the command line at a fresh fake appliance.
func useXClarity(t *testing.T, opts ...backupapitest.ServerOption) *backupapitest.XClarityServer {
	t.Helper()
	srv := backupapitest.NewXClarityServer(opts...)
	t.Cleanup(srv.Close)
	t.Setenv("XCLARITY_URL", srv.URL)
	t.Setenv("XCLARITY_USER", srv.Username)
	t.Setenv("XCLARITY_PASSWORD", srv.Password)
	t.Setenv("CA_FILE", writeCA(t, srv.Server))
	return srv
}
