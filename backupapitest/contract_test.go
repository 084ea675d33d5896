package backupapitest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastRetry keeps the contract tests quick while still retrying.
var fastRetry = backupapi.WithRetry(2, time.Millisecond, 10*time.Millisecond)

// viaHTTPMock is a client whose httpmock transport answers with h.
func viaHTTPMock(h http.Handler) *http.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(backupapitest.Responder(h))
	return &http.Client{Transport: mt}
}

// transports runs a scenario twice: over a real TLS socket and in process
// through httpmock with the fake's Handler.
var transports = []struct {
	name  string
	ahsay func(t *testing.T, opts ...backupapitest.ServerOption) (*backupapitest.AhsayServer, *backupapi.AhsayClient)
	xc    func(t *testing.T, opts ...backupapitest.ServerOption) (*backupapitest.XClarityServer, *backupapi.XClarityClient)
}{
	{"over a TLS socket",
		func(t *testing.T, opts ...backupapitest.ServerOption) (*backupapitest.AhsayServer, *backupapi.AhsayClient) {
			return fakeAhsay(t, withServer(opts...), withClient(fastRetry))
		},
		func(t *testing.T, opts ...backupapitest.ServerOption) (*backupapitest.XClarityServer, *backupapi.XClarityClient) {
			return fakeXClarity(t, withServer(opts...), withClient(fastRetry))
		}},
	{"through httpmock with Handler",
		func(t *testing.T, opts ...backupapitest.ServerOption) (*backupapitest.AhsayServer, *backupapi.AhsayClient) {
			return fakeAhsay(t, withServer(opts...), withClient(fastRetry), throughHandler(viaHTTPMock))
		},
		func(t *testing.T, opts ...backupapitest.ServerOption) (*backupapitest.XClarityServer, *backupapi.XClarityClient) {
			return fakeXClarity(t, withServer(opts...), withClient(fastRetry), throughHandler(viaHTTPMock))
		}},
}

var ctx = context.Background()

