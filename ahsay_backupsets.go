package backupapi

import (
	"context"
	"encoding/json"
	"fmt"
)

// ListBackupSetsRequest names the user whose backup sets to list.
type ListBackupSetsRequest struct {
	UserRef
	// ListAll asks for "all information for all backup sets", module
	// licence usage included.
	ListAll bool `json:"ListAll,omitempty"`
}

// BackupSet is one backup set as ListBackupSets lists it. The reference
// documents ID, Name and Type; what ListAll adds is kept in Extra.
type BackupSet struct {
	ID          string                     `json:"ID"`
	Name        string                     `json:"Name"`
	Type        string                     `json:"Type"` // "FILE", "Office 365 Exchange Online", ...
	ModuleUsage []ModuleUsageEntry         `json:"-"`    // with ListAll, when sent per backup set
	Extra       map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (b *BackupSet) UnmarshalJSON(data []byte) error {
	type plain BackupSet
	var w struct {
		plain
		ModuleUsage oneOrMany[ModuleUsageEntry] `json:"ModuleUsage"`
	}
	if err := decodeKeepingExtra(data, &w, &w.Extra); err != nil {
		return err
	}
	*b = BackupSet(w.plain)
	b.ModuleUsage = w.ModuleUsage
	return nil
}

// ModuleUsageEntry is the licence usage of one module, which ListBackupSets
// reports with ListAll. Where the server puts it (beside the backup sets or
// inside each) the reference does not show: both are read.
type ModuleUsageEntry struct {
	ModuleType  string `json:"ModuleType"`  // Office365Mail, MSExMailbox, MSHyperVVM or VMwareVM
	ModuleUsage Int64  `json:"ModuleUsage"` // licences this backup set uses
	HostCount   Int64  `json:"HostCount"`   // AhsayOBM / AhsayACB licences
}

// BackupSetList is ListBackupSets's answer.
type BackupSetList struct {
	Sets        []BackupSet
	ModuleUsage []ModuleUsageEntry // with ListAll, when sent beside the sets
}

// backupSetsAnswer: Data is the list; ModuleUsage may sit beside it.
type backupSetsAnswer struct {
	envelope
	Data        oneOrMany[BackupSet]        `json:"Data"`
	ModuleUsage oneOrMany[ModuleUsageEntry] `json:"ModuleUsage"`
}

func (*backupSetsAnswer) shape() answerShape {
	s := ahsayList("Data", "no sets")
	s.holds = `{"Status":"OK","Data":[...],"ModuleUsage":[...]}` + " (ModuleUsage with ListAll)"
	return s
}

func (a *backupSetsAnswer) value(string) (*BackupSetList, error) {
	return &BackupSetList{Sets: a.Data, ModuleUsage: a.ModuleUsage}, nil
}

// ListBackupSets lists a backup user's backup sets: name, type and ID.
//
// Wire: POST /obs/api/json/ListBackupSets.do
//
// Answer: {"Status":"OK","Data":[...],"ModuleUsage":[...]} (ModuleUsage with ListAll); without Data, no sets
func (c *AhsayClient) ListBackupSets(ctx context.Context, req *ListBackupSetsRequest) (*BackupSetList, error) {
	return ahsayListBackupSets.call(ctx, c, req)
}

// GetBackupSetRequest names one backup set.
type GetBackupSetRequest struct {
	UserRef
	BackupSetID string `json:"BackupSetID" backupapi:"required"`
	// GwsDocCopyDestID is for Google Workspace backup sets only.
	GwsDocCopyDestID string `json:"GwsDocCopyDestID,omitempty"`
}

// BackupSetDetail is a backup set's settings as GetBackupSet returns them.
// The reference shows only part of them: the fields below are typed, and
// every other setting is kept in Extra (its key as sent).
type BackupSetDetail struct {
	BackupSetID         string                     `json:"BackupSetID"`
	Name                string                     `json:"Name"`
	Class               string                     `json:"Class"`
	ReadOnly            Bool                       `json:"ReadOnly"`
	CompressType        string                     `json:"CompressType"`
	LogRetentionDays    Int64                      `json:"LogRetentionDays"`
	WorkingDir          string                     `json:"WorkingDir"`
	DestinationSettings *DestinationSettings       `json:"DestinationSettings"`
	Extra               map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (d *BackupSetDetail) UnmarshalJSON(data []byte) error {
	type plain BackupSetDetail
	return decodeKeepingExtra(data, (*plain)(d), &d.Extra)
}

// DestinationSettings lists a backup set's destinations.
type DestinationSettings struct {
	DestinationList []Destination `json:"DestinationList"`
}

// Destination is one destination of a backup set.
type Destination struct {
	ID                  string                     `json:"Id"` // spelt "Id" on the wire
	Name                string                     `json:"Name"`
	Class               string                     `json:"@class"`
	DestinationKey      string                     `json:"DestinationKey"`
	HostName            string                     `json:"HostName"`
	Port                Int64                      `json:"Port"`
	DataMigrationStatus string                     `json:"DataMigrationStatus"` // v6 sets: NotStarted, Running, Finished, Verified
	Password            Secret                     `json:"Password"`
	Extra               map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (d *Destination) UnmarshalJSON(data []byte) error {
	type plain Destination
	return decodeKeepingExtra(data, (*plain)(d), &d.Extra)
}

// backupSetAnswer: Data is documented as an array and shown as an object;
// the first element is taken. DeduplicationSettings sits beside it.
type backupSetAnswer struct {
	envelope
	Data                  oneOrMany[BackupSetDetail] `json:"Data"`
	DeduplicationSettings json.RawMessage            `json:"DeduplicationSettings"`
}

func (*backupSetAnswer) shape() answerShape {
	return ahsayObject("Data", ` (or an array: its first element), with "DeduplicationSettings" beside it`)
}

func (a *backupSetAnswer) value(op string) (*BackupSetDetail, error) {
	if len(a.Data) == 0 {
		return nil, noData(op)
	}
	d := a.Data[0]
	if len(a.DeduplicationSettings) > 0 {
		if d.Extra == nil {
			d.Extra = map[string]json.RawMessage{}
		}
		d.Extra["DeduplicationSettings"] = a.DeduplicationSettings
	}
	return &d, nil
}

// GetBackupSet returns one backup set's settings.
//
// Wire: POST /obs/api/json/2/GetBackupSet.do (v1: /obs/api/json/GetBackupSet.do)
//
// Answer: {"Status":"OK","Data":{...}} (or an array: its first element), with "DeduplicationSettings" beside it; without Data, ErrUnexpectedResponse
func (c *AhsayClient) GetBackupSet(ctx context.Context, req *GetBackupSetRequest) (*BackupSetDetail, error) {
	return ahsayGetBackupSet.call(ctx, c, req)
}

// String prints the destination with its password masked, whatever the verb.
func (d Destination) String() string {
	type plain Destination
	return fmt.Sprintf("%+v", plain(d))
}

// String prints the destinations with their passwords masked.
func (s DestinationSettings) String() string {
	type plain DestinationSettings
	return fmt.Sprintf("%+v", plain(s))
}
