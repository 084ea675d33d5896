package backupapi

import "fmt"

// ClientType is the client a backup user runs. A value not listed here
// is kept as sent.
type ClientType string

// Client types.
const (
	ClientTypeOBM ClientType = "OBM" // AhsayOBM, the server and application client
	ClientTypeACB ClientType = "ACB" // AhsayACB, the desktop client
)

// UserType is a backup user's account type (AddUserRequest.Type,
// User.UserType, UserDetail.Type).
type UserType string

// Account types.
const (
	UserTypeTrial UserType = "TRIAL"
	UserTypePaid  UserType = "PAID"
)

// QuotaType is how a backup user's storage quota is counted.
type QuotaType string

// Quota types.
const (
	// QuotaTotal: one quota for all destinations, StorageQuota (in GB).
	QuotaTotal QuotaType = "TOTAL_QUOTA"
	// QuotaPerDestination: a quota per destination, QuotaList.
	QuotaPerDestination QuotaType = "PER_DESTINATION_QUOTA"
)

// User is one backup user as ListUsers returns it. With LoginNameOnly or
// ClientTypeOnly only ID, LoginName, Owner, UserID, ClientType and QuotaUsed
// are set.
//
// The reference's table names the destination quotas DestinationQuotaList,
// while its example (and AhsayCBS) fill QuotaList; both are decoded, and
// Quotas returns whichever is filled.
type User struct {
	ID                   string      `json:"ID"`
	LoginName            string      `json:"LoginName"`
	Owner                string      `json:"Owner"`
	UserID               string      `json:"UserId"`
	Alias                string      `json:"Alias"`
	UserType             UserType    `json:"UserType"` // UserTypeTrial or UserTypePaid
	ClientType           ClientType  `json:"ClientType"`
	QuotaUsed            Bytes       `json:"QuotaUsed"`
	DestinationQuotaList []Quota     `json:"DestinationQuotaList"`
	Online               Bool        `json:"Online"`
	Timezone             string      `json:"Timezone"`
	Language             string      `json:"Language"`
	DataFile             Int64       `json:"DataFile"`
	DataSize             Bytes       `json:"DataSize"`
	RetainFile           Int64       `json:"RetainFile"`
	RetainSize           Bytes       `json:"RetainSize"`
	Bandwidth            Int64       `json:"Bandwidth"`
	Notes                string      `json:"Notes"`
	Status               UserStatus  `json:"Status"`
	RegistrationDate     Timestamp   `json:"RegistrationDate"`
	SuspendPaidUser      Bool        `json:"SuspendPaidUser"`
	SuspendPaidUserDate  Timestamp   `json:"SuspendPaidUserDate"` // sent as yyyyMMdd
	LastBackupDate       Timestamp   `json:"LastBackupDate"`
	Hostname             string      `json:"Hostname"`
	LdapUser             Bool        `json:"LdapUser"` // documented as a string; sent as a boolean
	LdapDeleteUser       Timestamp   `json:"LdapDeleteUser"`
	LdapDisableUser      Timestamp   `json:"LdapDisableUser"`
	ExpiryDate           Int64       `json:"ExpiryDate"`
	LatestClientVersion  string      `json:"LatestClientVersion"`
	UserGroupIDList      []UserGroup `json:"UserGroupIDList"`
	UserHome             string      `json:"UserHome"`
	Contact              []Contact   `json:"Contact"`
	QuotaList            []Quota     `json:"QuotaList"`
	QuotaType            QuotaType   `json:"QuotaType"`    // QuotaTotal or QuotaPerDestination
	StorageQuota         GB          `json:"StorageQuota"` // for TOTAL_QUOTA
	MobileUsage          ModuleUsage `json:"MobileUsage"`
	RecycleBinCompressed Bytes       `json:"RecycleBinCompressed"`
	RecycleBinFileNo     Int64       `json:"RecycleBinFileNo"`

	// Add-on modules and their quotas.
	EnableMSSQL                  Bool   `json:"EnableMSSQL"`
	EnableMSExchange             Bool   `json:"EnableMSExchange"`
	MsExchangeQuota              Int64  `json:"MsExchangeQuota"`
	EnableMsWinSysState          Bool   `json:"EnableMsWinSysState"`
	EnableOracle                 Bool   `json:"EnableOracle"`
	EnableLotusNotes             Bool   `json:"EnableLotusNotes"`
	EnableLotusDomino            Bool   `json:"EnableLotusDomino"`
	EnableMySQL                  Bool   `json:"EnableMySQL"`
	EnableMariaDB                Bool   `json:"EnableMariaDB"`
	EnableInFileDelta            Bool   `json:"EnableInFileDelta"`
	EnableShadowCopy             Bool   `json:"EnableShadowCopy"`
	EnableExchangeMailbox        Bool   `json:"EnableExchangeMailbox"`
	ExchangeMailboxQuota         Int64  `json:"ExchangeMailboxQuota"`
	EnableNASClient              Bool   `json:"EnableNASClient"`
	EnableQNAP                   Bool   `json:"EnableQNAP"`
	EnableDeltaMerge             Bool   `json:"EnableDeltaMerge"`
	EnableMsVM                   Bool   `json:"EnableMsVm"`
	MsVMQuota                    Int64  `json:"MsVmQuota"`
	MsVMQuotaType                string `json:"MsVmQuotaType"` // GUESTVM or SOCKET
	EnableOpenDirect             Bool   `json:"EnableOpenDirect"`
	OpenDirectQuota              Int64  `json:"OpenDirectQuota"`
	EnableVMware                 Bool   `json:"EnableVMware"`
	VMwareQuota                  Int64  `json:"VMwareQuota"`
	VMwareQuotaType              string `json:"VMwareQuotaType"` // GUESTVM or SOCKET
	EnableCDP                    Bool   `json:"EnableCDP"`
	EnableShadowProtectBareMetal Bool   `json:"EnableShadowProtectBareMetal"`
	EnableWinServer2008BareMetal Bool   `json:"EnableWinServer2008BareMetal"`
	EnableMobile                 Bool   `json:"EnableMobile"`
	MobileQuota                  Int64  `json:"MobileQuota"`
	EnableMobileV2               Bool   `json:"EnableMobileV2"`
	MobileQuotaV2                Int64  `json:"MobileQuotaV2"`
	EnableOffice365Mail          Bool   `json:"EnableOffice365Mail"`
	Office365MailQuota           Int64  `json:"Office365MailQuota"`
	EnableDeduplication          Bool   `json:"EnableDeduplication"`
	EnableTibero                 Bool   `json:"EnableTibero"`
	EnableLinuxBareMetal         Bool   `json:"EnableLinuxBareMetal"`
	EnablePostgreSQL             Bool   `json:"EnablePostgreSQL"`
}

