package backupapi

import (
	"context"
	"fmt"
	"time"
)

// JobType selects GetUserStatus's live jobs.
type JobType string

// Job types.
const (
	JobTypeBackup  JobType = "backup"
	JobTypeRestore JobType = "restore"
)

// JobProgress is one running backup (BkpStatus) or restore (RestoreStatus)
// job. Counts and percentages, which the server sends as strings, are
// numbers here; sizes, rates and times stay as the server words them.
type JobProgress struct {
	ID                   string `json:"ID"`
	LoginName            string `json:"LoginName"`
	Owner                string `json:"Owner"`
	UserID               string `json:"UserID"`
	Alias                string `json:"Alias"`
	UserType             string `json:"UserType"`
	ClientType           string `json:"ClientType"`
	Type                 string `json:"Type"` // backup set type: FILE, ...
	BackupSet            string `json:"BackupSet"`
	BackupSetID          string `json:"BackupSetID"`
	DestinationID        string `json:"DestinationID"`
	DestinationName      string `json:"DestinationName"`
	DestinationType      string `json:"DestinationType"`
	OverallPercent       Int64  `json:"OverallPercent"`
	BackupStatus         string `json:"BackupStatus"` // info, warn or error
	LastMessage          string `json:"LastMessage"`
	LastUpdateTime       string `json:"LastUpdateTime"` // "06/18/2024 16:46:03"
	EstimatedTimeLeft    string `json:"EstimatedTimeLeft"`
	ElapsedTime          string `json:"ElapsedTime"`
	SizeLeft             string `json:"SizeLeft"`
	UploadedSize         string `json:"UploadedSize"`
	TransferRate         string `json:"TransferRate"`
	CurrentFile          string `json:"CurrentFile"`
	CurrentFilePercent   Int64  `json:"CurrentFilePercent"`
	CurrentFileType      string `json:"CurrentFileType"`
	CurrentFileOperation string `json:"CurrentFileOperation"`
	UploadedNumOfFiles   Int64  `json:"UploadedNumOfFiles"` // downloaded, for restores
	UploadedNumOfDirs    Int64  `json:"UploadedNumOfDirs"`
	UploadedNumOfLinks   Int64  `json:"UploadedNumOfLinks"`
	DeltaFile            string `json:"DeltaFile"`
	DeltaFilePercent     Int64  `json:"DeltaFilePercent"`
	DeltaType            string `json:"DeltaType"`
	BackupJobID          string `json:"BackupJobID"`  // YYYY-MM-DD-hh-mm-ss, backups
	RestoreJobID         string `json:"RestoreJobID"` // restores
	ExecuteJob           string `json:"ExecuteJob"`
}

// JobID returns BackupJobID or RestoreJobID, whichever is set.
func (p *JobProgress) JobID() string {
	if p.BackupJobID != "" {
		return p.BackupJobID
	}
	return p.RestoreJobID
}

// GetUserStatusRequest selects GetUserStatus's live jobs. The reference's
// table names only Type, while both of its examples send LoginName (and no
// Type): both are sent, LoginName only when set.
type GetUserStatusRequest struct {
	Type      JobType `json:"Type"`                // JobTypeBackup or JobTypeRestore
	LoginName string  `json:"LoginName,omitempty"` // one user's jobs; "" for every user's
}

// GetUserStatus returns the backup or restore jobs running now.
func (c *AhsayClient) GetUserStatus(ctx context.Context, req *GetUserStatusRequest) ([]JobProgress, error) {
	if req == nil {
		return nil, nilRequest(SourceAhsay, "GetUserStatus")
	}
	var out struct {
		envelope
		BkpStatus     []JobProgress `json:"BkpStatus"`
		RestoreStatus []JobProgress `json:"RestoreStatus"`
	}
	if err := c.call(ctx, "GetUserStatus", "/cbs/api/json/GetUserStatus.do", true, req, &out); err != nil {
		return nil, err
	}
	return append(out.BkpStatus, out.RestoreStatus...), nil
}

// RunJob is a Run-on-Server (agentless) job of a backup set.
type RunJob struct {
	BackupSetID     string `json:"BackupSetID"`
	ExecuteJob      string `json:"ExecuteJob"` // the job running now, "" when none
	IsEnableStopBtn Bool   `json:"IsEnableStopBtn"`
}

// GetServerRunJobStatus returns the user's Run-on-Server jobs. The
// reference names the parameter User while its example sends LoginName:
// both are sent.
func (c *AhsayClient) GetServerRunJobStatus(ctx context.Context, loginName string) ([]RunJob, error) {
	req := struct {
		User      string `json:"User"`
		LoginName string `json:"LoginName"`
	}{loginName, loginName}
	var out struct {
		envelope
		RunJob []RunJob `json:"RunJob"`
	}
	if err := c.call(ctx, "GetServerRunJobStatus", "/cbs/api/json/GetServerRunJobStatus.do", true, req, &out); err != nil {
		return nil, err
	}
	return out.RunJob, nil
}

// WaitForRebuildRequest names the rebuild WaitForRebuild follows: the
// user's rebuild of one backup set, started by RunSingleUserRebuild.
type WaitForRebuildRequest struct {
	UserRef
	// BackupSetID is required: the status of another backup set's rebuild
	// is not taken for this one.
	BackupSetID string
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
// or after req.StartedAfter. A rebuild that ends in failure is an *Error
// holding its status text.
func (c *AhsayClient) WaitForRebuild(ctx context.Context, req *WaitForRebuildRequest, opts WaitOptions) (*RebuildStatus, error) {
	const op = "WaitForRebuild"
	if req == nil {
		return nil, nilRequest(SourceAhsay, op)
	}
	if req.BackupSetID == "" {
		return nil, &Error{Source: SourceAhsay, Op: op, Message: "no BackupSetID given", kinds: []error{ErrInvalidRequest}}
	}
	since := req.StartedAfter
	if since.IsZero() {
		since = time.Now().Add(-RebuildClockSkew)
	}
	var last *RebuildStatus
	seenRunning := false
	err := poll(ctx, opts, func(ctx context.Context, polls int) (bool, error) {
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
			opts.OnProgress(Progress{Status: st.Status, Percent: -1, Polls: polls, Rebuild: st})
		}
		last = st
		if st.failed() {
			return false, &Error{Source: SourceAhsay, Op: op, Message: fmt.Sprintf("rebuild of backup set %q ended: %s", st.BackupSetID, st.Status)}
		}
		return st.Finished(), nil
	})
	if err != nil {
		return last, err
	}
	return last, nil
}
