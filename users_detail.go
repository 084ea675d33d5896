package backupapi

import (
	"encoding/json"
	"fmt"
)

// UserDetail is one backup user as GetUser returns it.
type UserDetail struct {
	ID                           string                   `json:"Id"`
	Name                         string                   `json:"Name"`
	UserID                       string                   `json:"UserId"`
	LongLoginName                string                   `json:"LongLoginName"`
	Owner                        string                   `json:"Owner"`
	Alias                        string                   `json:"Alias"`
	Type                         UserType                 `json:"Type"` // UserTypeTrial or UserTypePaid
	ClientType                   ClientType               `json:"ClientType"`
	Status                       UserStatus               `json:"Status"`
	Language                     string                   `json:"Language"`
	Timezone                     string                   `json:"Timezone"`
	Notes                        string                   `json:"Notes"`
	Hostname                     string                   `json:"Hostname"`
	ClientRunVersion             string                   `json:"ClientRunVersion"`
	AccessToken                  Secret                   `json:"AccessToken"`
	Password                     Secret                   `json:"Password"` // the hashed password
	HashedPassword               Bool                     `json:"HashedPassword"`
	SavePassword                 Bool                     `json:"SavePassword"`
	AdGroup                      string                   `json:"AdGroup"`
	AdGroups                     []Int64                  `json:"AdGroups"`
	BackupSetIDList              []string                 `json:"BackupSetIdList"`
	Bandwidth                    Int64                    `json:"Bandwidth"`
	ComputerNameDirList          []string                 `json:"ComputerNameDirList"`
	ContactList                  []Contact                `json:"ContactList"`
	DoubleEncodedName            string                   `json:"DoubleEncodedName"`
	EncodedName                  string                   `json:"EncodedName"`
	EmailReportSettings          *EmailReportSettings     `json:"EmailReportSettings"`
	File                         string                   `json:"File"`
	ForgotPasswordSettings       *ForgotPasswordSettings  `json:"ForgotPasswordSettings"`
	FullName                     string                   `json:"FullName"`
	GroupPolicySettings          *GroupPolicySettings     `json:"GroupPolicySettings"`
	HomeDir                      string                   `json:"HomeDir"`
	TopDir                       string                   `json:"TopDir"`
	UserHome                     string                   `json:"UserHome"`
	V6File                       string                   `json:"V6File"`
	HostCount                    Int64                    `json:"HostCount"`
	HostInfo                     json.RawMessage          `json:"HostInfo"` // documented as an object; sent as "" too
	HostQuota                    Int64                    `json:"HostQuota"`
	HostQuotaEnabled             Bool                     `json:"HostQuotaEnabled"`
	UsedHostQuota                Int64                    `json:"UsedHostQuota"`
	HostSet                      map[string]string        `json:"HostSet"`
	ImportDate                   Timestamp                `json:"ImportDate"`
	RegistrationDate             Timestamp                `json:"RegistrationDate"`
	LastClientLoginTime          Timestamp                `json:"LastClientLoginTime"`
	LastLoginTime                Timestamp                `json:"LastLoginTime"`
	LastShowingLicViolationTime  Timestamp                `json:"LastShowingLicViolationTime"`
	LastSuccessfulLoginInfo      *LoginInfo               `json:"LastSuccessfulLoginInfo"`
	LdapSettings                 *LdapSettings            `json:"LdapSettings"`
	Locked                       Bool                     `json:"Locked"`
	LockedByMFA                  Bool                     `json:"LockedByMFA"`
	MailboxUsage                 Int64                    `json:"MailboxUsage"`
	ModuleSettings               *ModuleSettings          `json:"ModuleSettings"`
	ModulesSettings              json.RawMessage          `json:"ModulesSettings"`
	MoveUserHomeRecord           *MoveUserHomeRecord      `json:"MoveUserHomeRecord"`
	NewBSetName                  string                   `json:"NewBSetName"`
	OpenDirectUsageCount         Int64                    `json:"OpenDirectUsageCount"`
	PasswordHistory              *PasswordHistory         `json:"PasswordHistory"`
	PreV7                        Bool                     `json:"PreV7"`
	ProxySettings                *ProxySettings           `json:"ProxySettings"`
	QuotaList                    []Quota                  `json:"QuotaList"`
	QuotaType                    QuotaType                `json:"QuotaType"`
	StorageQuota                 GB                       `json:"StorageQuota"`       // for TOTAL_QUOTA
	RoutineJobsSettings          *RoutineJobsSettings     `json:"RoutineJobSettings"` // the documented key is RoutineJobsSettings; servers send RoutineJobSettings
	RunDirectQuota               Int64                    `json:"RunDirectQuota"`
	RunDirectQuotaEnabled        Bool                     `json:"RunDirectQuotaEnabled"`
	SecurityIdentifier           string                   `json:"SecurityIdentifier"`
	SecuritySettings             *SecuritySettings        `json:"SecuritySettings"`
	ServerSettings               json.RawMessage          `json:"ServerSettings"`
	SoftwareUpdateSettings       *SoftwareUpdateSettings  `json:"SoftwareUpdateSettings"`
	SuspendPaidUserDate          Timestamp                `json:"SuspendPaidUserDate"` // sent as yyyyMMdd
	TotalStatistics              *TotalStatistics         `json:"TotalStatistics"`
	TrialDays                    Int64                    `json:"TrialDays"`
	TrialExpiryDate              Int64                    `json:"TrialExpiryDate"`
	PlanAmount                   Int64                    `json:"PlanAmount"`
	Updated                      Bool                     `json:"Updated"`
	UploadEncryptionKey          Bool                     `json:"UploadEncryptionKey"`
	UserLockSettings             *UserLockSettings        `json:"UserLockSettings"`
	UserSuspendSettings          *UserSuspendSettings     `json:"UserSuspendSettings"`
	WindowsEventLogSettings      *WindowsEventLogSettings `json:"WindowsEventLogSettings"`
	EnableAUA                    Bool                     `json:"EnableAUA"`
	MobileAuthenticationSettings json.RawMessage          `json:"MobileAuthenticationSettings"`
	MobileBackupSettings         json.RawMessage          `json:"MobileBackupSettings"`
}

