package backupapi

// The AhsayCBS endpoint table: one declaration per SDK operation. To add
// an endpoint, declare its request and answer types, add a row here, and
// write a one-line method with its doc comment (ending in its "Wire:"
// line) and a row in the request and replay tests.

// Shorthands for the common answer shapes.
type (
	statusEndpoint[In any]  = ahsayEndpoint[In, struct{}, statusAnswer, *statusAnswer]
	dataEndpoint[In, T any] = ahsayEndpoint[In, *T, dataAnswer[T], *dataAnswer[T]]
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
)
