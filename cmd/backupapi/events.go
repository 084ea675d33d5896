package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// eventsCommand is "backupapi events": the Connected Backup event catalog
// and DCMaint log exports.
func (a *app) eventsCommand() *cobra.Command {
	eventColumns := []column[backupapi.Event]{
		col("ID", func(e backupapi.Event) any { return e.ID }),
		col("SEVERITY", func(e backupapi.Event) any { return e.Severity }),
		col("DESCRIPTION", func(e backupapi.Event) any { return e.Description }),
	}
	lookupCmd := a.command("lookup ID", "Look an event up by its ID", "backupapi events lookup 11915", 1, 1, func(cmd *cobra.Command, args []string) (result, error) {
		e, err := eventArg(args[0])
		if err != nil {
			return nil, err
		}
		info := eventInfo{e, e.Err().Retryable()}
		return one(info, field{"id", e.ID}, field{"severity", e.Severity}, field{"retryable", info.Retryable},
			field{"description", e.Description}, field{"detail", e.Detail}), nil
	})
	matchCmd := a.command("match TEXT", "Find the event a logged message comes from, and its arguments", `backupapi events match "No Available Capacity. Session 42 could not be served."`, 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			e, vals, ok := backupapi.MatchEvent(args[0])
			if !ok {
				return nil, fmt.Errorf("no event of the catalog matches: %w", backupapi.ErrNotFound)
			}
			return one(struct {
				backupapi.Event
				Args []string `json:"args"`
			}{e, vals}, field{"id", e.ID}, field{"severity", e.Severity}, field{"description", e.Description}, field{"arguments", strings.Join(vals, " | ")}), nil
		})
	listCmd := a.command("list", "Every event of the catalog", "backupapi events list -o csv", 0, 0, func(cmd *cobra.Command, _ []string) (result, error) {
		return list(backupapi.Events(), eventColumns), nil
	})
	var level string
	readCmd := a.command("read FILE", "Read a DCMaint log exported from Event Viewer (CSV or XML; - for stdin), streamed", "backupapi events read dcmaint.csv --level error", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			if err := checkLevel(level); err != nil {
				return nil, err
			}
			f, err := a.openLog(args[0])
			if err != nil {
				return nil, err
			}
			bad := 0
			rows := func(yield func(backupapi.LogRecord, error) bool) {
				defer f.Close() // read as it is written
				for rec, err := range backupapi.ReadEventLog(f) {
					if err != nil { // a malformed record: said, and reading goes on
						a.warn(err)
						bad++
						continue
					}
					if level != "" && !strings.EqualFold(rec.Level, level) {
						continue
					}
					if !yield(rec, nil) {
						return
					}
				}
			}
			return afterwards{stream(rows, []column[backupapi.LogRecord]{
				col("TIME", func(r backupapi.LogRecord) any { return r.Time }),
				col("LEVEL", func(r backupapi.LogRecord) any { return r.Level }),
				col("EVENT", func(r backupapi.LogRecord) any { return r.EventID }),
				col("MESSAGE", func(r backupapi.LogRecord) any { return r.Message }),
			}), func() error {
				if bad > 0 {
					return fmt.Errorf("%d malformed record(s) in %s, said above: %w", bad, args[0], errMalformedInput)
				}
				return nil
			}}, nil
		})
	readCmd.Flags().StringVar(&level, "level", "", "only records of this level: "+strings.Join(logLevels, ", "))
	formatCmd := a.command("format ID [ARG...]", "An event's message with its placeholders filled", "backupapi events format 11915 42", 1, -1,
		func(cmd *cobra.Command, args []string) (result, error) {
			e, err := eventArg(args[0])
			if err != nil {
				return nil, err
			}
			vals := make([]any, len(args)-1)
			for i, v := range args[1:] {
				vals[i] = v
			}
			return text(e.Format(vals...)), nil
		})
	return group("events", "Connected Backup events: the catalog and DCMaint logs", "backupapi events lookup 11915", lookupCmd, matchCmd, formatCmd, listCmd, readCmd)
}

// eventArg is the catalog's event an ID argument names: an ID that is not
// a number is a usage error, one the catalog does not have matches
// backupapi.ErrNotFound.
func eventArg(arg string) (backupapi.Event, error) {
	id, err := strconv.Atoi(arg)
	if err != nil {
		return backupapi.Event{}, usagef("event ID %q is not a number", arg)
	}
	e, ok := backupapi.LookupEvent(id)
	if !ok {
		return backupapi.Event{}, fmt.Errorf("no event %d in the catalog: %w", id, backupapi.ErrNotFound)
	}
	return e, nil
}

// eventInfo is an event as "events lookup" shows it: with whether, as an
// error, it is worth retrying (Error.Retryable of the event's error).
type eventInfo struct {
	backupapi.Event
	Retryable bool
}

// logLevels are the levels of Event Viewer's records.
var logLevels = []string{"critical", "error", "warning", "information", "verbose"}

// checkLevel refuses a --level that no record can have.
func checkLevel(level string) error {
	if level == "" || slices.Contains(logLevels, strings.ToLower(level)) {
		return nil
	}
	return usagef("--level %q: want one of %s", level, strings.Join(logLevels, ", "))
}

// openLog opens an event log to read: a file, or stdin for "-".
func (a *app) openLog(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(a.in), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("event log: %w", err)
	}
	return f, nil
}
