package backupapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var alice = backupapi.UserRef{LoginName: "alice"}

func TestSpanTrees(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, k *telemetry)
		want string
	}{
		{
			name: "a success is one call span over one attempt",
			run: func(t *testing.T, k *telemetry) {
				_, c := tracedAhsay(t, k)
				_, err := c.GetUser(ctx, alice)
				require.NoError(t, err)
			},
			want: `ahsay GetUser result=ok
  POST /obs/api/json/2/GetUser.do attempt=1 http.response.status_code=200
`,
		},
		{
			name: "a 503 retried is two attempts, the second a resend",
			run: func(t *testing.T, k *telemetry) {
				srv, c := tracedAhsay(t, k)
				srv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: 503})
				_, err := c.GetUser(ctx, alice)
				require.NoError(t, err)
			},
			want: `ahsay GetUser result=ok
  POST /obs/api/json/2/GetUser.do error.type=503 attempt=1 http.response.status_code=503
  POST /obs/api/json/2/GetUser.do attempt=2 http.request.resend_count=1 http.response.status_code=200
`,
		},
		{
			name: "a state change whose answer was lost is outcome-unknown and not retryable",
			run: func(t *testing.T, k *telemetry) {
				srv, c := tracedAhsay(t, k)
				srv.Inject(backupapitest.OpAddUser, backupapitest.Fault{Drop: backupapitest.DropAfterAct})
				err := c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "bob"}, Password: "pw-Bob-12", QuotaList: oneQuota})
				require.ErrorIs(t, err, backupapi.ErrOutcomeUnknown)
			},
			want: `ahsay AddUser result=ErrOutcomeUnknown error.type=ErrOutcomeUnknown outcome_unknown=true retryable=false
  POST /obs/api/json/2/AddUser.do error.type=connection_closed attempt=1
`,
		},
		{
			name: "an expired XClarity session: the 401, a new login, the resend",
			run: func(t *testing.T, k *telemetry) {
				srv, c := tracedXClarity(t, k)
				_, err := c.ListBackups(ctx)
				require.NoError(t, err)
				k.reset()
				srv.Inject(backupapitest.OpListBackups, backupapitest.Fault{Status: 401})
				_, err = c.ListBackups(ctx)
				require.NoError(t, err)
			},
			want: `xclarity ListBackups result=ok
  GET /managementServer/data error.type=401 attempt=1 http.response.status_code=401
  xclarity Login result=ok
    POST /sessions attempt=1 http.response.status_code=200
  GET /managementServer/data attempt=2 http.request.resend_count=1 http.response.status_code=200
`,
		},
		{
			name: "breaking out of AllUsers ends its spans, marked stopped early",
			run: func(t *testing.T, k *telemetry) {
				srv, c := tracedAhsay(t, k)
				srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "pw-Bob-12"})
				for _, err := range c.AllUsers(ctx, nil) {
					require.NoError(t, err)
					break
				}
			},
			want: `ahsay AllUsers result=ok iterator.yielded=1 iterator.stopped_early=true
  ahsay ListUsers result=ok
    POST /obs/api/json/2/ListUsers.do attempt=1 http.response.status_code=200
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newTelemetry(t)
			tc.run(t, k)
			assert.Equal(t, tc.want, k.tree(t))
		})
	}
}

func TestWaitForJobSpanHoldsItsPolls(t *testing.T) {
	ctx := context.Background()
	k := newTelemetry(t)
	_, c := tracedXClarity(t, k)
	res, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/s"})
	require.NoError(t, err)
	k.reset()
	_, err = c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	require.NoError(t, err)
	ended := k.spans.Ended()
	require.NotEmpty(t, ended)
	var root string
	polls := 0
	for _, s := range ended {
		switch s.Name() {
		case "xclarity WaitForJob":
			assert.False(t, s.Parent().IsValid(), "the waiter's span is the root")
			root = s.SpanContext().SpanID().String()
		case "xclarity GetJob":
			polls++
		}
	}
	require.NotEmpty(t, root, "a WaitForJob span")
	require.Positive(t, polls)
	for _, s := range ended {
		if s.Name() == "xclarity GetJob" {
			assert.Equal(t, root, s.Parent().SpanID().String(), "each poll is a child of the waiter")
		}
		if s.Name() == "GET /tasks/{id}" {
			assert.NotContains(t, s.Name(), res.JobID)
		}
	}
}

func TestAllBackupJobsSpanHoldsItsCalls(t *testing.T) {
	ctx := context.Background()
	k := newTelemetry(t)
	srv, c := tracedAhsay(t, k)
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "pw-Bob-12"})
	n := 0
	for _, err := range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: time.Now()}) {
		require.NoError(t, err)
		n++
	}
	ended := k.spans.Ended()
	require.Len(t, ended, len(k.spans.Started()))
	byName := map[string]int{}
	var root string
	for _, s := range ended {
		byName[s.Name()]++
		if s.Name() == "ahsay AllBackupJobs" {
			root = s.SpanContext().SpanID().String()
		}
	}
	require.NotEmpty(t, root)
	assert.Equal(t, 1, byName["ahsay AllUsers"])
	assert.Equal(t, 2, byName["ahsay ListBackupJobStatus"], "one per user")
	for _, s := range ended {
		if s.Name() == "ahsay AllUsers" || s.Name() == "ahsay ListBackupJobStatus" {
			assert.Equal(t, root, s.Parent().SpanID().String(), "%s is a child of AllBackupJobs", s.Name())
		}
	}
}

// TestCallsThatWaitedForALoginLinkToIt: concurrent first calls share one
// login; the one that led it has it as a child, the others link to it.
func TestCallsThatWaitedForALoginLinkToIt(t *testing.T) {
	ctx := context.Background()
	k := newTelemetry(t)
	srv, c := tracedXClarity(t, k)
	srv.Inject(backupapitest.OpLogin, backupapitest.Fault{Delay: 50 * time.Millisecond})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, err := c.ListBackups(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.Equal(t, 1, srv.Calls(backupapitest.OpLogin), "one login for all")
	var login string
	for _, s := range k.spans.Ended() {
		if s.Name() == "xclarity Login" {
			login = s.SpanContext().SpanID().String()
		}
	}
	require.NotEmpty(t, login)
	linked, led := 0, 0
	for _, s := range k.spans.Ended() {
		if s.Name() != "xclarity ListBackups" {
			continue
		}
		for _, l := range s.Links() {
			if l.SpanContext.SpanID().String() == login {
				linked++
			}
		}
		for _, o := range k.spans.Ended() {
			if o.Name() == "xclarity Login" && o.Parent().SpanID() == s.SpanContext().SpanID() {
				led++
			}
		}
	}
	assert.Equal(t, 1, led, "one call led the login")
	assert.Equal(t, 3, linked, "the others link to it")
}
