package backupapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFreshnessPolicyJudge(t *testing.T) {
	alice := UserRef{LoginName: "alice"}
	set := func(age time.Duration, mods ...func(*BackupSetFreshness)) *BackupSetFreshness {
		f := &BackupSetFreshness{User: alice, SetID: "1", SetName: "Documents", LastSuccess: time.Unix(1e9, 0), Age: age, HistoryComplete: true}
		for _, m := range mods {
			m(f)
		}
		return f
	}
	never := func(f *BackupSetFreshness) { f.LastSuccess, f.Age = time.Time{}, 0 }
	daily := func(f *BackupSetFreshness) { f.Schedule = &BackupSchedule{Period: 24 * time.Hour} }
	failures := func(n int) func(*BackupSetFreshness) {
		return func(f *BackupSetFreshness) { f.ConsecutiveFailures = n }
	}
	base := FreshnessPolicy{Warn: 26 * time.Hour, Critical: 72 * time.Hour}
	withOverrides := base
	withOverrides.Overrides = []FreshnessOverride{
		{Login: "alice", Set: "Arch*", Warn: 8 * 24 * time.Hour, Critical: 15 * 24 * time.Hour},
		{Owner: "lab", Ignore: true},
		{Set: "Docu*", Critical: 30 * time.Hour},
		{Set: "Documents", Critical: 99 * time.Hour}, // never reached: the first match wins
	}
	failing := base
	failing.FailuresWarn, failing.FailuresCritical = 1, 3

	cases := []struct {
		name    string
		policy  FreshnessPolicy
		set     *BackupSetFreshness
		want    FreshnessState
		overdue bool
		failing bool
	}{
		{"younger than warn is ok", base, set(time.Hour), FreshnessOK, false, false},
		{"exactly warn is still ok", base, set(26 * time.Hour), FreshnessOK, false, false},
		{"older than warn is a warning", base, set(27 * time.Hour), FreshnessWarning, false, false},
		{"older than critical is critical", base, set(73 * time.Hour), FreshnessCritical, false, false},
		{"never succeeded is its own state", base, set(0, never), FreshnessNeverSucceeded, false, false},
		{"an unfinished history is judged by its lower-bound age", base,
			set(0, never, func(f *BackupSetFreshness) { f.HistoryComplete, f.Age = false, 80*time.Hour }), FreshnessCritical, false, false},
		{"an override by set glob changes the ages", withOverrides, set(27*time.Hour, func(f *BackupSetFreshness) { f.SetName = "Archive" }), FreshnessOK, false, false},
		{"an override keeps the ages it does not set", withOverrides, set(27 * time.Hour), FreshnessWarning, false, false},
		{"the first matching override wins", withOverrides, set(31 * time.Hour), FreshnessCritical, false, false},
		{"an override by owner can ignore", withOverrides, set(0, never, func(f *BackupSetFreshness) { f.User.Owner = "lab" }), FreshnessOK, false, false},
		{"past its schedule and the grace is overdue", base, set(26*time.Hour+time.Minute, daily), FreshnessWarning, true, false},
		{"within its schedule and the grace is not", base, set(25*time.Hour, daily), FreshnessOK, false, false},
		{"overdue never lowers a critical age", base, set(80*time.Hour, daily), FreshnessCritical, true, false},
		{"failures within the age are a warning", failing, set(time.Hour, failures(1)), FreshnessWarning, false, true},
		{"enough failures are critical", failing, set(time.Hour, failures(3)), FreshnessCritical, false, true},
		{"failures are not judged unless asked", base, set(time.Hour, failures(9)), FreshnessOK, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.policy.Judge(tc.set)
			assert.Equal(t, tc.want, v.State, "state %s", v.State)
			assert.Equal(t, tc.overdue, v.Overdue, "overdue")
			assert.Equal(t, tc.failing, v.Failing, "failing")
		})
	}
	t.Run("ignore schedule turns the schedule check off", func(t *testing.T) {
		p := base
		p.IgnoreSchedule = true
		assert.False(t, p.Judge(set(25*time.Hour, daily)).Overdue)
		p.IgnoreSchedule, p.ScheduleGrace = false, time.Minute
		assert.True(t, p.Judge(set(24*time.Hour+2*time.Minute, daily)).Overdue, "a policy's own grace")
	})
}

