package main

import (
	"fmt"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// runFunc is a command's body: it returns what it produced, which the
// renderer writes, or an error; it never formats.
type runFunc func(cmd *cobra.Command, args []string) (result, error)

// command builds a leaf command: its use line, summary, example, the
// bounds of its arguments and what it runs. Adding a command for a new
// endpoint is one call of this and its columns or fields.
func (a *app) command(use, short, example string, min, max int, run runFunc) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Example: "  " + example, Args: args(min, max),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := run(cmd, args)
			if err == nil && res != nil {
				err = res.render(a.renderer())
			}
			if err != nil {
				return commandError{err}
			}
			return nil
		}}
}

// group builds a command that only holds others; an argument that names
// none of them is an unknown command.
func group(use, short, example string, children ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Example: "  " + example,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := "unknown command %q for %q"
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				return usagef(msg+": did you mean %q?", args[0], cmd.CommandPath(), s[0])
			}
			return usagef(msg, args[0], cmd.CommandPath())
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() }}
	c.AddCommand(children...)
	return c
}

// args checks a command's positional arguments: between min and max
// (max < 0: no bound), and none of the required ones empty (an empty job
// ID or login is a mistake on the command line, not a request to send).
// The required ones are those the use line names without brackets, a
// repeated one ("ID...") in every place; an optional one ("[JOB]") may be
// empty, meaning the same as left out.
func args(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		switch {
		case len(a) < min:
			return usagef("%s needs %d argument(s), got %d", cmd.CommandPath(), min, len(a))
		case max >= 0 && len(a) > max:
			return usagef("%s takes at most %d argument(s), got %d", cmd.CommandPath(), max, len(a))
		}
		for i, v := range a {
			if name, required := argAt(cmd, i, min); required && strings.TrimSpace(v) == "" {
				return usagef("%s: %s is empty", cmd.CommandPath(), name)
			}
		}
		return nil
	}
}

// argAt names cmd's i-th positional argument as its use line does
// ("LOGIN", "ID"), and says whether it is required: named without
// brackets, or among the first min.
func argAt(cmd *cobra.Command, i, min int) (name string, required bool) {
	names := strings.Fields(cmd.Use)[1:]
	switch {
	case i < len(names):
		name = names[i]
	case len(names) > 0 && strings.HasSuffix(names[len(names)-1], "..."):
		name = names[len(names)-1]
	default:
		return fmt.Sprintf("argument %d", i+1), i < min
	}
	optional := strings.HasPrefix(name, "[")
	return strings.Trim(name, "[]."), i < min || !optional
}

// afterwards is a result followed by a check once it is written: a
// report that exits 1 when it listed failures.
type afterwards struct {
	result
	check func() error
}

func (r afterwards) render(out *renderer) error {
	if err := r.result.render(out); err != nil {
		return err
	}
	return r.check()
}

// ahsayRun is the body of a command that needs an AhsayClient: the
// client is made from the connection's settings first (its error is the
// command's), then run is called with it.
func ahsayRun(a *app, run func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error)) runFunc {
	return func(cmd *cobra.Command, args []string) (result, error) {
		c, err := a.ahsayClient()
		if err != nil {
			return nil, err
		}
		return run(cmd, c, args)
	}
}

// ahsayList is the body of a command that fetches rows with an
// AhsayClient.
func ahsayList[T any](a *app, cols []column[T], fetch func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]T, error)) runFunc {
	return ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
		rows, err := fetch(cmd, c, args)
		if err != nil {
			return nil, err
		}
		return list(rows, cols), nil
	})
}

// ownOutputCommand builds a leaf command with an output contract of its
// own, not a table, JSON or CSV: a monitoring plugin's status line and
// exit code (check), a server's logs (exporter). It writes its output
// itself; its errors still go through the error door. The global
// -o/--output means nothing to it: its help does not list it and giving it
// is a usage error.
func (a *app) ownOutputCommand(use, short, example string, min, max int, run func(cmd *cobra.Command, args []string) error) *cobra.Command {
	cmd := a.command(use, short, example, min, max, func(cmd *cobra.Command, args []string) (result, error) {
		return nil, run(cmd, args)
	})
	cmd.Annotations = map[string]string{ownOutputAnnotation: "true"}
	f := cmd.Flags().VarPF(unusedFlag{cmd}, "output", "o", "not used: this command writes its own output")
	f.Hidden = true
	return cmd
}

// ownOutputAnnotation marks the commands ownOutputCommand builds.
const ownOutputAnnotation = "backupapi/own-output"

// unusedFlag shadows a global flag on a command that does not use it:
// setting it fails, so the flag error door makes it a usage error.
type unusedFlag struct{ cmd *cobra.Command }

func (unusedFlag) String() string { return "" }
func (unusedFlag) Type() string   { return "string" }
func (v unusedFlag) Set(string) error {
	return fmt.Errorf("%s writes its own output, not a table, JSON or CSV: drop -o/--output", v.cmd.CommandPath())
}
