package backupapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inMemoryAhsay is a fake AhsayCBS served in process, so that a synctest
// bubble holds everything, and a client of it with opts.
func inMemoryAhsay(t *testing.T, opts ...backupapi.Option) (*backupapitest.AhsayServer, *backupapi.AhsayClient) {
	t.Helper()
	srv := backupapitest.NewUnstartedAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1"})
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "pw-Bob-12"})
	opts = append([]backupapi.Option{backupapi.WithHTTPClient(&http.Client{Transport: backupapitest.Transport(srv.Handler())}),
		backupapi.WithRetry(3, time.Millisecond, 2*time.Millisecond)}, opts...)
	c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd, opts...)
	require.NoError(t, err)
	return srv, c
}

func inMemoryXClarity(t *testing.T, opts ...backupapi.Option) (*backupapitest.XClarityServer, *backupapi.XClarityClient) {
	t.Helper()
	srv := backupapitest.NewUnstartedXClarityServer()
	opts = append([]backupapi.Option{backupapi.WithHTTPClient(&http.Client{Transport: backupapitest.Transport(srv.Handler())}),
		backupapi.WithRetry(3, time.Millisecond, 2*time.Millisecond)}, opts...)
	c, err := backupapi.NewXClarityClient("https://lxca.test", srv.Username, srv.Password, opts...)
	require.NoError(t, err)
	return srv, c
}

// hammer makes calls GetUser calls from 64 goroutines.
func hammer(t *testing.T, c *backupapi.AhsayClient, calls int) {
	var wg sync.WaitGroup
	next := make(chan struct{}, calls)
	for range calls {
		next <- struct{}{}
	}
	close(next)
	for range 64 {
		wg.Go(func() {
			for range next {
				_, err := c.GetUser(context.Background(), alice)
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
}

func TestMaxInFlightCapsConcurrencyUnder64Goroutines(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []backupapi.Option
		want int
	}{
		{"without a cap the fake sees all 64 at once", nil, 64},
		{"WithMaxInFlight(4) lets 4 through at once", []backupapi.Option{backupapi.WithMaxInFlight(4)}, 4},
		{"the cap holds with a rate limit too", []backupapi.Option{backupapi.WithMaxInFlight(3), backupapi.WithRateLimit(1000, 64)}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, tc.opts...)
				srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: 10 * time.Millisecond, Times: -1})
				hammer(t, c, 256)
				assert.Equal(t, 256, srv.Calls(backupapitest.OpGetUser))
				assert.Equal(t, tc.want, srv.MaxInFlight(backupapitest.OpGetUser))
			})
		})
	}
}

// TestAnXClarityLoginNeedsNoPlaceHeldByItsCall: the call that logs in
// holds no place while it does, so a cap of one cannot block it.
func TestAnXClarityLoginNeedsNoPlaceHeldByItsCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryXClarity(t, backupapi.WithMaxInFlight(1))
		srv.Inject(backupapitest.OpListBackups, backupapitest.Fault{Delay: 10 * time.Millisecond, Times: 16})
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				_, err := c.ListBackups(context.Background())
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		srv.Inject(backupapitest.OpListBackups, backupapitest.Fault{Status: http.StatusUnauthorized}) // and a re-login
		_, err := c.ListBackups(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Calls(backupapitest.OpLogin))
		require.NoError(t, c.Close(context.Background()))
	})
}

// TestRateLimitPacesEveryCall runs in a synctest bubble, whose clock only
// moves when every goroutine waits: the elapsed time is the limiter's
// schedule, not the machine's speed.
func TestRateLimitPacesEveryCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithRateLimit(50, 1))
		start := time.Now()
		hammer(t, c, 201)
		elapsed := time.Since(start)
		assert.Equal(t, 201, srv.Calls(backupapitest.OpGetUser))
		assert.Equal(t, 4*time.Second, elapsed.Round(10*time.Millisecond), "200 intervals of 20 ms after the first call")
	})
}

func TestARetryWaitsItsTurn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemoryAhsay(t, backupapi.WithRateLimit(10, 1))
		srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: 503})
		start := time.Now()
		_, err := c.GetUser(context.Background(), alice)
		require.NoError(t, err)
		assert.Equal(t, 1, srv.Calls(backupapitest.OpGetUser), "the second attempt succeeded")
		// The limiter computes its waits in floating point and truncates
		// them to the nanosecond: the token comes 100 ms on, give or take
		// one (the bubble's clock is exact otherwise; without the limiter
		// the retry would leave after its 1-2 ms backoff).
		assert.Equal(t, 100*time.Millisecond, time.Since(start).Round(time.Millisecond), "the retry took the limiter's next token, 100 ms on")
	})
}

