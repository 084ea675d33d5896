package backupapi

import (
	"context"
	"iter"
	"sync"
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
// (UserBackupJob.User is set) and the iteration goes on; a failure to list
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
		n := req.Concurrency
		if n <= 0 {
			n = DefaultAllBackupJobsConcurrency
		}
		filter := ListUsersRequest{}
		if req.Users != nil {
			filter = *req.Users
		}
		filter.LoginNameOnly = true

		work, stop := context.WithCancel(ctx)
		var all sync.WaitGroup
		defer func() { stop(); all.Wait() }() // an early break leaks nothing

		users := make(chan UserRef, n)
		listFailed := make(chan error, 1)
		all.Go(func() { // the users, streamed
			defer close(users)
			for u, err := range c.AllUsers(work, &filter) {
				if err != nil {
					listFailed <- err
					return
				}
				select {
				case users <- UserRef{LoginName: u.LoginName, Owner: u.Owner}:
				case <-work.Done():
					return
				}
			}
		})

		type answer struct {
			user UserRef
			jobs []BackupJobRecord
			err  error
		}
		answers := make(chan answer, n)
		var workers sync.WaitGroup
		for range n {
			workers.Go(func() {
				for ref := range users {
					jobs, err := c.ListBackupJobStatus(work, &ListBackupJobStatusRequest{UserRef: ref, Date: req.Date})
					select {
					case answers <- answer{ref, jobs, err}:
					case <-work.Done():
						return
					}
				}
			})
		}
		all.Go(func() { workers.Wait(); close(answers) })

		for a := range answers {
			if err := ctx.Err(); err != nil {
				yield(UserBackupJob{}, &Error{Source: SourceAhsay, Op: op, Message: "the call's context ended", Err: context.Cause(ctx)})
				return
			}
			if a.err != nil {
				if !yield(UserBackupJob{User: a.user}, a.err) {
					return
				}
				continue
			}
			for _, j := range a.jobs {
				if !yield(UserBackupJob{User: a.user, BackupJobRecord: j}, nil) {
					return
				}
			}
		}
		select {
		case err := <-listFailed:
			yield(UserBackupJob{}, err)
		default:
			if err := ctx.Err(); err != nil {
				yield(UserBackupJob{}, &Error{Source: SourceAhsay, Op: op, Message: "the call's context ended", Err: context.Cause(ctx)})
			}
		}
	}
}