// Contact is a backup user's contact, in requests and answers. Only the
// fields set are sent.
type Contact struct {
	Name             string `json:"Name,omitempty"`
	Email            string `json:"Email,omitempty"`
	Company          string `json:"Company,omitempty"`
	Address          string `json:"Address,omitempty"`
	Website          string `json:"Website,omitempty"`
	Phone1           string `json:"Phone1,omitempty"`
	Phone2           string `json:"Phone2,omitempty"`
	EmailCertificate string `json:"EmailCertificate,omitempty"`
	EncryptEmail     bool   `json:"EncryptEmail,omitempty"`
	ID               string `json:"Id,omitempty"` // set by the server
}

// EmailReportSettings are a user's report e-mail settings.
type EmailReportSettings struct {
	Enabled           Bool   `json:"Enabled"`
	Email             string `json:"Email"`
	SendBkpRpt        Bool   `json:"SendBkpRpt"`
	SendBkpRptMode    string `json:"SendBkpRptMode"`
	SendMissedBkpRpt  Bool   `json:"SendMissedBkpRpt"`
	SendStorageAlert  Bool   `json:"SendStorageAlert"`
	MissedBkpInterval Int64  `json:"MissedBkpInterval"`
	Usage             Int64  `json:"Usage"`
	ReportSenderEmail string `json:"ReportSenderEmail"`
	SMTPHostName      string `json:"SmtpHostName"`
	SMTPPort          string `json:"SmtpPort"`
	SMTPProtocol      string `json:"SmtpProtocol"`
	SMTPAuthUser      string `json:"SmtpAuthUser"`
	SMTPAuthPwd       Secret `json:"SmtpAuthPwd"`
}

// ForgotPasswordSettings record password-reset requests.
type ForgotPasswordSettings struct {
	RequestTime Timestamp `json:"RequestTime"`
	ResetTime   Timestamp `json:"ResetTime"`
	Token       Secret    `json:"Token"`
}

