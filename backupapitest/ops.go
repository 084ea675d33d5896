package backupapitest

import (
	"fmt"
	"slices"
	"strings"
)

// Operation names for Inject and Calls. The AhsayCBS ones are the
// endpoints' names without ".do"; the XClarity ones name what a request
// does (a PUT /managementServer/data is CopyBackup, MoveBackup, PushBackup
// or CancelPush after its body). A name that is not listed here makes
// Inject and Calls panic, so that a typo cannot leave a fault test
// silently testing nothing.
const (
	OpListUsers                  = "ListUsers"
	OpAuthUser                   = "AuthUser"
	OpGetUser                    = "GetUser"
	OpAddUser                    = "AddUser"
	OpUpdateUser                 = "UpdateUser"
	OpUpdateUserProfile          = "UpdateUserProfile"
	OpModifyUserStatus           = "ModifyUserStatus"
	OpRemoveUser                 = "RemoveUser"
	OpSendForgotPwdEmail         = "SendForgotPwdEmail"
	OpUpdateAUA                  = "UpdateAUA"
	OpGetUserStorageStat         = "GetUserStorageStat"
	OpAddContact                 = "AddContact"
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
	OpRunBackup                  = "RunBackup" // CancelPendingBackup too
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
	OpGetJobs       = "GetJobs" // GET /tasks/{id,...}
	OpCancelJobs    = "CancelJobs"
)

// AhsayOps lists the operations of AhsayServer, XClarityOps those of
// XClarityServer.
var (
	AhsayOps = []string{OpListUsers, OpAuthUser, OpGetUser, OpAddUser, OpUpdateUser, OpUpdateUserProfile,
		OpModifyUserStatus, OpRemoveUser, OpSendForgotPwdEmail, OpUpdateAUA, OpGetUserStorageStat, OpAddContact,
		OpRunSingleUserRebuild, OpGetSingleUserRebuildStatus, OpGetUserStatus, OpGetServerRunJobStatus,
		OpListBackupSets, OpGetBackupSet, OpListBackupJobs, OpListBackupJobStatus, OpListBackupJobMode,
		OpGetBackupJobProgress, OpGetBackupJobReport, OpGetBackupJobReportSummary, OpRunBackup, OpListRestoreJobs,
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
