package backupapi

import "context"

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
	AvgDataRawSize                 Bytes        `json:"AvgDataRawSize"`
	AvgDataUncompressed            string       `json:"AvgDataUncompressed"`
	AvgDataNo                      Int64        `json:"AvgDataNo"`
	AvgRetainSize                  string       `json:"AvgRetainSize"`
	AvgRetainRawSize               Bytes        `json:"AvgRetainRawSize"`
	AvgRetainUncompressed          string       `json:"AvgRetainUncompressed"`
	AvgRetainRawUncompressed       Bytes        `json:"AvgRetainRawUncompressed"`
	AvgRetainNo                    Int64        `json:"AvgRetainNo"`
	AvgUploadSize                  string       `json:"AvgUploadSize"`
	AvgUploadRawSize               Bytes        `json:"AvgUploadRawSize"`
	AvgUploadUncompressed          string       `json:"AvgUploadUncompressed"`
	AvgUploadRawUncompressed       Bytes        `json:"AvgUploadRawUncompressed"`
	AvgUploadNo                    Int64        `json:"AvgUploadNo"`
	AvgTotalStorageSize            string       `json:"AvgTotalStorageSize"`
	AvgTotalStorageRawSize         Bytes        `json:"AvgTotalStorageRawSize"`
	AvgTotalStorageUncompressed    string       `json:"AvgTotalStorageUncompressed"`
	AvgTotalStorageRawUncompressed Bytes        `json:"AvgTotalStorageRawUncompressed"`
	AvgTotalStorageNo              Int64        `json:"AvgTotalStorageNo"`
	Storage                        []DetailStat `json:"Storage"`
}

// DetailStat is one day's storage statistics of one destination.
type DetailStat struct {
	Date                        Timestamp `json:"Date"` // sent as yyyy-MM-dd
	DestinationID               string    `json:"DestinationID"`
	DataSize                    string    `json:"DataSize"`
	DataRawSize                 Bytes     `json:"DataRawSize"`
	DataUncompressed            string    `json:"DataUncompressed"`
	DataRawUncompressed         Bytes     `json:"DataRawUncompressed"`
	DataNo                      Int64     `json:"DataNo"`
	RetainSize                  string    `json:"RetainSize"`
	RetainRawSize               Bytes     `json:"RetainRawSize"`
	RetainUncompressed          string    `json:"RetainUncompressed"`
	RetainRawUncompressed       Bytes     `json:"RetainRawUncompressed"`
	RetainNo                    Int64     `json:"RetainNo"`
	UploadSize                  string    `json:"UploadSize"`
	UploadRawSize               Bytes     `json:"UploadRawSize"`
	UploadUncompressed          string    `json:"UploadUncompressed"`
	UploadRawUncompressed       Bytes     `json:"UploadRawUncompressed"`
	UploadNo                    Int64     `json:"UploadNo"`
	TotalStorageSize            string    `json:"TotalStorageSize"`
	TotalStorageRawSize         Bytes     `json:"TotalStorageRawSize"`
	TotalStorageUncompressed    string    `json:"TotalStorageUncompressed"`
	TotalStorageRawUncompressed Bytes     `json:"TotalStorageRawUncompressed"`
	TotalStorageNo              Int64     `json:"TotalStorageNo"`
	TotalBackupSize             string    `json:"TotalBackupSize"`
	TotalBackupFileNo           Int64     `json:"TotalBackupFileNo"`
	TotalRestoreSize            Bytes     `json:"TotalRestoreSize"`
	TotalRestoreFileNo          Int64     `json:"TotalRestoreFileNo"`
}

// GetUserStorageStat returns a user's storage statistics for a month.
// A month without statistics fails with ErrNotFound ("No storage log
// found"): unlike the job lists, whose empty day is an empty list, the
// answer is one month's record, and there is none.
//
// Wire: POST /obs/api/json/GetUserStorageStat.do
//
// Answer: {"Status":"OK","Data":{...}} (or an array of months); without Data, no months
func (c *AhsayClient) GetUserStorageStat(ctx context.Context, req *StorageStatRequest) (*StorageStat, error) {
	return ahsayGetUserStorageStat.call(ctx, c, req)
}
