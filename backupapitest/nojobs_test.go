package backupapitest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestADayWithoutJobsIsAnsweredAsARealServerDoes: the fake answers a day
// without backup jobs with the error a real AhsayCBS sends (the text the
// public clients check_ahsay and php-ahsay-api-wrapper special-case),
// and the SDK reads it as an empty list.
func TestADayWithoutJobsIsAnsweredAsARealServerDoes(t *testing.T) {
	srv, c := fakeAhsay(t)
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "idle", Password: "pw-idle"})
	body := `{"SysUser":"` + srv.SysUser + `","SysPwd":"` + srv.SysPwd + `","LoginName":"idle","BackupDate":"2024-06-26"}`
	resp, err := srv.Client().Post(srv.URL+"/obs/api/json/ListBackupJobStatus.do", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	var answer map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
	assert.Equal(t, "Error", answer["Status"])
	assert.Equal(t, "[Error] No Backup Job on that day", answer["Message"])
	assert.NotEmpty(t, answer["ExptType"])
	assert.NotContains(t, answer, "Data")

	jobs, err := c.ListBackupJobStatus(t.Context(), &backupapi.ListBackupJobStatusRequest{UserRef: backupapi.UserRef{LoginName: "idle"},
		Date: time.Date(2024, 6, 26, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Empty(t, jobs)
}