func TestAhsayUserLifecycle(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			srv, c := tr.ahsay(t)
			alice := backupapi.UserRef{LoginName: "alice"}
			require.NoError(t, c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: alice, Password: "Pa55-alice", Email: "alice@example.com",
				ClientType: "OBM", Type: "PAID", QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 << 30}}}))
			require.NoError(t, c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "bob"}, Password: "Pa55-bob", ClientType: "ACB", QuotaType: "TOTAL_QUOTA"}))

			err := c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: alice, Password: "x"})
			assert.ErrorIs(t, err, backupapi.ErrAlreadyExists)
			assert.NoError(t, c.AuthUser(ctx, &backupapi.AuthUserRequest{UserRef: alice, Password: "Pa55-alice"}))
			assert.ErrorIs(t, c.AuthUser(ctx, &backupapi.AuthUserRequest{UserRef: alice, Password: "wrong"}), backupapi.ErrAuthentication)

			users, err := c.ListUsers(ctx, &backupapi.ListUsersRequest{SearchStr: "ALI"})
			require.NoError(t, err)
			require.Len(t, users, 1)
			assert.Equal(t, "alice", users[0].LoginName)
			assert.Equal(t, backupapi.UserTypePaid, users[0].UserType)
			users, err = c.ListUsers(ctx, &backupapi.ListUsersRequest{ClientType: "ACB", LoginNameOnly: true})
			require.NoError(t, err)
			require.Len(t, users, 1)
			assert.Equal(t, "bob", users[0].LoginName)
			n := 0
			for u, err := range c.AllUsers(ctx, nil) {
				require.NoError(t, err)
				assert.NotEmpty(t, u.LoginName)
				n++
			}
			assert.Equal(t, 2, n)

			require.NoError(t, c.UpdateUser(ctx, &backupapi.UpdateUserRequest{UserRef: alice, Notes: backupapi.Ptr("VIP"),
				QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 70 << 30}}}))
			d, err := c.GetUser(ctx, alice)
			require.NoError(t, err)
			assert.Equal(t, "VIP", d.Notes)
			assert.Equal(t, 70*backupapi.GiB, d.QuotaList[0].Quota)
			assert.Equal(t, "AhsayCBS", d.QuotaList[0].DestinationName)

			require.NoError(t, c.AppendContacts(ctx, &backupapi.ContactsRequest{UserRef: alice, Contacts: []backupapi.Contact{backupapi.Contact{Name: "Ops", Email: "ops@example.com"}}}))
			err = c.AddContact(ctx, &backupapi.AddContactRequest{UserRef: alice, Contact: backupapi.Contact{Name: "Again", Email: "ops@example.com"}})
			assert.ErrorIs(t, err, backupapi.ErrAlreadyExists)
			assert.Contains(t, err.Error(), "Contact already exists <ops@example.com>")
			require.NoError(t, c.ChangeContacts(ctx, &backupapi.ChangeContactsRequest{UserRef: alice, Old: []backupapi.Contact{{Email: "ops@example.com"}}, New: []backupapi.Contact{{Name: "NOC", Email: "noc@example.com"}}}))
			u, _ := srv.User("", "alice")
			assert.Equal(t, []string{"alice@example.com", "noc@example.com"}, emails(u.Contacts))
			require.NoError(t, c.ReplaceContacts(ctx, &backupapi.ContactsRequest{UserRef: alice, Contacts: nil}))
			u, _ = srv.User("", "alice")
			assert.Empty(t, u.Contacts)

			require.NoError(t, c.ModifyUserStatus(ctx, &backupapi.ModifyUserStatusRequest{UserRef: alice, Status: backupapi.UserStatusSuspended}))
			require.NoError(t, c.UpdateAUA(ctx, &backupapi.UpdateAUARequest{Enabled: true, LoginNames: []string{"alice", "bob"}}))
			assert.ErrorIs(t, c.UpdateAUA(ctx, &backupapi.UpdateAUARequest{Enabled: true, LoginNames: []string{"nobody"}}), backupapi.ErrNotFound)
			u, _ = srv.User("", "alice")
			assert.Equal(t, "SUSPENDED", u.Status)
			assert.True(t, u.EnableAUA)

			_, err = c.GetUserStorageStat(ctx, &backupapi.StorageStatRequest{UserRef: alice, YearMonth: "2024-01"})
			assert.ErrorIs(t, err, backupapi.ErrNotFound)
			srv.SetStorageStat("", "alice", "2024-06", backupapitest.AhsayStorageStat{DataBytes: 5504624, UploadBytes: 5504624, Files: 39})
			st, err := c.GetUserStorageStat(ctx, &backupapi.StorageStatRequest{UserRef: alice, YearMonth: "2024-06"})
			require.NoError(t, err)
			assert.Equal(t, backupapi.Bytes(5504624), st.Months[0].AvgDataRawSize)
			assert.Equal(t, "5.25 M", st.Months[0].AvgDataSize)

			require.NoError(t, c.SendForgotPasswordEmail(ctx, alice))
			assert.Equal(t, 1, srv.ForgotPasswordEmails("", "alice"))

			require.NoError(t, c.RemoveUser(ctx, backupapi.UserRef{LoginName: "bob"}))
			_, err = c.GetUser(ctx, backupapi.UserRef{LoginName: "bob"})
			assert.ErrorIs(t, err, backupapi.ErrNotFound)
		})
	}
}

func emails(cs []backupapitest.AhsayContact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Email)
	}
	return out
}

