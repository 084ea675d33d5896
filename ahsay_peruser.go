package backupapi

import (
	"context"
	"sync"
)

// userResult is one user's answer from forEachUser's work.
type userResult[T any] struct {
	user User
	val  T
}

// forEachUser is the machinery of the server-wide iterators (AllBackupJobs,
// AllBackupSetFreshness): it streams the users filter selects from
// AllUsers, runs work for each with at most n calls in flight, and hands
// each result to yield in completion order, not user order. A listed user
// without a login name is left out: no per-user call can name it, and the
// iterators' callers tell a user's error from the one that ends the walk
// by the user's login name being set.
//
// It returns nil when the users ran out or yield asked to stop, the error
// that ended the listing, or an *Error wrapping the end of ctx (op names
// it). Every goroutine has ended when it returns, so a consumer that breaks
// out of its loop leaks nothing. A panic in one of its goroutines (in work
// or in the listing: a defect, in the SDK or in the caller's transport)
// stops the walk and is raised again, with its value, in the caller's
// goroutine, where the caller can recover it: from a goroutine of its own
// it would end the program.
func forEachUser[T any](ctx context.Context, c *AhsayClient, op string, filter *ListUsersRequest, n int,
	work func(context.Context, User) T, yield func(User, T) bool) error {
	work2, stop := context.WithCancel(ctx)
	var all sync.WaitGroup
	panicked := make(chan any, 1) // the first panic of the walk's goroutines
	guard := func() {
		if v := recover(); v != nil {
			select {
			case panicked <- v:
			default:
			}
			stop()
		}
	}
	defer func() { // an early break leaks nothing; a goroutine's panic is the caller's
		stop()
		all.Wait()
		select {
		case v := <-panicked:
			panic(v)
		default:
		}
	}()

	users := make(chan User, n)
	listFailed := make(chan error, 1)
	all.Go(func() { // the users, streamed
		defer guard()
		defer close(users)
		for u, err := range c.AllUsers(work2, filter) {
			if err != nil {
				listFailed <- err
				return
			}
			if u.LoginName == "" {
				continue
			}
			select {
			case users <- u:
			case <-work2.Done():
				return
			}
		}
	})

	answers := make(chan userResult[T], n)
	var workers sync.WaitGroup
	for range n {
		workers.Go(func() {
			defer guard()
			for u := range users {
				v := work(work2, u)
				select {
				case answers <- userResult[T]{u, v}:
				case <-work2.Done():
					return
				}
			}
		})
	}
	all.Go(func() { workers.Wait(); close(answers) })

	ended := func() error {
		return &Error{Source: SourceAhsay, Op: op, Message: "the call's context ended", Err: context.Cause(ctx)}
	}
	for a := range answers {
		if ctx.Err() != nil {
			return ended()
		}
		if work2.Err() != nil { // a goroutine panicked (guard stopped the walk): what is left was cut short by that
			return nil // the deferred function raises the panic
		}
		if !yield(a.user, a.val) {
			return nil
		}
	}
	select {
	case err := <-listFailed:
		return err
	default:
		if ctx.Err() != nil {
			return ended()
		}
	}
	return nil
}

// userWalk is the worker count and the listing of a walk over users:
// concurrency (DefaultAllBackupJobsConcurrency when not positive) and the
// caller's filter, reading login names only.
func userWalk(concurrency int, users *ListUsersRequest) (int, ListUsersRequest) {
	if concurrency <= 0 {
		concurrency = DefaultAllBackupJobsConcurrency
	}
	filter := ListUsersRequest{}
	if users != nil {
		filter = *users
	}
	filter.LoginNameOnly = true
	return concurrency, filter
}

// refOf names a listed user in a request.
func refOf(u User) UserRef { return UserRef{LoginName: u.LoginName, Owner: u.Owner} }
