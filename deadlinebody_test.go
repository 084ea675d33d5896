package backupapi

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertStalledReadTimesOut reads a body whose server never sends a byte
// and checks that the read ends with the attempt timeout.
func assertStalledReadTimesOut(t *testing.T) {
	t.Helper()
	pr, pw := io.Pipe()
	defer pw.Close()
	b := newDeadlineBody(pr, 20*time.Millisecond)
	_, err := b.Read(make([]byte, 8))
	var timeout attemptTimeoutError
	assert.True(t, errors.As(err, &timeout), "got %v", err)
	require.NoError(t, b.Close())
}

func TestDeadlineBody(t *testing.T) {
	t.Run("a stalled read ends with the attempt timeout", func(t *testing.T) {
		assertStalledReadTimesOut(t)
	})
	t.Run("a watch reused after a closed body still fires for the next body", func(t *testing.T) {
		for i := 0; i < 20; i++ { // closed in time: the watches go back to the pool
			b := newDeadlineBody(io.NopCloser(strings.NewReader("ok")), time.Hour)
			got, err := io.ReadAll(b)
			require.NoError(t, err)
			require.Equal(t, "ok", string(got))
			require.NoError(t, b.Close())
		}
		assertStalledReadTimesOut(t)
	})
	t.Run("an earlier body closed twice does not disturb the body after it", func(t *testing.T) {
		first := newDeadlineBody(io.NopCloser(strings.NewReader("a")), time.Hour)
		require.NoError(t, first.Close())
		second := newDeadlineBody(io.NopCloser(strings.NewReader("second")), time.Hour)
		_ = first.Close()
		_, _ = first.Read(make([]byte, 1))
		got, err := io.ReadAll(second)
		require.NoError(t, err)
		assert.Equal(t, "second", string(got))
		require.NoError(t, second.Close())
	})
}
