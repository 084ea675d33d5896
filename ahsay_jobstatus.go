package backupapi

// BackupJobStatus is the status AhsayCBS gives a backup job. The type is
// open: the vendor documents only BS_STOP_SUCCESS ("the error varies if the
// backup failed"); the constants below are the values public clients of
// the API handle, and any other value is kept as sent. An empty status
// means the job is still running.
type BackupJobStatus string

// Known backup job statuses.
const (
	BackupRunning                BackupJobStatus = "" // no status yet
	BackupStillRunning           BackupJobStatus = "BS_STILL_RUNNING"
	BackupSuccess                BackupJobStatus = "BS_STOP_SUCCESS"
	BackupSuccessWithWarning     BackupJobStatus = "BS_STOP_SUCCESS_WITH_WARNING"
	BackupSuccessWithError       BackupJobStatus = "BS_STOP_SUCCESS_WITH_ERROR"
	BackupStoppedByUser          BackupJobStatus = "BS_STOP_BY_USER"
	BackupStoppedBySystemError   BackupJobStatus = "BS_STOP_BY_SYSTEM_ERROR"
	BackupStoppedByScheduler     BackupJobStatus = "BS_STOP_BY_SCHEDULER" // the backup window closed
	BackupStoppedQuotaExceeded   BackupJobStatus = "BS_STOP_BY_QUOTA_EXCEEDED"
	BackupIncomplete             BackupJobStatus = "BS_STOP_INCOMPLETE"
	BackupNotFinished            BackupJobStatus = "BS_BACKUP_NOT_FINISHED"
	BackupMissed                 BackupJobStatus = "BS_STOP_MISSED_BACKUP"
	BackupMissedDatabase         BackupJobStatus = "BS_MISSED_DATABASE"
	BackupMissedDatabaseMisspelt BackupJobStatus = "BS_MISSED_DATABASAE" // as a public client spells it
	BackupMissedPublicFolder     BackupJobStatus = "BS_MISSED_PUBLIC_FOLDER"
	BackupMissedVirtualMachine   BackupJobStatus = "BS_MISSED_VIRTUAL_MACHINE"
)

// JobOutcome is what a backup or restore status means, for monitoring.
type JobOutcome string

// Job outcomes, from best to worst as a report sorts them in reverse.
const (
	OutcomeSuccess             JobOutcome = "success"
	OutcomeSuccessWithWarnings JobOutcome = "success with warnings"
	OutcomeSuccessWithErrors   JobOutcome = "success with errors"
	OutcomeRunning             JobOutcome = "running"
	OutcomeStoppedByUser       JobOutcome = "stopped by user"
	OutcomeUnknown             JobOutcome = "unknown"
	OutcomeMissed              JobOutcome = "missed"
	OutcomeFailed              JobOutcome = "failed"
)

// Failed reports whether the outcome needs attention: the job failed or
// was missed. A job stopped by its user, one with warnings or errors that
// still finished, and one still running did not fail.
func (o JobOutcome) Failed() bool { return o == OutcomeFailed || o == OutcomeMissed }

// Severity orders outcomes for a report, worst first: failed 0, missed 1,
// unknown 2, stopped by user 3, running 4, success with errors 5, with
// warnings 6, success 7.
func (o JobOutcome) Severity() int {
	switch o {
	case OutcomeFailed:
		return 0
	case OutcomeMissed:
		return 1
	case OutcomeStoppedByUser:
		return 3
	case OutcomeRunning:
		return 4
	case OutcomeSuccessWithErrors:
		return 5
	case OutcomeSuccessWithWarnings:
		return 6
	case OutcomeSuccess:
		return 7
	}
	return 2
}

// Outcome says what the status means. A status no table knows is
// OutcomeUnknown: the SDK never guesses.
func (s BackupJobStatus) Outcome() JobOutcome {
	switch s {
	case BackupRunning, BackupStillRunning:
		return OutcomeRunning
	case BackupSuccess:
		return OutcomeSuccess
	case BackupSuccessWithWarning:
		return OutcomeSuccessWithWarnings
	case BackupSuccessWithError:
		return OutcomeSuccessWithErrors
	case BackupStoppedByUser:
		return OutcomeStoppedByUser
	case BackupStoppedBySystemError, BackupStoppedByScheduler, BackupStoppedQuotaExceeded, BackupIncomplete, BackupNotFinished:
		return OutcomeFailed
	case BackupMissed, BackupMissedDatabase, BackupMissedDatabaseMisspelt, BackupMissedPublicFolder, BackupMissedVirtualMachine:
		return OutcomeMissed
	}
	return OutcomeUnknown
}

// RestoreJobStatus is the status AhsayCBS gives a restore job: an open
// type, like BackupJobStatus; empty means still running.
type RestoreJobStatus string

// Restore job statuses the reference lists (GetRestoreJobReport).
const (
	RestoreRunning            RestoreJobStatus = ""
	RestoreSuccess            RestoreJobStatus = "RESTORE_STOP_SUCCESS"
	RestoreSuccessWithWarning RestoreJobStatus = "RESTORE_STOP_SUCCESS_WITH_WARNING"
	RestoreSuccessWithError   RestoreJobStatus = "RESTORE_STOP_SUCCESS_WITH_ERROR"
	RestoreStoppedByUser      RestoreJobStatus = "RESTORE_STOP_BY_USER"
	RestoreStoppedByError     RestoreJobStatus = "RESTORE_STOP_BY_ERROR"
)

// Outcome says what the status means; an unknown status is OutcomeUnknown.
func (s RestoreJobStatus) Outcome() JobOutcome {
	switch s {
	case RestoreRunning:
		return OutcomeRunning
	case RestoreSuccess:
		return OutcomeSuccess
	case RestoreSuccessWithWarning:
		return OutcomeSuccessWithWarnings
	case RestoreSuccessWithError:
		return OutcomeSuccessWithErrors
	case RestoreStoppedByUser:
		return OutcomeStoppedByUser
	case RestoreStoppedByError:
		return OutcomeFailed
	}
	return OutcomeUnknown
}
