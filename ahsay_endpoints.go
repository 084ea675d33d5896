package backupapi

// The AhsayCBS endpoint table: one declaration per SDK operation. To add
// an endpoint, declare its request and answer types, add a row here (and
// to endpointRows in answer_shape_test.go), and write a one-line method
// with its doc comment (ending in its "Wire:" and "Answer:" paragraphs)
// and a row in the request and replay tests.
//
// A row's answer shape decides what an answer without its key is: a list
// (listEndpoint, usersAnswer, ...) is then empty — AhsayCBS omits an empty
// list as readily as it sends [] — and one object (dataEndpoint,
// oneEndpoint, GetLicense) is ErrUnexpectedResponse, since a record the
// caller asked for cannot be made up. Each shape's answerShape says so,
// and every method's "Answer:" paragraph repeats it.

// emptyAnswers lists, per operation, the messages by which AhsayCBS
// answers "there is nothing here" with Status "Error" (lower case;
// matched as substrings of Message). Such an answer is the operation's
// empty value, a nil list and no error. The other "nothing there" answer
// known, GetUserStorageStat's "No storage log found" (its reference page,
// Example 2), is not listed: a month's statistics are one record, not a
// list, so it stays ErrNotFound (the error table's "no storage log" row).
var emptyAnswers = map[string][]string{
	// Seen: the Nagios plugin inmediasit/check_ahsay and the PHP wrapper
	// hannesbe/php-ahsay-api-wrapper both special-case
	// "[Error] No Backup Job on that day" for a date without jobs.
	"ListBackupJobStatus": {"no backup job on that day"},
	// Inferred: the same date-keyed view of the same jobs.
	"ListBackupJobMode": {"no backup job on that day"},
	// Inferred by analogy: the restore jobs of one date.
	"ListRestoreJobStatus": {"no restore job on that day"},
}

// Shorthands for the common answer shapes.
type (
	statusEndpoint[In any]  = ahsayEndpoint[In, struct{}, statusAnswer, *statusAnswer]
	dataEndpoint[In, T any] = ahsayEndpoint[In, *T, dataAnswer[T], *dataAnswer[T]]
	listEndpoint[In, T any] = ahsayEndpoint[In, []T, listAnswer[T], *listAnswer[T]]
	oneEndpoint[In, T any]  = ahsayEndpoint[In, *T, oneAnswer[T], *oneAnswer[T]]
)

