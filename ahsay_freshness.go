package backupapi

import (
	"context"
	"iter"
	"slices"
	"time"
)

// DefaultFreshnessLookback is how many days of a user's job history
// AllBackupSetFreshness reads, at most, beyond the newest one, looking for
// each set's last success.
const DefaultFreshnessLookback = 14

// AllBackupSetFreshnessRequest selects the backup sets whose freshness
// AllBackupSetFreshness reports. Every field is optional.
type AllBackupSetFreshnessRequest struct {
	// Users filters the users on the server (nil: every user). Only their
	// names are needed: LoginNameOnly is set for you.
	Users *ListUsersRequest
	// Filter selects users, owners and sets by name on the client.
	Filter FreshnessFilter
	// Lookback bounds the extra ListBackupJobStatus calls (one per day of
	// history) a user costs when a set's newest jobs failed (default
	// DefaultFreshnessLookback; negative: only the newest day).
	Lookback int
	// Schedules also reads each set's schedule (GetBackupSet: one call per
	// set) so that a policy can judge it against its own schedule.
	Schedules bool
	// Concurrency bounds the users worked on at once (default
	// DefaultAllBackupJobsConcurrency).
	Concurrency int
	// Now is the time ages are measured from (zero: time.Now()).
	Now time.Time
}

// FreshnessFilter selects by name. Each list holds path.Match globs
// ("alice", "team-*"); an empty list selects everything; a name is selected
// when it matches any glob of its list. Sets match by name or by ID.
type FreshnessFilter struct {
	Logins []string
	Owners []string
	Sets   []string
}

// MatchUser reports whether the filter selects the user.
func (f *FreshnessFilter) MatchUser(u UserRef) bool {
	return matchAny(f.Logins, u.LoginName) && matchAny(f.Owners, u.Owner)
}

// MatchSet reports whether the filter selects the set, by name or ID.
func (f *FreshnessFilter) MatchSet(name, id string) bool {
	return len(f.Sets) == 0 || matchAny(f.Sets, name) || slices.Contains(f.Sets, id)
}

// BackupSetFreshness is how fresh one backup set is: its newest job, its
// last success, and the failed or missed runs since.
type BackupSetFreshness struct {
	User    UserRef
	SetID   string
	SetName string
	SetType string // "FILE", "Office 365 Exchange Online", ...

	// Jobs is how many jobs ListBackupJobs lists for the set.
	Jobs int
	// The newest job: its start and end (zero while it runs), status and
	// what the status means. LastOutcome is "" for a set without jobs.
	LastStart, LastEnd time.Time
	LastStatus         BackupJobStatus
	LastOutcome        JobOutcome
	// LastSuccess is when the newest successful job ended (a success with
	// warnings or errors counts: it finished); zero when none was found.
	LastSuccess time.Time
	// ConsecutiveFailures counts the failed or missed jobs newer than the
	// last success (every job read, when none succeeded). Running jobs,
	// jobs stopped by their user and unknown statuses are not counted.
	ConsecutiveFailures int
	// HistoryComplete is true when every job newer than LastSuccess was
	// read. It is false when the lookback ran out first: then LastSuccess
	// is zero although the set may have succeeded long ago, and Age is a
	// lower bound.
	HistoryComplete bool
	// Age is how long ago the set last succeeded, measured from the
	// request's Now. Without a success it is the age of the oldest job
	// read (a lower bound); when the lookback ran out before any of the
	// set's jobs was read (other sets of the user used it up), the age of
	// its newest job's start, with LastOutcome OutcomeUnknown; 0 for a set
	// without jobs.
	Age time.Duration
	// Schedule is the set's schedule when the request asked for it.
	Schedule *BackupSchedule
}

// NeverSucceeded reports whether the set has no successful job at all: its
// whole history was read (possibly none) and nothing in it succeeded.
func (f *BackupSetFreshness) NeverSucceeded() bool {
	return f.LastSuccess.IsZero() && f.HistoryComplete
}

// succeeded says whether a job with this outcome backed the set up: it
// finished, possibly with warnings or errors.
func succeeded(o JobOutcome) bool {
	return o == OutcomeSuccess || o == OutcomeSuccessWithWarnings || o == OutcomeSuccessWithErrors
}