func TestAllBackupJobsWorksWithinTheCap(t *testing.T) {
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("WithMaxInFlight(%d)", n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, backupapi.WithMaxInFlight(n))
				// More users than the workers and their queue hold: the
				// stream of users must go on while they wait for places.
				for i := range 40 {
					srv.SeedUser(backupapitest.AhsayUser{LoginName: fmt.Sprintf("user%02d", i), Password: "pw-User-1"})
				}
				srv.Inject(backupapitest.OpListBackupJobStatus, backupapitest.Fault{Delay: 10 * time.Millisecond, Times: -1})
				for _, err := range c.AllBackupJobs(context.Background(), &backupapi.AllBackupJobsRequest{Date: time.Now(), Concurrency: 4}) {
					require.NoError(t, err)
				}
				assert.Equal(t, 42, srv.Calls(backupapitest.OpListBackupJobStatus), "every user's jobs were read: the stream does not starve its workers")
				assert.LessOrEqual(t, srv.MaxInFlight(backupapitest.OpListBackupJobStatus), n)
			})
		})
	}
}

// TestWaitingForATurnIsNotSent: a state change whose context ends while
// it waits for the limiter or the cap was never sent: the context's
// error, no attempt, never ErrOutcomeUnknown.
func TestWaitingForATurnIsNotSent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []backupapi.Option
		fault backupapitest.Fault
	}{
		{"the limiter", []backupapi.Option{backupapi.WithRateLimit(1.0/3600, 1)}, backupapitest.Fault{}},
		{"the cap", []backupapi.Option{backupapi.WithMaxInFlight(1)}, backupapitest.Fault{Delay: time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, tc.opts...)
				first, cancelFirst := context.WithCancel(context.Background())
				defer cancelFirst()
				srv.Inject(backupapitest.OpAddUser, tc.fault)
				done := make(chan struct{})
				go func() {
					defer close(done)
					_ = c.AddUser(first, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "carol"}, Password: "pw-Carol-1", QuotaList: oneQuota})
				}()
				synctest.Wait() // the first call holds the token, or the place
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				err := c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "dave"}, Password: "pw-Dave-12", QuotaList: oneQuota})
				require.Error(t, err)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.NotErrorIs(t, err, backupapi.ErrOutcomeUnknown)
				var e *backupapi.Error
				require.ErrorAs(t, err, &e)
				assert.Zero(t, e.Attempts, "nothing was sent")
				_, found := srv.User("", "dave")
				assert.False(t, found)
				cancelFirst()
				<-done
				if tc.name == "the limiter" {
					_, found := srv.User("", "carol")
					assert.True(t, found, "the first call, which had the turn, was made")
				}
			})
		})
	}
}

// TestTheWaitForATurnIsNotPartOfTheAttempt: on a caller's client, whose
// Timeout is WithTimeout's bound, a call that waits longer than that for
// its turn still gets a whole attempt once its turn comes.
func TestTheWaitForATurnIsNotPartOfTheAttempt(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []backupapi.Option
	}{
		{"the cap", []backupapi.Option{backupapi.WithMaxInFlight(1)}},
		{"the limiter", []backupapi.Option{backupapi.WithRateLimit(0.2, 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := inMemoryAhsay(t, append(tc.opts, backupapi.WithTimeout(time.Second), backupapi.WithRetry(0, 0, 0))...)
				srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Delay: 900 * time.Millisecond, Times: -1})
				var wg sync.WaitGroup
				start := time.Now()
				for range 3 {
					wg.Go(func() {
						_, err := c.GetUser(context.Background(), alice)
						assert.NoError(t, err, "each call waited for its turn, then had its whole second")
					})
				}
				wg.Wait()
				assert.Greater(t, time.Since(start), 2*time.Second, "the calls waited their turns, well beyond the attempt timeout")
			})
		})
	}
}

// TestAResendAfterReLoginThatWaitsIsNotSent: the 401 of an expired
// session proves the server did not act; the resend that then waits for
// the limiter until its context ends was not sent either.
func TestAResendAfterReLoginThatWaitsIsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Four turns: login, ListBackups, the CopyBackup answered 401, the
		// new login. The resend waits for a fifth, an hour away.
		srv, c := inMemoryXClarity(t, backupapi.WithRateLimit(1.0/3600, 4))
		ctx := context.Background()
		_, err := c.ListBackups(ctx)
		require.NoError(t, err)
		srv.Inject(backupapitest.OpCopyBackup, backupapitest.Fault{Status: http.StatusUnauthorized})
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err = c.CopyBackup(cctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/s"})
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, backupapi.ErrOutcomeUnknown, "%v", err)
		assert.Equal(t, 2, srv.Calls(backupapitest.OpLogin), "it logged in again")
		assert.Zero(t, srv.Calls(backupapitest.OpCopyBackup), "the server never acted")
	})
}

func TestFlowControlOptionsRefuseNonsense(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  backupapi.Option
	}{
		{"a zero rate", backupapi.WithRateLimit(0, 1)},
		{"a negative rate", backupapi.WithRateLimit(-1, 1)},
		{"a zero burst", backupapi.WithRateLimit(10, 0)},
		{"a zero cap", backupapi.WithMaxInFlight(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := backupapi.NewAhsayClient("https://cbs.test", "system", "pw", tc.opt)
			require.Error(t, err)
			assert.False(t, errors.Is(err, backupapi.ErrOutcomeUnknown))
		})
	}
}