// UserGroup is a user group a User belongs to.
type UserGroup struct {
	UserGroupID   string `json:"UserGroupID"`
	UserGroupName string `json:"UserGroupName"`
	ShowLink      Bool   `json:"ShowLink"`
}

// Quota is the backup quota of one destination, in requests and answers.
// Quota is in bytes: a quota of under 1 MiB in a request is taken for a
// unit mistake (50 meant as 50 GB) and refused before it is sent.
type Quota struct {
	Enabled         bool   `json:"Enabled"`
	DestinationKey  string `json:"DestinationKey"` // a destination ID, or "OBS" for the AhsayCBS itself
	DestinationName string `json:"DestinationName,omitempty"`
	Quota           Bytes  `json:"Quota"` // write 50 * backupapi.GiB
}

// ModuleUsage is the usage of module licences.
type ModuleUsage struct {
	MSExMailbox   Int64 `json:"MSExMailbox"`
	MSHyperVVM    Int64 `json:"MSHyperVVM"`
	VMwareVM      Int64 `json:"VMwareVM"`
	MSVMwareVM    Int64 `json:"MSVMwareVM"`
	VMwareCM      Int64 `json:"VMwareCM"`
	Office365Mail Int64 `json:"Office365Mail"`
	HostCount     Int64 `json:"HostCount"`
}

