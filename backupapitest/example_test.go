package backupapitest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

// A test proves that a lost answer to AddUser is reported as such and that
// the request was not sent twice.
func ExampleNewAhsayServer() {
	srv := backupapitest.NewAhsayServer()
	defer srv.Close()
	srv.Inject("AddUser", backupapitest.Fault{Drop: backupapitest.DropAfterAct})
	client, _ := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	err := client.AddUser(context.Background(), &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "eve"}, Password: "pw",
		QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 * backupapi.GiB}}})
	_, created := srv.User("", "eve")
	fmt.Println(errors.Is(err, backupapi.ErrOutcomeUnknown), srv.Calls("AddUser"), created)
	// Output: true 1 true
}

func ExampleNewXClarityServer() {
	clock := backupapitest.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := backupapitest.NewXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(time.Minute))
	defer srv.Close()
	c, _ := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
	ctx := context.Background()
	res, _ := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/share"})
	clock.Advance(30 * time.Second) // no sleeping: the job is half done
	job, _ := c.GetJob(ctx, res.JobID)
	fmt.Println(job.Status, job.Percentage)
	// Output: Running 50
}
