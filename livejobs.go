package backupapi

import (
	"context"
	"fmt"
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

// GetUserStatus returns the backup or restore jobs running now.
func (c *AhsayClient) GetUserStatus(ctx context.Context, typ JobType) ([]JobProgress, error) {
	req := struct {
		Type JobType `json:"Type"`
	}{typ}
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

// WaitForRebuild polls GetSingleUserRebuildStatus until the rebuild has
// finished, riding out transient errors, and returns its last status. A
// rebuild that ends in failure is an *Error holding its status text.
func (c *AhsayClient) WaitForRebuild(ctx context.Context, ref UserRef, opts WaitOptions) (*RebuildStatus, error) {
	var last *RebuildStatus
	err := poll(ctx, opts, func(ctx context.Context, polls int) (bool, error) {
		st, err := c.GetSingleUserRebuildStatus(ctx, ref)
		if err != nil {
			return false, err
		}
		if opts.OnProgress != nil && (last == nil || last.Status != st.Status) {
			opts.OnProgress(Progress{Status: st.Status, Percent: -1, Polls: polls, Rebuild: st})
		}
		last = st
		if st.failed() {
			return false, &Error{Source: SourceAhsay, Op: "WaitForRebuild", Message: fmt.Sprintf("rebuild of backup set %q ended: %s", st.BackupSetID, st.Status)}
		}
		return st.Finished(), nil
	})
	if err != nil {
		return last, err
	}
	return last, nil
}
