package backupapitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestASeedIsCheckedAndAppliedInOneStep: POST /seed checks a seed and
// applies it under the servers' locks, so that a call a client makes at
// that moment cannot slip between the check and the change. The client
// here starts a backup (RunBackup) whose job ID is the one a job of the
// seed has: had it slipped in, the seed would fail half applied (its user
// added, its job refused).
func TestASeedIsCheckedAndAppliedInOneStep(t *testing.T) {
	clock := NewFakeClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	ahsay := NewUnstartedAhsayServer(WithClock(clock), WithJobDuration(10*time.Second))
	lxca := NewUnstartedXClarityServer(WithClock(clock))
	ahsay.SeedUser(AhsayUser{LoginName: "alice", BackupSets: []string{"1"}})
	control := ControlHandler(ControlConfig{Token: "t", Ahsay: ahsay, XClarity: lxca, Clock: clock})

	slippedIn := false
	testHookSeedChecked = func() {
		if !ahsay.mu.TryLock() {
			return // the server is held: no call can run now
		}
		ahsay.mu.Unlock()
		slippedIn = true
		req := httptest.NewRequest(http.MethodPost, "/obs/api/json/RunBackup.do",
			strings.NewReader(`{"SysUser":"system","SysPwd":"system1","LoginName":"alice","BackupSetID":"1"}`))
		rec := httptest.NewRecorder()
		ahsay.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
	}
	t.Cleanup(func() { testHookSeedChecked = nil })

	// RunBackup's job starts a tenth of the job duration from now.
	seed := `{"ahsay":{"users":[{"loginName":"zed"}],"backupJobs":[{"loginName":"alice","backupSetId":"1","start":"2026-11-23T12:00:01Z"}]}}`
	req := httptest.NewRequest(http.MethodPost, ControlPath+"seed", strings.NewReader(seed))
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	control.ServeHTTP(rec, req)

	assert.False(t, slippedIn, "no call ran between the check and the change")
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	_, applied := ahsay.User("", "zed")
	if rec.Code == http.StatusOK {
		assert.True(t, applied, "an accepted seed is applied whole")
		assert.Len(t, ahsay.mon.backupJobs[userKey("", "alice")], 1)
	} else {
		assert.False(t, applied, "a refused seed changes nothing: %v", out)
	}
}
