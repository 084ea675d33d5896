package backupapi_test

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnInnerCallOptionOverridesTheOuter: the options of an inner
// WithCallOptions replace the same options of the outer one (CallTimeout(0)
// removing even the client's bound), and the outer context keeps its own.
func TestAnInnerCallOptionOverridesTheOuter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithTimeout(time.Minute), backupapi.WithRetry(0, 0, 0))
		outer := backupapi.WithCallOptions(context.Background(), backupapi.CallTimeout(100*time.Millisecond), backupapi.CallRetry(0, 0, 0))
		inner := backupapi.WithCallOptions(outer, backupapi.CallTimeout(0), backupapi.CallRetry(2, time.Millisecond, time.Millisecond))

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: 2 * time.Minute, Times: 1})
		_, err := c.GetUser(inner, alice)
		require.NoError(t, err, "no bound at all: not the outer 100 ms, nor the client's minute")

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
		_, err = c.GetUser(inner, alice)
		require.NoError(t, err, "the inner CallRetry(2) outlasts two 503s")

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: time.Second, Times: 1})
		_, err = c.GetUser(outer, alice)
		require.ErrorIs(t, err, backupapi.ErrUnavailable, "the outer context keeps its 100 ms")
		assert.Equal(t, 1, attempts(t, err), "and its CallRetry(0)")
	})
}