var (
	ahsayListUsers = &ahsayEndpoint[*ListUsersRequest, []User, usersAnswer, *usersAnswer]{
		op: "ListUsers", versioned: "ListUsers", idempotent: true, optional: true}
	ahsayAuthUser = &statusEndpoint[*AuthUserRequest]{
		op: "AuthUser", path: "/obs/api/json/AuthUser.do", idempotent: true}
	ahsayGetUser = &dataEndpoint[UserRef, UserDetail]{
		op: "GetUser", versioned: "GetUser", idempotent: true}
	ahsayAddUser = &statusEndpoint[*AddUserRequest]{
		op: "AddUser", versioned: "AddUser"}
	ahsayUpdateUser = &statusEndpoint[*UpdateUserRequest]{
		op: "UpdateUser", versioned: "UpdateUser"}
	ahsayModifyUserStatus = &statusEndpoint[*ModifyUserStatusRequest]{
		op: "ModifyUserStatus", path: "/obs/api/json/ModifyUserStatus.do", idempotent: true}
	ahsayRemoveUser = &statusEndpoint[UserRef]{
		op: "RemoveUser", path: "/obs/api/json/RemoveUser.do"}
	ahsaySendForgotPasswordEmail = &statusEndpoint[UserRef]{
		op: "SendForgotPasswordEmail", path: "/obs/api/json/SendForgotPwdEmail.do"}
	ahsayUpdateAUA = &statusEndpoint[*UpdateAUARequest]{
		op: "UpdateAUA", path: "/obs/api/json/UpdateAUA.do", idempotent: true, wire: (*UpdateAUARequest).wire}
	ahsayGetUserStorageStat = &ahsayEndpoint[*StorageStatRequest, *StorageStat, storageAnswer, *storageAnswer]{
		op: "GetUserStorageStat", path: "/obs/api/json/GetUserStorageStat.do", idempotent: true}

	ahsayAddContact = &statusEndpoint[*AddContactRequest]{
		op: "AddContact", path: "/obs/api/json/AddContact.do"}
	ahsayAppendContacts = &statusEndpoint[*ContactsRequest]{
		op: "AppendContacts", versioned: "UpdateUser", wire: (*ContactsRequest).appendWire}
	ahsayReplaceContacts = &statusEndpoint[*ContactsRequest]{
		op: "ReplaceContacts", versioned: "UpdateUser", wire: (*ContactsRequest).replaceWire}
	ahsayChangeContacts = &statusEndpoint[*ChangeContactsRequest]{
		op: "ChangeContacts", versioned: "UpdateUser", wire: (*ChangeContactsRequest).wire}

	ahsayRunSingleUserRebuild = &statusEndpoint[*RebuildRequest]{
		op: "RunSingleUserRebuild", path: "/obs/api/json/RunSingleUserRebuild.do"}
	ahsayGetSingleUserRebuildStatus = &dataEndpoint[UserRef, RebuildStatus]{
		op: "GetSingleUserRebuildStatus", path: "/obs/api/json/GetSingleUserRebuildStatus.do", idempotent: true}

	ahsayGetUserStatus = &ahsayEndpoint[*GetUserStatusRequest, []JobProgress, liveJobsAnswer, *liveJobsAnswer]{
		op: "GetUserStatus", path: "/cbs/api/json/GetUserStatus.do", idempotent: true}
	ahsayGetServerRunJobStatus = &ahsayEndpoint[UserRef, []RunJob, runJobsAnswer, *runJobsAnswer]{
		op: "GetServerRunJobStatus", path: "/cbs/api/json/GetServerRunJobStatus.do", idempotent: true, wire: runJobStatusWire}

	// Backup sets, jobs and reports (monitoring).
	ahsayListBackupSets = &ahsayEndpoint[*ListBackupSetsRequest, *BackupSetList, backupSetsAnswer, *backupSetsAnswer]{
		op: "ListBackupSets", path: "/obs/api/json/ListBackupSets.do", idempotent: true}
	ahsayGetBackupSet = &ahsayEndpoint[*GetBackupSetRequest, *BackupSetDetail, backupSetAnswer, *backupSetAnswer]{
		op: "GetBackupSet", versioned: "GetBackupSet", idempotent: true}
	ahsayListBackupJobs = &listEndpoint[*ListBackupJobsRequest, BackupSetJobs]{
		op: "ListBackupJobs", path: "/obs/api/json/ListBackupJobs.do", idempotent: true}
	ahsayListBackupJobStatus = &listEndpoint[*ListBackupJobStatusRequest, BackupJobRecord]{
		op: "ListBackupJobStatus", path: "/obs/api/json/ListBackupJobStatus.do", idempotent: true, wire: (*ListBackupJobStatusRequest).wire}
	ahsayListBackupJobMode = &listEndpoint[*ListBackupJobModeRequest, BackupJobModeRecord]{
		op: "ListBackupJobMode", path: "/obs/api/json/ListBackupJobMode.do", idempotent: true, wire: (*ListBackupJobModeRequest).wire}
	ahsayGetBackupJobProgress = &oneEndpoint[*BackupJobRef, BackupJobProgressRecord]{
		op: "GetBackupJobProgress", path: "/obs/api/json/GetBackupJobProgress.do", idempotent: true}
	ahsayGetBackupJobReport = &oneEndpoint[*BackupJobReportRequest, BackupJobReport]{
		op: "GetBackupJobReport", path: "/obs/api/json/GetBackupJobReport.do", idempotent: true}
	ahsayGetBackupJobReportSummary = &oneEndpoint[*BackupJobReportRequest, BackupJobReport]{
		op: "GetBackupJobReportSummary", path: "/obs/api/json/GetBackupJobReportSummary.do", idempotent: true}
	ahsayRunBackup = &statusEndpoint[*RunBackupRequest]{
		op: "RunBackup", path: "/obs/api/json/RunBackup.do"}
	ahsayCancelPendingBackup = &statusEndpoint[*CancelPendingBackupRequest]{
		op: "CancelPendingBackup", path: "/obs/api/json/RunBackup.do", idempotent: true, wire: (*CancelPendingBackupRequest).wire}
	ahsayListRestoreJobs = &listEndpoint[UserRef, BackupSetRestoreJobs]{
		op: "ListRestoreJobs", path: "/obs/api/json/ListRestoreJobs.do", idempotent: true}
	ahsayListRestoreJobStatus = &listEndpoint[*ListRestoreJobStatusRequest, RestoreJobRecord]{
		op: "ListRestoreJobStatus", path: "/obs/api/json/ListRestoreJobStatus.do", idempotent: true, wire: (*ListRestoreJobStatusRequest).wire}

	// The server and its groups.
	ahsayAuthSystemUser = &statusEndpoint[none]{
		op: "AuthSystemUser", path: "/obs/api/json/AuthSystemUser.do", idempotent: true}
	ahsayGetLicense = &ahsayEndpoint[none, *License, licenseAnswer, *licenseAnswer]{
		op: "GetLicense", versioned: "GetLicense", idempotent: true}
	ahsayListPolicyGroups = &listEndpoint[*ListPolicyGroupsRequest, PolicyGroup]{
		op: "ListPolicyGroups", versioned: "ListPolicyGroups", idempotent: true, optional: true}
	ahsayListUserGroups = &listEndpoint[*ListUserGroupsRequest, UserGroupInfo]{
		op: "ListUserGroups", path: "/obs/api/json/ListUserGroups.do", idempotent: true, optional: true}
	ahsayListSystemUsers = &listEndpoint[*ListSystemUsersRequest, SystemUser]{
		op: "ListSystemUsers", path: "/obs/api/json/ListSystemUsers.do", idempotent: true, optional: true}
)
