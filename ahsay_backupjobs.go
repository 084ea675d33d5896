package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// dateLayout is how AhsayCBS requests write a date: yyyy-MM-dd.
const dateLayout = "2006-01-02"

// ListBackupJobsRequest names the user whose backup jobs to list.
type ListBackupJobsRequest struct {
	UserRef
	SkipEmpty bool `json:"SkipEmpty,omitempty"` // skip backup sets with no files
}

// BackupSetJobs is the backup jobs of one backup set.
type BackupSetJobs struct {
	BackupSetID string   `json:"BackupSetID"`
	Removed     Bool     `json:"Removed"`
	BackupJobs  []string `json:"BackupJob"` // job IDs, yyyy-MM-dd-HH-mm-ss
}

// ListBackupJobs returns the IDs of every backup job of each of the user's
// backup sets.
//
// Wire: POST /obs/api/json/ListBackupJobs.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListBackupJobs(ctx context.Context, req *ListBackupJobsRequest) ([]BackupSetJobs, error) {
	return ahsayListBackupJobs.call(ctx, c, req)
}

// ListBackupJobStatusRequest selects one user's backup jobs of one date.
type ListBackupJobStatusRequest struct {
	UserRef
	Date time.Time // the day, sent as BackupDate yyyy-MM-dd (in the time's own zone)
}

func (r *ListBackupJobStatusRequest) validate() error { return needDate(r.Date) }

func (r *ListBackupJobStatusRequest) wire() any {
	return struct {
		UserRef
		BackupDate string `json:"BackupDate"`
	}{r.UserRef, r.Date.Format(dateLayout)}
}

func needDate(t time.Time) error {
	if t.IsZero() {
		return errors.New("no date given")
	}
	return nil
}

// BackupJobRecord is one backup job as ListBackupJobStatus reports it.
// Every value comes as a string; times are read in the formats Timestamp
// knows (the reference says yyyy-MM-dd, clients see yyyy-MM-dd HH:mm:ss).
// Keys the reference does not name (a destination ID, likely) are in Extra.
type BackupJobRecord struct {
	ID                    string                     `json:"ID"`
	LoginName             string                     `json:"LoginName"`
	Owner                 string                     `json:"Owner"`
	UserID                string                     `json:"UserId"` // UserID too
	StartTime             Timestamp                  `json:"StartTime"`
	EndTime               Timestamp                  `json:"EndTime"`
	Status                BackupJobStatus            `json:"BackupJobStatus"`
	BackupSetID           string                     `json:"BackupSetID"`
	BackupSetName         string                     `json:"BackupSetName"`
	UploadSize            Bytes                      `json:"UploadSize"`
	RunVersion            string                     `json:"RunVersion"`
	SuccessDatabase       string                     `json:"SuccessDatabase"`
	MissedDatabase        string                     `json:"MissedDatabase"`
	SuccessVirtualMachine string                     `json:"SuccessVirtualMachine"`
	MissedVirtualMachine  string                     `json:"MissedVirtualMachine"`
	SuccessPublicFolder   string                     `json:"SuccessPublicFolder"`
	MissedPublicFolder    string                     `json:"MissedPublicFolder"`
	Extra                 map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (r *BackupJobRecord) UnmarshalJSON(data []byte) error {
	type plain BackupJobRecord
	return decodeKeepingExtra(data, (*plain)(r), &r.Extra)
}

// ListBackupJobStatus returns the status of every backup job of one user
// on one date. For a whole server, see AllBackupJobs. A date without jobs
// is an empty list (nil), not an error: AhsayCBS answers it with
// "[Error] No Backup Job on that day", which the SDK reads as such.
//
// Wire: POST /obs/api/json/ListBackupJobStatus.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListBackupJobStatus(ctx context.Context, req *ListBackupJobStatusRequest) ([]BackupJobRecord, error) {
	return ahsayListBackupJobStatus.call(ctx, c, req)
}

// ListBackupJobModeRequest selects one user's backup jobs of one date.
type ListBackupJobModeRequest struct {
	UserRef
	BackupSetID string    // optional: one backup set
	Date        time.Time // sent as BackupDate yyyy-MM-dd, as the table says (the example sends a job ID)
}

func (r *ListBackupJobModeRequest) validate() error { return needDate(r.Date) }

func (r *ListBackupJobModeRequest) wire() any {
	return struct {
		UserRef
		BackupSetID string `json:"BackupSetID,omitempty"`
		BackupDate  string `json:"BackupDate"`
	}{r.UserRef, r.BackupSetID, r.Date.Format(dateLayout)}
}

