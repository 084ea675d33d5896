package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// freshItem is one judged set (or user, on the fast path).
type freshItem struct {
	name    string // owner/login/set
	verdict backupapi.FreshnessVerdict
	age     time.Duration
	text    string // what the detail line says after the name
}

// pluginOf maps a freshness state to a plugin status.
func pluginOf(s backupapi.FreshnessState) int {
	switch s {
	case backupapi.FreshnessOK:
		return pluginOK
	case backupapi.FreshnessWarning:
		return pluginWarning
	}
	return pluginCritical // critical, never succeeded
}

func (a *app) checkAhsayFreshness() *cobra.Command {
	var (
		policy     backupapi.FreshnessPolicy
		filter     backupapi.FreshnessFilter
		schedules  bool
		usersOnly  bool
		lookback   int
		maxItems   int
		concurrent int
	)
	cmd := a.ownOutputCommand("freshness", "Is every backup set fresh? CRITICAL when a set's last success is older than --crit, or it never succeeded",
		"backupapi check ahsay freshness --warn 26h --crit 72h --owner reseller1", 0, 0,
		func(cmd *cobra.Command, _ []string) error {
			if err := refuseMisleadingSettings(cmd); err != nil {
				return err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return unknown(err).finish(a.out)
			}
			ctx, cancel := a.checkContext(cmd.Context())
			defer cancel()
			var r pluginResult
			if usersOnly {
				r = userFreshness(ctx, c, &policy, &filter, maxItems)
			} else {
				r = setFreshness(ctx, c, &policy, &backupapi.AllBackupSetFreshnessRequest{Filter: filter, Schedules: schedules,
					Lookback: lookback, Concurrency: concurrent}, maxItems)
			}
			return r.finish(a.out)
		})
	f := cmd.Flags()
	ageFlag(cmd, &policy.Warn, "warn", 26*time.Hour, "WARNING when a set's last success is older than this (26h, 8d, 1w; 0: no warning by age)")
	ageFlag(cmd, &policy.Critical, "crit", 72*time.Hour, "CRITICAL when a set's last success is older than this (0: never critical by age)")
	f.StringSliceVar(&filter.Logins, "user", nil, "only these backup users (globs; repeat or comma-separate)")
	f.StringSliceVar(&filter.Owners, "owner", nil, "only users of these owners (globs)")
	f.StringSliceVar(&filter.Sets, "set", nil, "only these backup sets (name globs or IDs)")
	f.BoolVar(&schedules, "schedules", false, "also read each set's schedule and warn when it is overdue by it (one more call per set)")
	f.IntVar(&policy.FailuresWarn, "fail-warn", 0, "WARNING at this many consecutive failed or missed runs (0: off)")
	f.IntVar(&policy.FailuresCritical, "fail-crit", 0, "CRITICAL at this many consecutive failed or missed runs (0: off)")
	f.BoolVar(&usersOnly, "users-only", false, "judge users by ListUsers' last backup run alone: one call for the whole server, no outcomes")
	f.IntVar(&lookback, "lookback", backupapi.DefaultFreshnessLookback, "days of history read, at most, to find a failing set's last success (0: the default; negative: the newest day only)")
	negativeMeansFlag(cmd, "lookback")
	f.IntVar(&maxItems, "max-items", 10, "the worst items listed after the status line")
	f.IntVar(&concurrent, "concurrency", backupapi.DefaultAllBackupJobsConcurrency, "users read at once")
	a.sysUserFlag(cmd)
	return cmd
}

// setFreshness judges every selected set.
func setFreshness(ctx context.Context, c *backupapi.AhsayClient, policy *backupapi.FreshnessPolicy, req *backupapi.AllBackupSetFreshnessRequest, maxItems int) pluginResult {
	var items []freshItem
	var unread []string
	var oldest time.Duration
	for f, err := range c.AllBackupSetFreshness(ctx, req) {
		if err != nil {
			if f.User.LoginName == "" { // the listing or the context ended
				return unknown(checkErr(ctx, err))
			}
			unread = append(unread, userName(f.User)+": "+oneLine(err.Error()))
			continue
		}
		v := policy.Judge(&f)
		if v.Ignored {
			continue
		}
		items = append(items, freshItem{name: userName(f.User) + "/" + f.SetName, verdict: v, age: f.Age, text: describeSet(&f, v)})
		if !f.LastSuccess.IsZero() || !f.HistoryComplete {
			oldest = max(oldest, f.Age)
		}
	}
	if err := context.Cause(ctx); ctx.Err() != nil {
		return unknown(err)
	}
	return freshVerdict("set", "sets", items, unread, oldest, policy, maxItems)
}

