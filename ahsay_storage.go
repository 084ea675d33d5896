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

// GetUserStorageStat returns a user's storage statistics for a month.
// A month without statistics fails with ErrNotFound ("No storage log found").
//
// Wire: POST /obs/api/json/GetUserStorageStat.do
func (c *AhsayClient) GetUserStorageStat(ctx context.Context, req *StorageStatRequest) (*StorageStat, error) {
	return ahsayGetUserStorageStat.call(ctx, c, req)
}
