package backupapitest_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// matrixFault is one column of the fault matrix.
type matrixFault struct {
	name    string
	fault   backupapitest.Fault
	refused bool // the first connection is refused (the request never left)
	// cancelled: the caller's context is cancelled before the call.
	cancelled bool
	// readOutcome is what a read or idempotent call must end with: nil
	// for success (after retries), or the sentinel.
	readOutcome error
}

var matrixFaults = []matrixFault{
	{name: "refused", refused: true},
	{name: "reset before acting", fault: backupapitest.Fault{Drop: backupapitest.DropBeforeAct}},
	{name: "reset after acting", fault: backupapitest.Fault{Drop: backupapitest.DropAfterAct}},
	{name: "500", fault: backupapitest.Fault{Status: 500}, readOutcome: backupapi.ErrServer},
	{name: "502", fault: backupapitest.Fault{Status: 502}},
	{name: "504 after acting", fault: backupapitest.Fault{Status: 504, AfterAct: true}},
	{name: "503 Retry-After", fault: backupapitest.Fault{Status: 503, RetryAfter: 2 * time.Second}},
	{name: "429", fault: backupapitest.Fault{Status: 429}},
	{name: "HTML page", fault: backupapitest.Fault{Body: backupapitest.BodyHTML}, readOutcome: backupapi.ErrUnexpectedResponse},
	{name: "truncated JSON", fault: backupapitest.Fault{Body: backupapitest.BodyTruncated}},
	{name: "empty body", fault: backupapitest.Fault{Body: backupapitest.BodyEmpty}},
	{name: "oversized body", fault: backupapitest.Fault{Body: backupapitest.BodyOversized, Size: 2 << 20}, readOutcome: backupapi.ErrUnexpectedResponse},
	{name: "stall mid-body", fault: backupapitest.Fault{Body: backupapitest.BodyStall}},
	{name: "slow past the attempt timeout", fault: backupapitest.Fault{Delay: 5 * time.Second}},
	{name: "cancelled context", cancelled: true},
}

// matrixOp is one row: an SDK operation and the fake's name for it.
type matrixOp struct {
	name, fakeOp string
	idempotent   bool
	xclarity     bool
	call         func(context.Context, *backupapi.AhsayClient, *backupapi.XClarityClient) error
}

var someone = backupapi.UserRef{LoginName: "someone"}

// someQuota is a destination quota for AddUser, which needs one.
var someQuota = []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: backupapi.GiB}}

// matrixNight is the night of the seeded backup job, matrixJob that job.
var (
	matrixNight = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	matrixJob   = backupapi.BackupJobRef{UserRef: someone, BackupSetID: "1", DestinationID: backupapitest.AhsayDestinationID, BackupJobID: "2026-11-23-01-00-00"}
)

// Distinctive secrets, so that a leak is unmistakable.
const (
	userSecret       = "User-Secret-5c2e"
	passphraseSecret = "Phrase-Secret-19bd"
)

func ahsayOp(name, fakeOp string, idempotent bool, call func(context.Context, *backupapi.AhsayClient) error) matrixOp {
	return matrixOp{name: name, fakeOp: fakeOp, idempotent: idempotent,
		call: func(ctx context.Context, c *backupapi.AhsayClient, _ *backupapi.XClarityClient) error {
			return call(ctx, c)
		}}
}

func xcOp(name string, idempotent bool, call func(context.Context, *backupapi.XClarityClient) error) matrixOp {
	fakeOp := name
	if name == "GetJob" {
		fakeOp = "GetJobs"
	}
	return matrixOp{name: name, fakeOp: fakeOp, idempotent: idempotent, xclarity: true,
		call: func(ctx context.Context, _ *backupapi.AhsayClient, c *backupapi.XClarityClient) error {
			return call(ctx, c)
		}}
}