// userFreshness judges users by their last backup run (one call).
func userFreshness(ctx context.Context, c *backupapi.AhsayClient, policy *backupapi.FreshnessPolicy, filter *backupapi.FreshnessFilter, maxItems int) pluginResult {
	var items []freshItem
	var oldest time.Duration
	for u, err := range c.AllUserLastBackups(ctx, nil, time.Time{}) {
		if err != nil {
			return unknown(checkErr(ctx, err))
		}
		if !filter.MatchUser(u.User) {
			continue
		}
		v := policy.JudgeUser(&u)
		if v.Ignored {
			continue
		}
		text := "never ran a backup"
		if !u.Never() {
			text = fmt.Sprintf("last backup run %s ago (%s)", fmtAge(u.Age), u.LastBackup.UTC().Format("2006-01-02 15:04 UTC"))
			oldest = max(oldest, u.Age)
		}
		items = append(items, freshItem{name: userName(u.User), verdict: v, age: u.Age, text: text})
	}
	return freshVerdict("user", "users", items, nil, oldest, policy, maxItems)
}

// freshVerdict sums the judged items up: CRITICAL when any is critical or
// never succeeded, else UNKNOWN when some could not be read, else WARNING
// when any is a warning, else OK; UNKNOWN when nothing was selected.
func freshVerdict(one, many string, items []freshItem, unread []string, oldest time.Duration, policy *backupapi.FreshnessPolicy, maxItems int) pluginResult {
	counts := map[backupapi.FreshnessState]int{}
	overdue, failing := 0, 0
	for _, it := range items {
		counts[it.verdict.State]++
		if it.verdict.Overdue {
			overdue++
		}
		if it.verdict.Failing {
			failing++
		}
	}
	stale := len(items) - counts[backupapi.FreshnessOK]
	r := pluginResult{perf: []perfDatum{
		perf("fresh", float64(counts[backupapi.FreshnessOK]), ""),
		perf("stale", float64(stale), ""),
		perf("warning", float64(counts[backupapi.FreshnessWarning]), ""),
		perf("critical", float64(counts[backupapi.FreshnessCritical]), ""),
		perf("never_succeeded", float64(counts[backupapi.FreshnessNeverSucceeded]), ""),
		perf("overdue", float64(overdue), ""),
		perf("failing", float64(failing), ""),
		perf("unreadable_users", float64(len(unread)), ""),
		perf("oldest_age", ageSeconds(oldest), "s").thresholds(seconds(policy.Warn), seconds(policy.Critical)),
	}}
	if len(items) == 0 && len(unread) == 0 {
		r.status, r.summary = pluginUnknown, "no backup "+many+" to judge: the server has none, or none matches the filter (--user, --owner, --set)"
		return r
	}
	for _, it := range items {
		r.status = max(r.status, pluginOf(it.verdict.State))
	}
	if len(unread) > 0 && r.status < pluginCritical {
		r.status = pluginUnknown
	}
	slices.SortStableFunc(items, func(x, y freshItem) int {
		return cmp.Or(cmp.Compare(y.verdict.State, x.verdict.State), cmp.Compare(y.age, x.age), strings.Compare(x.name, y.name))
	})
	var worst []string
	for _, it := range items {
		if it.verdict.State == backupapi.FreshnessOK || len(worst) == 3 {
			break
		}
		if it.verdict.State == backupapi.FreshnessNeverSucceeded {
			worst = append(worst, it.name+" never succeeded")
		} else {
			worst = append(worst, it.name+" "+fmtAge(it.age))
		}
	}
	switch {
	case stale == 0 && len(unread) > 0:
		r.summary = counted(len(items), one, many) + " read, all fresh" // not "all": some were not read
	case stale == 0:
		r.summary = "all " + counted(len(items), one, many) + " fresh"
	default:
		r.summary = fmt.Sprintf("%d of %s stale: %s", stale, counted(len(items), one, many), strings.Join(worst, ", "))
		if stale > len(worst) {
			r.summary += ", …"
		}
	}
	if len(unread) > 0 {
		r.summary += "; " + counted(len(unread), "user", "users") + " unreadable"
	}
	for _, u := range unread {
		if len(r.details) >= maxItems {
			break
		}
		r.details = append(r.details, "UNKNOWN "+u)
	}
	for _, it := range items {
		if it.verdict.State == backupapi.FreshnessOK || len(r.details) >= maxItems {
			break
		}
		r.details = append(r.details, strings.ToUpper(it.verdict.State.String())+" "+it.name+": "+it.text)
	}
	return r
}

