package backupapi

import (
	"path"
	"time"
)

// DefaultScheduleGrace is how long past its own schedule's period a set
// may go before FreshnessPolicy calls it overdue, unless the policy says.
const DefaultScheduleGrace = 2 * time.Hour

// FreshnessPolicy says when a backup set (or a user) is stale: older than
// Warn is a warning, older than Critical is critical. Overrides change the
// ages for some owners, users or sets; a set whose schedule is known (see
// AllBackupSetFreshnessRequest.Schedules) is also judged against it. A
// zero age disables that level. The zero policy calls every set OK that
// ever succeeded.
type FreshnessPolicy struct {
	Warn, Critical time.Duration
	// Overrides are tried in order; the first that matches a set gives its
	// ages.
	Overrides []FreshnessOverride
	// FailuresWarn and FailuresCritical judge the consecutive failed or
	// missed runs of a set whose age is still fine (0: not judged).
	FailuresWarn, FailuresCritical int
	// ScheduleGrace is the slack past the schedule's period before a set
	// is overdue (0: DefaultScheduleGrace). IgnoreSchedule turns the
	// schedule check off.
	ScheduleGrace  time.Duration
	IgnoreSchedule bool
}

// FreshnessOverride gives other ages to the sets it matches. Owner, Login
// and Set are path.Match globs ("" matches anything; Set matches the set's
// name or ID). A zero age keeps the policy's own; Ignore leaves the
// matching sets out of judgement (always OK).
type FreshnessOverride struct {
	Owner, Login, Set string
	Warn, Critical    time.Duration
	Ignore            bool
}

func (o *FreshnessOverride) matches(u UserRef, setName, setID string) bool {
	return globOK(o.Owner, u.Owner) && globOK(o.Login, u.LoginName) &&
		(o.Set == "" || globOK(o.Set, setName) || o.Set == setID)
}

// FreshnessState is a judgement, from best to worst.
type FreshnessState int

// Freshness states. Never-succeeded is its own state: it has no age to
// judge, and it is worse than any stale set.
const (
	FreshnessOK FreshnessState = iota
	FreshnessWarning
	FreshnessCritical
	FreshnessNeverSucceeded
)

// String names the state: ok, warning, critical, never succeeded.
func (s FreshnessState) String() string {
	switch s {
	case FreshnessOK:
		return "ok"
	case FreshnessWarning:
		return "warning"
	case FreshnessCritical:
		return "critical"
	case FreshnessNeverSucceeded:
		return "never succeeded"
	}
	return "unknown"
}

// FreshnessVerdict is the policy's judgement of one set or user, with the
// ages it was judged by.
type FreshnessVerdict struct {
	State FreshnessState
	// Overdue is true when the set is older than its own schedule allows
	// (the period plus the grace): at least a warning.
	Overdue bool
	// Failing is true when the consecutive failures reach a failure level.
	Failing bool
	// Warn and Critical are the ages applied (after overrides); Ignored is
	// true when an override left the set out.
	Warn, Critical time.Duration
	Ignored        bool
}

// Judge judges one backup set.
func (p *FreshnessPolicy) Judge(f *BackupSetFreshness) FreshnessVerdict {
	v, final := p.judgeByAge(f.User, f.SetName, f.SetID, f.NeverSucceeded(), f.Age)
	if final {
		return v
	}
	if !p.IgnoreSchedule && f.Schedule != nil && f.Schedule.Period > 0 {
		grace := p.ScheduleGrace
		if grace <= 0 {
			grace = DefaultScheduleGrace
		}
		if f.Age > f.Schedule.Period+grace {
			v.Overdue = true
			v.State = max(v.State, FreshnessWarning)
		}
	}
	switch n := f.ConsecutiveFailures; {
	case p.FailuresCritical > 0 && n >= p.FailuresCritical:
		v.Failing, v.State = true, max(v.State, FreshnessCritical)
	case p.FailuresWarn > 0 && n >= p.FailuresWarn:
		v.Failing, v.State = true, max(v.State, FreshnessWarning)
	}
	return v
}

// JudgeUser judges a user by its last backup run (the fast path): the
// overrides that name no set apply; a user that never ran a backup is
// FreshnessNeverSucceeded.
func (p *FreshnessPolicy) JudgeUser(u *UserLastBackup) FreshnessVerdict {
	v, _ := p.judgeByAge(u.User, "", "", u.Never(), u.Age)
	return v
}

// judgeByAge is the judgement Judge and JudgeUser share, in this order: an
// ignored user or set is Ignored, one that never succeeded is
// FreshnessNeverSucceeded (both final: nothing more is judged), else the
// state is by age against the levels that apply (setName and setID empty:
// a user's, which set overrides do not touch).
func (p *FreshnessPolicy) judgeByAge(u UserRef, setName, setID string, never bool, age time.Duration) (v FreshnessVerdict, final bool) {
	v, ok := p.levels(u, setName, setID)
	switch {
	case !ok:
		return v, true
	case never:
		v.State = FreshnessNeverSucceeded
		return v, true
	}
	v.State = byAge(age, v.Warn, v.Critical)
	return v, false
}

// levels finds the ages that apply; ok is false when the set is ignored.
func (p *FreshnessPolicy) levels(u UserRef, setName, setID string) (FreshnessVerdict, bool) {
	v := FreshnessVerdict{Warn: p.Warn, Critical: p.Critical}
	for i := range p.Overrides {
		o := &p.Overrides[i]
		if setName == "" && setID == "" && o.Set != "" {
			continue // a user-level judgement: set overrides do not apply
		}
		if !o.matches(u, setName, setID) {
			continue
		}
		if o.Ignore {
			return FreshnessVerdict{Ignored: true}, false
		}
		if o.Warn > 0 {
			v.Warn = o.Warn
		}
		if o.Critical > 0 {
			v.Critical = o.Critical
		}
		break
	}
	return v, true
}

func byAge(age, warn, crit time.Duration) FreshnessState {
	switch {
	case crit > 0 && age > crit:
		return FreshnessCritical
	case warn > 0 && age > warn:
		return FreshnessWarning
	}
	return FreshnessOK
}

// globOK matches a path.Match glob; "" matches anything, and a malformed
// glob matches only itself.
func globOK(glob, name string) bool {
	if glob == "" {
		return true
	}
	ok, err := path.Match(glob, name)
	if err != nil {
		return glob == name
	}
	return ok
}

// matchAny reports whether name matches any glob (an empty list: yes).
func matchAny(globs []string, name string) bool {
	if len(globs) == 0 {
		return true
	}
	for _, g := range globs {
		if globOK(g, name) {
			return true
		}
	}
	return false
}