// GroupPolicySettings are a user's group policy settings.
type GroupPolicySettings struct {
	UserGroupIDList     []Int64 `json:"UserGroupIDList"`
	ExcludeNetworkShare Bool    `json:"ExcludeNetworkShare"`
	GroupQuota          Int64   `json:"GroupQuota"`
	UsedGroupQuota      Int64   `json:"UsedGroupQuota"`
	UserGroupQuota      Int64   `json:"UserGroupQuota"`
	FileSizeLimit       Int64   `json:"FileSizeLimit"`
}

// LoginInfo describes a user's last successful login.
type LoginInfo struct {
	Type        string    `json:"Type"`
	PhoneNumber Int64     `json:"PhoneNumber"`
	IPAddress   string    `json:"IpAddress"`
	Time        Timestamp `json:"Time"`
	ID          Int64     `json:"Id"`
}

// LdapSettings are a user's LDAP state.
type LdapSettings struct {
	LdapUser             Bool      `json:"LdapUser"`
	LastDeleteTime       Timestamp `json:"LastDeleteTime"`
	LastDisableTime      Timestamp `json:"LastDisableTime"`
	FirstAuthFailureTime Timestamp `json:"FirstAuthFailureTime"`
}

// ModuleSettings assign add-on modules. In UpdateUser only the fields set
// are sent; in GetUser's answer a field the server omits stays nil.
type ModuleSettings struct {
	CDPEnabled                        *bool   `json:"CDPEnabled,omitempty"`
	DeduplicationEnabled              *bool   `json:"DeduplicationEnabled,omitempty"`
	DeltaMergeEnabled                 *bool   `json:"DeltaMergeEnabled,omitempty"`
	InFileDeltaEnabled                *bool   `json:"InFileDeltaEnabled,omitempty"`
	LotusDominoBackupEnabled          *bool   `json:"LotusDominoBackupEnabled,omitempty"`
	LotusNotesBackupEnabled           *bool   `json:"LotusNotesBackupEnabled,omitempty"`
	MariaDBBackupEnabled              *bool   `json:"MariaDBBackupEnabled,omitempty"`
	MobileEnabled                     *bool   `json:"MobileEnabled,omitempty"`
	MobileQuota                       *Int64  `json:"MobileQuota,omitempty"`
	MobileV2Enabled                   *bool   `json:"MobileV2Enabled,omitempty"`
	MobileV2Quota                     *Int64  `json:"MobileV2Quota,omitempty"`
	MobileQuotaV2                     *Int64  `json:"MobileQuotaV2,omitempty"`
	MSExchangeBackupEnabled           *bool   `json:"MSExchangeBackupEnabled,omitempty"`
	MSExchangDAGServerQuota           *Int64  `json:"MSExchangDAGServerQuota,omitempty"`
	MSExchangeMailboxBackupEnabled    *bool   `json:"MSExchangeMailboxBackupEnabled,omitempty"`
	MSExMailboxQuota                  *Int64  `json:"MSExMailboxQuota,omitempty"`
	MSHyperVBackupEnabled             *bool   `json:"MSHyperVBackupEnabled,omitempty"`
	MSHyperVVMQuota                   *Int64  `json:"MSHyperVVMQuota,omitempty"`
	MSHyperVVMQuotaType               *string `json:"MSHyperVVMQuotaType,omitempty"`
	MSSQLBackupEnabled                *bool   `json:"MSSQLBackupEnabled,omitempty"`
	MSWindowsSystemBackupEnabled      *bool   `json:"MSWindowsSystemBackupEnabled,omitempty"`
	MSWindowsSystemStateBackupEnabled *bool   `json:"MSWindowsSystemStateBackupEnabled,omitempty"`
	MySQLBackupEnabled                *bool   `json:"MySQLBackupEnabled,omitempty"`
	NasClientEnabled                  *bool   `json:"NasClientEnabled,omitempty"`
	Office365MailEnabled              *bool   `json:"Office365MailEnabled,omitempty"`
	Office365MailQuota                *Int64  `json:"Office365MailQuota,omitempty"`
	OpenDirectEnabled                 *bool   `json:"OpenDirectEnabled,omitempty"`
	OpenDirectQuota                   *Int64  `json:"OpenDirectQuota,omitempty"` // documented as a string in updates; the examples show a number, which is sent
	OracleBackupEnabled               *bool   `json:"OracleBackupEnabled,omitempty"`
	PostgreSQLBackupEnabled           *bool   `json:"PostgreSQLBackupEnabled,omitempty"`
	QnapEnabled                       *bool   `json:"QnapEnabled,omitempty"`
	ShadowCopyEnabled                 *bool   `json:"ShadowCopyEnabled,omitempty"`
	ShadowProtectBackupEnabled        *bool   `json:"ShadowProtectBackupEnabled,omitempty"`
	TiberoBackupEnabled               *bool   `json:"TiberoBackupEnabled,omitempty"`
	LinuxBareMetalBackupEnabled       *bool   `json:"LinuxBareMetalBackupEnabled,omitempty"`
	VMwareBackupEnabled               *bool   `json:"VMwareBackupEnabled,omitempty"`
	VMwareVMQuota                     *Int64  `json:"VMwareVMQuota,omitempty"`
	VMwareVMQuotaType                 *string `json:"VMwareVMQuotaType,omitempty"`
}

