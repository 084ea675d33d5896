package backupapi

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMonitoringReplaysEveryPrintedExample replays each output example of
// the monitoring pages through the method that would receive it.
func TestMonitoringReplaysEveryPrintedExample(t *testing.T) {
	day := time.Date(2024, 6, 26, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		fixture, path string
		call          func(context.Context, *AhsayClient) (any, error)
		check         func(t *testing.T, v any, err error)
	}{
		{"ListBackupSets_1.json", "/obs/api/json/ListBackupSets.do",
			func(ctx context.Context, c *AhsayClient) (any, error) {
				return c.ListBackupSets(ctx, &ListBackupSetsRequest{UserRef: UserRef{LoginName: "ACB"}})
			},
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				l := v.(*BackupSetList)
				require.Len(t, l.Sets, 3)
				assert.Equal(t, BackupSet{ID: "1692320086130", Name: "BackupSet-1", Type: "FILE"}, l.Sets[0])
				assert.Equal(t, "Office 365 Exchange Online", l.Sets[2].Type)
			}},
		{"ListBackupJobs_1.json", "/obs/api/json/ListBackupJobs.do",
			func(ctx context.Context, c *AhsayClient) (any, error) {
				return c.ListBackupJobs(ctx, &ListBackupJobsRequest{UserRef: obm})
			},
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.Equal(t, []BackupSetJobs{{BackupSetID: "1687750405259", BackupJobs: []string{"2024-06-26-11-33-52"}}}, v)
			}},
		{"ListBackupJobMode_1.fixed-time-typo.json", "/obs/api/json/ListBackupJobMode.do",
			func(ctx context.Context, c *AhsayClient) (any, error) {
				return c.ListBackupJobMode(ctx, &ListBackupJobModeRequest{UserRef: obm, Date: day})
			},
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				r := v.([]BackupJobModeRecord)
				require.Len(t, r, 1)
				assert.Equal(t, BackupJobManual, r[0].Mode)
				assert.Equal(t, "obm", r[0].UserID)
				assert.Equal(t, time.Date(2024, 6, 26, 11, 33, 52, 0, time.UTC), r[0].StartTime.Time)
				assert.Equal(t, time.Date(2024, 6, 26, 11, 34, 15, 0, time.UTC), r[0].EndTime.Time)
				assert.Equal(t, "v6 File Backup", r[0].BackupSetName)
			}},
		{"ListRestoreJobs_1.json", "/obs/api/json/ListRestoreJobs.do",
			func(ctx context.Context, c *AhsayClient) (any, error) { return c.ListRestoreJobs(ctx, obm) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err)
				assert.Equal(t, []BackupSetRestoreJobs{{BackupSetID: "1687755057644", RestoreJobs: []string{"2024-06-26-13-25-13"}}}, v)
			}},
		{"AuthSystemUser_1.json", "/obs/api/json/AuthSystemUser.do",
			func(ctx context.Context, c *AhsayClient) (any, error) { return nil, c.AuthSystemUser(ctx) },
			func(t *testing.T, _ any, err error) { require.NoError(t, err) }},
		{"AuthSystemUser_2.json", "/obs/api/json/AuthSystemUser.do",
			func(ctx context.Context, c *AhsayClient) (any, error) { return nil, c.AuthSystemUser(ctx) },
			failsWith(ErrAuthentication, "Incorrect system username/password", "com.ahsay.obs.core.dbs.c")},
		{"UpdateLicense_1.fixed-line-break.json", "/obs/api/json/2/GetLicense.do",
			func(ctx context.Context, c *AhsayClient) (any, error) { return c.GetLicense(ctx) },
			func(t *testing.T, v any, err error) {
				require.NoError(t, err, "OK with an Info warning succeeds")
				l := v.(*License)
				assert.Equal(t, "ABC_Backup", l.Licensee)
				assert.True(t, strings.HasPrefix(l.Info, "Internal Error 1012."), "the warning is surfaced")
				assert.Equal(t, "XyZ98-AbcDE-fGhU-98bcd-YZ", string(l.Key))
				assert.NotContains(t, l.Extra, "Status", "the envelope is not kept as licence data")
			}},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.fixture] = true
		t.Run(strings.TrimSuffix(tc.fixture, ".json"), func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+tc.path, fixtureResponder(t, "ahsay-monitoring/"+tc.fixture))
			v, err := tc.call(context.Background(), c)
			tc.check(t, v, err)
		})
	}
	files, err := filepath.Glob("testdata/ahsay-monitoring/*_[0-9]*.json")
	require.NoError(t, err)
	for _, f := range files {
		assert.True(t, covered[filepath.Base(f)], "%s is replayed", f)
	}
}

