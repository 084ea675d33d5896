package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// The flags every command that waits has (addWaitFlags gives them).
const (
	waitTimeoutFlag  = "wait-timeout"
	pollIntervalFlag = "poll-interval"
)

// waitFlags are the bounds of a wait, from --wait-timeout and
// --poll-interval.
type waitFlags struct {
	timeout  time.Duration // 0: until the job ends
	interval time.Duration // 0: the SDK's backoff, from 1 s growing to 30 s
}

// addWaitFlags gives cmd, a command that waits, --wait-timeout and
// --poll-interval, and checks them before it runs. wait is the command's
// --wait flag, nil for a command that always waits: the bounds of a wait
// that is not asked for are a usage mistake.
func (a *app) addWaitFlags(cmd *cobra.Command, wait *bool) {
	f := cmd.Flags()
	f.DurationVar(&a.wait.timeout, waitTimeoutFlag, 0, "give up waiting after this long; the job goes on (default: until it ends)")
	f.DurationVar(&a.wait.interval, pollIntervalFlag, 0,
		fmt.Sprintf("wait this long between polls, less a random part of up to half; at least %s (default: from 1s, slowing to 30s)", backupapi.MinPollInterval))
	next := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if err := a.wait.check(cmd, wait); err != nil {
			return err
		}
		if next != nil {
			return next(cmd, args)
		}
		return nil
	}
}

// check refuses bounds that cannot be meant.
func (w waitFlags) check(cmd *cobra.Command, wait *bool) error {
	switch {
	case w.timeout < 0:
		return usagef("--%s %s: want a positive duration, e.g. 30m", waitTimeoutFlag, w.timeout)
	case w.interval < 0 || w.interval > 0 && w.interval < backupapi.MinPollInterval:
		return usagef("--%s %s: want at least %s", pollIntervalFlag, w.interval, backupapi.MinPollInterval)
	}
	if wait != nil && !*wait {
		for _, name := range []string{waitTimeoutFlag, pollIntervalFlag} {
			if cmd.Flags().Changed(name) {
				return usagef("--%s bounds a wait: add --wait", name)
			}
		}
	}
	return nil
}

// waitFor runs one wait: progress on stderr (ending at 100 % and the
// final state wait returns when it succeeds), polls at --poll-interval,
// bounded by --wait-timeout. running says what goes on on the server and
// how to follow it, for the message after Ctrl-C or the timeout.
func (a *app) waitFor(ctx context.Context, label, running string, wait func(context.Context, backupapi.WaitOptions) (final string, err error)) error {
	opts, finish := a.waitOptions(label)
	if a.wait.interval > 0 {
		opts.MinInterval, opts.MaxInterval = a.wait.interval, a.wait.interval
	}
	a.leftRunning = running
	bounded, cancel := ctx, context.CancelFunc(func() {})
	if a.wait.timeout > 0 {
		bounded, cancel = context.WithTimeout(ctx, a.wait.timeout)
	}
	defer cancel()
	final, err := wait(bounded, opts)
	finish(err == nil, final)
	if err != nil && ctx.Err() == nil && bounded.Err() != nil && !errors.Is(err, backupapi.ErrJobFailed) {
		return &waitTimeoutError{after: a.wait.timeout, running: running}
	}
	return err
}

// waitTimeoutError says that --wait-timeout passed before the job ended.
// The job goes on on the server; the message says how to follow it. It
// matches context.DeadlineExceeded.
type waitTimeoutError struct {
	after   time.Duration
	running string
}

func (e *waitTimeoutError) Error() string {
	return fmt.Sprintf("gave up waiting after %s (--%s); %s", e.after, waitTimeoutFlag, e.running)
}

func (e *waitTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// jobRunning says that an XClarity job goes on, and how to follow it: a
// backup or restore with backups wait (jobs wait shows nothing while the
// appliance is quiesced), any other job with jobs wait.
func jobRunning(id string, backup bool) string {
	switch {
	case backup && id == "":
		return "the backup or restore goes on on the appliance; follow it with: backupapi xclarity backups wait"
	case backup:
		return fmt.Sprintf("job %s is still running on the appliance; follow it with: backupapi xclarity backups wait %s", id, id)
	}
	return fmt.Sprintf("job %s is still running on the appliance; follow it with: backupapi xclarity jobs wait %s (or stop it: backupapi xclarity jobs cancel %s)", id, id, id)
}