func TestFreshnessPolicyJudgeUser(t *testing.T) {
	p := FreshnessPolicy{Warn: 26 * time.Hour, Critical: 72 * time.Hour, Overrides: []FreshnessOverride{
		{Set: "*", Ignore: true}, // a set override: not for users
		{Login: "bob", Critical: 200 * time.Hour},
	}}
	cases := []struct {
		name string
		user UserLastBackup
		want FreshnessState
	}{
		{"a recent run is ok", UserLastBackup{User: UserRef{LoginName: "a"}, LastBackup: time.Unix(1e9, 0), Age: time.Hour}, FreshnessOK},
		{"an old run is critical", UserLastBackup{User: UserRef{LoginName: "a"}, LastBackup: time.Unix(1e9, 0), Age: 100 * time.Hour}, FreshnessCritical},
		{"a user override applies", UserLastBackup{User: UserRef{LoginName: "bob"}, LastBackup: time.Unix(1e9, 0), Age: 100 * time.Hour}, FreshnessWarning},
		{"a user that never ran never succeeded", UserLastBackup{User: UserRef{LoginName: "a"}}, FreshnessNeverSucceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, p.JudgeUser(&tc.user).State)
		})
	}
}

func TestFreshnessStateNames(t *testing.T) {
	for s, name := range map[FreshnessState]string{FreshnessOK: "ok", FreshnessWarning: "warning", FreshnessCritical: "critical",
		FreshnessNeverSucceeded: "never succeeded", FreshnessState(99): "unknown"} {
		assert.Equal(t, name, s.String())
	}
}

func TestScheduleOf(t *testing.T) {
	detail := func(settings string) *BackupSetDetail {
		return &BackupSetDetail{Extra: map[string]json.RawMessage{"ScheduleSettings": json.RawMessage(settings)}}
	}
	cases := []struct {
		name   string
		detail *BackupSetDetail
		period time.Duration
		nilOut bool
	}{
		{"no detail", nil, 0, true},
		{"no schedule settings", &BackupSetDetail{}, 0, true},
		{"a list of entries", detail(`[{"Type":"WEEKLY"},{"Type":"DAILY","BackupInterval":-1}]`), 24 * time.Hour, false},
		{"an object holding the list", detail(`{"ScheduleList":[{"Type":"MONTHLY"}]}`), 31 * 24 * time.Hour, false},
		{"a periodic entry's interval, in minutes, as a string", detail(`[{"Type":"DAILY","BackupInterval":"60"}]`), time.Hour, false},
		{"a disabled entry is not a period", detail(`[{"Type":"DAILY","Enabled":false},{"Type":"WEEKLY"}]`), 7 * 24 * time.Hour, false},
		{"a custom schedule has no period", detail(`[{"Type":"CUSTOM"}]`), 0, false},
		{"something else is no schedule, never an error", detail(`"weekly"`), 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := ScheduleOf(tc.detail)
			if tc.nilOut {
				assert.Nil(t, s)
				return
			}
			if assert.NotNil(t, s) {
				assert.Equal(t, tc.period, s.Period)
			}
		})
	}
}

// TestJudgeAndJudgeUserShareTheAgeJudgement: Judge and JudgeUser make the
// same first judgement (judgeByAge): an ignored user is Ignored even when
// it never succeeded, one that never succeeded is that whatever its age,
// else its age against the levels that apply. Each case is put to both.
func TestJudgeAndJudgeUserShareTheAgeJudgement(t *testing.T) {
	p := FreshnessPolicy{Warn: 26 * time.Hour, Critical: 72 * time.Hour, Overrides: []FreshnessOverride{
		{Login: "lab*", Ignore: true},
		{Login: "bob", Critical: 200 * time.Hour},
	}}
	last := time.Unix(1e9, 0)
	for _, tc := range []struct {
		name        string
		login       string
		never       bool
		age         time.Duration
		want        FreshnessState
		wantIgnored bool
	}{
		{"ignored and never succeeded: ignored", "lab1", true, 0, FreshnessOK, true},
		{"ignored and old: ignored", "lab1", false, 500 * time.Hour, FreshnessOK, true},
		{"never succeeded, however old it says it is", "alice", true, 500 * time.Hour, FreshnessNeverSucceeded, false},
		{"recent: ok", "alice", false, time.Hour, FreshnessOK, false},
		{"past the warning level: warning", "alice", false, 30 * time.Hour, FreshnessWarning, false},
		{"past the critical level: critical", "alice", false, 100 * time.Hour, FreshnessCritical, false},
		{"a user override's level applies", "bob", false, 100 * time.Hour, FreshnessWarning, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := UserRef{LoginName: tc.login}
			set := &BackupSetFreshness{User: user, SetID: "1", SetName: "Documents", LastSuccess: last, Age: tc.age, HistoryComplete: true}
			u := &UserLastBackup{User: user, LastBackup: last, Age: tc.age}
			if tc.never {
				set.LastSuccess, u.LastBackup = time.Time{}, time.Time{}
			}
			for door, v := range map[string]FreshnessVerdict{"Judge": p.Judge(set), "JudgeUser": p.JudgeUser(u)} {
				assert.Equal(t, tc.want, v.State, door)
				assert.Equal(t, tc.wantIgnored, v.Ignored, door)
			}
		})
	}
}