func TestMonitoringRequestBodies(t *testing.T) {
	day := time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC)
	job := BackupJobRef{UserRef: obm, BackupSetID: "1687505199600", DestinationID: "1687505211240", BackupJobID: "2024-06-23-15-27-57"}
	cases := []struct {
		name, path string
		call       func(context.Context, *AhsayClient) error
		want       string // the body, SysUser/SysPwd included
	}{
		{"ListBackupSets sends ListAll", "/obs/api/json/ListBackupSets.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListBackupSets(ctx, &ListBackupSetsRequest{UserRef: obm, ListAll: true})
			return err
		}, `{"LoginName":"obm","ListAll":true}`},
		{"GetBackupSet sends BackupSetID to the v2 path", "/obs/api/json/2/GetBackupSet.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.GetBackupSet(ctx, &GetBackupSetRequest{UserRef: obm, BackupSetID: "1"})
			return err
		}, `{"LoginName":"obm","BackupSetID":"1"}`},
		{"ListBackupJobs sends SkipEmpty", "/obs/api/json/ListBackupJobs.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListBackupJobs(ctx, &ListBackupJobsRequest{UserRef: obm, SkipEmpty: true})
			return err
		}, `{"LoginName":"obm","SkipEmpty":true}`},
		{"ListBackupJobStatus sends BackupDate as yyyy-MM-dd, and Owner", "/obs/api/json/ListBackupJobStatus.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListBackupJobStatus(ctx, &ListBackupJobStatusRequest{UserRef: UserRef{LoginName: "obm", Owner: "reseller1"}, Date: day})
			return err
		}, `{"LoginName":"obm","Owner":"reseller1","BackupDate":"2026-11-23"}`},
		{"ListBackupJobMode sends BackupSetID and BackupDate", "/obs/api/json/ListBackupJobMode.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListBackupJobMode(ctx, &ListBackupJobModeRequest{UserRef: obm, BackupSetID: "7", Date: day})
			return err
		}, `{"LoginName":"obm","BackupSetID":"7","BackupDate":"2026-11-23"}`},
		{"GetBackupJobProgress sends the reference's example input", "/obs/api/json/GetBackupJobProgress.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.GetBackupJobProgress(ctx, &job)
			return err
		}, string(fixture(t, "ahsay-monitoring/GetBackupJobProgress_input.fixed-missing-quote.json"))},
		{"GetBackupJobReport sends DestinationID, BackupJobID and Cdp", "/obs/api/json/GetBackupJobReport.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.GetBackupJobReport(ctx, &BackupJobReportRequest{BackupJobRef: job, Cdp: true})
			return err
		}, `{"LoginName":"obm","BackupSetID":"1687505199600","DestinationID":"1687505211240","BackupJobID":"2024-06-23-15-27-57","Cdp":true}`},
		{"GetBackupJobReportSummary sends the same", "/obs/api/json/GetBackupJobReportSummary.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.GetBackupJobReportSummary(ctx, &BackupJobReportRequest{BackupJobRef: job})
			return err
		}, `{"LoginName":"obm","BackupSetID":"1687505199600","DestinationID":"1687505211240","BackupJobID":"2024-06-23-15-27-57"}`},
		{"RunBackup sends BackupType when set", "/obs/api/json/RunBackup.do", func(ctx context.Context, c *AhsayClient) error {
			return c.RunBackup(ctx, &RunBackupRequest{UserRef: obm, BackupSetID: "1", BackupType: "DATABASE"})
		}, `{"LoginName":"obm","BackupSetID":"1","BackupType":"DATABASE"}`},
		{"CancelPendingBackup sends CancelBackup true", "/obs/api/json/RunBackup.do", func(ctx context.Context, c *AhsayClient) error {
			return c.CancelPendingBackup(ctx, &CancelPendingBackupRequest{UserRef: obm, BackupSetID: "1"})
		}, `{"LoginName":"obm","BackupSetID":"1","CancelBackup":true}`},
		{"ListRestoreJobStatus sends RestoreDate", "/obs/api/json/ListRestoreJobStatus.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListRestoreJobStatus(ctx, &ListRestoreJobStatusRequest{UserRef: obm, Date: day})
			return err
		}, `{"LoginName":"obm","RestoreDate":"2026-11-23"}`},
		{"AuthSystemUser sends only the credentials", "/obs/api/json/AuthSystemUser.do", func(ctx context.Context, c *AhsayClient) error {
			return c.AuthSystemUser(ctx)
		}, `{}`},
		{"GetLicense uses the v1 /cbs/ path under WithAhsayV1", "/cbs/api/json/GetLicense.do", func(ctx context.Context, c *AhsayClient) error {
			v1, mt := newMockAhsay(t, WithAhsayV1("GetLicense"))
			mt.RegisterResponder("POST", testBase+"/cbs/api/json/GetLicense.do", jsonResponder(200, `{"Status":"OK","Data":{"Licensee":"x"}}`))
			l, err := v1.GetLicense(ctx)
			if err == nil && l.Licensee != "x" {
				t.Errorf("licence under Data not read: %+v", l)
			}
			_, err = c.GetLicense(ctx) // and c's own call, for the common assertions
			return err
		}, `{}`},
		{"ListPolicyGroups sends PolicyGroupNameOnly", "/obs/api/json/2/ListPolicyGroups.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListPolicyGroups(ctx, &ListPolicyGroupsRequest{NameOnly: true})
			return err
		}, `{"PolicyGroupNameOnly":true}`},
		{"ListUserGroups sends UserGroupOnly", "/obs/api/json/ListUserGroups.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListUserGroups(ctx, &ListUserGroupsRequest{UserGroupID: "1687069108461", GroupOnly: true})
			return err
		}, `{"UserGroupID":"1687069108461","UserGroupOnly":true}`},
		{"ListSystemUsers with a nil filter sends only the credentials", "/obs/api/json/ListSystemUsers.do", func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListSystemUsers(ctx, nil)
			return err
		}, `{}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			var got capture
			path := tc.path
			if strings.HasPrefix(path, "/cbs/api/json/GetLicense") {
				path = "/obs/api/json/2/GetLicense.do" // c's own call is v2
			}
			mt.RegisterResponder("POST", testBase+path, got.responder(t, jsonResponder(200, `{"Status":"OK","Data":[]}`)))
			_ = tc.call(context.Background(), c)
			require.Len(t, got.bodies, 1, "one request to %s", path)
			var want map[string]any
			require.NoError(t, json.Unmarshal([]byte(tc.want), &want))
			want["SysUser"], want["SysPwd"] = testSysUser, testSysPwd
			if strings.Contains(tc.want, `"SysPwd":"system1"`) { // the reference's own input: its credentials
				want["SysUser"], want["SysPwd"] = "system", "system1"
				got.bodies[0]["SysUser"], got.bodies[0]["SysPwd"] = "system", "system1"
			}
			assert.Equal(t, want, got.bodies[0])
		})
	}
}

func TestBackupJobStatusOutcomes(t *testing.T) {
	cases := map[BackupJobStatus]JobOutcome{
		"": OutcomeRunning, BackupStillRunning: OutcomeRunning,
		BackupSuccess: OutcomeSuccess, BackupSuccessWithWarning: OutcomeSuccessWithWarnings,
		BackupSuccessWithError: OutcomeSuccessWithErrors, BackupStoppedByUser: OutcomeStoppedByUser,
		BackupStoppedBySystemError: OutcomeFailed, BackupStoppedByScheduler: OutcomeFailed,
		BackupStoppedQuotaExceeded: OutcomeFailed, BackupIncomplete: OutcomeFailed, BackupNotFinished: OutcomeFailed,
		BackupMissed: OutcomeMissed, BackupMissedDatabase: OutcomeMissed, BackupMissedDatabaseMisspelt: OutcomeMissed,
		BackupMissedPublicFolder: OutcomeMissed, BackupMissedVirtualMachine: OutcomeMissed,
		"BS_SOMETHING_NEW": OutcomeUnknown,
	}
	for status, want := range cases {
		t.Run(string(status), func(t *testing.T) {
			assert.Equal(t, want, status.Outcome())
			assert.Equal(t, want == OutcomeFailed || want == OutcomeMissed, status.Outcome().Failed())
		})
	}
	restores := map[RestoreJobStatus]JobOutcome{
		"": OutcomeRunning, RestoreSuccess: OutcomeSuccess, RestoreSuccessWithWarning: OutcomeSuccessWithWarnings,
		RestoreSuccessWithError: OutcomeSuccessWithErrors, RestoreStoppedByUser: OutcomeStoppedByUser,
		RestoreStoppedByError: OutcomeFailed, "RESTORE_SOMETHING_NEW": OutcomeUnknown,
	}
	for status, want := range restores {
		t.Run("restore "+string(status), func(t *testing.T) { assert.Equal(t, want, status.Outcome()) })
	}
	t.Run("severity sorts failures first", func(t *testing.T) {
		order := []JobOutcome{OutcomeFailed, OutcomeMissed, OutcomeUnknown, OutcomeStoppedByUser, OutcomeRunning,
			OutcomeSuccessWithErrors, OutcomeSuccessWithWarnings, OutcomeSuccess}
		for i := 1; i < len(order); i++ {
			assert.Less(t, order[i-1].Severity(), order[i].Severity())
		}
	})
}

func TestMonitoringAnswersAreDecodedTolerantly(t *testing.T) {
	t.Run("unknown keys are kept, UserID and UserId both fill UserID, odd values are kept", func(t *testing.T) {
		var r BackupJobRecord
		require.NoError(t, json.Unmarshal([]byte(`{"UserID":"u1","BackupJobStatus":"BS_STOP_SUCCESS","UploadSize":"5.25 M","DestinationID":"-1","StartTime":"2026-11-23 01:00:00"}`), &r))
		assert.Equal(t, "u1", r.UserID)
		assert.Equal(t, BackupSuccess, r.Status)
		assert.JSONEq(t, `"-1"`, string(r.Extra["DestinationID"]), "a key the reference does not name is reachable")
		assert.JSONEq(t, `"5.25 M"`, string(r.Extra["UploadSize"]), "a size in words does not fail the record")
		assert.Equal(t, time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), r.StartTime.Time)
	})
	t.Run("an OK with a Message is an error", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", testBase+"/obs/api/json/ListUserGroups.do",
			jsonResponder(200, `{"Status":"OK","Message":"JSONArray[0] is not a String (class java.lang.Integer)"}`))
		_, err := c.ListUserGroups(context.Background(), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "JSONArray[0] is not a String")
	})
	t.Run("GetBackupSet takes Data as an object or an array, and keeps what it does not type", func(t *testing.T) {
		for _, data := range []string{`{"BackupSetID":"1","Name":"n","ShadowCopyEnabled":true,"DestinationSettings":{"DestinationList":[{"Id":"d1","Name":"AhsayCBS","Port":"443"}]}}`,
			`[{"BackupSetID":"1","Name":"n","ShadowCopyEnabled":true,"DestinationSettings":{"DestinationList":[{"Id":"d1","Name":"AhsayCBS","Port":"443"}]}}]`} {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/2/GetBackupSet.do", jsonResponder(200, `{"Status":"OK","Data":`+data+`}`))
			d, err := c.GetBackupSet(context.Background(), &GetBackupSetRequest{UserRef: obm, BackupSetID: "1"})
			require.NoError(t, err)
			assert.Equal(t, "n", d.Name)
			assert.JSONEq(t, `true`, string(d.Extra["ShadowCopyEnabled"]))
			require.Len(t, d.DestinationSettings.DestinationList, 1)
			assert.Equal(t, "d1", d.DestinationSettings.DestinationList[0].ID)
			assert.Equal(t, Int64(443), d.DestinationSettings.DestinationList[0].Port)
		}
	})
}

func TestMonitoringFixturesAreValidJSON(t *testing.T) {
	files, err := filepath.Glob("testdata/ahsay-monitoring/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.True(t, json.Valid(b), f)
	}
}
