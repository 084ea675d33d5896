package main

import (
	"context"
	"time"

	"github.com/backupapi/backupapi"
)

// anyRebuild is a StartedAfter earlier than every rebuild: the most recent
// rebuild of the set counts, whenever it started. (A zero StartedAfter
// would mean "from now on" to WaitForRebuild.)
var anyRebuild = time.Unix(0, 0).UTC()

// parseStartedAfter reads --started-after: an RFC 3339 time, or how long
// ago ("2h"). Empty is any rebuild: "rebuild wait" then reports a rebuild
// that already ended at once, instead of waiting for one that may never
// come.
func parseStartedAfter(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return anyRebuild, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--started-after %q: want an RFC 3339 time (2026-11-23T01:00:00Z) or how long ago (2h)", s)
}

// waitRebuild follows the rebuild req names to its end and returns what
// it did. A rebuild that ends in failure is an error matching
// backupapi.ErrJobFailed: exit 1, as a failed job.
func (a *app) waitRebuild(ctx context.Context, c *backupapi.AhsayClient, req *backupapi.WaitForRebuildRequest) (result, error) {
	follow := "backupapi ahsay rebuild wait " + req.LoginName + " --set " + req.BackupSetID
	if req.Owner != "" {
		follow += " --owner " + req.Owner
	}
	var st *backupapi.RebuildStatus
	err := a.waitFor(ctx, "rebuild", "the rebuild goes on on the server; follow it with: "+follow,
		func(ctx context.Context, opts backupapi.WaitOptions) (final string, err error) {
			st, err = c.WaitForRebuild(ctx, req, opts)
			if st != nil {
				final = string(st.Status)
			}
			if err == nil && st != nil && st.Status.Failed() {
				err = backupapi.ErrJobFailed
			}
			return final, err
		})
	if st != nil && st.Status.Failed() {
		return nil, jobFailedf("the rebuild of backup set %s ended %s", st.BackupSetID, st.Status)
	}
	if err != nil {
		return nil, err
	}
	return &action{Action: "rebuild backup set", Target: req.BackupSetID, Status: string(st.Status)}, nil
}
