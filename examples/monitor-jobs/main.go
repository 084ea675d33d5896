// Command monitor-jobs polls an AhsayCBS for running backup jobs and prints
// each job's progress when it changes, until interrupted (or, against the
// embedded fake, until the demo jobs finish).
//
//	go run ./examples/monitor-jobs [-every 5s]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

func main() {
	every := flag.Duration("every", 5*time.Second, "poll interval")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var client *backupapi.AhsayClient
	var err error
	if url := os.Getenv("AHSAY_URL"); url != "" {
		client, err = backupapi.NewAhsayClient(url, os.Getenv("AHSAY_SYSUSER"), os.Getenv("AHSAY_SYSPWD"))
	} else {
		srv := backupapitest.NewAhsayServer()
		defer srv.Close()
		client, err = backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
		*every = 300 * time.Millisecond
		go demoJobs(ctx, srv, *every)
	}
	if err != nil {
		log.Fatal(err)
	}
	if err := monitor(ctx, client, *every, os.Stdout); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

// monitor prints changes in the running backup jobs until ctx ends or, once
// some jobs were seen, none are left.
func monitor(ctx context.Context, c *backupapi.AhsayClient, every time.Duration, out io.Writer) error {
	last := map[string]int64{}
	for {
		jobs, err := c.GetUserStatus(ctx, &backupapi.GetUserStatusRequest{Type: backupapi.JobTypeBackup})
		if err != nil && !backupapiRetryable(err) {
			return err
		}
		running := map[string]bool{}
		for _, j := range jobs {
			key := j.LoginName + "/" + j.BackupSetID
			running[key] = true
			if pct := int64(j.OverallPercent); last[key] != pct || !seen(last, key) {
				fmt.Fprintf(out, "%s %-8s %-28s %3d%% %s\n", time.Now().Format(time.TimeOnly), j.LoginName, j.BackupSet, pct, j.TransferRate)
				last[key] = pct
			}
		}
		for key := range last {
			if !running[key] {
				fmt.Fprintf(out, "%s %s finished\n", time.Now().Format(time.TimeOnly), key)
				delete(last, key)
				if len(last) == 0 {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

func seen(m map[string]int64, k string) bool { _, ok := m[k]; return ok }

func backupapiRetryable(err error) bool {
	var e *backupapi.Error
	return errors.As(err, &e) && e.Retryable()
}

// demoJobs makes the fake report two backups progressing to the end.
func demoJobs(ctx context.Context, srv *backupapitest.AhsayServer, every time.Duration) {
	for pct := 0; pct <= 100; pct += 25 {
		srv.SetLiveJobs(
			backupapitest.AhsayLiveJob{LoginName: "alice", BackupSetID: "1", BackupSet: "Documents", Percent: pct},
			backupapitest.AhsayLiveJob{LoginName: "bob", BackupSetID: "2", BackupSet: "Mail", Percent: min(100, pct*2)},
		)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * every):
		}
	}
	srv.SetLiveJobs()
}
