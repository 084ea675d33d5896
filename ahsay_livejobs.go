package backupapi

import "context"

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
	ID                   string    `json:"ID"`
	LoginName            string    `json:"LoginName"`
	Owner                string    `json:"Owner"`
	UserID               string    `json:"UserID"`
	Alias                string    `json:"Alias"`
	UserType             string    `json:"UserType"`
	ClientType           string    `json:"ClientType"`
	Type                 string    `json:"Type"` // backup set type: FILE, ...
	BackupSet            string    `json:"BackupSet"`
	BackupSetID          string    `json:"BackupSetID"`
	DestinationID        string    `json:"DestinationID"`
	DestinationName      string    `json:"DestinationName"`
	DestinationType      string    `json:"DestinationType"`
	OverallPercent       Int64     `json:"OverallPercent"`
	BackupStatus         string    `json:"BackupStatus"` // info, warn or error
	LastMessage          string    `json:"LastMessage"`
	LastUpdateTime       Timestamp `json:"LastUpdateTime"` // sent as MM/dd/yyyy HH:mm:ss, server time
	EstimatedTimeLeft    string    `json:"EstimatedTimeLeft"`
	ElapsedTime          string    `json:"ElapsedTime"`
	SizeLeft             string    `json:"SizeLeft"`
	UploadedSize         string    `json:"UploadedSize"`
	TransferRate         string    `json:"TransferRate"`
	CurrentFile          string    `json:"CurrentFile"`
	CurrentFilePercent   Int64     `json:"CurrentFilePercent"`
	CurrentFileType      string    `json:"CurrentFileType"`
	CurrentFileOperation string    `json:"CurrentFileOperation"`
	UploadedNumOfFiles   Int64     `json:"UploadedNumOfFiles"` // downloaded, for restores
	UploadedNumOfDirs    Int64     `json:"UploadedNumOfDirs"`
	UploadedNumOfLinks   Int64     `json:"UploadedNumOfLinks"`
	DeltaFile            string    `json:"DeltaFile"`
	DeltaFilePercent     Int64     `json:"DeltaFilePercent"`
	DeltaType            string    `json:"DeltaType"`
	BackupJobID          string    `json:"BackupJobID"`  // YYYY-MM-DD-hh-mm-ss, backups
	RestoreJobID         string    `json:"RestoreJobID"` // restores
	ExecuteJob           string    `json:"ExecuteJob"`
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
//
// Wire: POST /cbs/api/json/GetUserStatus.do
//
// Answer: {"Status":"OK","BkpStatus":[...]} or {"Status":"OK","RestoreStatus":[...]}; without either, no jobs
func (c *AhsayClient) GetUserStatus(ctx context.Context, req *GetUserStatusRequest) ([]JobProgress, error) {
	return ahsayGetUserStatus.call(ctx, c, req)
}

// RunJob is a Run-on-Server (agentless) job of a backup set.
type RunJob struct {
	BackupSetID     string `json:"BackupSetID"`
	ExecuteJob      string `json:"ExecuteJob"` // the job running now, "" when none
	IsEnableStopBtn Bool   `json:"IsEnableStopBtn"`
}

// GetServerRunJobStatus returns the user's Run-on-Server jobs. The
// reference names the parameter User while its example sends LoginName:
// both are sent, with Owner when set.
//
// Wire: POST /cbs/api/json/GetServerRunJobStatus.do
//
// Answer: {"Status":"OK","RunJob":[...]}; without RunJob, no jobs
func (c *AhsayClient) GetServerRunJobStatus(ctx context.Context, ref UserRef) ([]RunJob, error) {
	return ahsayGetServerRunJobStatus.call(ctx, c, ref)
}

// runJobStatusWire is GetServerRunJobStatus's body.
func runJobStatusWire(ref UserRef) any {
	return struct {
		User      string `json:"User"`
		LoginName string `json:"LoginName"`
		Owner     string `json:"Owner,omitempty"`
	}{ref.LoginName, ref.LoginName, ref.Owner}
}
