package main

import (
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
)

// TestCheckLinesSayOneInTheSingular walks the check lines that count
// things with a count of one, and the ages under a minute.
func TestCheckLinesSayOneInTheSingular(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	xc := func(n int, age time.Duration) string {
		f := &backupapi.ApplianceBackupFreshness{Newest: now.Add(-age), Age: age,
			Locations: []backupapi.LocationFreshness{{Location: "/mnt/share", Newest: now.Add(-age), Age: age, Filename: "b.tgz", Backups: n}}}
		r := xclarityVerdict(f, time.Hour, 2*time.Hour, nil)
		return r.summary + "\n" + strings.Join(r.details, "\n")
	}
	set := func(f backupapi.BackupSetFreshness) string { return describeSet(&f, backupapi.FreshnessVerdict{}) }
	fresh := func(items, unread int) string {
		var its []freshItem
		for range items {
			its = append(its, freshItem{name: "alice/s", verdict: backupapi.FreshnessVerdict{State: backupapi.FreshnessOK}})
		}
		var un []string
		for range unread {
			un = append(un, "bob: refused")
		}
		return freshVerdict("set", "sets", its, un, 0, &backupapi.FreshnessPolicy{}, 10).summary
	}
	cases := []struct {
		name, got string
		want      []string
		notWant   []string
	}{
		{"one xclarity backup is a backup", xc(1, 3*time.Second), []string{"/mnt/share: 1 backup,"}, []string{"1 backups"}},
		{"two xclarity backups are backups", xc(2, time.Hour), []string{"/mnt/share: 2 backups,"}, nil},
		{"a 3 s old backup is 3s old, not 0m", xc(1, 3*time.Second), []string{"newest backup 3s old", "(3s old)"}, []string{"0m"}},
		{"one run that never succeeded is a run", set(backupapi.BackupSetFreshness{Jobs: 1, HistoryComplete: true}), []string{"never succeeded in 1 run"}, []string{"1 runs"}},
		{"two runs are runs", set(backupapi.BackupSetFreshness{Jobs: 2, HistoryComplete: true}), []string{"never succeeded in 2 runs"}, nil},
		{"one failed run since is a run", set(backupapi.BackupSetFreshness{Jobs: 3, LastSuccess: now, Age: 5 * time.Second, ConsecutiveFailures: 1}),
			[]string{"1 failed or missed run since", "last success 5s ago"}, []string{"runs"}},
		{"one fresh set is a set", fresh(1, 0), []string{"all 1 set fresh"}, []string{"sets"}},
		{"one unreadable user is a user", fresh(1, 1), []string{"1 set read, all fresh; 1 user unreadable"}, []string{"users", "sets"}},
		{"two sets are sets", fresh(2, 2), []string{"2 sets read, all fresh; 2 users unreadable"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.want {
				assert.Contains(t, tc.got, w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, tc.got, w)
			}
		})
	}
}
