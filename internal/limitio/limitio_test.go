package limitio

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReader(t *testing.T) {
	t.Run("reads a body within the limit", func(t *testing.T) {
		b, err := io.ReadAll(New(strings.NewReader("hello"), 5))
		require.NoError(t, err)
		assert.Equal(t, "hello", string(b))
	})
	t.Run("fails past the limit", func(t *testing.T) {
		_, err := io.ReadAll(New(strings.NewReader("hello!"), 5))
		assert.True(t, errors.Is(err, ErrTooLarge))
	})
	t.Run("Reset starts a new window", func(t *testing.T) {
		r := New(strings.NewReader("aaaabbbb"), 4)
		buf := make([]byte, 4)
		_, err := io.ReadFull(r, buf)
		require.NoError(t, err)
		r.Reset()
		_, err = io.ReadFull(r, buf)
		require.NoError(t, err)
		assert.Equal(t, "bbbb", string(buf))
		assert.EqualValues(t, 8, r.Total())
	})
	t.Run("keeps the first bytes", func(t *testing.T) {
		r := New(strings.NewReader(strings.Repeat("x", 2000)), 0)
		_, _ = io.ReadAll(r)
		assert.Len(t, r.Prefix(), PrefixSize)
	})
}

func TestAcquire(t *testing.T) {
	t.Run("a released reader comes back empty", func(t *testing.T) {
		first := Acquire(strings.NewReader("first answer"), 100)
		_, err := io.ReadAll(first)
		require.NoError(t, err)
		require.Equal(t, "first answer", string(first.Prefix()))
		Release(first)

		for i := 0; i < 10; i++ { // whichever Reader the pool hands out
			l := Acquire(strings.NewReader("ab"), 3)
			assert.Empty(t, l.Prefix(), "no bytes of an earlier answer")
			assert.Zero(t, l.Total())
			b, err := io.ReadAll(l)
			require.NoError(t, err)
			assert.Equal(t, "ab", string(b))
			assert.Equal(t, "ab", string(l.Prefix()))
			Release(l)
		}
	})
	t.Run("an acquired reader enforces its own limit", func(t *testing.T) {
		l := Acquire(strings.NewReader("hello!"), 5)
		defer Release(l)
		_, err := io.ReadAll(l)
		assert.True(t, errors.Is(err, ErrTooLarge))
	})
}