var matrixOps = []matrixOp{
	ahsayOp("ListUsers", "ListUsers", true, func(ctx context.Context, c *backupapi.AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err }),
	ahsayOp("AllUsers", "ListUsers", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		for _, err := range c.AllUsers(ctx, nil) {
			if err != nil {
				return err
			}
		}
		return nil
	}),
	ahsayOp("AuthUser", "AuthUser", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.AuthUser(ctx, &backupapi.AuthUserRequest{UserRef: someone, Password: userSecret})
	}),
	ahsayOp("GetUser", "GetUser", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetUser(ctx, someone)
		return err
	}),
	ahsayOp("AddUser", "AddUser", false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "newcomer"}, Password: userSecret, QuotaList: someQuota})
	}),
	ahsayOp("UpdateUser", "UpdateUser", false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.UpdateUser(ctx, &backupapi.UpdateUserRequest{UserRef: someone, Notes: backupapi.Ptr("n"), Password: backupapi.Ptr(backupapi.Secret(userSecret))})
	}),
	ahsayOp("ModifyUserStatus", "ModifyUserStatus", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.ModifyUserStatus(ctx, &backupapi.ModifyUserStatusRequest{UserRef: someone, Status: backupapi.UserStatusSuspended})
	}),
	ahsayOp("RemoveUser", "RemoveUser", false, func(ctx context.Context, c *backupapi.AhsayClient) error { return c.RemoveUser(ctx, someone) }),
	ahsayOp("SendForgotPasswordEmail", backupapitest.OpSendForgotPasswordEmail, false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.SendForgotPasswordEmail(ctx, someone)
	}),
	ahsayOp("UpdateAUA", "UpdateAUA", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.UpdateAUA(ctx, &backupapi.UpdateAUARequest{Enabled: true, LoginNames: []string{"someone"}})
	}),
	ahsayOp("GetUserStorageStat", "GetUserStorageStat", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetUserStorageStat(ctx, &backupapi.StorageStatRequest{UserRef: someone, YearMonth: "2024-06"})
		return err
	}),
	ahsayOp("AddContact", "AddContact", false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.AddContact(ctx, &backupapi.AddContactRequest{UserRef: someone, Contact: backupapi.Contact{Name: "x", Email: "x@example.com"}})
	}),
	ahsayOp("AppendContacts", backupapitest.OpAppendContacts, false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.AppendContacts(ctx, &backupapi.ContactsRequest{UserRef: someone, Contacts: []backupapi.Contact{backupapi.Contact{Email: "y@example.com"}}})
	}),
	ahsayOp("ReplaceContacts", backupapitest.OpReplaceContacts, false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.ReplaceContacts(ctx, &backupapi.ContactsRequest{UserRef: someone, Contacts: []backupapi.Contact{backupapi.Contact{Email: "z@example.com"}}})
	}),
	ahsayOp("ChangeContacts", backupapitest.OpChangeContacts, false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.ChangeContacts(ctx, &backupapi.ChangeContactsRequest{UserRef: someone, Old: []backupapi.Contact{{Email: "someone@example.com"}}, New: []backupapi.Contact{{Email: "w@example.com"}}})
	}),
	ahsayOp("RunSingleUserRebuild", "RunSingleUserRebuild", false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.RunSingleUserRebuild(ctx, &backupapi.RebuildRequest{UserRef: someone, BackupSetID: "1"})
	}),
	ahsayOp("GetSingleUserRebuildStatus", "GetSingleUserRebuildStatus", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetSingleUserRebuildStatus(ctx, someone)
		return err
	}),
	ahsayOp("GetUserStatus", "GetUserStatus", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetUserStatus(ctx, &backupapi.GetUserStatusRequest{Type: backupapi.JobTypeBackup})
		return err
	}),
	ahsayOp("GetServerRunJobStatus", "GetServerRunJobStatus", true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetServerRunJobStatus(ctx, backupapi.UserRef{LoginName: "someone"})
		return err
	}),
	ahsayOp("ListBackupSets", backupapitest.OpListBackupSets, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListBackupSets(ctx, &backupapi.ListBackupSetsRequest{UserRef: someone})
		return err
	}),
	ahsayOp("GetBackupSet", backupapitest.OpGetBackupSet, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetBackupSet(ctx, &backupapi.GetBackupSetRequest{UserRef: someone, BackupSetID: "1"})
		return err
	}),
	ahsayOp("ListBackupJobs", backupapitest.OpListBackupJobs, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListBackupJobs(ctx, &backupapi.ListBackupJobsRequest{UserRef: someone})
		return err
	}),
	ahsayOp("ListBackupJobStatus", backupapitest.OpListBackupJobStatus, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: someone, Date: matrixNight})
		return err
	}),
	ahsayOp("AllBackupJobs", backupapitest.OpListBackupJobStatus, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		for _, err := range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: matrixNight}) {
			if err != nil {
				return err
			}
		}
		return nil
	}),
	ahsayOp("AllBackupSetFreshness", backupapitest.OpListBackupJobs, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		for _, err := range c.AllBackupSetFreshness(ctx, &backupapi.AllBackupSetFreshnessRequest{Now: matrixNight.Add(24 * time.Hour)}) {
			if err != nil {
				return err
			}
		}
		return nil
	}),
	ahsayOp("AllUserLastBackups", backupapitest.OpListUsers, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		for _, err := range c.AllUserLastBackups(ctx, nil, matrixNight) {
			if err != nil {
				return err
			}
		}
		return nil
	}),
	{name: "BackupFreshness", fakeOp: backupapitest.OpListBackups, idempotent: true, xclarity: true,
		call: func(ctx context.Context, _ *backupapi.AhsayClient, c *backupapi.XClarityClient) error {
			_, err := c.BackupFreshness(ctx, nil)
			return err
		}},
	ahsayOp("ListBackupJobMode", backupapitest.OpListBackupJobMode, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListBackupJobMode(ctx, &backupapi.ListBackupJobModeRequest{UserRef: someone, Date: matrixNight})
		return err
	}),
	ahsayOp("GetBackupJobProgress", backupapitest.OpGetBackupJobProgress, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetBackupJobProgress(ctx, &matrixJob)
		return err
	}),
	ahsayOp("GetBackupJobReport", backupapitest.OpGetBackupJobReport, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetBackupJobReport(ctx, &backupapi.BackupJobReportRequest{BackupJobRef: matrixJob})
		return err
	}),
	ahsayOp("GetBackupJobReportSummary", backupapitest.OpGetBackupJobReportSummary, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetBackupJobReportSummary(ctx, &backupapi.BackupJobReportRequest{BackupJobRef: matrixJob})
		return err
	}),
	ahsayOp("RunBackup", backupapitest.OpRunBackup, false, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.RunBackup(ctx, &backupapi.RunBackupRequest{UserRef: someone, BackupSetID: "1"})
	}),
	ahsayOp("CancelPendingBackup", backupapitest.OpCancelPendingBackup, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.CancelPendingBackup(ctx, &backupapi.CancelPendingBackupRequest{UserRef: someone, BackupSetID: "1"})
	}),
	ahsayOp("ListRestoreJobs", backupapitest.OpListRestoreJobs, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListRestoreJobs(ctx, someone)
		return err
	}),
	ahsayOp("ListRestoreJobStatus", backupapitest.OpListRestoreJobStatus, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListRestoreJobStatus(ctx, &backupapi.ListRestoreJobStatusRequest{UserRef: someone, Date: matrixNight})
		return err
	}),
	ahsayOp("AuthSystemUser", backupapitest.OpAuthSystemUser, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		return c.AuthSystemUser(ctx)
	}),
	ahsayOp("GetLicense", backupapitest.OpGetLicense, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.GetLicense(ctx)
		return err
	}),
	ahsayOp("ListPolicyGroups", backupapitest.OpListPolicyGroups, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListPolicyGroups(ctx, nil)
		return err
	}),
	ahsayOp("ListUserGroups", backupapitest.OpListUserGroups, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListUserGroups(ctx, nil)
		return err
	}),
	ahsayOp("ListSystemUsers", backupapitest.OpListSystemUsers, true, func(ctx context.Context, c *backupapi.AhsayClient) error {
		_, err := c.ListSystemUsers(ctx, nil)
		return err
	}),
	xcOp("ListBackups", true, func(ctx context.Context, c *backupapi.XClarityClient) error { _, err := c.ListBackups(ctx); return err }),
	xcOp("CopyBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/s"})
		return err
	}),
	xcOp("MoveBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.MoveBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/s"})
		return err
	}),
	xcOp("PushBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.PushBackup(ctx, &backupapi.PushBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", TargetAddress: "10.0.0.9"})
		return err
	}),
	xcOp("CancelPush", false, func(ctx context.Context, c *backupapi.XClarityClient) error { _, err := c.CancelPush(ctx); return err }),
	xcOp("ImportBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.ImportBackup(ctx, &backupapi.ImportBackupRequest{Filename: "b.tgz", Body: strings.NewReader("backup bytes")})
		return err
	}),
	xcOp("ProcessBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.ProcessBackup(ctx, &backupapi.ProcessBackupRequest{Passphrase: backupapi.Secret(passphraseSecret)})
		return err
	}),
	xcOp("ListJobs", true, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.ListJobs(ctx, &backupapi.ListJobsRequest{Compact: true})
		return err
	}),
	xcOp("QuiesceStatus", true, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.QuiesceStatus(ctx)
		return err
	}),
	xcOp("DeleteBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Location: backupapi.LocationInternal})
		return err
	}),
	xcOp("CreateBackup", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.CreateBackup(ctx, &backupapi.CreateBackupRequest{Label: "m", Passphrase: passphraseSecret})
		return err
	}),
	xcOp("PrepareRestore", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Passphrase: passphraseSecret})
		return err
	}),
	xcOp("StartRestore", false, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.StartRestore(ctx, &backupapi.RestoreRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"})
		return err
	}),
	xcOp("GetJob", true, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.GetJob(ctx, "17")
		return err
	}),
	xcOp("GetJobs", true, func(ctx context.Context, c *backupapi.XClarityClient) error {
		_, err := c.GetJobs(ctx, "17")
		return err
	}),
	xcOp("CancelJobs", true, func(ctx context.Context, c *backupapi.XClarityClient) error { return c.CancelJobs(ctx, "17") }),
}

