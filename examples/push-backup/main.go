// Command push-backup pushes the newest management-server backup of one
// XClarity Administrator to a newly set-up appliance, waits for the push
// job, and shows how a failed job is reported.
//
//	go run ./examples/push-backup [-target 10.243.16.45]
//
// Without XCLARITY_URL (and XCLARITY_USER, XCLARITY_PASSWORD) it runs
// against the embedded fake appliance.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

func main() {
	target := flag.String("target", "10.243.16.45", "address of the new appliance")
	flag.Parse()
	var c *backupapi.XClarityClient
	var err error
	if url := os.Getenv("XCLARITY_URL"); url != "" {
		c, err = backupapi.NewXClarityClient(url, os.Getenv("XCLARITY_USER"), os.Getenv("XCLARITY_PASSWORD"))
	} else {
		srv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(2 * time.Second))
		defer srv.Close()
		c, err = backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
	}
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	defer c.Close(ctx)
	if err := push(ctx, c, *target, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// push sends the newest backup to target and waits for the job.
func push(ctx context.Context, c *backupapi.XClarityClient, target string, out io.Writer) error {
	backups, err := c.ListBackups(ctx)
	if err != nil {
		return err
	}
	if len(backups) == 0 {
		return errors.New("no backup to push")
	}
	newest := slices.MaxFunc(backups, func(a, b backupapi.Backup) int { return a.BackupDate.Compare(b.BackupDate) })
	res, err := c.PushBackup(ctx, &backupapi.PushBackupRequest{UUID: newest.UUID, TargetAddress: target})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "pushing %s to %s: job %s\n", newest.Filename, target, res.JobID)
	job, err := c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: 200 * time.Millisecond, MaxInterval: 2 * time.Second,
		OnProgress: func(p backupapi.Progress) { fmt.Fprintf(out, "  %-10s %3.0f%%\n", p.Status, p.Percent) }})
	var apiErr *backupapi.Error
	if errors.As(err, &apiErr) && apiErr.Job != nil {
		return fmt.Errorf("the push ended %s: validate the target and try again", apiErr.Job.Status)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "pushed: %s. Next, on the new appliance: ProcessBackup(ctx, passphrase).\n", job.Status)
	return nil
}
