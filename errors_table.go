package backupapi

import "strings"

// mapping is one row of the error table: a product's failure and the sentinel
// it means. A row matches on whichever of its keys are set.
type mapping struct {
	source   Source
	text     string // Ahsay: a case-insensitive substring of Message
	status   int    // HTTP status (any source)
	event    int    // Connected Backup event ID
	sentinel error
}

// errorTable is the one place where product failures meet the sentinels.
// Rows are tried in order; for Ahsay messages the first matching text wins,
// so authentication rows come before the broader "invalid" row.
var errorTable = []mapping{
	// AhsayCBS: classified by Message (its bracketed origin and text), never
	// by the obfuscated ExptType.
	{source: SourceAhsay, text: "password has expired", sentinel: ErrAuthentication},
	// AuthSystemUser's page: a wrong system password, or a role that may
	// not use the API.
	{source: SourceAhsay, text: "incorrect system username/password", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "incorrect password", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "invalid password", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "authentication fail", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "login fail", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "wrong password", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "incorrect sysuser", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "invalid sysuser", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "sysuser or syspwd", sentinel: ErrAuthentication},
	{source: SourceAhsay, text: "not visible to user", sentinel: ErrPermissionDenied},
	{source: SourceAhsay, text: "permission denied", sentinel: ErrPermissionDenied},
	{source: SourceAhsay, text: "nosuchuserexpt", sentinel: ErrNotFound},
	{source: SourceAhsay, text: "not found", sentinel: ErrNotFound},
	{source: SourceAhsay, text: "no storage log", sentinel: ErrNotFound},
	{source: SourceAhsay, text: "already exists", sentinel: ErrAlreadyExists},
	{source: SourceAhsay, text: "null / empty", sentinel: ErrInvalidRequest},
	{source: SourceAhsay, text: "invalid", sentinel: ErrInvalidRequest},
	{source: SourceAhsay, text: "missing", sentinel: ErrInvalidRequest},
	{source: SourceAhsay, text: "duplicated", sentinel: ErrInvalidRequest},
	{source: SourceAhsay, text: "is not a 13-digit format", sentinel: ErrInvalidRequest}, // group and policy IDs

	// HTTP statuses, for XClarity's answers and for any proxy in front of
	// an Ahsay server.
	{status: 400, sentinel: ErrInvalidRequest},
	{status: 401, sentinel: ErrAuthentication},
	{status: 403, sentinel: ErrPermissionDenied},
	{status: 404, sentinel: ErrNotFound},
	// 408: the server gave up waiting for the request and did not process
	// it (RFC 9110, 15.5.9), so for a read or a state change alike it is
	// the server not serving the request now.
	{status: 408, sentinel: ErrUnavailable},
	{status: 409, sentinel: ErrInvalidRequest},
	{status: 412, sentinel: ErrInvalidRequest},
	{status: 429, sentinel: ErrUnavailable},
	{status: 500, sentinel: ErrServer},
	{status: 502, sentinel: ErrUnavailable},
	{status: 503, sentinel: ErrUnavailable},
	{status: 504, sentinel: ErrUnavailable},

	// Connected Backup events (see events.go). 11901, 11914 and 11917
	// report success and have no row.
	{source: SourceConnectedBackup, event: 1000, sentinel: ErrAuthentication},
	{source: SourceConnectedBackup, event: 1012, sentinel: ErrAuthentication},
	{source: SourceConnectedBackup, event: 11707, sentinel: ErrAuthentication},
	{source: SourceConnectedBackup, event: 1009, sentinel: ErrPermissionDenied},
	{source: SourceConnectedBackup, event: 1016, sentinel: ErrPermissionDenied},
	{source: SourceConnectedBackup, event: 11713, sentinel: ErrPermissionDenied},
	{source: SourceConnectedBackup, event: 1005, sentinel: ErrInvalidRequest},
	{source: SourceConnectedBackup, event: 1006, sentinel: ErrInvalidRequest},
	{source: SourceConnectedBackup, event: 1007, sentinel: ErrInvalidRequest},
	{source: SourceConnectedBackup, event: 1010, sentinel: ErrInvalidRequest},
	{source: SourceConnectedBackup, event: 1015, sentinel: ErrInvalidRequest},
	{source: SourceConnectedBackup, event: 1017, sentinel: ErrInvalidRequest},
	{source: SourceConnectedBackup, event: 1008, sentinel: ErrNotFound},
	{source: SourceConnectedBackup, event: 11714, sentinel: ErrNotFound},
	{source: SourceConnectedBackup, event: 11722, sentinel: ErrNotFound},
	{source: SourceConnectedBackup, event: 11915, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 11916, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 1004, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 11904, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 11711, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 11919, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 1014, sentinel: ErrUnavailable},
	{source: SourceConnectedBackup, event: 1011, sentinel: ErrInconsistentData},
	{source: SourceConnectedBackup, event: 1013, sentinel: ErrInconsistentData},
	{source: SourceConnectedBackup, event: 1003, sentinel: ErrServer},
	{source: SourceConnectedBackup, event: 11913, sentinel: ErrServer},
	{source: SourceConnectedBackup, event: 11918, sentinel: ErrServer},
}

// classifyText returns the sentinel for an Ahsay message, or nil when the
// table does not know it.
func classifyText(source Source, msg string) error {
	if msg == "" {
		return nil
	}
	lower := strings.ToLower(msg)
	for _, m := range errorTable {
		if m.source == source && m.text != "" && strings.Contains(lower, m.text) {
			return m.sentinel
		}
	}
	return nil
}

// classifyStatus returns the sentinel for an HTTP error status (other 5xx
// are ErrServer), or nil for a status below 400.
func classifyStatus(status int) error {
	for _, m := range errorTable {
		if m.status != 0 && m.status == status {
			return m.sentinel
		}
	}
	if status >= 500 {
		return ErrServer
	}
	return nil
}

// classifyEvent returns the sentinel for a Connected Backup event ID, or nil.
func classifyEvent(id int) error {
	for _, m := range errorTable {
		if m.event != 0 && m.event == id {
			return m.sentinel
		}
	}
	return nil
}
