package backupapi

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RebuildRequest starts the rebuild of a user's v6 legacy backup set.
type RebuildRequest struct {
	UserRef
	BackupSetID string `json:"BackupSetID" backupapi:"required"`
	CheckCrc    *bool  `json:"CheckCrc,omitempty"`
}

// RebuildState is the state of a rebuild, as the server words it. The
// reference shows the states below; any other is kept as sent, and one
// that speaks of failing, an error, cancelling or stopping ends the rebuild
// in failure.
type RebuildState string

// Rebuild states the reference shows.
const (
	RebuildNotStarted RebuildState = "Not yet started"
	RebuildRunning    RebuildState = "Running"
	RebuildFinished   RebuildState = "Finished"
)

// Failed reports whether the state ends a rebuild in failure.
func (s RebuildState) Failed() bool {
	l := strings.ToLower(string(s))
	return strings.Contains(l, "fail") || strings.Contains(l, "error") || strings.Contains(l, "cancel") || strings.Contains(l, "stop")
}

// RebuildStatus is the state of a user's most recent backup-set rebuild.
type RebuildStatus struct {
	LoginName   string       `json:"LoginName"`
	BackupSetID string       `json:"BackupSetID"`
	Status      RebuildState `json:"Status"`
	StartTime   Timestamp    `json:"StartTime"` // sent as milliseconds; -1 before it starts
	EndTime     Timestamp    `json:"EndTime"`
}

// Finished reports whether the rebuild has ended successfully.
func (s *RebuildStatus) Finished() bool {
	return strings.EqualFold(string(s.Status), string(RebuildFinished))
}

// failed reports whether the rebuild has ended in failure.
func (s *RebuildStatus) failed() bool { return s.Status.Failed() }

// RunSingleUserRebuild starts rebuilding a v6 legacy backup set; follow it
// with WaitForRebuild. The server's "OK" answer carrying an ExptType (a
// backup set that does not exist) is an error matching ErrNotFound.
//
// Wire: POST /obs/api/json/RunSingleUserRebuild.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) RunSingleUserRebuild(ctx context.Context, req *RebuildRequest) error {
	return ahsayRunSingleUserRebuild.do(ctx, c, req)
}

// GetSingleUserRebuildStatus returns the state of the user's most recent
// rebuild, whichever backup set it was of.
//
// Wire: POST /obs/api/json/GetSingleUserRebuildStatus.do
//
// Answer: {"Status":"OK","Data":{...}}; without Data, ErrUnexpectedResponse
func (c *AhsayClient) GetSingleUserRebuildStatus(ctx context.Context, ref UserRef) (*RebuildStatus, error) {
	return ahsayGetSingleUserRebuildStatus.call(ctx, c, ref)
}

// WaitForRebuildRequest names the rebuild WaitForRebuild follows: the
// user's rebuild of one backup set, started by RunSingleUserRebuild.
type WaitForRebuildRequest struct {
	UserRef
	// BackupSetID is required: the status of another backup set's rebuild
	// is not taken for this one.
	BackupSetID string `backupapi:"required"`
	// StartedAfter tells this rebuild from an earlier one of the same
	// backup set: a finished status whose StartTime is before it is the
	// earlier rebuild's. Zero means the moment WaitForRebuild is called,
	// less RebuildClockSkew. Pass the time you called RunSingleUserRebuild
	// (in the server's clock, if you know it) to be exact.
	StartedAfter time.Time
}

// RebuildClockSkew is how far the server's clock may run behind the
// client's before WaitForRebuild would miss a new rebuild's end (see
// WaitForRebuildRequest.StartedAfter).
const RebuildClockSkew = time.Minute

// WaitForRebuild polls GetSingleUserRebuildStatus until the rebuild that
// req names has finished, riding out transient errors, and returns its
// last status. The status endpoint reports the user's most recent rebuild,
// which may be an earlier one: a status counts only when it is for
// req.BackupSetID and, once ended, either was seen running or started at
// or after req.StartedAfter (read on opts.Clock when zero). A rebuild that
// ends in failure returns its status and an *Error matching ErrJobFailed
// whose Rebuild field holds it too. See WaitOptions
// for the contract every waiter keeps.
//
// Wire: POST /obs/api/json/GetSingleUserRebuildStatus.do, repeatedly
//
// Answer: {"Status":"OK","Data":{...}}; without Data, ErrUnexpectedResponse
func (c *AhsayClient) WaitForRebuild(ctx context.Context, req *WaitForRebuildRequest, opts WaitOptions) (_ *RebuildStatus, err error) {
	const op = "WaitForRebuild"
	if err := checkRequest(SourceAhsay, op, req); err != nil {
		return nil, err
	}
	since := req.StartedAfter
	if since.IsZero() {
		since = opts.clock().Now().Add(-RebuildClockSkew)
	}
	ctx, span := c.core.startOp(ctx, op)
	defer func() { span.end(err) }()
	var last *RebuildStatus
	seenRunning := false
	err = poll(ctx, opts, func(ctx context.Context, polls int) (bool, error) {
		st, err := c.GetSingleUserRebuildStatus(ctx, req.UserRef)
		if err != nil {
			return false, err
		}
		if st.BackupSetID != "" && st.BackupSetID != req.BackupSetID {
			return false, nil // another backup set's rebuild: ours has not begun
		}
		ended := st.Finished() || st.failed()
		if ended && !seenRunning && !st.StartTime.IsZero() && st.StartTime.Before(since) {
			return false, nil // an earlier rebuild's end
		}
		seenRunning = seenRunning || !ended
		if opts.OnProgress != nil && (last == nil || last.Status != st.Status) {
			opts.OnProgress(Progress{Status: string(st.Status), Percent: -1, Polls: polls, Rebuild: st})
		}
		last = st
		if st.failed() {
			e := jobFailed(SourceAhsay, op, fmt.Sprintf("rebuild of backup set %q ended: %s", st.BackupSetID, st.Status))
			e.Rebuild = st
			return false, e
		}
		return st.Finished(), nil
	})
	return last, err
}
