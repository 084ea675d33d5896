package backupapi

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallContext(t *testing.T) {
	type key struct{}
	t.Run("carries the call's state and the caller's values", func(t *testing.T) {
		parent := context.WithValue(context.Background(), key{}, "caller's")
		ctx := newCallContext(parent, "GetUser", true)
		st := stateFrom(ctx)
		require.NotNil(t, st)
		assert.True(t, st.idempotent)
		assert.Equal(t, "caller's", ctx.Value(key{}))
	})
	t.Run("ends when the caller's context ends, with its cause", func(t *testing.T) {
		parent, cancel := context.WithCancelCause(context.Background())
		ctx := newCallContext(parent, "AddUser", false)
		child, stop := context.WithCancel(ctx) // as net/http derives one per request
		defer stop()
		cause := errors.New("shutting down")
		cancel(cause)
		<-child.Done()
		assert.ErrorIs(t, ctx.Err(), context.Canceled)
		assert.ErrorIs(t, context.Cause(ctx), cause)
		assert.ErrorIs(t, context.Cause(child), cause)
	})
}
