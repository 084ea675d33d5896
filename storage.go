package backupapi

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
)

// StorageStatRequest selects GetUserStorageStat's month and backup sets.
type StorageStatRequest struct {
	UserRef
	YearMonth   string `json:"YearMonth,omitempty"`   // "2024-06"
	BackupSetID string `json:"BackupSetID,omitempty"` // "all" or one backup set's ID
}

// StorageStat is GetUserStorageStat's answer: one AverageStat per month. The
// reference documents Data as an array and returns an object; both decode.
type StorageStat struct {
	Months []AverageStat
}

// AverageStat is a month's average storage statistics. *Size fields are
// human sizes ("5.25 M"); *RawSize and *No fields are numbers, which the
// server sends as strings.
type AverageStat struct {
	YearMonth                      string       `json:"YearMonth"`
	AvgDataSize                    string       `json:"AvgDataSize"`
	AvgDataRawSize                 Int64        `json:"AvgDataRawSize"`
	AvgDataUncompressed            string       `json:"AvgDataUncompressed"`
	AvgDataNo                      Int64        `json:"AvgDataNo"`
	AvgRetainSize                  string       `json:"AvgRetainSize"`
	AvgRetainRawSize               Int64        `json:"AvgRetainRawSize"`
	AvgRetainUncompressed          string       `json:"AvgRetainUncompressed"`
	AvgRetainRawUncompressed       Int64        `json:"AvgRetainRawUncompressed"`
	AvgRetainNo                    Int64        `json:"AvgRetainNo"`
	AvgUploadSize                  string       `json:"AvgUploadSize"`
	AvgUploadRawSize               Int64        `json:"AvgUploadRawSize"`
	AvgUploadUncompressed          string       `json:"AvgUploadUncompressed"`
	AvgUploadRawUncompressed       Int64        `json:"AvgUploadRawUncompressed"`
	AvgUploadNo                    Int64        `json:"AvgUploadNo"`
	AvgTotalStorageSize            string       `json:"AvgTotalStorageSize"`
	AvgTotalStorageRawSize         Int64        `json:"AvgTotalStorageRawSize"`
	AvgTotalStorageUncompressed    string       `json:"AvgTotalStorageUncompressed"`
	AvgTotalStorageRawUncompressed Int64        `json:"AvgTotalStorageRawUncompressed"`
	AvgTotalStorageNo              Int64        `json:"AvgTotalStorageNo"`
	Storage                        []DetailStat `json:"Storage"`
}

// DetailStat is one day's storage statistics of one destination.
type DetailStat struct {
	Date                        string `json:"Date"` // yyyy-MM-dd
	DestinationID               string `json:"DestinationID"`
	DataSize                    string `json:"DataSize"`
	DataRawSize                 Int64  `json:"DataRawSize"`
	DataUncompressed            string `json:"DataUncompressed"`
	DataRawUncompressed         Int64  `json:"DataRawUncompressed"`
	DataNo                      Int64  `json:"DataNo"`
	RetainSize                  string `json:"RetainSize"`
	RetainRawSize               Int64  `json:"RetainRawSize"`
	RetainUncompressed          string `json:"RetainUncompressed"`
	RetainRawUncompressed       Int64  `json:"RetainRawUncompressed"`
	RetainNo                    Int64  `json:"RetainNo"`
	UploadSize                  string `json:"UploadSize"`
	UploadRawSize               Int64  `json:"UploadRawSize"`
	UploadUncompressed          string `json:"UploadUncompressed"`
	UploadRawUncompressed       Int64  `json:"UploadRawUncompressed"`
	UploadNo                    Int64  `json:"UploadNo"`
	TotalStorageSize            string `json:"TotalStorageSize"`
	TotalStorageRawSize         Int64  `json:"TotalStorageRawSize"`
	TotalStorageUncompressed    string `json:"TotalStorageUncompressed"`
	TotalStorageRawUncompressed Int64  `json:"TotalStorageRawUncompressed"`
	TotalStorageNo              Int64  `json:"TotalStorageNo"`
	TotalBackupSize             string `json:"TotalBackupSize"`
	TotalBackupFileNo           Int64  `json:"TotalBackupFileNo"`
	TotalRestoreSize            Int64  `json:"TotalRestoreSize"`
	TotalRestoreFileNo          Int64  `json:"TotalRestoreFileNo"`
}

// oneOrMany decodes a JSON object as one element, or an array as many.
type oneOrMany[T any] []T

func (m *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*m = nil
		return nil
	case b[0] == '[':
		var many []T
		err := json.Unmarshal(b, &many)
		*m = many
		return err
	default:
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*m = []T{one}
		return nil
	}
}

// GetUserStorageStat returns a user's storage statistics for a month.
// A month without statistics fails with ErrNotFound ("No storage log found").
func (c *AhsayClient) GetUserStorageStat(ctx context.Context, req StorageStatRequest) (*StorageStat, error) {
	var out struct {
		envelope
		Data oneOrMany[AverageStat] `json:"Data"`
	}
	if err := c.call(ctx, "GetUserStorageStat", "/obs/api/json/GetUserStorageStat.do", true, req, &out); err != nil {
		return nil, err
	}
	return &StorageStat{Months: out.Data}, nil
}

// RebuildRequest starts the rebuild of a user's v6 legacy backup set.
type RebuildRequest struct {
	UserRef
	BackupSetID string `json:"BackupSetID"`
	CheckCrc    *bool  `json:"CheckCrc,omitempty"`
}

// RebuildStatus is the state of a user's most recent backup-set rebuild.
type RebuildStatus struct {
	LoginName   string    `json:"LoginName"`
	BackupSetID string    `json:"BackupSetID"`
	Status      string    `json:"Status"` // "Not yet started", ..., "Finished"
	StartTime   Timestamp `json:"StartTime"`
	EndTime     Timestamp `json:"EndTime"`
}

// Finished reports whether the rebuild has ended successfully.
func (s *RebuildStatus) Finished() bool { return strings.EqualFold(s.Status, "Finished") }

// failed reports whether the rebuild has ended in failure.
func (s *RebuildStatus) failed() bool {
	l := strings.ToLower(s.Status)
	return strings.Contains(l, "fail") || strings.Contains(l, "error") || strings.Contains(l, "cancel") || strings.Contains(l, "stop")
}

// RunSingleUserRebuild starts rebuilding a v6 legacy backup set. The
// server's "OK" answer carrying an ExptType (a backup set that does not
// exist) is an error matching ErrNotFound.
func (c *AhsayClient) RunSingleUserRebuild(ctx context.Context, req RebuildRequest) error {
	var out envelope
	return c.call(ctx, "RunSingleUserRebuild", "/obs/api/json/RunSingleUserRebuild.do", false, req, &out)
}

// GetSingleUserRebuildStatus returns the state of the user's most recent
// rebuild.
func (c *AhsayClient) GetSingleUserRebuildStatus(ctx context.Context, ref UserRef) (*RebuildStatus, error) {
	var out struct {
		envelope
		Data *RebuildStatus `json:"Data"`
	}
	if err := c.call(ctx, "GetSingleUserRebuildStatus", "/obs/api/json/GetSingleUserRebuildStatus.do", true, ref, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, noData("GetSingleUserRebuildStatus")
	}
	return out.Data, nil
}