// describeSet is a set's detail line.
func describeSet(f *backupapi.BackupSetFreshness, v backupapi.FreshnessVerdict) string {
	var parts []string
	switch {
	case f.NeverSucceeded() && f.Jobs == 0:
		parts = append(parts, "never ran")
	case f.NeverSucceeded():
		parts = append(parts, "never succeeded in "+counted(f.Jobs, "run", "runs"))
	case f.LastSuccess.IsZero():
		parts = append(parts, fmt.Sprintf("no success in the history read (over %s)", fmtAge(f.Age)))
	default:
		parts = append(parts, fmt.Sprintf("last success %s ago (%s)", fmtAge(f.Age), f.LastSuccess.UTC().Format("2006-01-02 15:04 UTC")))
	}
	if f.ConsecutiveFailures > 0 {
		parts = append(parts, counted(f.ConsecutiveFailures, "failed or missed run", "failed or missed runs")+" since")
	}
	if f.LastOutcome != "" {
		parts = append(parts, "last run "+string(f.LastOutcome))
	}
	if v.Overdue {
		parts = append(parts, "overdue by its schedule (every "+fmtAge(f.Schedule.Period)+")")
	}
	return strings.Join(parts, ", ")
}

func userName(u backupapi.UserRef) string {
	if u.Owner == "" {
		return u.LoginName
	}
	return u.Owner + "/" + u.LoginName
}

// checkErr says why a check could not tell: the timeout (with what the
// last attempt met, when the call was being repeated: "timed out after 1s
// (--timeout) (last error: 502 Bad Gateway)"), or the error.
func checkErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if last := lastError(err); last != "" {
			return fmt.Errorf("%w (last error: %s)", context.Cause(ctx), last)
		}
		return context.Cause(ctx)
	}
	return errors.New(oneLine(err.Error()))
}

// lastError is what a call that its context ended had met before: the
// error status of the last answer (the SDK's Error.HTTPStatus), "" when
// none came. Only the status is used, never the server's text.
func lastError(err error) string {
	var e *backupapi.Error
	if errors.As(err, &e) && e.HTTPStatus >= 400 {
		return strconv.Itoa(e.HTTPStatus) + " " + http.StatusText(e.HTTPStatus)
	}
	return ""
}

func (a *app) checkAhsayJobs() *cobra.Command {
	var date string
	var filter backupapi.FreshnessFilter
	var maxItems, concurrent int
	cmd := a.ownOutputCommand("jobs", "Did a day's backup jobs succeed? CRITICAL on a failed or missed job, WARNING on one stopped or with errors",
		"backupapi check ahsay jobs --date yesterday", 0, 0,
		func(cmd *cobra.Command, _ []string) error {
			if err := refuseMisleadingSettings(cmd); err != nil {
				return err
			}
			day, err := parseDay(date, time.Now())
			if err != nil {
				return usagef("--date: %v", err)
			}
			c, err := a.ahsayClient()
			if err != nil {
				return unknown(err).finish(a.out)
			}
			ctx, cancel := a.checkContext(cmd.Context())
			defer cancel()
			return jobsVerdict(ctx, c, day, &filter, maxItems, concurrent).finish(a.out)
		})
	f := cmd.Flags()
	f.StringVar(&date, "date", "yesterday", "the day: yyyy-mm-dd, today or yesterday (UTC)")
	f.StringSliceVar(&filter.Logins, "user", nil, "only these backup users (globs)")
	f.StringSliceVar(&filter.Owners, "owner", nil, "only users of these owners (globs)")
	f.IntVar(&maxItems, "max-items", 10, "the worst jobs listed after the status line")
	f.IntVar(&concurrent, "concurrency", backupapi.DefaultAllBackupJobsConcurrency, "users read at once")
	a.sysUserFlag(cmd)
	return cmd
}