// refuseFirst refuses the first request that is not a login, as a server
// that is not listening yet would.
type refuseFirst struct {
	next    http.RoundTripper
	mu      sync.Mutex
	refused bool
}

func (r *refuseFirst) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	first := !r.refused && req.URL.Path != "/sessions"
	if first {
		r.refused = true
	}
	r.mu.Unlock()
	if first {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	return r.next.RoundTrip(req)
}

// matrixCell runs one operation under one fault and returns a short
// description of the outcome, failing t where the contract is broken.
func matrixCell(t *testing.T, op matrixOp, f matrixFault) (cell string) {
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v", p)
			cell = "PANIC"
		}
	}()
	fx := newMatrixFixture(t, op, f.refused)
	ahsay, xc, ac, xcc, ctx := fx.ahsay, fx.xc, fx.ac, fx.xcc, fx.ctx
	calls := func() int {
		if op.xclarity {
			return xc.Calls(op.fakeOp)
		}
		return ahsay.Calls(op.fakeOp)
	}
	before := calls()
	if op.xclarity {
		xc.Inject(op.fakeOp, f.fault)
	} else {
		ahsay.Inject(op.fakeOp, f.fault)
	}
	if f.fault == (backupapitest.Fault{}) && !f.refused && !f.cancelled {
		t.Fatal("a column without a fault")
	}
	if f.cancelled {
		var cancelCall context.CancelFunc
		ctx, cancelCall = context.WithCancel(ctx)
		cancelCall()
	}

	start := time.Now()
	err := op.call(ctx, ac, xcc)
	elapsed := time.Since(start)
	acted := calls() - before
	deadline, _ := ctx.Deadline()
	assert.True(t, time.Now().Before(deadline) || errors.Is(err, context.DeadlineExceeded), "returned within the context deadline (took %s)", elapsed)
	var apiErr *backupapi.Error
	if err != nil && !errors.As(err, &apiErr) {
		t.Errorf("untyped error %T: %v", err, err)
	}

	if f.cancelled {
		assert.ErrorIs(t, err, context.Canceled, "the context's own error")
		assert.NotErrorIs(t, err, backupapi.ErrOutcomeUnknown, "nothing was sent")
		assert.Zero(t, acted, "the server never acted")
	} else if op.idempotent {
		if f.readOutcome == nil {
			assert.NoError(t, err, "a read or idempotent call succeeds within the retry budget")
		} else {
			assert.ErrorIs(t, err, f.readOutcome)
		}
	} else {
		assert.LessOrEqual(t, acted, 1, "a state change is never done twice")
		switch {
		case err == nil:
			assert.Equal(t, 1, acted, "success means the server acted once")
		case acted == 1:
			assert.ErrorIs(t, err, backupapi.ErrOutcomeUnknown, "the server acted but the answer was lost")
		}
	}
	switch {
	case err == nil:
		return fmt.Sprintf("ok (%d)", acted)
	case errors.Is(err, backupapi.ErrOutcomeUnknown):
		return fmt.Sprintf("unknown (%d)", acted)
	default:
		kinds := apiErr.Kinds()
		if len(kinds) == 0 {
			return fmt.Sprintf("error (%d)", acted)
		}
		return fmt.Sprintf("%s (%d)", strings.TrimPrefix(kinds[0].Error(), "backupapi: "), acted)
	}
}

