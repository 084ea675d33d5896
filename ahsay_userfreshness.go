package backupapi

import (
	"context"
	"iter"
	"strings"
	"time"
)

// UserLastBackup is one user's freshness as ListUsers alone tells it, for
// servers too large to walk every set each minute.
type UserLastBackup struct {
	User UserRef
	// LastBackup is ListUsers' LastBackupDate: the "latest date when a
	// backup job was run", whatever its outcome, for any of the user's
	// sets; zero when the user never ran one.
	LastBackup time.Time
	// Age is Now - LastBackup; 0 when LastBackup is zero.
	Age time.Duration
	// QuotaUsed and Quota are the user's storage use and quota in bytes:
	// the total quota (StorageQuota) under TOTAL_QUOTA, otherwise the sum
	// of the enabled destination quotas (0: none set).
	QuotaUsed, Quota Bytes
}

// Never reports whether the user never ran a backup.
func (u UserLastBackup) Never() bool { return u.LastBackup.IsZero() }

// AllUserLastBackups is the user-level fast path of AllBackupSetFreshness:
// one streamed ListUsers answer, whatever the number of users, yielding
// each user's last backup run and its age measured from now (zero:
// time.Now()). It cannot tell a success from a failure, nor one set from
// another: use it to find users who stopped backing up at all, and
// AllBackupSetFreshness for the sets. req filters the users (nil: all);
// LoginNameOnly and ClientTypeOnly are cleared, since they leave
// LastBackupDate out. Iteration stops at the first error, which is yielded.
//
// Cost: 1 call per refresh.
//
// Wire: POST /obs/api/json/2/ListUsers.do, read as a stream
//
// Answer: {"Status":"OK","User":[...]}; without User, no users
func (c *AhsayClient) AllUserLastBackups(ctx context.Context, req *ListUsersRequest, now time.Time) iter.Seq2[UserLastBackup, error] {
	filter := ListUsersRequest{}
	if req != nil {
		filter = *req
	}
	filter.LoginNameOnly, filter.ClientTypeOnly = false, false
	if now.IsZero() {
		now = time.Now()
	}
	return func(yield func(UserLastBackup, error) bool) {
		ctx, yield, end := observeIter(c.core, ctx, "AllUserLastBackups", yield)
		defer end()
		for u, err := range c.AllUsers(ctx, &filter) {
			if err != nil {
				yield(UserLastBackup{}, err)
				return
			}
			if !yield(lastBackupOf(&u, now), nil) {
				return
			}
		}
	}
}

func lastBackupOf(u *User, now time.Time) UserLastBackup {
	out := UserLastBackup{User: refOf(*u), LastBackup: u.LastBackupDate.Time, QuotaUsed: u.QuotaUsed}
	if !out.LastBackup.IsZero() {
		out.Age = max(0, now.Sub(out.LastBackup))
	}
	if strings.EqualFold(string(u.QuotaType), string(QuotaTotal)) {
		out.Quota = u.StorageQuota.Bytes()
	} else {
		for _, q := range u.Quotas() {
			if q.Enabled {
				out.Quota += q.Quota
			}
		}
	}
	return out
}
