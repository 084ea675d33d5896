// Command provision-csv creates AhsayCBS backup users from a CSV file with
// the columns login,password,email,client_type,quota_gb. Users that exist
// already are skipped; a lost answer is checked with GetUser instead of
// being sent twice.
//
//	go run ./examples/provision-csv [-file users.csv]
//
// Without AHSAY_URL (and AHSAY_SYSUSER, AHSAY_SYSPWD) it runs against the
// embedded fake server with a built-in sample file.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

const sample = `login,password,email,client_type,quota_gb
alice,Alice-Pa55,alice@example.com,OBM,50
bob,Bob-Pa55,bob@example.com,ACB,20
alice,Again-Pa55,alice@example.com,OBM,50
`

func main() {
	file := flag.String("file", "", "CSV file (default: a built-in sample)")
	flag.Parse()
	var in io.Reader = strings.NewReader(sample)
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		in = f
	}
	client, done := connect()
	defer done()
	created, skipped, err := provision(context.Background(), client, in, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created %d, skipped %d\n", created, skipped)
}

func connect() (*backupapi.AhsayClient, func()) {
	if url := os.Getenv("AHSAY_URL"); url != "" {
		c, err := backupapi.NewAhsayClient(url, os.Getenv("AHSAY_SYSUSER"), os.Getenv("AHSAY_SYSPWD"))
		if err != nil {
			log.Fatal(err)
		}
		return c, func() {}
	}
	srv := backupapitest.NewAhsayServer()
	c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

// provision creates one user per CSV row.
func provision(ctx context.Context, c *backupapi.AhsayClient, in io.Reader, out io.Writer) (created, skipped int, err error) {
	r := csv.NewReader(in)
	r.FieldsPerRecord = 5
	if _, err := r.Read(); err != nil { // header
		return 0, 0, fmt.Errorf("reading the header: %w", err)
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return created, skipped, nil
		}
		if err != nil {
			return created, skipped, err
		}
		gb, err := strconv.ParseInt(row[4], 10, 64)
		if err != nil {
			return created, skipped, fmt.Errorf("quota of %s: %w", row[0], err)
		}
		ref := backupapi.UserRef{LoginName: row[0]}
		err = c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: ref, Password: backupapi.Secret(row[1]), Email: row[2],
			ClientType: backupapi.ClientType(row[3]), QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: backupapi.Bytes(gb) * backupapi.GiB}}})
		switch {
		case errors.Is(err, backupapi.ErrAlreadyExists):
			fmt.Fprintf(out, "%-10s exists, skipped\n", row[0])
			skipped++
		case errors.Is(err, backupapi.ErrOutcomeUnknown):
			// The answer was lost: find out instead of sending it again.
			if _, getErr := c.GetUser(ctx, ref); getErr != nil {
				return created, skipped, fmt.Errorf("%s: outcome unknown and not found: %w", row[0], err)
			}
			fmt.Fprintf(out, "%-10s created (confirmed after a lost answer)\n", row[0])
			created++
		case err != nil:
			return created, skipped, fmt.Errorf("%s: %w", row[0], err)
		default:
			fmt.Fprintf(out, "%-10s created with %d GiB\n", row[0], gb)
			created++
		}
	}
}