// matrixFixture is what an operation of the matrix runs against: both
// fakes, seeded and prepared for op, and clients of them.
type matrixFixture struct {
	ahsay *backupapitest.AhsayServer
	xc    *backupapitest.XClarityServer
	ac    *backupapi.AhsayClient
	xcc   *backupapi.XClarityClient
	ctx   context.Context
}

// newMatrixFixture seeds the fakes and prepares what op needs; refused
// makes the first request that is not a login fail to connect; ahsayOpts
// go to the AhsayClient.
func newMatrixFixture(t *testing.T, op matrixOp, refused bool, ahsayOpts ...backupapi.Option) matrixFixture {
	opts := []backupapi.Option{backupapi.WithRetry(3, 100*time.Millisecond, 3*time.Second), backupapi.WithTimeout(time.Second),
		backupapi.WithMaxResponseBytes(1 << 20)}
	through := throughHandler(func(h http.Handler) *http.Client {
		var rt http.RoundTripper = backupapitest.Transport(h)
		if refused {
			rt = &refuseFirst{next: rt}
		}
		return &http.Client{Transport: rt}
	})
	ahsay, ac := fakeAhsay(t, through, withClient(opts...), withClient(ahsayOpts...))
	ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "someone", Password: userSecret, Email: "someone@example.com", BackupSets: []string{"1"}})
	ahsay.SetStorageStat("", "someone", "2024-06", backupapitest.AhsayStorageStat{DataBytes: 1, Files: 1})
	ahsay.AddBackupJob("", "someone", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: matrixNight.Add(time.Hour),
		End: matrixNight.Add(2 * time.Hour), Status: backupapi.BackupSuccess})
	xc, xcc := fakeXClarity(t, through, withClient(opts...))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	// Prepare what the operation needs, then arm the fault.
	if op.xclarity {
		_, err := xcc.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "9a1c4d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d", Destination: "/mnt/prep"}) // job 17
		require.NoError(t, err)
		if op.name == "ProcessBackup" {
			_, err := xcc.ImportBackup(ctx, &backupapi.ImportBackupRequest{Filename: "prep.tgz", Body: strings.NewReader("x")})
			require.NoError(t, err)
		}
		if op.name == "StartRestore" {
			_, err := xcc.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"})
			require.NoError(t, err)
		}
	}
	return matrixFixture{ahsay: ahsay, xc: xc, ac: ac, xcc: xcc, ctx: ctx}
}

// TestFaultMatrix runs every SDK operation under every fault the fakes can
// inject, in process and on a fake clock, and prints the outcomes: the
// number in brackets is how often the server acted.
func TestFaultMatrix(t *testing.T) {
	results := map[string]map[string]string{}
	for _, op := range matrixOps {
		results[op.name] = map[string]string{}
		for _, f := range matrixFaults {
			t.Run(op.name+"/"+f.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					results[op.name][f.name] = matrixCell(t, op, f)
				})
			})
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-27s", "operation \\ fault")
	for _, f := range matrixFaults {
		fmt.Fprintf(&b, " | %-22s", f.name)
	}
	b.WriteString("\n")
	for _, op := range matrixOps {
		fmt.Fprintf(&b, "%-27s", op.name)
		for _, f := range matrixFaults {
			fmt.Fprintf(&b, " | %-22s", results[op.name][f.name])
		}
		b.WriteString("\n")
	}
	t.Log(b.String())
}
