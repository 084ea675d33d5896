//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestASecretFromAPipeIsRead: a pipe (--password-file <(pass show x),
// --password-file /dev/stdin) has no file mode to guard, so its mode is
// not held against it as a regular file's is.
func TestASecretFromAPipeIsRead(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "secret.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	require.NoError(t, os.Chmod(fifo, 0o644))
	wrote := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString("Piped-Secret-3\n")
			f.Close()
		}
		wrote <- err
	}()
	got, err := readSecretFile("--password-file", fifo, false)
	require.NoError(t, err)
	require.NoError(t, <-wrote)
	assert.Equal(t, "Piped-Secret-3", got)
}

// TestCtrlCEndsTheWaitForAPipeThatIsNeverWritten: a secret file that is
// a pipe nobody writes to blocks its reader; Ctrl-C (the run's context
// ending) ends the read, as it ends a prompt, instead of being ignored
// until a second Ctrl-C.
func TestCtrlCEndsTheWaitForAPipeThatIsNeverWritten(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "secret.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	t.Cleanup(func() { // release the reader still blocked in open, if any
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{ctx: ctx, stdio: stdio{errOut: io.Discard}}
	type result struct {
		secret string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		s, err := a.secret(secretSource{flag: "--password-file", file: fifo, env: "AHSAY_SYSPWD"})
		got <- result{s, err}
	}()
	cancel() // Ctrl-C, before or while the read waits for a writer
	select {
	case r := <-got:
		assert.ErrorIs(t, r.err, context.Canceled)
		assert.Empty(t, r.secret)
		assert.Equal(t, exitInterrupted, a.fail(r.err))
	case <-time.After(failsafe):
		t.Fatal("the read of a pipe nobody writes to outlived Ctrl-C")
	}
}
