package backupapitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A harness may reset while its client still calls the fake: ResetToSeed
// swaps the whole state at once, so a call that lands during a reset acts
// on the old state or on the new one, and cannot make the reset fail (a
// user the client adds between the reset and the seeding would be "given
// twice") nor leave the fake reset but unseeded.
func TestAResetDuringClientCallsNeverFailsNorLeavesTheSeedHalfApplied(t *testing.T) {
	// Many users before alice widen the moment between the reset and
	// alice's seeding, where a client's AddUser of alice used to land.
	var users strings.Builder
	for i := range 200 {
		fmt.Fprintf(&users, `{"loginName":"user-%d"},`, i)
	}
	seed, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":{"users":[` + users.String() + `{"loginName":"alice","sets":[{"id":"1"}]}],
		"backupJobs":[{"loginName":"alice","backupSetId":"1","start":"2026-11-23T01:00:00Z"}]}}`))
	require.NoError(t, err)
	ahsay := backupapitest.NewUnstartedAhsayServer()
	require.NoError(t, backupapitest.ResetToSeed(seed, ahsay, nil))

	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				_, _ = post(t, ahsay.Handler(), http.MethodPost, "/obs/api/json/RemoveUser.do",
					map[string]any{"SysUser": ahsay.SysUser, "SysPwd": ahsay.SysPwd, "LoginName": "alice"})
				_, _ = post(t, ahsay.Handler(), http.MethodPost, "/obs/api/json/AddUser.do",
					map[string]any{"SysUser": ahsay.SysUser, "SysPwd": ahsay.SysPwd, "LoginName": "alice", "Password": "p", "QuotaType": "TOTAL_QUOTA"})
			}
		}()
	}
	failures := 0
	for range 300 {
		if err := backupapitest.ResetToSeed(seed, ahsay, nil); err != nil {
			failures++
		}
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, failures, "resets that failed")
}