// AllBackupSetFreshness yields the freshness of every backup set of every
// user of the server (or of those req selects): when each last succeeded,
// its newest job, and the failed or missed runs since. The users are
// streamed from AllUsers and worked on with at most req.Concurrency users
// in flight, as AllBackupJobs does; sets come as users' answers complete.
// Removed sets (ListBackupJobs's Removed) are left out.
//
// Cost, per selected user: ListBackupSets, then ListBackupJobs (the job IDs
// of every set, which are their start times), then ListBackupJobStatus for
// the day of the newest job, which gives the status of every job of that
// day for every set at once. So in the common case (each set's newest job
// ran the same day and succeeded) a user costs 3 calls, and a server of U
// users 1 + 3U. Each further day needed costs one more call: a set whose
// newest job failed is walked back day by day to its last success, at most
// req.Lookback days. A user none of whose sets the filter selects costs 1
// call; req.Schedules adds one GetBackupSet per set. ListBackupSets is
// needed for the sets' names and types (ListBackupJobs gives only IDs, and
// a set that never ran has no job record); GetBackupJobReportSummary is
// never needed (it costs a call per job).
//
// A user whose sets or jobs cannot be read is yielded as an error with
// only User set, whose LoginName is never empty (a listed user without a
// login name, which no call can name, is left out), and the iteration goes
// on; a failure to list the users,
// or the end of ctx, is yielded once and ends it. Breaking out of the
// loop stops all work.
//
//	for f, err := range client.AllBackupSetFreshness(ctx, nil) {
//		if err != nil { log.Printf("%s: %v", f.User.LoginName, err); continue }
//		fmt.Println(f.User.LoginName, f.SetName, f.LastSuccess, f.ConsecutiveFailures)
//	}
//
// Wire: POST /obs/api/json/2/ListUsers.do once, then per user POST /obs/api/json/ListBackupSets.do, /obs/api/json/ListBackupJobs.do and /obs/api/json/ListBackupJobStatus.do (per day read)
//
// Answer: ListUsers' {"Status":"OK","User":[...]}, then each call's {"Status":"OK","Data":[...]}; a set without jobs, or a day without them, is an empty list
func (c *AhsayClient) AllBackupSetFreshness(ctx context.Context, req *AllBackupSetFreshnessRequest) iter.Seq2[BackupSetFreshness, error] {
	return func(yield func(BackupSetFreshness, error) bool) {
		const op = "AllBackupSetFreshness"
		ctx, yield, end := observeIter(c.core, ctx, op, yield)
		defer end()
		r := AllBackupSetFreshnessRequest{}
		if req != nil {
			r = *req
		}
		if r.Now.IsZero() {
			r.Now = time.Now()
		}
		switch {
		case r.Lookback == 0:
			r.Lookback = DefaultFreshnessLookback
		case r.Lookback < 0:
			r.Lookback = 0
		}
		n, filter := userWalk(r.Concurrency, r.Users)

		type answer struct {
			sets []BackupSetFreshness
			err  error
		}
		work := func(ctx context.Context, u User) answer {
			if !r.Filter.MatchUser(refOf(u)) {
				return answer{}
			}
			sets, err := c.userFreshness(ctx, refOf(u), &r)
			return answer{sets, err}
		}
		err := forEachUser(ctx, c, op, &filter, n, work, func(u User, a answer) bool {
			if a.err != nil {
				return yield(BackupSetFreshness{User: refOf(u)}, a.err)
			}
			for _, f := range a.sets {
				if !yield(f, nil) {
					return false
				}
			}
			return true
		})
		if err != nil {
			yield(BackupSetFreshness{}, err)
		}
	}
}

// setHistory is one set's job IDs, newest first, and how far they were read.
type setHistory struct {
	ids  []string // yyyy-MM-dd-HH-mm-ss, newest first
	next int      // the next ID to read
	done bool
}

