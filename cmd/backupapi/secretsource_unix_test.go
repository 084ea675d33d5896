//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

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
