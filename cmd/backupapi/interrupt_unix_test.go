//go:build unix

package main

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failsafe bounds what a test waits for, so that a defect fails it
// instead of hanging it. It is far above any bound under test.
const failsafe = 30 * time.Second

// process is the backupapi command started as a process of its own.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	exited         chan struct{}
	err            error
}

// startCommand starts the test binary as the backupapi command, with this
// test's environment.
func startCommand(t *testing.T, prepare func(*exec.Cmd), args ...string) *process {
	t.Helper()
	c := &process{cmd: exec.Command(os.Args[0], args...), exited: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), asCommandEnv+"=1")
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if prepare != nil {
		prepare(c.cmd)
	}
	require.NoError(t, c.cmd.Start())
	go func() { c.err = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			_ = c.cmd.Process.Kill()
			<-c.exited
		}
	})
	return c
}

// exitCode waits for the command to end and returns its exit code.
func (c *process) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-c.exited:
	case <-time.After(failsafe):
		_ = c.cmd.Process.Kill()
		<-c.exited // the output is complete, and read by this goroutine only
		t.Fatalf("the command did not end within %s; stderr: %s", failsafe, c.stderr.String())
	}
	var exit *exec.ExitError
	if c.err != nil && !errors.As(c.err, &exit) {
		t.Fatal(c.err)
	}
	return c.cmd.ProcessState.ExitCode()
}

// await waits for ch, or fails the test.
func await(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(failsafe):
		t.Fatalf("%s did not happen within %s", what, failsafe)
	}
}

// stuckLogout is an appliance whose logout never answers, once armed: the
// test sees the command poll job 17 and then try to log out.
type stuckLogout struct {
	armed        atomic.Bool
	polling      chan struct{}
	loggingOut   chan struct{}
	once1, once2 sync.Once
	release      chan struct{}
}

func newStuckLogout(t *testing.T) *stuckLogout {
	s := &stuckLogout{polling: make(chan struct{}), loggingOut: make(chan struct{}), release: make(chan struct{})}
	xclarityBehind(t, s.wrap, backupapitest.WithJobDuration(time.Minute))
	t.Cleanup(func() { close(s.release) }) // before the server closes
	return s
}

func (s *stuckLogout) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.armed.Load() {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/tasks/17":
			s.once1.Do(func() { close(s.polling) })
		case r.Method == http.MethodDelete && r.URL.Path == "/sessions":
			s.once2.Do(func() { close(s.loggingOut) })
			select { // never answers
			case <-r.Context().Done():
			case <-s.release:
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// interruptedWait starts "jobs wait 17" on an appliance whose logout never
// answers, and presses Ctrl-C once it polls: it returns the command once
// it tries to log out.
func interruptedWait(t *testing.T) *process {
	s := newStuckLogout(t)
	startCopy(t) // job 17, running for a minute
	s.armed.Store(true)
	c := startCommand(t, nil, "xclarity", "jobs", "wait", "17", "--allow-http")
	await(t, s.polling, "the wait's first poll")
	require.NoError(t, c.cmd.Process.Signal(os.Interrupt))
	await(t, s.loggingOut, "the logout after Ctrl-C")
	return c
}

func TestAfterCtrlCTheLogoutIsBounded(t *testing.T) {
	c := interruptedWait(t)
	assert.Equal(t, exitInterrupted, c.exitCode(t), "the command ended though the logout never answered")
	assert.Contains(t, c.stderr.String(), "backupapi: interrupted; job 17 is still running on the appliance; follow it with: backupapi xclarity jobs wait 17")
}

func TestASecondCtrlCExitsAtOnce(t *testing.T) {
	c := interruptedWait(t)
	require.NoError(t, c.cmd.Process.Signal(os.Interrupt))
	assert.Equal(t, exitInterrupted, c.exitCode(t))
	assert.Contains(t, c.stderr.String(), "backupapi: interrupted again: exiting at once\n")
}