// AddUserRequest creates a backup user. LoginName, Password and, unless
// QuotaType is QuotaTotal, QuotaList are required. Optional fields are
// pointers (see Ptr) and are sent only when set.
type AddUserRequest struct {
	UserRef
	Password    Secret     `json:"Password,omitempty"`
	Email       string     `json:"Email,omitempty"`
	QuotaList   []Quota    `json:"QuotaList,omitempty"`
	Status      UserStatus `json:"Status,omitempty"`     // SUSPENDED, or enabled
	ClientType  ClientType `json:"ClientType,omitempty"` // ClientTypeACB or ClientTypeOBM
	Type        UserType   `json:"Type,omitempty"`       // UserTypeTrial (default) or UserTypePaid
	UserHome    string     `json:"UserHome,omitempty"`
	Language    string     `json:"Language,omitempty"`
	DisplayName string     `json:"DisplayName,omitempty"`
	Notes       string     `json:"Notes,omitempty"`
	QuotaType   QuotaType  `json:"QuotaType,omitempty"`
	// StorageQuota is the total quota, for TOTAL_QUOTA (default 100 GB).
	StorageQuota *GB `json:"StorageQuota,omitempty"`

	HostQuotaEnabled      *bool  `json:"HostQuotaEnabled,omitempty"`
	HostQuota             *int64 `json:"HostQuota,omitempty"`
	RunDirectQuotaEnabled *bool  `json:"RunDirectQuotaEnabled,omitempty"`
	RunDirectQuota        *int64 `json:"RunDirectQuota,omitempty"`
	MobileQuota           *int64 `json:"MobileQuota,omitempty"`
	MobileV2Quota         *int64 `json:"MobileV2Quota,omitempty"`
	ExchangeMailboxQuota  *int64 `json:"ExchangeMailboxQuota,omitempty"`
	MsVMQuota             *int64 `json:"MsVmQuota,omitempty"`
	MsVMQuotaType         string `json:"MsVmQuotaType,omitempty"`
	VMwareQuota           *int64 `json:"VMwareQuota,omitempty"`
	VMwareQuotaType       string `json:"VMwareQuotaType,omitempty"`
	Office365MailQuota    *int64 `json:"Office365MailQuota,omitempty"`
	// OpenDirectQuota is documented as a String, but every example of the
	// reference (ListUsers, GetUser) shows a number: it is sent as one.
	// Pre-9.13 servers only.
	OpenDirectQuota *int64 `json:"OpenDirectQuota,omitempty"`

	EnableAUA                    *bool `json:"EnableAUA,omitempty"`
	EnableOffice365Mail          *bool `json:"EnableOffice365Mail,omitempty"`
	EnableMobile                 *bool `json:"EnableMobile,omitempty"`
	EnableMobileV2               *bool `json:"EnableMobileV2,omitempty"`
	EnableExchangeMailbox        *bool `json:"EnableExchangeMailbox,omitempty"`
	EnableMSSQL                  *bool `json:"EnableMSSQL,omitempty"`
	EnableMSExchange             *bool `json:"EnableMSExchange,omitempty"`
	EnableOracle                 *bool `json:"EnableOracle,omitempty"`
	EnableLotusDomino            *bool `json:"EnableLotusDomino,omitempty"`
	EnableLotusNotes             *bool `json:"EnableLotusNotes,omitempty"`
	EnableMySQL                  *bool `json:"EnableMySQL,omitempty"`
	EnableInFileDelta            *bool `json:"EnableInFileDelta,omitempty"`
	EnableShadowCopy             *bool `json:"EnableShadowCopy,omitempty"`
	EnableNASClient              *bool `json:"EnableNASClient,omitempty"`
	EnableQnap                   *bool `json:"EnableQnap,omitempty"`
	EnableMsVM                   *bool `json:"EnableMsVm,omitempty"`
	EnableVMware                 *bool `json:"EnableVMware,omitempty"`
	EnableCDP                    *bool `json:"EnableCDP,omitempty"`
	EnableShadowProtectBareMetal *bool `json:"EnableShadowProtectBareMetal,omitempty"`
	EnableWinServer2008BareMetal *bool `json:"EnableWinServer2008BareMetal,omitempty"`
	EnableMsWinSysState          *bool `json:"EnableMsWinSysState,omitempty"`
	EnableOpenDirect             *bool `json:"EnableOpenDirect,omitempty"`
	EnableMariaDB                *bool `json:"EnableMariaDB,omitempty"`
	EnableDeduplication          *bool `json:"EnableDeduplication,omitempty"`
	EnableTibero                 *bool `json:"EnableTibero,omitempty"`
	EnableLinuxBareMetal         *bool `json:"EnableLinuxBareMetal,omitempty"`
	EnablePostgreSQL             *bool `json:"EnablePostgreSQL,omitempty"`
}