// parseDay reads --date.
func parseDay(s string, now time.Time) (time.Time, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	switch s {
	case "today":
		return today, nil
	case "yesterday", "":
		return today.Add(-24 * time.Hour), nil
	}
	return time.Parse("2006-01-02", s)
}

// jobSeverity is how a job's outcome weighs in the jobs check.
func jobSeverity(o backupapi.JobOutcome) int {
	switch {
	case o.Failed():
		return pluginCritical
	case o == backupapi.OutcomeStoppedByUser, o == backupapi.OutcomeUnknown, o == backupapi.OutcomeSuccessWithErrors:
		return pluginWarning
	}
	return pluginOK
}

func jobsVerdict(ctx context.Context, c *backupapi.AhsayClient, day time.Time, filter *backupapi.FreshnessFilter, maxItems, n int) pluginResult {
	type bad struct {
		severity int
		line     string
	}
	var bads []bad
	counts := map[string]int{}
	var uploaded backupapi.Bytes
	total, unread := 0, 0
	for j, err := range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: day, Concurrency: n}) {
		if err != nil {
			if j.User.LoginName == "" {
				return unknown(checkErr(ctx, err))
			}
			if filter.MatchUser(j.User) {
				unread++
				bads = append(bads, bad{pluginUnknown, "UNKNOWN " + userName(j.User) + ": " + oneLine(err.Error())})
			}
			continue
		}
		if !filter.MatchUser(j.User) {
			continue
		}
		total++
		o := j.Status.Outcome()
		counts[string(o)]++
		uploaded += j.UploadSize
		if s := jobSeverity(o); s != pluginOK {
			bads = append(bads, bad{s, fmt.Sprintf("%s %s/%s: %s (%s) at %s", pluginStatusNames[s], userName(j.User), j.BackupSetName,
				o, j.Status, j.StartTime.UTC().Format("2006-01-02 15:04 UTC"))})
		}
	}
	if ctx.Err() != nil {
		return unknown(context.Cause(ctx))
	}
	r := pluginResult{perf: []perfDatum{
		perf("jobs", float64(total), ""),
		perf("success", float64(counts[string(backupapi.OutcomeSuccess)]+counts[string(backupapi.OutcomeSuccessWithWarnings)]), ""),
		perf("success_with_errors", float64(counts[string(backupapi.OutcomeSuccessWithErrors)]), ""),
		perf("failed", float64(counts[string(backupapi.OutcomeFailed)]), ""),
		perf("missed", float64(counts[string(backupapi.OutcomeMissed)]), ""),
		perf("stopped", float64(counts[string(backupapi.OutcomeStoppedByUser)]), ""),
		perf("running", float64(counts[string(backupapi.OutcomeRunning)]), ""),
		perf("unknown_status", float64(counts[string(backupapi.OutcomeUnknown)]), ""),
		perf("unreadable_users", float64(unread), ""),
		perf("uploaded", float64(uploaded), "B"),
	}}
	slices.SortStableFunc(bads, func(x, y bad) int {
		rank := func(s int) int { return map[int]int{pluginCritical: 0, pluginUnknown: 1, pluginWarning: 2}[s] }
		return cmp.Compare(rank(x.severity), rank(y.severity))
	})
	failed := counts[string(backupapi.OutcomeFailed)] + counts[string(backupapi.OutcomeMissed)]
	for _, b := range bads {
		r.status = max(r.status, b.severity)
		if len(r.details) < maxItems {
			r.details = append(r.details, b.line)
		}
	}
	if unread > 0 && r.status < pluginCritical {
		r.status = pluginUnknown
	}
	r.summary = fmt.Sprintf("%s on %s: %d failed or missed, %d with warnings", counted(total, "backup job", "backup jobs"), day.Format("2006-01-02"), failed,
		len(bads)-failed-unread)
	if unread > 0 {
		r.summary += "; " + counted(unread, "user", "users") + " unreadable"
	}
	return r
}
