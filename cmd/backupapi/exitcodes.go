package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// Exit codes with a name in the code; the others are only in exitRules.
const (
	exitOK          = 0
	exitFailures    = 1 // a job failed, or the command reports failed or missed jobs
	exitUsage       = 2
	exitNotFound    = 3
	exitOther       = 14
	exitWaitTimeout = 15 // --wait-timeout passed; the job goes on
	exitInterrupted = 130
)

// exitRule is one documented exit code: what it means and which errors
// take it.
type exitRule struct {
	code    int
	meaning string
	matches func(error) bool
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

// exitRules map an error to its exit code, in the order they are tried:
// an error matching several takes the first. "backupapi help exit-codes"
// lists them in numeric order. This table is the only place that decides
// an exit code.
var exitRules = []exitRule{
	{exitInterrupted, "interrupted (Ctrl-C); the message says what was left running", func(err error) bool {
		var i interruptedError
		return errors.As(err, &i) || errors.Is(err, context.Canceled) // only Ctrl-C cancels the run's context
	}},
	{exitFailures, "a job failed, or the command reports failed or missed jobs (the output says which)", func(err error) bool {
		return errors.Is(err, errFailuresReported) || errors.Is(err, backupapi.ErrJobFailed)
	}},
	{exitWaitTimeout, "gave up waiting (--wait-timeout passed): the job goes on on the server; the message says how to follow it", func(err error) bool {
		var w *waitTimeoutError
		return errors.As(err, &w)
	}},
	{9, "a change was sent and its outcome is unknown: check before repeating it", is(backupapi.ErrOutcomeUnknown)},
	{exitUsage, "a usage mistake: an unknown command or flag, a wrong argument, a bad setting (a URL; a --ca-file, password or passphrase file that is missing, empty or not private)", isUsage},
	{exitNotFound, "not found: on the server, or the file a command reads (an event log, a backup to import)", func(err error) bool {
		return errors.Is(err, backupapi.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
	}},
	{4, "the credentials were refused", is(backupapi.ErrAuthentication)},
	{5, "permission denied", is(backupapi.ErrPermissionDenied)},
	{6, "the request was refused as invalid", is(backupapi.ErrInvalidRequest)},
	{7, "already exists", is(backupapi.ErrAlreadyExists)},
	{8, "the server is unavailable: retrying later may succeed", is(backupapi.ErrUnavailable)},
	{10, "an answer, or a file read (an event log), could not be understood", func(err error) bool {
		return errors.Is(err, backupapi.ErrUnexpectedResponse) || errors.Is(err, errMalformedInput)
	}},
	{11, "the server failed", is(backupapi.ErrServer)},
	{12, "the server's data is inconsistent", is(backupapi.ErrInconsistentData)},
	{13, "the client was closed", is(backupapi.ErrClosed)},
	{exitOther, "any other error", func(error) bool { return true }},
}

// exitCodeOf is the exit code of a run that ended with err (nil: 0).
func exitCodeOf(err error) int {
	if err == nil {
		return exitOK
	}
	for _, r := range exitRules {
		if r.matches(err) {
			return r.code
		}
	}
	return exitOther
}

// exitMeaning is what an exit code means, as documented.
func exitMeaning(code int) string {
	for _, r := range exitRules {
		if r.code == code {
			return r.meaning
		}
	}
	return ""
}

// isUsage reports a mistake on the command line: a usage error a command
// or a setting returned, or any error cobra itself returned (an unknown
// command or flag, a missing required flag, a wrong number of
// arguments), since every command's own error is a commandError.
func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	var c commandError
	return !errors.As(err, &c)
}

// usageError is a mistake on the command line: exit 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// commandError is an error a command returned, as opposed to one cobra
// found on the command line before running it.
type commandError struct{ error }

func (e commandError) Unwrap() error { return e.error }

// interruptedError is an error that ended a run after Ctrl-C.
type interruptedError struct{ error }

func (e interruptedError) Unwrap() error { return e.error }

// jobFailed says in its own words that a job (an XClarity job, a
// rebuild) ended in failure, and matches backupapi.ErrJobFailed: exit 1.
type jobFailed struct{ msg string }

func jobFailedf(format string, args ...any) error { return jobFailed{fmt.Sprintf(format, args...)} }

func (e jobFailed) Error() string { return e.msg }

// Is matches backupapi.ErrJobFailed.
func (e jobFailed) Is(target error) bool { return target == backupapi.ErrJobFailed }

// errFailuresReported: the output listed failures; exit 1 without a line.
var errFailuresReported = errors.New("failures reported")

// errMalformedInput: a file the command read had records it could not
// read (they were reported one by one): exit 10.
var errMalformedInput = errors.New("malformed input")

// exitCodesHelp is "backupapi help exit-codes": the table, in numeric
// order.
func exitCodesHelp() *cobra.Command {
	rules := slices.Clone(exitRules)
	slices.SortStableFunc(rules, func(a, b exitRule) int { return a.code - b.code })
	var b strings.Builder
	fmt.Fprintf(&b, "  %3d  success\n", exitOK)
	for _, r := range rules {
		fmt.Fprintf(&b, "  %3d  %s\n", r.code, r.meaning)
	}
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "The exit codes, one per kind of error",
		Long: "backupapi exits with a code that says what went wrong:\n\n" + b.String() +
			"\nThe check commands (backupapi check ...) are monitoring plugins and exit as the Monitoring\n" +
			"Plugins guidelines say instead: " + pluginExitCodes + ".",
	}
}
