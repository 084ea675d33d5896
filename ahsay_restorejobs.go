package backupapi

import (
	"context"
	"encoding/json"
	"time"
)

// BackupSetRestoreJobs is the restore jobs of one backup set.
type BackupSetRestoreJobs struct {
	BackupSetID string   `json:"BackupSetID"`
	Removed     Bool     `json:"Removed"`
	RestoreJobs []string `json:"RestoreJob"` // job IDs, yyyy-MM-dd-HH-mm-ss
}

// ListRestoreJobs returns the IDs of every restore job of each of the
// user's backup sets. (Data is documented as an object and shown as an
// array: both decode.)
//
// Wire: POST /obs/api/json/ListRestoreJobs.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListRestoreJobs(ctx context.Context, ref UserRef) ([]BackupSetRestoreJobs, error) {
	return ahsayListRestoreJobs.call(ctx, c, ref)
}

// ListRestoreJobStatusRequest selects one user's restore jobs of one date.
type ListRestoreJobStatusRequest struct {
	UserRef
	Date time.Time // sent as RestoreDate yyyy-MM-dd
}

func (r *ListRestoreJobStatusRequest) validate() error { return needDate(r.Date) }

func (r *ListRestoreJobStatusRequest) wire() any {
	return struct {
		UserRef
		RestoreDate string `json:"RestoreDate"`
	}{r.UserRef, r.Date.Format(dateLayout)}
}

// RestoreJobRecord is one restore job as ListRestoreJobStatus reports it.
// Keys the reference does not name are in Extra.
type RestoreJobRecord struct {
	ID                    string                     `json:"ID"`
	LoginName             string                     `json:"LoginName"`
	Owner                 string                     `json:"Owner"`
	UserID                string                     `json:"UserID"`
	StartTime             Timestamp                  `json:"StartTime"`
	EndTime               Timestamp                  `json:"EndTime"`
	Status                RestoreJobStatus           `json:"RestoreJobStatus"`
	BackupSetID           string                     `json:"BackupSetID"`
	BackupSetName         string                     `json:"BackupSetName"` // typed Boolean in the reference: a name
	RestoreSize           Bytes                      `json:"RestoreSize"`
	RunVersion            string                     `json:"RunVersion"`
	SuccessDatabase       string                     `json:"SuccessDatabase"`
	MissedDatabase        string                     `json:"MissedDatabase"`
	SuccessVirtualMachine string                     `json:"SuccessVirtualMachine"`
	MissedVirtualMachine  string                     `json:"MissedVirtualMachine"`
	SuccessPublicFolder   string                     `json:"SuccessPublicFolder"`
	Extra                 map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (r *RestoreJobRecord) UnmarshalJSON(data []byte) error {
	type plain RestoreJobRecord
	return decodeKeepingExtra(data, (*plain)(r), &r.Extra)
}

// ListRestoreJobStatus returns the status of every restore job of one user
// on one date. A date without restores is an empty list (nil), whether
// the server answers an empty Data or "No Restore Job on that day".
//
// Wire: POST /obs/api/json/ListRestoreJobStatus.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListRestoreJobStatus(ctx context.Context, req *ListRestoreJobStatusRequest) ([]RestoreJobRecord, error) {
	return ahsayListRestoreJobStatus.call(ctx, c, req)
}
