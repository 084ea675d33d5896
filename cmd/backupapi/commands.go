package main

import (
	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// command builds a leaf command: its use line, summary, example, the
// bounds of its arguments and what it runs. Adding a command for a new
// endpoint is one call of this and a few lines of output.
func command(use, short, example string, min, max int, run func(cmd *cobra.Command, args []string) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Example: "  " + example, Args: args(min, max), RunE: run}
}

// group builds a command that only holds others.
func group(use, short string, children ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() }}
	c.AddCommand(children...)
	return c
}

// ahsayList is the body of a command that fetches rows with an
// AhsayClient and prints them.
func ahsayList[T any](a *app, cols []column[T], fetch func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]T, error)) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		c, err := a.ahsayClient()
		if err != nil {
			return err
		}
		rows, err := fetch(cmd, c, args)
		if err != nil {
			return err
		}
		return emit(a, list(rows), cols, false)
	}
}