// PasswordHistory records a user's password changes.
type PasswordHistory struct {
	PasswordLastModifiedTime Timestamp         `json:"PasswordLastModifiedTime"`
	HistoryList              []json.RawMessage `json:"HistoryList"`
}

// MoveUserHomeRecord records a move of the user home.
type MoveUserHomeRecord struct {
	Source    string    `json:"Source"`
	Dest      string    `json:"Dest"`
	StartTime Timestamp `json:"StartTime"`
}

// ProxySettings are a user's proxy settings.
type ProxySettings struct {
	Enabled  Bool   `json:"Enabled"`
	Type     string `json:"Type"`
	Host     string `json:"Host"`
	Port     string `json:"Port"`
	Username string `json:"Username"`
	Password Secret `json:"Password"`
}

// RoutineJobsSettings are a user's routine-job settings.
type RoutineJobsSettings struct {
	QuotaRemindPercentage      Int64     `json:"QuotaRemindPercentage"`
	InactiveReportLastSentTime Timestamp `json:"InactiveReportLastSentTime"`
}

// SecuritySettings are a user's MFA and lock settings.
type SecuritySettings struct {
	ID                string             `json:"Id"`
	Enable            Bool               `json:"Enable"`
	UserLockSettings  *UserLockSettings  `json:"UserLockSettings"`
	LastFailureTime   Timestamp          `json:"LastFailureTime"`
	LockedTime        Timestamp          `json:"LockedTime"`
	LoginFailureCount Int64              `json:"LoginFailureCount"`
	PhoneList         []Phone            `json:"PhoneList"`
	SendLimitSettings *SendLimitSettings `json:"SendLimitSettings"`
	RecoverySettings  *RecoverySettings  `json:"RecoverySettings"`
}

// Phone is a registered MFA phone.
type Phone struct {
	ID           Int64     `json:"Id"`
	CountryCode  Int64     `json:"CountryCode"`
	PhoneNumber  Int64     `json:"PhoneNumber"`
	Verified     Bool      `json:"Verified"`
	VerifiedTime Timestamp `json:"VerifiedTime"`
}

// SendLimitSettings limit MFA code sending.
type SendLimitSettings struct {
	LastSendTime Timestamp `json:"LastSendTime"`
	SendCount    Int64     `json:"SendCount"`
}

// RecoverySettings hold an account-recovery token.
type RecoverySettings struct {
	Token      Secret    `json:"Token"`
	ExpiryTime Timestamp `json:"ExpiryTime"`
}

// SoftwareUpdateSettings are a user's software-update settings.
type SoftwareUpdateSettings struct {
	Enabled  Bool   `json:"Enabled"`
	ReadOnly Bool   `json:"ReadOnly"`
	ID       string `json:"Id"`
}

