// Command backupapi drives AhsayCBS servers, Lenovo XClarity Administrator
// appliances and Connected Backup event logs from the shell, on the
// backupapi SDK: its retries, typed errors and secret handling included.
//
//	go install github.com/backupapi/backupapi/cmd/backupapi@latest
//	backupapi ahsay users list -o csv
//	backupapi xclarity backups copy UUID --to /mnt/share --wait
//	backupapi events lookup 11915
//
// Connection settings come from flags or from the environment variables
// the quickstart uses (AHSAY_URL, AHSAY_SYSUSER, AHSAY_SYSPWD,
// XCLARITY_URL, XCLARITY_USER, XCLARITY_PASSWORD, and CA_FILE; also
// AHSAY_VERSION); a flag beats its variable. There is no password flag,
// since it would show in ps and the shell's history: passwords come from a
// --password-file (which beats the environment, and which group and
// others must not be able to read), the environment, or a prompt without
// echo on a terminal.
//
// Ctrl-C stops a command, which says what it left running on the server
// and ends its session within a couple of seconds; a second Ctrl-C exits
// at once.
//
// Exit codes follow the SDK's sentinel errors, so that a script can branch
// on them: see "backupapi help exit-codes".
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() { os.Exit(mainCode()) }

// mainCode runs the command line and returns its exit code.
func mainCode() int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupts := make(chan os.Signal, 2)
	signal.Notify(interrupts, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(interrupts)
	go onInterrupt(interrupts, cancel, os.Stderr, os.Exit)
	return run(ctx, os.Args[1:], newTerminalIO())
}

// onInterrupt handles Ctrl-C (and SIGTERM): the first ends the run's
// context, so that the command stops, says what it left running and ends
// its session within a bound; a second one exits at once, with 130.
func onInterrupt(interrupts <-chan os.Signal, cancel context.CancelFunc, errOut io.Writer, exit func(int)) {
	<-interrupts
	cancel()
	<-interrupts
	fmt.Fprintln(errOut, "backupapi: interrupted again: exiting at once")
	exit(exitInterrupted)
}
