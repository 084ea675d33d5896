package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// Exit codes. The SDK's sentinels each have one, so that a script can
// branch on what went wrong.
const (
	exitOK          = 0
	exitFailures    = 1 // the command ran and reports failed or missed jobs, or a failed job
	exitUsage       = 2
	exitOther       = 14
	exitInterrupted = 130
)

// exitCodes maps the SDK's sentinels to exit codes, in the order they are
// tried: an error matching several takes the first.
var exitCodes = []struct {
	sentinel error
	code     int
	meaning  string
}{
	{backupapi.ErrOutcomeUnknown, 9, "a change was sent and its outcome is unknown: check before repeating it"},
	{backupapi.ErrNotFound, 3, "not found"},
	{backupapi.ErrAuthentication, 4, "the credentials were refused"},
	{backupapi.ErrPermissionDenied, 5, "permission denied"},
	{backupapi.ErrInvalidRequest, 6, "the request was refused as invalid"},
	{backupapi.ErrAlreadyExists, 7, "already exists"},
	{backupapi.ErrUnavailable, 8, "the server is unavailable: retrying later may succeed"},
	{backupapi.ErrUnexpectedResponse, 10, "the answer could not be understood"},
	{backupapi.ErrServer, 11, "the server failed"},
	{backupapi.ErrInconsistentData, 12, "the server's data is inconsistent"},
	{backupapi.ErrClosed, 13, "the client was closed"},
}

func exitCodeOf(err error) int {
	for _, e := range exitCodes {
		if errors.Is(err, e.sentinel) {
			return e.code
		}
	}
	return exitOther
}

// exitCodesHelp is "backupapi help exit-codes".
func exitCodesHelp() *cobra.Command {
	var b strings.Builder
	fmt.Fprintf(&b, "  %3d  success\n  %3d  the command reports failed or missed jobs, or a job that failed\n  %3d  a usage mistake\n", exitOK, exitFailures, exitUsage)
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "  %3d  %s\n", e.code, e.meaning)
	}
	fmt.Fprintf(&b, "  %3d  any other error\n  %3d  interrupted (Ctrl-C); the message says what was left running\n", exitOther, exitInterrupted)
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "The exit codes, one per kind of error",
		Long:  "backupapi exits with a code that says what went wrong:\n\n" + b.String(),
	}
}

// errFailuresReported: the output listed failures; exit 1 without a line.
var errFailuresReported = errors.New("failures reported")
