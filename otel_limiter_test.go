package backupapi_test

import (
	"context"
	"math"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheLimitersBurst: the burst is spent at once, then calls leave at
// the rate; a burst beyond any count never waits, and a rate of almost
// nothing sends the burst and then nothing (in a synctest bubble, the
// clock is the limiter's schedule).
func TestTheLimitersBurst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  float64
		burst int
		want  time.Duration // for 101 calls
	}{
		{"burst 1: 100 intervals of 20 ms", 50, 1, 2 * time.Second},
		{"burst 51: 50 intervals", 50, 51, time.Second},
		{"a burst as large as an int: no wait", 50, math.MaxInt, 0},
		{"a rate as large as a float64: no wait", math.MaxFloat64, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, backupapi.WithRateLimit(tc.rate, tc.burst))
				start := time.Now()
				hammer(t, c, 101)
				assert.Equal(t, 101, srv.Calls(backupapitest.OpGetUser))
				assert.Equal(t, tc.want, time.Since(start).Round(10*time.Millisecond))
			})
		})
	}
	t.Run("a rate of almost nothing: the burst, then a wait the context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv, c := inMemoryAhsay(t, backupapi.WithRateLimit(math.SmallestNonzeroFloat64, 2))
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			defer cancel()
			for range 2 {
				_, err := c.GetUser(ctx, alice)
				require.NoError(t, err)
			}
			_, err := c.GetUser(ctx, alice)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 2, srv.Calls(backupapitest.OpGetUser))
		})
	})
}

// TestARetryOfAStateChangeThatWaitsIsNotSent: a state change whose
// connection was refused (nothing left) is retried; if its context ends
// while the retry waits for the limiter, nothing was sent at all: the
// context's error, never ErrOutcomeUnknown.
func TestARetryOfAStateChangeThatWaitsIsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := backupapitest.NewUnstartedAhsayServer()
		m := &misbehaving{fake: backupapitest.Transport(srv.Handler())}
		refuse := func(*http.Request) (*http.Response, error) {
			m.bad.Store(nil) // once
			return nil, &netOpError{syscall.ECONNREFUSED}
		}
		m.bad.Store(&refuse)
		c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(&http.Client{Transport: m}),
			backupapi.WithRetry(3, time.Millisecond, time.Millisecond), backupapi.WithRateLimit(1.0/3600, 1))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err = c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "carol"}, Password: "pw-Carol-1", QuotaList: oneQuota})
		require.Error(t, err)
		assert.Nil(t, m.bad.Load(), "the first attempt was refused")
		assert.ErrorIs(t, err, context.DeadlineExceeded, "%v", err)
		assert.NotErrorIs(t, err, backupapi.ErrOutcomeUnknown, "%v", err)
		assert.Zero(t, srv.Calls(backupapitest.OpAddUser), "the server never acted")
	})
}
