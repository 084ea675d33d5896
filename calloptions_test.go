package backupapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attempts returns how many HTTP attempts the call that ended with err made.
func attempts(t *testing.T, err error) int {
	t.Helper()
	var e *backupapi.Error
	require.ErrorAs(t, err, &e)
	return e.Attempts
}

func TestCallRetryOverridesTheClientsBudgetForItsContextOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithRetry(2, time.Millisecond, time.Millisecond))
		ctx := context.Background()
		always503 := backupapitest.Fault{Status: 503, Times: -1}

		srv.Inject(backupapitest.OpGetUser, always503)
		_, err := c.GetUser(ctx, alice)
		require.ErrorIs(t, err, backupapi.ErrUnavailable)
		assert.Equal(t, 3, attempts(t, err), "the client's budget: 2 retries")

		once := backupapi.WithCallOptions(ctx, backupapi.CallRetry(0, 0, 0))
		_, err = c.GetUser(once, alice)
		require.ErrorIs(t, err, backupapi.ErrUnavailable)
		assert.Equal(t, 1, attempts(t, err), "CallRetry(0): one attempt")

		more := backupapi.WithCallOptions(ctx, backupapi.CallRetry(5, time.Millisecond, time.Millisecond))
		_, err = c.GetUser(more, alice)
		require.ErrorIs(t, err, backupapi.ErrUnavailable)
		assert.Equal(t, 6, attempts(t, err), "CallRetry(5) raises the budget above the client's")

		_, err = c.GetUser(ctx, alice)
		assert.Equal(t, 3, attempts(t, err), "the plain context keeps the client's budget")
	})
}

func TestCallRetryBoundsTheRepeatsOfABrokenAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t)
		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Body: backupapitest.BodyTruncated, Times: -1})
		_, err := c.GetUser(backupapi.WithCallOptions(context.Background(), backupapi.CallRetry(1, time.Millisecond, time.Millisecond)), alice)
		require.ErrorIs(t, err, backupapi.ErrUnexpectedResponse)
		assert.Equal(t, 2, srv.Calls(backupapitest.OpGetUser), "one repeat")
	})
}

func TestCallRetryMaxWaitDecidesAboutRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithRetry(3, time.Millisecond, time.Minute))
		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: 503, RetryAfter: 10 * time.Second})
		_, err := c.GetUser(backupapi.WithCallOptions(context.Background(), backupapi.CallRetry(3, time.Millisecond, time.Second)), alice)
		var e *backupapi.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 10*time.Second, e.RetryAfter, "a Retry-After beyond the call's maximum wait fails at once")
	})
}

func TestCallTimeoutOverridesTheAttemptTimeout(t *testing.T) {
	for _, tc := range []struct {
		name        string
		client      time.Duration
		call        []backupapi.CallOption
		delay       time.Duration
		wantTimeout bool
	}{
		{"a shorter bound cuts a slow answer the client would wait for", time.Minute, []backupapi.CallOption{backupapi.CallTimeout(100 * time.Millisecond)}, time.Second, true},
		{"a longer bound waits for an answer the client would cut", 100 * time.Millisecond, []backupapi.CallOption{backupapi.CallTimeout(time.Minute)}, time.Second, false},
		{"no bound waits for an answer the client would cut", 100 * time.Millisecond, []backupapi.CallOption{backupapi.CallTimeout(0)}, time.Second, false},
		{"without call options the client's bound holds", 100 * time.Millisecond, nil, time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, backupapi.WithTimeout(tc.client), backupapi.WithRetry(0, 0, 0))
				srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: tc.delay})
				ctx := context.Background()
				if tc.call != nil {
					ctx = backupapi.WithCallOptions(ctx, tc.call...)
				}
				_, err := c.GetUser(ctx, alice)
				if !tc.wantTimeout {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, backupapi.ErrUnavailable, "%v", err)
				assert.Equal(t, 1, attempts(t, err))
			})
		})
	}
}

func TestCallOptionsNestAndRestore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithTimeout(time.Minute), backupapi.WithRetry(2, time.Millisecond, time.Millisecond))
		outer := backupapi.WithCallOptions(context.Background(), backupapi.CallRetry(0, 0, 0))
		inner := backupapi.WithCallOptions(outer, backupapi.CallTimeout(100*time.Millisecond))

		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: time.Second, Times: -1})
		_, err := c.GetUser(inner, alice)
		require.ErrorIs(t, err, backupapi.ErrUnavailable)
		assert.Equal(t, 1, attempts(t, err), "the inner context keeps the outer CallRetry(0) and adds its timeout")

		_, err = c.GetUser(outer, alice)
		require.NoError(t, err, "the outer context has no call timeout: the client's minute holds")
	})
}

func TestInvalidCallOptionsFailBeforeSending(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  backupapi.CallOption
	}{
		{"a negative retry count", backupapi.CallRetry(-1, 0, 0)},
		{"a maximum wait below the minimum", backupapi.CallRetry(1, time.Second, time.Millisecond)},
		{"a negative timeout", backupapi.CallTimeout(-time.Second)},
		{"a nil option", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := inMemoryAhsay(t)
			err := c.AddUser(backupapi.WithCallOptions(context.Background(), tc.opt),
				&backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "erin"}, Password: "pw-Erin-12", QuotaList: oneQuota})
			require.ErrorIs(t, err, backupapi.ErrInvalidRequest)
			assert.False(t, errors.Is(err, backupapi.ErrOutcomeUnknown))
			assert.Zero(t, srv.Calls(backupapitest.OpAddUser))

			t.Run("a streamed upload too", func(t *testing.T) {
				xsrv, xc := inMemoryXClarity(t, backupapi.WithBasicAuth())
				_, err := xc.ImportBackup(backupapi.WithCallOptions(context.Background(), tc.opt),
					&backupapi.ImportBackupRequest{Filename: "b.tgz", Body: strings.NewReader("backup")})
				require.ErrorIs(t, err, backupapi.ErrInvalidRequest)
				assert.Zero(t, xsrv.Calls(backupapitest.OpImportBackup))
			})
		})
	}
}
