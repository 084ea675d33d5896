package backupapi

import (
	"context"
	"iter"
	"time"
)

// DefaultAllBackupJobsConcurrency is how many users' jobs AllBackupJobs
// fetches at once unless told otherwise.
const DefaultAllBackupJobsConcurrency = 8

// AllBackupJobsRequest selects a server-wide view of one date's backups.
type AllBackupJobsRequest struct {
	Date time.Time // required: the day, sent as yyyy-MM-dd
	// Users filters the users (nil: every user). Only their names are
	// needed: LoginNameOnly is set for you.
	Users *ListUsersRequest
	// Concurrency bounds the per-user calls in flight (default
	// DefaultAllBackupJobsConcurrency).
	Concurrency int
}

// UserBackupJob is one backup job record with the user it belongs to. A
// failure for one user is yielded with only User set.
type UserBackupJob struct {
	User UserRef
	BackupJobRecord
}

// AllBackupJobs yields every backup job record of one date across every
// user of the server: the users are streamed from AllUsers, and each
// user's ListBackupJobStatus is fetched with at most req.Concurrency calls
// in flight. Records come as users' answers complete, not in user order.
//
// A user without jobs on that date yields nothing (the server's "No
// Backup Job on that day" is an empty list, not a failure). A user whose
// jobs cannot be read is yielded as an error for that user
// (UserBackupJob.User is set, its LoginName never empty: a listed user
// without a login name, which no call can name, is left out) and the
// iteration goes on; a failure to list
// the users, or the end of ctx, is yielded once and ends it. Breaking out
// of the loop stops all work: no goroutine outlives the loop.
//
//	for job, err := range client.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: yesterday}) {
//		if err != nil { log.Printf("%s: %v", job.User.LoginName, err); continue }
//		if job.Status.Outcome().Failed() { ... }
//	}
//
// Wire: POST /obs/api/json/2/ListUsers.do once, then POST /obs/api/json/ListBackupJobStatus.do per user
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) AllBackupJobs(ctx context.Context, req *AllBackupJobsRequest) iter.Seq2[UserBackupJob, error] {
	return func(yield func(UserBackupJob, error) bool) {
		ctx, yield, end := observeIter(c.core, ctx, "AllBackupJobs", yield)
		defer end()
		const op = "AllBackupJobs"
		if req == nil {
			yield(UserBackupJob{}, nilRequest(SourceAhsay, op))
			return
		}
		if req.Date.IsZero() {
			yield(UserBackupJob{}, &Error{Source: SourceAhsay, Op: op, Message: "no date given", kinds: []error{ErrInvalidRequest}})
			return
		}
		n, filter := userWalk(req.Concurrency, req.Users)

		type answer struct {
			jobs []BackupJobRecord
			err  error
		}
		work := func(ctx context.Context, u User) answer {
			jobs, err := c.ListBackupJobStatus(ctx, &ListBackupJobStatusRequest{UserRef: refOf(u), Date: req.Date})
			return answer{jobs, err}
		}
		err := forEachUser(ctx, c, op, &filter, n, work, func(u User, a answer) bool {
			if a.err != nil {
				return yield(UserBackupJob{User: refOf(u)}, a.err)
			}
			for _, j := range a.jobs {
				if !yield(UserBackupJob{User: refOf(u), BackupJobRecord: j}, nil) {
					return false
				}
			}
			return true
		})
		if err != nil {
			yield(UserBackupJob{}, err)
		}
	}
}
