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

// TestALaterValidCallOptionReplacesAnInvalidOne: an invalid option fails
// the calls made with its context until a valid option of the same setting
// replaces it, in the same WithCallOptions or a nested one; an option of
// another setting does not, and nothing replaces a nil CallOption.
func TestALaterValidCallOptionReplacesAnInvalidOne(t *testing.T) {
	badRetry, goodRetry := backupapi.CallRetry(-1, 0, 0), backupapi.CallRetry(1, 0, 0)
	badTimeout, goodTimeout := backupapi.CallTimeout(-time.Second), backupapi.CallTimeout(time.Minute)
	for _, tc := range []struct {
		name         string
		outer, inner []backupapi.CallOption
		fails        bool
	}{
		{"an inner CallRetry replaces an outer invalid CallRetry", []backupapi.CallOption{badRetry}, []backupapi.CallOption{goodRetry}, false},
		{"an inner CallTimeout replaces an outer invalid CallTimeout", []backupapi.CallOption{badTimeout}, []backupapi.CallOption{goodTimeout}, false},
		{"a later CallRetry in the same call replaces an earlier invalid one", nil, []backupapi.CallOption{badRetry, goodRetry}, false},
		{"an inner CallTimeout leaves an outer invalid CallRetry in force", []backupapi.CallOption{badRetry}, []backupapi.CallOption{goodTimeout}, true},
		{"an inner invalid CallRetry replaces an outer valid one", []backupapi.CallOption{goodRetry}, []backupapi.CallOption{badRetry}, true},
		{"an outer nil CallOption fails every nested call", []backupapi.CallOption{nil}, []backupapi.CallOption{goodRetry, goodTimeout}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := inMemoryAhsay(t)
			ctx := backupapi.WithCallOptions(backupapi.WithCallOptions(context.Background(), tc.outer...), tc.inner...)
			_, err := c.GetUser(ctx, alice)
			if !tc.fails {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, backupapi.ErrInvalidRequest)
			assert.Zero(t, srv.Calls(backupapitest.OpGetUser), "nothing sent")
		})
	}
}
