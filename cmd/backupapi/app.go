package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// version is the command's version: the SDK's.
var version = backupapi.Version

// stdio is where the command reads and writes, and whether they are
// terminals (a progress bar and a password prompt need one).
type stdio struct {
	in            io.Reader
	out, errOut   io.Writer
	inFd          int  // stdin's descriptor, for a prompt without echo
	inTTY, errTTY bool // stdin and stderr are terminals
}

func newTerminalIO() stdio {
	return stdio{in: os.Stdin, out: os.Stdout, errOut: os.Stderr, inFd: int(os.Stdin.Fd()),
		inTTY: term.IsTerminal(int(os.Stdin.Fd())), errTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}

// app is one run of the command line.
type app struct {
	stdio
	ctx    context.Context // the run's: Ctrl-C ends it
	output string          // table, json or csv
	conn   connFlags
	wait   waitFlags
	// interrupted says what a command left running when ctx ended, for
	// the message after Ctrl-C.
	leftRunning string
}

// run executes args and returns the exit code.
func run(ctx context.Context, args []string, io stdio) int {
	a := &app{stdio: io, ctx: ctx}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(io.in)
	root.SetOut(io.out)
	root.SetErr(io.errOut)
	err := root.ExecuteContext(ctx)
	if code, ok := pluginCode(args, err, io.out); ok { // check: plugin exit codes (check.go)
		return code
	}
	if err == nil {
		return 0
	}
	return a.fail(ctx, err)
}

// fail prints err as one line on stderr and returns its exit code.
func (a *app) fail(ctx context.Context, err error) int {
	var usage usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(a.errOut, "backupapi: %v (see --help)\n", usage.error)
		return exitUsage
	case ctx.Err() != nil:
		msg := "interrupted"
		if a.leftRunning != "" {
			msg += "; " + a.leftRunning
		}
		fmt.Fprintln(a.errOut, "backupapi:", msg)
		return exitInterrupted
	case errors.Is(err, errFailuresReported):
		return exitFailures // the report said which
	}
	fmt.Fprintln(a.errOut, "backupapi:", oneLine(err.Error()))
	return exitCodeOf(err)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// usageError is a mistake on the command line: exit 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// args checks a command's positional arguments: between min and max
// (max < 0: no bound).
func args(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		switch {
		case len(a) < min:
			return usagef("%s needs %d argument(s), got %d", cmd.CommandPath(), min, len(a))
		case max >= 0 && len(a) > max:
			return usagef("%s takes at most %d argument(s), got %d", cmd.CommandPath(), max, len(a))
		}
		return nil
	}
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "backupapi",
		Short: "Drive AhsayCBS, XClarity Administrator backups and Connected Backup event logs",
		Long: `backupapi drives AhsayCBS backup servers, Lenovo XClarity Administrator backups and
Connected Backup event logs from the shell, with the backupapi SDK's retries, typed errors and
secret handling.

Connection settings come from flags or the environment: AHSAY_URL, AHSAY_SYSUSER, AHSAY_SYSPWD,
AHSAY_VERSION, XCLARITY_URL, XCLARITY_USER, XCLARITY_PASSWORD and CA_FILE (a PEM file of the
authorities to trust); a flag beats its variable. There is no password flag: use --password-file
(a file only you can read), the environment, or the prompt.`,
		Example: `  backupapi ahsay users list --search alice
  backupapi xclarity backups list -o json
  backupapi events lookup 11915`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVarP(&a.output, "output", "o", "table", "output format: table, json or csv")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		switch a.output {
		case "table", "json", "csv":
			return nil
		}
		return usagef("--output %q: want table, json or csv", a.output)
	}
	root.AddCommand(a.ahsayCommand(), a.xclarityCommand(), a.eventsCommand(), exitCodesHelp())
	root.AddCommand(a.checkCommand(), a.exporterCommand())
	return root
}
