//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: the master side, which the test types
// into, and the terminal the command reads.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	require.NoError(t, unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	require.NoError(t, err)
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return m, s
}

// TestThePasswordPromptDoesNotEcho types the system password at the
// prompt of a real terminal and checks that it was used and never echoed.
func TestThePasswordPromptDoesNotEcho(t *testing.T) {
	srv := backupapitest.NewAhsayServer()
	defer srv.Close()
	t.Setenv("AHSAY_URL", srv.URL)
	t.Setenv("AHSAY_SYSUSER", srv.SysUser)
	t.Setenv("AHSAY_SYSPWD", "")
	master, tty := openPTY(t)

	typed := make(chan error, 1)
	go func() {
		// Type only once the prompt has turned echo off, as a person would
		// after seeing it.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err == nil && tio.Lflag&unix.ECHO == 0 {
				_, err = master.Write([]byte(srv.SysPwd + "\n"))
				typed <- err
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		typed <- fmt.Errorf("the prompt never turned echo off")
	}()

	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"ahsay", "system", "auth", "--ca-file", writeCA(t, srv.Server)},
		stdio{in: tty, out: &out, errOut: &errOut, inFd: int(tty.Fd()), inTTY: true})
	require.NoError(t, <-typed)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, errOut.String(), "AhsayCBS password for system: ")
	assert.Equal(t, "check system credentials: ok\n", out.String(), "the typed password was used")

	// What the terminal sent back to the typist: none of the password.
	fd := int(master.Fd()) // once: each Fd() call makes the file blocking again
	require.NoError(t, unix.SetNonblock(fd, true))
	echo := make([]byte, 4096)
	n, _ := unix.Read(fd, echo)
	assert.NotContains(t, string(echo[:max(n, 0)]), srv.SysPwd, "the password was not echoed")
}

// TestCtrlCAtThePasswordPromptExits presses Ctrl-C at the prompt of the
// command's controlling terminal: it exits 130 and gives the terminal its
// echo back.
func TestCtrlCAtThePasswordPromptExits(t *testing.T) {
	t.Setenv("AHSAY_URL", "https://127.0.0.1:1") // never reached
	t.Setenv("AHSAY_SYSUSER", "system")
	t.Setenv("AHSAY_SYSPWD", "")
	master, tty := openPTY(t)
	c := startCommand(t, func(cmd *exec.Cmd) {
		cmd.Stdin = tty
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	}, "ahsay", "system", "auth")

	// Press Ctrl-C once the prompt has turned echo off: the terminal sends
	// SIGINT to the command, as it does to a shell's foreground job.
	echoOff := func() bool {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		return err == nil && tio.Lflag&unix.ECHO == 0
	}
	deadline := time.Now().Add(failsafe)
	for !echoOff() {
		require.True(t, time.Now().Before(deadline), "the prompt never turned echo off")
		time.Sleep(5 * time.Millisecond)
	}
	_, err := master.Write([]byte{0x03})
	require.NoError(t, err)

	assert.Equal(t, exitInterrupted, c.exitCode(t), c.stderr.String())
	assert.Contains(t, c.stderr.String(), "AhsayCBS password for system: ")
	assert.Contains(t, c.stderr.String(), "backupapi: interrupted\n")
	assert.False(t, echoOff(), "the terminal has its echo back")
}
