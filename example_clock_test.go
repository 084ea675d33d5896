package backupapi_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

// A test of code that waits for a job needs no sleep: the fake appliance's
// jobs and the waiter run on one fake clock (WaitOptions.Clock), and the
// test advances it whenever the waiter waits.
func Example_waitingOnAFakeClock() {
	start := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	clock := backupapitest.NewFakeClock(start)
	srv := backupapitest.NewXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Minute))
	defer srv.Close()
	c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	defer c.Close(ctx)

	res, err := c.PrepareRestore(ctx, &backupapi.RestoreRequest{UUID: srv.Backups()[0].UUID, Passphrase: "Backup-Pass-1"})
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan struct{})
	var job *backupapi.Job
	go func() {
		defer close(done)
		job, err = c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{Clock: clock})
	}()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-clock.Waiting(): // the waiter waits: let a minute pass
			clock.Advance(time.Minute)
		}
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Status, "after", clock.Now().Sub(start).Round(time.Minute))
	// Output: Complete after 10m0s
}