// userFreshness works out the freshness of one user's selected sets with
// the calls AllBackupSetFreshness's godoc counts.
func (c *AhsayClient) userFreshness(ctx context.Context, u UserRef, r *AllBackupSetFreshnessRequest) ([]BackupSetFreshness, error) {
	list, err := c.ListBackupSets(ctx, &ListBackupSetsRequest{UserRef: u})
	if err != nil {
		return nil, err
	}
	var out []BackupSetFreshness
	for _, s := range list.Sets {
		if r.Filter.MatchSet(s.Name, s.ID) {
			out = append(out, BackupSetFreshness{User: u, SetID: s.ID, SetName: s.Name, SetType: s.Type})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	jobs, err := c.ListBackupJobs(ctx, &ListBackupJobsRequest{UserRef: u})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*BackupSetJobs, len(jobs))
	for i := range jobs {
		byID[jobs[i].BackupSetID] = &jobs[i]
	}
	hist := make([]setHistory, len(out))
	kept := out[:0]
	for i := range out {
		j := byID[out[i].SetID]
		if j != nil && bool(j.Removed) {
			continue
		}
		h := setHistory{}
		if j != nil {
			h.ids = newestFirst(j.BackupJobs)
		}
		out[i].Jobs = len(h.ids)
		hist[len(kept)] = h
		kept = append(kept, out[i])
	}
	out, hist = kept, hist[:len(kept)]

	days := map[string]map[string]BackupJobRecord{} // day -> job ID -> record
	for {
		want := ""
		for i := range out {
			if d := readHistory(&out[i], &hist[i], days); d > want {
				want = d
			}
		}
		if want == "" {
			break
		}
		if len(days) > r.Lookback {
			for i := range hist {
				lookbackRanOut(&out[i], &hist[i]) // HistoryComplete stays false
			}
			break
		}
		date, _ := time.Parse(dateLayout, want)
		recs, err := c.ListBackupJobStatus(ctx, &ListBackupJobStatusRequest{UserRef: u, Date: date})
		if err != nil {
			return nil, err
		}
		day := make(map[string]BackupJobRecord, len(recs))
		for _, rec := range recs {
			day[jobKey(rec)] = rec
		}
		days[want] = day
	}
	for i := range out {
		finish(&out[i], &hist[i], r.Now)
	}
	if r.Schedules {
		for i := range out {
			d, err := c.GetBackupSet(ctx, &GetBackupSetRequest{UserRef: u, BackupSetID: out[i].SetID})
			if err != nil {
				return nil, err
			}
			out[i].Schedule = ScheduleOf(d)
		}
	}
	return out, nil
}

// readHistory walks a set's jobs, newest first, through the days already
// read. It returns the day it needs next, or "" when the set is settled.
func readHistory(f *BackupSetFreshness, h *setHistory, days map[string]map[string]BackupJobRecord) string {
	for !h.done && h.next < len(h.ids) {
		id := h.ids[h.next]
		day, ok := days[id[:len(dateLayout)]]
		if !ok {
			return id[:len(dateLayout)]
		}
		h.next++
		rec, found := day[id]
		start := jobStart(id)
		if h.next == 1 { // the newest job
			f.LastStart, f.LastOutcome = start, OutcomeUnknown
			if found {
				f.LastStart, f.LastEnd, f.LastStatus, f.LastOutcome = firstTime(rec.StartTime.Time, start), rec.EndTime.Time, rec.Status, rec.Status.Outcome()
			}
		}
		if !found {
			continue // not listed for its day: neither a success nor a failure
		}
		o := rec.Status.Outcome()
		switch {
		case succeeded(o):
			f.LastSuccess = firstTime(rec.EndTime.Time, rec.StartTime.Time, start)
			f.HistoryComplete, h.done = true, true
		case o.Failed():
			f.ConsecutiveFailures++
		}
	}
	if h.next >= len(h.ids) {
		f.HistoryComplete, h.done = true, true
	}
	return ""
}

// lookbackRanOut ends the walk of a set whose history the lookback cut
// short. A set none of whose jobs was read (other sets' days used the
// lookback up) still has its newest job's start, from its ID: its outcome
// is unknown, and its age is measured from that start, never 0.
func lookbackRanOut(f *BackupSetFreshness, h *setHistory) {
	if !h.done && h.next == 0 && len(h.ids) > 0 {
		f.LastStart, f.LastOutcome = jobStart(h.ids[0]), OutcomeUnknown
	}
	h.done = true
}

// finish sets the age once the history is read.
func finish(f *BackupSetFreshness, h *setHistory, now time.Time) {
	switch {
	case !f.LastSuccess.IsZero():
		f.Age = now.Sub(f.LastSuccess)
	case h.next > 0:
		f.Age = now.Sub(jobStart(h.ids[h.next-1])) // the oldest job read: a lower bound
	case !f.LastStart.IsZero():
		f.Age = now.Sub(f.LastStart) // no job read (the lookback ran out): the newest job's start
	}
	if f.Age < 0 {
		f.Age = 0
	}
}

// newestFirst returns the job IDs that read as start times, newest first.
func newestFirst(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !jobStart(id).IsZero() {
			out = append(out, id)
		}
	}
	slices.Sort(out) // yyyy-MM-dd-HH-mm-ss sorts as text
	slices.Reverse(out)
	return slices.Compact(out)
}

const jobIDLayout = "2006-01-02-15-04-05"

// jobStart reads a job ID as its start time (UTC, as Timestamp reads
// times without a zone); zero when it is not one.
func jobStart(id string) time.Time {
	t, err := time.Parse(jobIDLayout, id)
	if err != nil {
		return time.Time{}
	}
	return t
}

// jobKey is the job ID a status record belongs to: its ID, or its start
// time written as a job ID when the ID is not one.
func jobKey(rec BackupJobRecord) string {
	if !jobStart(rec.ID).IsZero() {
		return rec.ID
	}
	if !rec.StartTime.IsZero() {
		return rec.StartTime.UTC().Format(jobIDLayout)
	}
	return rec.ID
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