func TestAhsayValidationMatchesTheReference(t *testing.T) {
	cases := []struct {
		name     string
		quota    []map[string]any
		sentinel error
		message  string
	}{
		{"a missing Enabled", []map[string]any{{"DestinationKey": "OBS", "Quota": 1}}, backupapi.ErrInvalidRequest, "Value ‘Enabled’ is missing in item ‘OBS’ of ‘QuotaList’."},
		{"an invalid Enabled", []map[string]any{{"DestinationKey": "OBS", "Enabled": "maybe", "Quota": 1}}, backupapi.ErrInvalidRequest, "Invalid ‘Enabled’ in item ‘OBS’ of ‘QuotaList’."},
		{"a negative Quota", []map[string]any{{"DestinationKey": "OBS", "Enabled": true, "Quota": -1}}, backupapi.ErrInvalidRequest, "Invalid value for ‘Quota’ for item ‘OBS’ of ‘QuotaList’. Error: Must be a positive number."},
		{"a Quota that is not a long", []map[string]any{{"DestinationKey": "OBS", "Enabled": true, "Quota": "ac130"}}, backupapi.ErrInvalidRequest, "Invalid value ‘Quota’ for item ‘OBS’ of ‘QuotaList’. Error: JSONObject [\"Quota\"] is not a long (class java.lang.String: ac130)."},
		{"a duplicate DestinationKey", []map[string]any{{"DestinationKey": "OBS", "Enabled": true, "Quota": 1}, {"DestinationKey": "OBS", "Enabled": true, "Quota": 1}}, backupapi.ErrInvalidRequest, "Duplicated DestinationKey (OBS) are not allowed in the QuotaList."},
		{"an invisible destination", []map[string]any{{"DestinationKey": "-1686812937526", "Enabled": true, "Quota": 1}}, backupapi.ErrPermissionDenied, "Destination ‘-1686812937526’ is not visible to user ‘carol’ according to policy’s [Destinations Visible to Users] settings."},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(tr.name+": "+tc.name, func(t *testing.T) {
				srv, c := tr.ahsay(t)
				err := c.Do(ctx, "/obs/api/json/2/AddUser.do", map[string]any{"LoginName": "carol", "Password": "p", "QuotaList": tc.quota}, nil)
				var e *backupapi.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.message, e.Message)
				assert.Equal(t, "java.lang.Exception", e.ExptType)
				assert.ErrorIs(t, err, tc.sentinel)
				_, exists := srv.User("", "carol")
				assert.False(t, exists, "nothing was created")
			})
		}
	}
}

func TestAhsayRebuildsLiveJobsAndRunJobs(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			srv, c := tr.ahsay(t)
			srv.SeedUser(backupapitest.AhsayUser{LoginName: "obm", Password: "p"})
			srv.AddBackupSet("", "obm", "1686639360356")
			obm := backupapi.UserRef{LoginName: "obm"}

			err := c.RunSingleUserRebuild(ctx, &backupapi.RebuildRequest{UserRef: obm, BackupSetID: "404"})
			assert.ErrorIs(t, err, backupapi.ErrNotFound, "the OK-with-ExptType quirk is an error")
			require.NoError(t, c.RunSingleUserRebuild(ctx, &backupapi.RebuildRequest{UserRef: obm, BackupSetID: "1686639360356"}))
			var seen []string
			st, err := c.WaitForRebuild(ctx, &backupapi.WaitForRebuildRequest{UserRef: obm, BackupSetID: "1686639360356"}, backupapi.WaitOptions{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond,
				OnProgress: func(p backupapi.Progress) { seen = append(seen, p.Status) }})
			require.NoError(t, err)
			assert.True(t, st.Finished())
			assert.Equal(t, []string{"Not yet started", "Running", "Finished"}, seen)

			srv.SetLiveJobs(backupapitest.AhsayLiveJob{LoginName: "obm", BackupSetID: "1", Percent: 40, JobID: "2024-06-18-16-45-58"},
				backupapitest.AhsayLiveJob{Restore: true, LoginName: "obm", BackupSetID: "1", Percent: 5, JobID: "2024-06-18-16-58-28"})
			backups, err := c.GetUserStatus(ctx, &backupapi.GetUserStatusRequest{Type: backupapi.JobTypeBackup})
			require.NoError(t, err)
			require.Len(t, backups, 1)
			assert.Equal(t, backupapi.Int64(40), backups[0].OverallPercent)
			assert.Equal(t, "2024-06-18-16-45-58", backups[0].JobID())
			restores, err := c.GetUserStatus(ctx, &backupapi.GetUserStatusRequest{Type: backupapi.JobTypeRestore})
			require.NoError(t, err)
			require.Len(t, restores, 1)
			assert.Equal(t, "2024-06-18-16-58-28", restores[0].RestoreJobID)

			runs, err := c.GetServerRunJobStatus(ctx, backupapi.UserRef{LoginName: "obm"})
			require.NoError(t, err)
			assert.Equal(t, []backupapi.RunJob{{BackupSetID: "1686639360356"}}, runs)
		})
	}
}

