// Command quickstart shows the SDK at work in a minute, with no server to
// set up: it starts the embedded fake AhsayCBS and XClarity servers from
// backupapitest, unless these environment variables point it at real ones:
//
//	AHSAY_URL, AHSAY_SYSUSER, AHSAY_SYSPWD
//	XCLARITY_URL, XCLARITY_USER, XCLARITY_PASSWORD
//	CA_FILE (a PEM file of the certificate authorities to trust, if the
//	         system's do not sign the servers' certificates)
//
// Run it with:
//
//	go run ./examples/quickstart
//
// or against the fakes of cmd/backupapi-fake, which prints these variables
// (CA_FILE included) for a shell to export, and then a READY line:
//
//	backupapi-fake > fake.env &
//	until grep -q '^READY' fake.env; do sleep 0.1; done
//	set -a; . <(grep -v '^READY' fake.env); set +a; go run ./examples/quickstart
//
// The progress bar is drawn on a terminal only; piped, the progress comes
// as plain lines.
package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, term.IsTerminal(int(os.Stdout.Fd()))); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run tours the SDK, writing to out; tty says whether out is a terminal
// (a progress bar redraws its line there).
func run(ctx context.Context, out io.Writer, tty bool) error {
	p := printer{out, tty}
	p.title("1. AhsayCBS: backup users")
	ahsay, cleanup, err := ahsayClient(p)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := ahsayTour(ctx, p, ahsay); err != nil {
		return err
	}

	p.title("2. Lenovo XClarity Administrator: copy a backup and wait for its job")
	lxca, cleanupXC, err := xclarityClient(p)
	if err != nil {
		return err
	}
	defer cleanupXC()
	defer lxca.Close(context.WithoutCancel(ctx))
	if err := xclarityTour(ctx, p, lxca); err != nil {
		return err
	}

	p.title("3. Connected Backup: what does this DCMaint line mean?")
	eventsTour(p)
	p.line("\nDone. Next: read the README, or run the tests with `go test -race ./...`.")
	return nil
}

// ahsayClient connects to the server named by AHSAY_URL, or to a fake.
func ahsayClient(p printer) (*backupapi.AhsayClient, func(), error) {
	if url := os.Getenv("AHSAY_URL"); url != "" {
		p.line("Using the AhsayCBS at %s (from AHSAY_URL).", url)
		opts, err := trustOptions()
		if err != nil {
			return nil, nil, err
		}
		c, err := backupapi.NewAhsayClient(url, os.Getenv("AHSAY_SYSUSER"), os.Getenv("AHSAY_SYSPWD"), opts...)
		return c, func() {}, err
	}
	srv := backupapitest.NewAhsayServer()
	p.line("Started a fake AhsayCBS at %s (set AHSAY_URL, AHSAY_SYSUSER and AHSAY_SYSPWD to use a real one).", srv.URL)
	c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	// The fake knows this month's storage statistics of our user in advance.
	srv.SetStorageStat("", "quickstart-user", time.Now().Format("2006-01"), backupapitest.AhsayStorageStat{DataBytes: 5504624, UploadBytes: 5504624, Files: 39})
	return c, srv.Close, err
}

func ahsayTour(ctx context.Context, p printer, c *backupapi.AhsayClient) error {
	user := backupapi.UserRef{LoginName: "quickstart-user"}
	err := c.AddUser(ctx, &backupapi.AddUserRequest{
		UserRef:    user,
		Password:   "Quick-Start-1",
		Email:      "owner@example.com",
		ClientType: "OBM",
		Type:       "PAID",
		QuotaList:  []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 * backupapi.GiB}},
	})
	switch {
	case errors.Is(err, backupapi.ErrAlreadyExists):
		p.line("User %s exists already; carrying on.", user.LoginName)
	case err != nil:
		return fmt.Errorf("adding a user: %w", err)
	default:
		p.line("Added user %s with a 50 GiB quota on the AhsayCBS destination.", user.LoginName)
	}
	defer func() {
		if err := c.RemoveUser(context.WithoutCancel(ctx), user); err == nil {
			p.line("Removed user %s again, leaving the server as it was.", user.LoginName)
		}
	}()

	users, err := c.ListUsers(ctx, &backupapi.ListUsersRequest{SearchStr: "quickstart"})
	if err != nil {
		return fmt.Errorf("listing users: %w", err)
	}
	p.line("ListUsers found %d user(s) matching \"quickstart\":", len(users))
	for _, u := range users {
		p.line("  %-18s %-4s %-5s status %s, registered %s", u.LoginName, u.ClientType, u.UserType, u.Status, u.RegistrationDate.Format(time.DateOnly))
	}

	err = c.UpdateUser(ctx, &backupapi.UpdateUserRequest{
		UserRef:   user,
		Notes:     backupapi.Ptr("created by the quickstart"),
		QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 75 * backupapi.GiB}},
	})
	if err != nil {
		return fmt.Errorf("updating the quota: %w", err)
	}
	if err := c.AppendContacts(ctx, &backupapi.ContactsRequest{UserRef: user, Contacts: []backupapi.Contact{backupapi.Contact{Name: "Operations", Email: "ops@example.com"}}}); err != nil {
		return fmt.Errorf("adding a contact: %w", err)
	}
	detail, err := c.GetUser(ctx, user)
	if err != nil {
		return fmt.Errorf("reading the user: %w", err)
	}
	quota := "no quota listed"
	if len(detail.QuotaList) > 0 { // an older server may list none
		quota = "a quota of " + detail.QuotaList[0].Quota.String()
	}
	p.line("Raised the quota and added a contact; the user now has %s and %d contact(s): %s.",
		quota, len(detail.ContactList), contactList(detail.ContactList))

	month := time.Now().Format("2006-01")
	stat, err := c.GetUserStorageStat(ctx, &backupapi.StorageStatRequest{UserRef: user, YearMonth: month})
	switch {
	case errors.Is(err, backupapi.ErrNotFound), err == nil && len(stat.Months) == 0:
		p.line("No storage statistics for %s yet.", month)
	case err != nil:
		return fmt.Errorf("reading storage statistics: %w", err)
	default:
		m := stat.Months[0]
		p.line("Storage in %s: %s of data (%d bytes) in %d files.", m.YearMonth, m.AvgDataSize, m.AvgDataRawSize, m.AvgDataNo)
	}

	_, err = c.GetUser(ctx, backupapi.UserRef{LoginName: "no-such-user"})
	var apiErr *backupapi.Error
	if errors.Is(err, backupapi.ErrNotFound) && errors.As(err, &apiErr) {
		p.line("Asking for a missing user gives a typed error: errors.Is(err, backupapi.ErrNotFound) is true;")
		p.line("  %s", apiErr)
	} else {
		return fmt.Errorf("expected a not-found error, got %v", err)
	}
	return nil
}