// BackupJobMode says how a backup job was started.
type BackupJobMode string

// Backup job modes; "" means no backup.
const (
	BackupJobRemote    BackupJobMode = "R"
	BackupJobManual    BackupJobMode = "M"
	BackupJobScheduled BackupJobMode = "S"
)

// BackupJobModeRecord is one backup job as ListBackupJobMode reports it.
type BackupJobModeRecord struct {
	ID            string                     `json:"ID"`
	LoginName     string                     `json:"LoginName"`
	Owner         string                     `json:"Owner"`
	UserID        string                     `json:"UserId"`
	StartTime     Timestamp                  `json:"StartTime"` // sent as yyyy-MM-dd HH:mm:ss
	EndTime       Timestamp                  `json:"EndTime"`
	BackupSetID   string                     `json:"BackupSetID"`
	BackupSetName string                     `json:"BackupSetName"`
	Mode          BackupJobMode              `json:"BackupJobMode"`
	Extra         map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (r *BackupJobModeRecord) UnmarshalJSON(data []byte) error {
	type plain BackupJobModeRecord
	return decodeKeepingExtra(data, (*plain)(r), &r.Extra)
}

// ListBackupJobMode returns how each of one user's backup jobs of one date
// was started. A date without jobs is an empty list (nil): a "No Backup
// Job on that day" answer, as ListBackupJobStatus gets, is read as such.
//
// Wire: POST /obs/api/json/ListBackupJobMode.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListBackupJobMode(ctx context.Context, req *ListBackupJobModeRequest) ([]BackupJobModeRecord, error) {
	return ahsayListBackupJobMode.call(ctx, c, req)
}

// BackupJobRef names one backup job of one destination.
type BackupJobRef struct {
	UserRef
	BackupSetID   string `json:"BackupSetID" backupapi:"required"`
	DestinationID string `json:"DestinationID"`
	BackupJobID   string `json:"BackupJobID" backupapi:"required"` // yyyy-MM-dd-HH-mm-ss
}