func TestAhsayFaults(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Run("custom system credentials are honoured", func(t *testing.T) {
				srv, c := tr.ahsay(t, backupapitest.WithCredentials("api", "other-Pa55"))
				assert.Equal(t, "other-Pa55", srv.SysPwd)
				_, err := c.ListUsers(ctx, nil)
				require.NoError(t, err)
			})
			t.Run("AddUser dropped after acting is not repeated", func(t *testing.T) {
				srv, c := tr.ahsay(t)
				srv.Inject("AddUser", backupapitest.Fault{Drop: backupapitest.DropAfterAct})
				err := c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "dana"}, Password: "p", QuotaList: someQuota})
				assert.ErrorIs(t, err, backupapi.ErrOutcomeUnknown)
				assert.Equal(t, 1, srv.Calls("AddUser"))
				_, exists := srv.User("", "dana")
				assert.True(t, exists, "the server did act")
			})
			t.Run("a 503 with Retry-After is retried for a read", func(t *testing.T) {
				srv, c := tr.ahsay(t)
				srv.Inject("ListUsers", backupapitest.Fault{Status: 503, RetryAfter: 0, Times: 2})
				_, err := c.ListUsers(ctx, nil)
				require.NoError(t, err)
				assert.Equal(t, 1, srv.Calls("ListUsers"))
			})
			t.Run("an HTML page is an unexpected response", func(t *testing.T) {
				srv, c := tr.ahsay(t)
				srv.Inject("ListUsers", backupapitest.Fault{Body: backupapitest.BodyHTML})
				_, err := c.ListUsers(ctx, nil)
				assert.ErrorIs(t, err, backupapi.ErrUnexpectedResponse)
			})
			t.Run("a read whose answer was truncated is repeated", func(t *testing.T) {
				srv, c := tr.ahsay(t)
				srv.Inject("ListUsers", backupapitest.Fault{Body: backupapitest.BodyTruncated})
				_, err := c.ListUsers(ctx, nil)
				require.NoError(t, err)
				assert.Equal(t, 2, srv.Calls("ListUsers"))
			})
			t.Run("a state change whose answer was truncated is not repeated", func(t *testing.T) {
				srv, c := tr.ahsay(t)
				srv.Inject("AddUser", backupapitest.Fault{Body: backupapitest.BodyTruncated})
				err := c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "t"}, Password: "p", QuotaList: someQuota})
				assert.ErrorIs(t, err, backupapi.ErrUnexpectedResponse)
				assert.ErrorIs(t, err, backupapi.ErrOutcomeUnknown)
				assert.Equal(t, 1, srv.Calls("AddUser"))
			})
		})
	}
}

func TestAhsayRefusesWrongSystemCredentials(t *testing.T) {
	_, c := fakeAhsay(t, withPassword("not-it"))
	_, err := c.ListUsers(ctx, nil)
	assert.ErrorIs(t, err, backupapi.ErrAuthentication)
	assert.NotContains(t, err.Error(), "not-it")
}

func TestXClarityRefusesWrongCredentials(t *testing.T) {
	srv := backupapitest.NewXClarityServer()
	defer srv.Close()
	for _, opt := range []backupapi.Option{backupapi.WithRetry(0, 0, 0), backupapi.WithBasicAuth()} {
		c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, "not-it", backupapi.WithHTTPClient(srv.Client()), opt)
		require.NoError(t, err)
		_, err = c.ListBackups(ctx)
		assert.ErrorIs(t, err, backupapi.ErrAuthentication)
		assert.NotContains(t, err.Error(), "not-it")
	}
}

func TestXClarityBasicAuth(t *testing.T) {
	srv, c := fakeXClarity(t, withClient(backupapi.WithBasicAuth()))
	_, err := c.ListBackups(ctx)
	require.NoError(t, err)
	assert.Zero(t, srv.Calls("Login"))
}