// UpdateUserRequest changes a backup user: only the fields set are sent.
// Use AppendContacts, ReplaceContacts and ChangeContacts for contacts.
type UpdateUserRequest struct {
	UserRef
	Alias                   *string                  `json:"Alias,omitempty"`
	Status                  *UserStatus              `json:"Status,omitempty"`
	Type                    *UserType                `json:"Type,omitempty"` // UserTypeTrial or UserTypePaid
	ClientType              *ClientType              `json:"ClientType,omitempty"`
	Password                *Secret                  `json:"Password,omitempty"`
	Language                *string                  `json:"Language,omitempty"`
	Notes                   *string                  `json:"Notes,omitempty"`
	QuotaList               []Quota                  `json:"QuotaList,omitempty"`
	QuotaType               *QuotaType               `json:"QuotaType,omitempty"`
	StorageQuota            *GB                      `json:"StorageQuota,omitempty"` // for TOTAL_QUOTA
	HostQuotaEnabled        *bool                    `json:"HostQuotaEnabled,omitempty"`
	HostQuota               *int64                   `json:"HostQuota,omitempty"`
	RunDirectQuotaEnabled   *bool                    `json:"RunDirectQuotaEnabled,omitempty"`
	RunDirectQuota          *int64                   `json:"RunDirectQuota,omitempty"`
	EnableAUA               *bool                    `json:"EnableAUA,omitempty"`
	ModuleSettings          *ModuleSettings          `json:"ModuleSettings,omitempty"`
	WindowsEventLogSettings *WindowsEventLogSettings `json:"WindowsEventLogSettings,omitempty"`
	UserSuspendSettings     *UserSuspendSettings     `json:"UserSuspendSettings,omitempty"`
	SecuritySettings        *SecuritySettingsUpdate  `json:"SecuritySettings,omitempty"`

	// Contact with AppendContact "Y" appends, with "N" replaces all contacts.
	Contact       []Contact `json:"Contact,omitzero"`
	AppendContact string    `json:"AppendContact,omitempty"`
	// ChangeContact "Y" replaces OldContact with NewContact.
	ChangeContact string    `json:"ChangeContact,omitempty"`
	OldContact    []Contact `json:"OldContact,omitzero"`
	NewContact    []Contact `json:"NewContact,omitzero"`
}

// SecuritySettingsUpdate changes a user's MFA settings (only when the
// server's global MFA setting is on). PhoneList replaces the whole list,
// and must keep the phone of the user's last successful login.
//
// The UpdateUser table names the switch "Enabled" (under a heading
// "SystemSettings"); the GetUser table and example name it "Enable", which
// is what the SDK sends. Verified, VerifiedTime and Id are "not
// applicable by API" and are not sent.
type SecuritySettingsUpdate struct {
	Enable    *bool         `json:"Enable,omitempty"`
	PhoneList []PhoneUpdate `json:"PhoneList,omitzero"`
}

// PhoneUpdate is one MFA phone number sent by UpdateUser.
type PhoneUpdate struct {
	CountryCode int64  `json:"CountryCode"`
	PhoneNumber string `json:"PhoneNumber"`
}

// Quotas returns the user's destination quotas: QuotaList, or
// DestinationQuotaList when only that is filled.
func (u *User) Quotas() []Quota {
	if len(u.QuotaList) > 0 {
		return u.QuotaList
	}
	return u.DestinationQuotaList
}

// checkQuotas refuses a destination quota too small to be meant in bytes.
func checkQuotas(quotas []Quota) error {
	for i, q := range quotas {
		if q.Quota > 0 && q.Quota < MiB {
			return fmt.Errorf("QuotaList[%d].Quota is %d bytes: quotas are in bytes (for %d GB write %d * backupapi.GiB)", i, int64(q.Quota), int64(q.Quota), int64(q.Quota))
		}
	}
	return nil
}

func (r *AddUserRequest) validate() error    { return checkQuotas(r.QuotaList) }
func (r *UpdateUserRequest) validate() error { return checkQuotas(r.QuotaList) }
