package main

import (
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/rogpeppe/go-internal/testscript"
)

// asCommandEnv, set to 1, makes the test binary run as the backupapi
// command: for the tests that start it as a process of its own (signals,
// a controlling terminal).
const asCommandEnv = "BACKUPAPI_TEST_AS_COMMAND"

// TestMain lets the test binary be the backupapi command in the scripts,
// and in the tests that start it with asCommandEnv.
func TestMain(m *testing.M) {
	if os.Getenv(asCommandEnv) == "1" {
		os.Exit(mainCode())
	}
	testscript.Main(m, map[string]func(){"backupapi": func() { os.Exit(mainCode()) }})
}

var night = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// TestScripts runs testdata/script/*.txtar end to end: the command as a
// process, against fresh fakes of both servers for each script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			ahsay := backupapitest.NewAhsayServer()
			env.Defer(ahsay.Close)
			seedNight(ahsay)
			xc := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(300 * time.Millisecond))
			env.Defer(xc.Close)
			ca := filepath.Join(env.WorkDir, "ca.pem")
			var pems []byte
			for _, s := range []*backupapitest.Server{ahsay.Server, xc.Server} {
				pems = append(pems, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
			}
			if err := os.WriteFile(ca, pems, 0o600); err != nil {
				return err
			}
			for k, v := range map[string]string{"AHSAY_URL": ahsay.URL, "AHSAY_SYSUSER": ahsay.SysUser, "AHSAY_SYSPWD": ahsay.SysPwd,
				"XCLARITY_URL": xc.URL, "XCLARITY_USER": xc.Username, "XCLARITY_PASSWORD": xc.Password, "CA_FILE": ca,
				"SLOW_XCLARITY_URL": slowXClarity(env).URL} {
				env.Setenv(k, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// sleep DURATION
			"sleep": func(ts *testscript.TestScript, _ bool, args []string) {
				d, err := time.ParseDuration(args[0])
				ts.Check(err)
				time.Sleep(d)
			},
			// exits CODE cmd args...: run a command and check its exit code.
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 2 {
					ts.Fatalf("usage: exits CODE command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				err = ts.Exec(args[1], args[2:]...)
				got := 0
				var exit *exec.ExitError
				switch {
				case errors.As(err, &exit):
					got = exit.ExitCode()
				case err != nil:
					ts.Fatalf("%v", err)
				}
				if got != want {
					ts.Fatalf("exit code %d, want %d", got, want)
				}
			},
		},
	})
}

// slowXClarity is an appliance whose jobs take a minute: long enough to
// interrupt a wait.
func slowXClarity(env *testscript.Env) *backupapitest.XClarityServer {
	xc := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(time.Minute))
	env.Defer(xc.Close)
	return xc
}

// seedNight gives the fake two users and a night of jobs: one failed.
func seedNight(srv *backupapitest.AhsayServer) {
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "Bob-Pa55", Email: "bob@example.com",
		Sets: []backupapitest.AhsayBackupSet{{ID: "1700000000001", Name: "Accounts"}}})
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "carol", Password: "Carol-Pa55",
		Sets: []backupapitest.AhsayBackupSet{{ID: "1700000000002", Name: "Photos"}}})
	srv.AddBackupJob("", "bob", backupapitest.AhsayBackupJob{BackupSetID: "1700000000001", Start: night.Add(time.Hour),
		End: night.Add(2 * time.Hour), Status: backupapi.BackupStoppedBySystemError})
	srv.AddBackupJob("", "carol", backupapitest.AhsayBackupJob{BackupSetID: "1700000000002", Start: night.Add(3 * time.Hour),
		End: night.Add(4 * time.Hour), Status: backupapi.BackupSuccess, UploadSize: 5 << 20})
}

// writeCA writes a server's certificate as a PEM file.
func writeCA(t *testing.T, s *backupapitest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
