package backupapitest

import (
	"fmt"
	"slices"
	"strings"
)

// Operation names for Inject and Calls: one per SDK operation, named as
// the SDK method is (GetJob shares OpGetJobs with GetJobs, AllUsers
// OpListUsers, AllBackupJobs OpListBackupJobStatus, Close OpLogout). The
// fake names a request after what it does, not after its path alone: a
// POST to UpdateUser.do (or v1 UpdateUserProfile.do) is OpAppendContacts,
// OpReplaceContacts or OpChangeContacts when its body changes contacts and
// OpUpdateUser otherwise; a RunBackup.do with "CancelBackup" true is
// OpCancelPendingBackup; a PUT /managementServer/data is CopyBackup,
// MoveBackup, PushBackup or CancelPush after its body. Requests that other
// clients send to the same state share the SDK operation's name (GET /jobs
// is OpListJobs, PUT /jobs/{id} with "cancelRequest" OpCancelJobs,
// DELETE /sessions/{id} OpLogout). A name that is not listed here makes
// Inject and Calls panic, so that a typo cannot leave a fault test
// silently testing nothing.
const (
	OpListUsers                  = "ListUsers"
	OpAuthUser                   = "AuthUser"
	OpGetUser                    = "GetUser"
	OpAddUser                    = "AddUser"
	OpUpdateUser                 = "UpdateUser" // v1 UpdateUserProfile.do too
	OpModifyUserStatus           = "ModifyUserStatus"
	OpRemoveUser                 = "RemoveUser"
	OpSendForgotPasswordEmail    = "SendForgotPasswordEmail" // SendForgotPwdEmail.do
	OpUpdateAUA                  = "UpdateAUA"
	OpGetUserStorageStat         = "GetUserStorageStat"
	OpAddContact                 = "AddContact"
	OpAppendContacts             = "AppendContacts"  // UpdateUser.do with AppendContact "Y"
	OpReplaceContacts            = "ReplaceContacts" // UpdateUser.do with AppendContact "N"
	OpChangeContacts             = "ChangeContacts"  // UpdateUser.do with ChangeContact "Y"
	OpRunSingleUserRebuild       = "RunSingleUserRebuild"
	OpGetSingleUserRebuildStatus = "GetSingleUserRebuildStatus"
	OpGetUserStatus              = "GetUserStatus"
	OpGetServerRunJobStatus      = "GetServerRunJobStatus"
	OpListBackupSets             = "ListBackupSets"
	OpGetBackupSet               = "GetBackupSet"
	OpListBackupJobs             = "ListBackupJobs"
	OpListBackupJobStatus        = "ListBackupJobStatus"
	OpListBackupJobMode          = "ListBackupJobMode"
	OpGetBackupJobProgress       = "GetBackupJobProgress"
	OpGetBackupJobReport         = "GetBackupJobReport"
	OpGetBackupJobReportSummary  = "GetBackupJobReportSummary"
	OpRunBackup                  = "RunBackup"
	OpCancelPendingBackup        = "CancelPendingBackup" // RunBackup.do with CancelBackup true
	OpListRestoreJobs            = "ListRestoreJobs"
	OpListRestoreJobStatus       = "ListRestoreJobStatus"
	OpAuthSystemUser             = "AuthSystemUser"
	OpGetLicense                 = "GetLicense"
	OpListPolicyGroups           = "ListPolicyGroups"
	OpListUserGroups             = "ListUserGroups"
	OpListSystemUsers            = "ListSystemUsers"

	OpLogin         = "Login"
	OpLogout        = "Logout"
	OpListBackups   = "ListBackups"
	OpCopyBackup    = "CopyBackup"
	OpMoveBackup    = "MoveBackup"
	OpPushBackup    = "PushBackup"
	OpCancelPush    = "CancelPush"
	OpBackupAction  = "BackupAction" // a PUT /managementServer/data of no known operation
	OpImportBackup  = "ImportBackup"
	OpProcessBackup = "ProcessBackup"
	OpGetJobs       = "GetJobs"    // GET /tasks/{id,...}, GET /jobs/{id,...}
	OpCancelJobs    = "CancelJobs" // PUT /tasks, PUT /jobs/{id} {"cancelRequest":"true"}
)

// OpSendForgotPwdEmail is the former name of OpSendForgotPasswordEmail.
//
// Deprecated: use OpSendForgotPasswordEmail (its value is the SDK
// method's name now, "SendForgotPasswordEmail").
const OpSendForgotPwdEmail = OpSendForgotPasswordEmail

// AhsayOps lists the operations of AhsayServer, XClarityOps those of
// XClarityServer.
var (
	AhsayOps = []string{OpListUsers, OpAuthUser, OpGetUser, OpAddUser, OpUpdateUser,
		OpModifyUserStatus, OpRemoveUser, OpSendForgotPasswordEmail, OpUpdateAUA, OpGetUserStorageStat, OpAddContact,
		OpAppendContacts, OpReplaceContacts, OpChangeContacts,
		OpRunSingleUserRebuild, OpGetSingleUserRebuildStatus, OpGetUserStatus, OpGetServerRunJobStatus,
		OpListBackupSets, OpGetBackupSet, OpListBackupJobs, OpListBackupJobStatus, OpListBackupJobMode,
		OpGetBackupJobProgress, OpGetBackupJobReport, OpGetBackupJobReportSummary, OpRunBackup, OpCancelPendingBackup, OpListRestoreJobs,
		OpListRestoreJobStatus, OpAuthSystemUser, OpGetLicense, OpListPolicyGroups, OpListUserGroups, OpListSystemUsers}
	XClarityOps = []string{OpLogin, OpLogout, OpListBackups, OpCopyBackup, OpMoveBackup, OpPushBackup, OpCancelPush,
		OpBackupAction, OpImportBackup, OpProcessBackup, OpGetJobs, OpCancelJobs,
		OpListJobs, OpUpdateJob, OpDeleteJob, OpDeleteBackup, OpQuiesceStatus, OpResumeQuiesce, OpCreateBackup,
		OpPrepareRestore, OpStartRestore, OpDataAction, OpCreateJob, OpApplianceInfo}
)

// mustKnow panics when op is not one of the server's operations.
func mustKnow(server, method, op string, known []string) {
	if !slices.Contains(known, op) {
		panic(fmt.Sprintf("backupapitest: %s.%s: unknown operation %q (known: %s)", server, method, op, strings.Join(known, ", ")))
	}
}
