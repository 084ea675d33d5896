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
// XCLARITY_URL, XCLARITY_USER, XCLARITY_PASSWORD, and CA_FILE). There is
// no password flag, since it would show in ps and the shell's history:
// passwords come from the environment, a --password-file, or a prompt
// without echo on a terminal.
//
// Exit codes follow the SDK's sentinel errors, so that a script can branch
// on them: see "backupapi help exit-codes".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() { os.Exit(mainCode()) }

// mainCode runs the command line and returns its exit code.
func mainCode() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], newTerminalIO())
}