// BackupJobProgressRecord is a backup job's progress. The server sends
// every value as a string, counters and sizes included.
type BackupJobProgressRecord struct {
	ID               string                     `json:"ID"`
	LoginName        string                     `json:"LoginName"`
	Owner            string                     `json:"Owner"`
	UserID           string                     `json:"UserID"` // UserId too
	StartTime        Timestamp                  `json:"StartTime"`
	EndTime          Timestamp                  `json:"EndTime"`
	FileUploadTime   Timestamp                  `json:"FileUploadTime"`
	BackupSetID      string                     `json:"BackupSetID"`
	BackupSetName    string                     `json:"BackupSetName"`
	CurrentFileName  string                     `json:"CurrentFileName"`
	CurrentFileCount Int64                      `json:"CurrentFileCount"`
	TotalFileCount   Int64                      `json:"TotalFileCount"`
	UploadedFileSize Bytes                      `json:"UploadedFileSize"`
	TotalFileSize    Bytes                      `json:"TotalFileSize"`
	Extra            map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (r *BackupJobProgressRecord) UnmarshalJSON(data []byte) error {
	type plain BackupJobProgressRecord
	return decodeKeepingExtra(data, (*plain)(r), &r.Extra)
}

// GetBackupJobProgress returns one backup job's progress.
//
// Wire: POST /obs/api/json/GetBackupJobProgress.do
//
// Answer: {"Status":"OK","Data":{...}} (or an array: its first element); without Data, ErrUnexpectedResponse
func (c *AhsayClient) GetBackupJobProgress(ctx context.Context, req *BackupJobRef) (*BackupJobProgressRecord, error) {
	return ahsayGetBackupJobProgress.call(ctx, c, req)
}

// BackupJobReportRequest names the backup job to report on.
type BackupJobReportRequest struct {
	BackupJobRef
	Cdp bool `json:"Cdp,omitempty"` // a continuous-data-protection job
}

// BackupJobReport is a backup job's report. GetBackupJobReport fills every
// field; GetBackupJobReportSummary has no Unzip or ZipRatio values. Keys
// the reference does not show are in Extra.
type BackupJobReport struct {
	ID                          string                     `json:"ID"`
	StartTime                   Timestamp                  `json:"StartTime"` // sent as yyyy-MM-dd HH:mm:ss
	EndTime                     Timestamp                  `json:"EndTime"`
	Status                      BackupJobStatus            `json:"BackupJobStatus"`
	NumOfWarnEntries            Int64                      `json:"NumOfWarnEntries"`
	NumOfErrorEntries           Int64                      `json:"NumOfErrorEntries"`
	NumOfNewFiles               Int64                      `json:"NumOfNewFiles"`
	TotalNewFilesSize           Bytes                      `json:"TotalNewFilesSize"`
	TotalUnzipNewFilesSize      Bytes                      `json:"TotalUnzipNewFilesSize"`
	NewFilesZipRatio            Int64                      `json:"NewFilesZipRatio"`
	NumOfUpdatedFiles           Int64                      `json:"NumOfUpdatedFiles"`
	TotalUpdatedFilesSize       Bytes                      `json:"TotalUpdatedFilesSize"`
	TotalUnzipUpdatedFilesSize  Bytes                      `json:"TotalUnzipUpdatedFilesSize"`
	UpdatedFilesZipRatio        Int64                      `json:"UpdatedFilesZipRation"` // spelt so in the reference
	NumOfDeletedFiles           Int64                      `json:"NumOfDeletedFiles"`
	TotalDeletedFilesSize       Bytes                      `json:"TotalDeletedFilesSize"`
	NumOfMovedFiles             Int64                      `json:"NumOfMovedFiles"`
	TotalMovedFilesSize         Bytes                      `json:"TotalMovedFilesSize"`
	NumOfUpdatedPermissionFiles Int64                      `json:"NumOfUpdatedPermissionFiles"`
	Extra                       map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra
// (UpdatedFilesZipRatio is read under either spelling).
func (r *BackupJobReport) UnmarshalJSON(data []byte) error {
	type plain BackupJobReport
	if err := decodeKeepingExtra(data, (*plain)(r), &r.Extra); err != nil {
		return err
	}
	if raw, ok := r.Extra["UpdatedFilesZipRatio"]; ok && r.UpdatedFilesZipRatio.UnmarshalJSON(raw) == nil {
		delete(r.Extra, "UpdatedFilesZipRatio")
	}
	return nil
}

// GetBackupJobReport returns one backup job's detailed report.
// DestinationID may be empty only for jobs run by AhsayOBM v6 or older.
//
// Wire: POST /obs/api/json/GetBackupJobReport.do
//
// Answer: {"Status":"OK","Data":{...}} (or an array: its first element); without Data, ErrUnexpectedResponse
func (c *AhsayClient) GetBackupJobReport(ctx context.Context, req *BackupJobReportRequest) (*BackupJobReport, error) {
	return ahsayGetBackupJobReport.call(ctx, c, req)
}

// GetBackupJobReportSummary returns one backup job's summary report.
//
// Wire: POST /obs/api/json/GetBackupJobReportSummary.do
//
// Answer: {"Status":"OK","Data":{...}} (or an array: its first element); without Data, ErrUnexpectedResponse
func (c *AhsayClient) GetBackupJobReportSummary(ctx context.Context, req *BackupJobReportRequest) (*BackupJobReport, error) {
	return ahsayGetBackupJobReportSummary.call(ctx, c, req)
}

// RunBackupRequest starts a backup of one backup set (on every
// destination).
type RunBackupRequest struct {
	UserRef
	BackupSetID string `json:"BackupSetID" backupapi:"required"`
	// BackupType is empty for file and most other sets; DATABASE, LOG,
	// DIFFERENTIAL, INCREMENTAL, ... for the database and VM types the
	// reference lists.
	BackupType string `json:"BackupType,omitempty"`
}

// RunBackup starts a backup. It is not retried once sent: a lost answer is
// ErrOutcomeUnknown (check with ListBackupJobStatus).
//
// Wire: POST /obs/api/json/RunBackup.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) RunBackup(ctx context.Context, req *RunBackupRequest) error {
	return ahsayRunBackup.do(ctx, c, req)
}

// CancelPendingBackupRequest names a backup set whose pending
// server-initiated backup to cancel.
type CancelPendingBackupRequest struct {
	UserRef
	BackupSetID string `json:"BackupSetID" backupapi:"required"`
}

func (r *CancelPendingBackupRequest) wire() any {
	return struct {
		*CancelPendingBackupRequest
		CancelBackup bool `json:"CancelBackup"`
	}{r, true}
}

// CancelPendingBackup cancels a backup that waits in the server-initiated
// job list. It cannot stop a backup that is running.
//
// Wire: POST /obs/api/json/RunBackup.do {"CancelBackup":true}
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) CancelPendingBackup(ctx context.Context, req *CancelPendingBackupRequest) error {
	return ahsayCancelPendingBackup.do(ctx, c, req)
}
