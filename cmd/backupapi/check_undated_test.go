package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

// TestCheckXClarityUndatedBackupsAreNeverFresh: a backup whose date the
// SDK could not read (none sent, or in no known format) leaves its
// location without a newest backup; the check calls that CRITICAL and
// says so, never "newest 0s old" and OK, and an unknown age is no perfdata.
func TestCheckXClarityUndatedBackupsAreNeverFresh(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	dated := backupapi.LocationFreshness{Location: "internal", Newest: now.Add(-time.Hour), Age: time.Hour, Filename: "a.tgz", Backups: 2}
	undatedShare := backupapi.LocationFreshness{Location: "/mnt/share", Backups: 1}
	cases := []struct {
		name      string
		f         backupapi.ApplianceBackupFreshness
		locations []string
		status    int
		summary   string
		detail    string
		noPerf    string
	}{
		{"a location whose only backup is undated is CRITICAL", backupapi.ApplianceBackupFreshness{Newest: dated.Newest, Age: dated.Age,
			Locations: []backupapi.LocationFreshness{dated, undatedShare}}, []string{"/mnt/share"}, pluginCritical,
			"/mnt/share: 1 backup, none with a known date", "/mnt/share: 1 backup, none with a known date", "age /mnt/share"},
		{"a dated location beside it is still judged by its age", backupapi.ApplianceBackupFreshness{Newest: dated.Newest, Age: dated.Age,
			Locations: []backupapi.LocationFreshness{dated, undatedShare}}, []string{"internal"}, pluginOK,
			"internal: newest 1h old", "internal: 2 backups, newest a.tgz (1h old)", "age /mnt/share"},
		{"an appliance whose backups are all undated is CRITICAL, and says it has backups", backupapi.ApplianceBackupFreshness{
			Locations: []backupapi.LocationFreshness{undatedShare, {Location: "internal", Backups: 2}}}, nil, pluginCritical,
			"3 backups, none with a known date", "internal: 2 backups, none with a known date", "age internal"},
		{"an appliance without backups has no backup at all", backupapi.ApplianceBackupFreshness{}, nil, pluginCritical,
			"no backup at all", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := xclarityVerdict(&tc.f, 8*24*time.Hour, 15*24*time.Hour, tc.locations)
			var out bytes.Buffer
			r.write(&out)
			o := parseIcinga(t, out.String())
			assert.Equal(t, tc.status, r.status, out.String())
			assert.Contains(t, r.summary, tc.summary)
			assert.NotContains(t, out.String(), "0s old")
			if tc.detail != "" {
				assert.Contains(t, r.details, tc.detail)
			}
			if tc.noPerf != "" {
				assert.NotContains(t, o.perf, tc.noPerf, "an unknown age is no datum")
			}
		})
	}
	t.Run("end to end: a backup seeded without a date on a share", func(t *testing.T) {
		_, xc, _ := checkFakes(t)
		xc.SeedBackup(backupapitest.XClarityBackup{UUID: "11111111-1111-4111-8111-111111111111", Filename: "n.tgz", Location: "/mnt/share"})
		code, o := runCheck(t, "check", "xclarity", "backups", "--location", "/mnt/share")
		assert.Equal(t, pluginCritical, code, o.text)
		assert.Contains(t, o.text, "/mnt/share: 1 backup, none with a known date")
	})
}
