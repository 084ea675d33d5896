// Command nightly-report lists last night's backup jobs across every user
// of an AhsayCBS server, failed and missed ones first, as a table on a
// terminal or as CSV or JSON, and exits 1 when any job failed or was
// missed, so that cron or a Nagios check can use it as it is.
//
//	go run ./examples/nightly-report [-date 2026-11-23] [-format table|csv|json] [-concurrency 8]
//
// It runs against an embedded fake server seeded with a night of jobs
// unless AHSAY_URL, AHSAY_SYSUSER and AHSAY_SYSPWD name a real one.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

// errFailures is returned when the night had failed or missed jobs.
var errFailures = errors.New("some backups failed or were missed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errFailures):
		os.Exit(1)
	case errors.Is(err, flag.ErrHelp):
	default:
		fmt.Fprintln(os.Stderr, "nightly-report:", err)
		os.Exit(2)
	}
}

// row is one line of the report.
type row struct {
	User      string    `json:"user"`
	Owner     string    `json:"owner,omitempty"`
	BackupSet string    `json:"backupSet"`
	Outcome   string    `json:"outcome"`
	Status    string    `json:"status"`
	Start     time.Time `json:"start,omitzero"`
	End       time.Time `json:"end,omitzero"`
	Uploaded  string    `json:"uploaded"`
	Error     string    `json:"error,omitempty"`
	severity  int
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("nightly-report", flag.ContinueOnError)
	fs.SetOutput(errOut)
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	date := fs.String("date", yesterday, "the night to report, yyyy-MM-dd (default yesterday)")
	format := fs.String("format", "table", "table, csv or json")
	concurrency := fs.Int("concurrency", backupapi.DefaultAllBackupJobsConcurrency, "users' jobs fetched at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	day, err := time.Parse("2006-01-02", *date)
	if err != nil {
		return fmt.Errorf("-date %q: want yyyy-MM-dd", *date)
	}
	if !slices.Contains([]string{"table", "csv", "json"}, *format) {
		return fmt.Errorf("-format %q: want table, csv or json", *format)
	}
	client, cleanup, err := connect(day, errOut)
	if err != nil {
		return err
	}
	defer cleanup()

	var rows []row
	for job, err := range client.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: day, Concurrency: *concurrency}) {
		switch {
		case err != nil && job.User.LoginName == "":
			return err // the users could not be listed, or ctx ended
		case err != nil:
			rows = append(rows, row{User: job.User.LoginName, Owner: job.User.Owner, Outcome: "unreadable",
				Error: err.Error(), severity: -1})
		default:
			o := job.Status.Outcome()
			rows = append(rows, row{User: job.User.LoginName, Owner: job.User.Owner, BackupSet: job.BackupSetName,
				Outcome: string(o), Status: string(job.Status), Start: job.StartTime.Time, End: job.EndTime.Time,
				Uploaded: job.UploadSize.String(), severity: o.Severity()})
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if a.severity != b.severity {
			return a.severity - b.severity
		}
		return strings.Compare(a.User+a.BackupSet, b.User+b.BackupSet)
	})
	if err := write(out, *format, rows); err != nil {
		return err
	}
	for _, r := range rows {
		if r.severity <= backupapi.OutcomeMissed.Severity() {
			return errFailures
		}
	}
	return nil
}

func write(out io.Writer, format string, rows []row) error {
	switch format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []row{}
		}
		return enc.Encode(rows)
	case "csv":
		w := csv.NewWriter(out)
		_ = w.Write([]string{"user", "owner", "backup set", "outcome", "status", "start", "end", "uploaded", "error"})
		for _, r := range rows {
			_ = w.Write([]string{r.User, r.Owner, r.BackupSet, r.Outcome, r.Status, stamp(r.Start), stamp(r.End), r.Uploaded, r.Error})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tBACKUP SET\tOUTCOME\tSTATUS\tSTART\tUPLOADED")
	for _, r := range rows {
		outcome := r.Outcome
		if r.Error != "" {
			outcome += ": " + r.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.User, r.BackupSet, outcome, r.Status, stamp(r.Start), r.Uploaded)
	}
	return tw.Flush()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}

// connect uses the server named by AHSAY_URL, or a fake seeded with a
// night of jobs.
func connect(day time.Time, errOut io.Writer) (*backupapi.AhsayClient, func(), error) {
	if url := os.Getenv("AHSAY_URL"); url != "" {
		c, err := backupapi.NewAhsayClient(url, os.Getenv("AHSAY_SYSUSER"), os.Getenv("AHSAY_SYSPWD"))
		return c, func() {}, err
	}
	srv := backupapitest.NewAhsayServer()
	fmt.Fprintf(errOut, "Using a fake AhsayCBS at %s seeded with the night of %s (set AHSAY_URL to use a real one).\n", srv.URL, day.Format("2006-01-02"))
	seedNight(srv, day)
	c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	return c, srv.Close, err
}

// seedNight seeds the fake: by default a night with every kind of outcome.
var seedNight = seed

// seed gives the fake a few users and a night with every kind of outcome.
func seed(srv *backupapitest.AhsayServer, day time.Time) {
	night := []struct {
		user   string
		set    string
		status backupapi.BackupJobStatus
	}{
		{"alice", "Documents", backupapi.BackupSuccess},
		{"alice", "Mailbox", backupapi.BackupSuccessWithWarning},
		{"bob", "Accounts DB", backupapi.BackupStoppedBySystemError},
		{"carol", "Photos", backupapi.BackupMissed},
		{"dave", "Laptop", backupapi.BackupSuccess},
		{"dave", "VMs", backupapi.BackupRunning},
	}
	for i, n := range night {
		id := fmt.Sprint(1700000000000 + i)
		if _, ok := srv.User("", n.user); !ok {
			srv.SeedUser(backupapitest.AhsayUser{LoginName: n.user, Password: "Pa55-" + n.user})
		}
		u, _ := srv.User("", n.user)
		u.Sets = append(u.Sets, backupapitest.AhsayBackupSet{ID: id, Name: n.set})
		srv.SeedUser(u)
		start := day.Add(time.Duration(1+i) * time.Hour)
		job := backupapitest.AhsayBackupJob{BackupSetID: id, Start: start, Status: n.status, UploadSize: int64(i+1) << 24}
		if n.status != backupapi.BackupRunning {
			job.End = start.Add(40 * time.Minute)
		}
		srv.AddBackupJob("", n.user, job)
	}
}