func contactList(cs []backupapi.Contact) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Email)
	}
	return strings.Join(names, ", ")
}

// xclarityClient connects to the appliance named by XCLARITY_URL, or to a fake.
func xclarityClient(p printer) (*backupapi.XClarityClient, func(), error) {
	if url := os.Getenv("XCLARITY_URL"); url != "" {
		p.line("Using the XClarity Administrator at %s (from XCLARITY_URL).", url)
		opts, err := trustOptions()
		if err != nil {
			return nil, nil, err
		}
		c, err := backupapi.NewXClarityClient(url, os.Getenv("XCLARITY_USER"), os.Getenv("XCLARITY_PASSWORD"), opts...)
		return c, func() {}, err
	}
	srv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(3 * time.Second))
	p.line("Started a fake XClarity Administrator at %s (set XCLARITY_URL, XCLARITY_USER and XCLARITY_PASSWORD to use a real one).", srv.URL)
	c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
	return c, srv.Close, err
}

func xclarityTour(ctx context.Context, p printer, c *backupapi.XClarityClient) error {
	backups, err := c.ListBackups(ctx)
	if err != nil {
		return fmt.Errorf("listing backups: %w", err)
	}
	p.line("The appliance holds %d backup(s):", len(backups))
	for _, b := range backups {
		p.line("  %s  %-20s %s", b.UUID, b.Filename, b.BackupDate)
	}
	if len(backups) == 0 {
		p.line("Nothing to copy.")
		return nil
	}
	res, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: backups[0].UUID, Destination: "/mnt/quickstart-share"})
	if err != nil {
		return fmt.Errorf("copying a backup: %w", err)
	}
	p.line("Copying %s to /mnt/quickstart-share: job %s started.", backups[0].Filename, res.JobID)
	job, err := c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{
		MinInterval: 200 * time.Millisecond,
		MaxInterval: time.Second,
		OnProgress:  func(pr backupapi.Progress) { p.progress(pr.Status, pr.Percent) },
	})
	if p.tty {
		p.line("") // end the bar's line
	}
	if err != nil {
		return fmt.Errorf("waiting for job %s: %w", res.JobID, err)
	}
	p.line("Job %s: %s.", job.JobUID, job.Status)
	return nil
}

func eventsTour(p printer) {
	line := "No Available Capacity. Session 42 could not be served."
	e, args, ok := backupapi.MatchEvent(line)
	if !ok {
		p.line("%q is not a known event.", line)
		return
	}
	err := e.Err(args[0])
	p.line("%q is event %d (%s), session %s.", line, e.ID, e.Severity, args[0])
	p.line("  %s", e.Detail)
	p.line("  As an error it is retryable: %v (errors.Is(err, backupapi.ErrUnavailable) = %v).", err.Retryable(), errors.Is(err, backupapi.ErrUnavailable))
	if e, ok := backupapi.LookupEvent(1009); ok {
		p.line("Event 1009 is %q; as an error it matches ErrPermissionDenied: %v.", e.Description, errors.Is(e.Err(), backupapi.ErrPermissionDenied))
	}
}

// trustOptions trusts the certificate authorities of the PEM file CA_FILE
// names, if it is set (backupapi-fake prints one): the servers'
// certificates must then be signed by one of them.
func trustOptions() ([]backupapi.Option, error) {
	path := os.Getenv("CA_FILE")
	if path == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CA_FILE: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA_FILE %s: no PEM certificate in it", path)
	}
	return []backupapi.Option{backupapi.WithRootCAs(pool)}, nil
}

// printer writes the tour's output; on a terminal (tty) a progress bar
// redraws its line.
type printer struct {
	w   io.Writer
	tty bool
}

func (p printer) title(s string) { fmt.Fprintf(p.w, "\n== %s ==\n", s) }

func (p printer) line(format string, args ...any) { fmt.Fprintf(p.w, format+"\n", args...) }

// progress draws a progress bar on one line of a terminal, or writes a
// plain line ("  42% Running") elsewhere, so that a log holds no \r.
func (p printer) progress(status string, percent float64) {
	if !p.tty {
		p.line("  %3.0f%% %s", percent, status)
		return
	}
	const width = 30
	filled := int(percent / 100 * width)
	filled = max(0, min(width, filled))
	fmt.Fprintf(p.w, "\r  [%s%s] %3.0f%% %-12s", strings.Repeat("#", filled), strings.Repeat("-", width-filled), percent, status)
}
