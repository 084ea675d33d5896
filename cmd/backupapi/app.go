package main

import (
	"context"
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
	cmd, err := root.ExecuteContextC(ctx)
	if code, ok := pluginCode(commandRan(root, cmd, args, err), err, io.out); ok { // check: plugin exit codes (check.go)
		return code
	}
	if err != nil && ctx.Err() != nil {
		err = interruptedError{err}
	}
	return a.fail(err)
}

// renderer is the output door for this run's format.
func (a *app) renderer() *renderer { return &renderer{format: a.output, out: a.out} }

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
(a file only you can read), the environment, or the prompt.

Output: a table for people; -o json (one JSON value, or JSON lines for a stream) or -o csv for
programs. Secrets never show; times are RFC 3339 and sizes byte counts in JSON and CSV.`,
		Example: `  backupapi ahsay users list --search alice
  backupapi xclarity backups list -o json
  backupapi events lookup 11915`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVarP(&a.output, "output", "o", "table", "output format: table, json or csv")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		switch a.output {
		case "table", "json", "csv":
		default:
			return usagef("--output %q: want table, json or csv", a.output)
		}
		return a.checkSettingsFirst(cmd)
	}
	root.AddCommand(a.ahsayCommand(), a.xclarityCommand(), a.eventsCommand(), exitCodesHelp())
	root.AddCommand(a.checkCommand(), a.exporterCommand())
	root.SetHelpCommand(helpCommand())
	noFileCompletion(root)
	return root
}

// helpCommand is "backupapi help [command]": an unknown topic is a usage
// mistake.
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "help [command]",
		Short:   "Help about any command",
		Example: "  backupapi help ahsay users\n  backupapi help exit-codes",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("unknown help topic %q", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// noFileCompletion stops the shell from offering file names for the
// arguments of commands that take none (a LOGIN, a UUID): only commands
// whose use line names a FILE complete file names.
func noFileCompletion(c *cobra.Command) {
	for _, sub := range c.Commands() {
		noFileCompletion(sub)
	}
	if c.ValidArgsFunction == nil && !strings.Contains(c.Use, "FILE") {
		c.ValidArgsFunction = cobra.NoFileCompletions
	}
}
