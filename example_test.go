package backupapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

// fakeAhsay starts the SDK's fake AhsayCBS with two users.
func fakeAhsay() *backupapitest.AhsayServer {
	srv := backupapitest.NewAhsayServer()
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-alice", ClientType: "OBM"})
	srv.SeedUser(backupapitest.AhsayUser{LoginName: "bob", Password: "pw-bob", ClientType: "ACB"})
	return srv
}

func ExampleNewAhsayClient() {
	client, err := backupapi.NewAhsayClient("https://cbs.example.com", "api-user", "api-password",
		backupapi.WithRetry(3, 500*time.Millisecond, 10*time.Second),
		backupapi.WithTimeout(30*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client) // the password is never printed
	// Output: AhsayClient{URL: https://cbs.example.com, SysUser: api-user, SysPwd: ***}
}

func ExampleAhsayClient_ListUsers() {
	srv := fakeAhsay()
	defer srv.Close()
	client, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	users, err := client.ListUsers(context.Background(), &backupapi.ListUsersRequest{ClientType: "OBM"})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.LoginName, u.ClientType, u.Status)
	}
	// Output:
	// alice OBM ENABLE
}

func ExampleAhsayClient_AllUsers() {
	srv := fakeAhsay()
	defer srv.Close()
	client, _ := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	for u, err := range client.AllUsers(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.LoginName)
	}
	// Output:
	// alice
	// bob
}

func ExampleError() {
	srv := fakeAhsay()
	defer srv.Close()
	client, _ := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	_, err := client.GetUser(context.Background(), backupapi.UserRef{LoginName: "carol"})
	if errors.Is(err, backupapi.ErrNotFound) {
		fmt.Println("no such user")
	}
	var e *backupapi.Error
	if errors.As(err, &e) {
		fmt.Println(e.Source, e.Op, e.ExptType)
	}
	// Output:
	// no such user
	// ahsay GetUser com.ahsay.obs.core.dbs.ai
}

func ExampleMatchEvent() {
	e, args, ok := backupapi.MatchEvent("No Available Capacity. Session 42 could not be served.")
	fmt.Println(e.ID, e.Severity, args, ok)
	err := e.Err(args[0])
	fmt.Println(errors.Is(err, backupapi.ErrUnavailable), err)
	// Output:
	// 11915 Warning [42] true
	// true connected backup 11915: No Available Capacity. Session 42 could not be served.
}

func ExampleReadEventLog() {
	export := "Level,Date and Time,Source,Event ID,Task Category\r\n" +
		"Error,11/23/2026 9:56:00 PM,DCMaint,1009,None,Permission denied\r\n"
	for rec, err := range backupapi.ReadEventLog(strings.NewReader(export)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.Time.Format(time.DateTime), rec.EventID, rec.Event.Severity, rec.Message)
	}
	// Output: 2026-11-23 21:56:00 1009 Log Permission denied
}

func ExampleXClarityClient_WaitForJob() {
	srv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(50 * time.Millisecond))
	defer srv.Close()
	lxca, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	defer lxca.Close(ctx)
	backups, err := lxca.ListBackups(ctx)
	if err != nil {
		log.Fatal(err)
	}
	res, err := lxca.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: backups[0].UUID, Destination: "/mnt/share"})
	if err != nil {
		log.Fatal(err)
	}
	job, err := lxca.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Status)
	// Output: Complete
}