// TotalStatistics are a user's storage totals.
type TotalStatistics struct {
	DataAreaFileCount               Int64 `json:"DataAreaFileCount"`
	DataAreaCompressedSize          Bytes `json:"DataAreaCompressedSize"`
	DataAreaUncompressedSize        Bytes `json:"DataAreaUncompressedSize"`
	RetentionAreaFileCount          Int64 `json:"RetentionAreaFileCount"`
	RetentionAreaCompressedSize     Bytes `json:"RetentionAreaCompressedSize"`
	RetentionAreaUncompressedSize   Bytes `json:"RetentionAreaUncompressedSize"`
	TotalRecycleBinFileCount        Int64 `json:"TotalRecycleBinFileCount"`
	TotalRecycleBinCompressedSize   Bytes `json:"TotalRecycleBinCompressedSize"`
	TotalRecycleBinUncompressedSize Bytes `json:"TotalRecycleBinUncompressedSize"`
	TotalRestoreFileCount           Int64 `json:"TotalRestoreFileCount"`
	TotalRestoreCompressedSize      Bytes `json:"TotalRestoreCompressedSize"`
	TotalUploadFileCount            Int64 `json:"TotalUploadFileCount"`
	TotalUploadCompressedSize       Bytes `json:"TotalUploadCompressedSize"`
	LastBackupFileCount             Int64 `json:"LastBackupFileCount"`
	LastBackupCompressedSize        Bytes `json:"LastBackupCompressedSize"`
	LastBackupUncompressedSize      Bytes `json:"LastBackupUncompressedSize"`
}

// UserLockSettings record failed logins and locking.
type UserLockSettings struct {
	LastFailureTime   Timestamp `json:"LastFailureTime"`
	LockedTime        Timestamp `json:"LockedTime"`
	LoginFailureCount Int64     `json:"LoginFailureCount"`
}

// UserSuspendSettings schedule a user's suspension; in UpdateUser, Enabled
// is always sent and Date only when set.
type UserSuspendSettings struct {
	Enabled bool      `json:"Enabled"`
	Date    Timestamp `json:"Date,omitzero"`
}

// WindowsEventLogSettings choose what the client writes to the Windows event
// log. In UpdateUser only the fields set are sent.
type WindowsEventLogSettings struct {
	Enabled           *bool `json:"Enabled,omitempty"`
	LogError          *bool `json:"LogError,omitempty"`
	LogWarn           *bool `json:"LogWarn,omitempty"`
	LogInfo           *bool `json:"LogInfo,omitempty"`
	LogLicense        *bool `json:"LogLicense,omitempty"`
	LogProfile        *bool `json:"LogProfile,omitempty"`
	LogServices       *bool `json:"LogServices,omitempty"`
	LogUtilities      *bool `json:"LogUtilities,omitempty"`
	LogBackup         *bool `json:"LogBackup,omitempty"`
	LogRestore        *bool `json:"LogRestore,omitempty"`
	LogSoftwareUpdate *bool `json:"LogSoftwareUpdate,omitempty"`
	LogReport         *bool `json:"LogReport,omitempty"`
	LogLogInLogOut    *bool `json:"LogLogInLogOut,omitempty"`
	LogBuy            *bool `json:"LogBuy,omitempty"`
}

// String prints the settings with the password masked, whatever the verb.
func (p ProxySettings) String() string {
	type plain ProxySettings
	return fmt.Sprintf("%+v", plain(p))
}

// String prints the settings with the SMTP password masked.
func (s EmailReportSettings) String() string {
	type plain EmailReportSettings
	return fmt.Sprintf("%+v", plain(s))
}

// String prints the settings with the token masked.
func (s ForgotPasswordSettings) String() string {
	type plain ForgotPasswordSettings
	return fmt.Sprintf("%+v", plain(s))
}

// String prints the settings with the token masked.
func (s RecoverySettings) String() string {
	type plain RecoverySettings
	return fmt.Sprintf("%+v", plain(s))
}