func TestXClarityCopyMoveAndJobs(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
			srv, c := tr.xc(t, backupapitest.WithClock(clock), backupapitest.WithJobDuration(60*time.Second))
			backups, err := c.ListBackups(ctx)
			require.NoError(t, err)
			require.Len(t, backups, 2)
			assert.Equal(t, backupapi.GiB, backups[0].Firmware)

			res, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: backups[0].UUID, Destination: "/mnt/share"})
			require.NoError(t, err)
			require.NotEmpty(t, res.JobID)
			var statuses []string
			job, err := c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond,
				OnProgress: func(p backupapi.Progress) {
					statuses = append(statuses, p.Status)
					clock.Advance(20 * time.Second)
				}})
			require.NoError(t, err)
			assert.Equal(t, backupapi.JobComplete, job.Status)
			assert.Equal(t, "Pending", statuses[0])
			assert.Contains(t, statuses, "Running")
			assert.Len(t, srv.Backups(), 3, "the copy exists once the job completed")

			_, err = c.MoveBackup(ctx, &backupapi.TransferBackupRequest{UUID: "no-such-uuid", Destination: "/mnt/share"})
			assert.ErrorIs(t, err, backupapi.ErrInvalidRequest, "400, as for every backup not found (Lenovo lists no 404)")
			assert.Contains(t, err.Error(), "not found")
			_, err = c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: backups[0].UUID, Destination: ""})
			assert.ErrorIs(t, err, backupapi.ErrInvalidRequest)

			srv.FailJobs(backupapi.JobStoppedWithError)
			res, err = c.PushBackup(ctx, &backupapi.PushBackupRequest{UUID: backups[1].UUID, TargetAddress: "10.243.16.45"})
			require.NoError(t, err)
			clock.Advance(time.Hour)
			_, err = c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: time.Millisecond})
			var e *backupapi.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, backupapi.JobStoppedWithError, e.Job.Status)

			srv.FailJobs("")
			res, err = c.MoveBackup(ctx, &backupapi.TransferBackupRequest{UUID: backups[1].UUID, Destination: "/mnt/share"})
			require.NoError(t, err)
			require.NoError(t, c.CancelJobs(ctx, res.JobID))
			j, err := c.GetJob(ctx, res.JobID)
			require.NoError(t, err)
			assert.Equal(t, backupapi.JobCancelled, j.Status)
			_, err = c.CancelPush(ctx)
			require.NoError(t, err)

			imp, err := c.ImportBackup(ctx, &backupapi.ImportBackupRequest{Filename: "restore-me.tgz", Body: strings.NewReader(strings.Repeat("x", 1<<20))})
			require.NoError(t, err)
			assert.Equal(t, "success", imp.Result)
			_, err = c.ProcessBackup(ctx, &backupapi.ProcessBackupRequest{Passphrase: backupapi.Secret("")})
			assert.ErrorIs(t, err, backupapi.ErrInvalidRequest)
			proc, err := c.ProcessBackup(ctx, &backupapi.ProcessBackupRequest{Passphrase: backupapi.Secret("passphrase")})
			require.NoError(t, err)
			assert.NotEmpty(t, proc.JobID)

			_, err = c.GetJob(ctx, "9999")
			assert.ErrorIs(t, err, backupapi.ErrNotFound)
			require.NoError(t, c.Close(ctx))
			assert.Zero(t, srv.Sessions(), "Close ended the session")
			assert.Equal(t, 1, srv.Calls("Login"))
		})
	}
}

func TestXClarityFaults(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Run("a copy whose answer is lost is not repeated", func(t *testing.T) {
				srv, c := tr.xc(t)
				srv.Inject("CopyBackup", backupapitest.Fault{Drop: backupapitest.DropAfterAct})
				_, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/share"})
				assert.ErrorIs(t, err, backupapi.ErrOutcomeUnknown)
				assert.Equal(t, 1, srv.Calls("CopyBackup"))
			})
			t.Run("listing rides out a 502", func(t *testing.T) {
				srv, c := tr.xc(t)
				srv.Inject("ListBackups", backupapitest.Fault{Status: 502})
				_, err := c.ListBackups(ctx)
				require.NoError(t, err)
			})
			t.Run("an HTML 500 page", func(t *testing.T) {
				srv, c := tr.xc(t)
				srv.Inject("ListBackups", backupapitest.Fault{Body: backupapitest.BodyHTML, Status: 500})
				_, err := c.ListBackups(ctx)
				assert.True(t, errors.Is(err, backupapi.ErrServer) && errors.Is(err, backupapi.ErrUnexpectedResponse), "%v", err)
			})
		})
	}
}
