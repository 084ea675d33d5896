package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

func (a *app) checkXClarityBackups() *cobra.Command {
	var warn, crit time.Duration
	var locations []string
	cmd := a.ownOutputCommand("backups", "Is the appliance's newest backup fresh? CRITICAL past --crit or with no backup, WARNING past --warn or when the last backup job failed",
		"backupapi check xclarity backups --warn 8d --crit 15d", 0, 0,
		func(cmd *cobra.Command, _ []string) error {
			if err := refuseMisleadingSettings(cmd); err != nil {
				return err
			}
			c, err := a.xclarityClient()
			if err != nil {
				return unknown(err).finish(a.out)
			}
			ctx, cancel := a.checkContext(cmd.Context())
			defer cancel()
			defer func() { _ = c.Close(ctx) }()
			f, err := c.BackupFreshness(ctx, nil)
			if err != nil {
				return unknown(checkErr(ctx, err)).finish(a.out)
			}
			return xclarityVerdict(f, warn, crit, locations).finish(a.out)
		})
	ageFlag(cmd, &warn, "warn", 8*24*time.Hour, "WARNING when the newest backup is older than this (8d, 1w, 36h; 0: no warning by age)")
	ageFlag(cmd, &crit, "crit", 15*24*time.Hour, "CRITICAL when the newest backup is older than this (0: never critical by age)")
	cmd.Flags().StringSliceVar(&locations, "location", nil, "judge each of these locations (internal, or a share's mount point) on its own newest backup")
	return cmd
}

// xclarityVerdict judges the appliance's backups: the newest anywhere, or
// the newest of each location asked for.
func xclarityVerdict(f *backupapi.ApplianceBackupFreshness, warn, crit time.Duration, locations []string) pluginResult {
	r := pluginResult{}
	byAge := func(age time.Duration) int {
		switch {
		case crit > 0 && age > crit:
			return pluginCritical
		case warn > 0 && age > warn:
			return pluginWarning
		}
		return pluginOK
	}
	total := 0
	for _, l := range f.Locations {
		total += l.Backups
	}
	var notes []string
	if len(locations) == 0 {
		if f.Newest.IsZero() {
			r.status = pluginCritical
			notes = append(notes, undated("", total))
		} else {
			r.status = byAge(f.Age)
			notes = append(notes, fmt.Sprintf("newest backup %s old (%s)", fmtAge(f.Age), f.Newest.UTC().Format("2006-01-02 15:04 UTC")))
		}
	}
	for _, want := range locations {
		i := slices.IndexFunc(f.Locations, func(l backupapi.LocationFreshness) bool { return l.Location == want })
		if i < 0 {
			r.status = pluginCritical
			notes = append(notes, want+": no backup")
			continue
		}
		l := f.Locations[i]
		if l.Newest.IsZero() { // its backups have no date the SDK could read: not known to be fresh
			r.status = pluginCritical
			notes = append(notes, undated(want+": ", l.Backups))
			continue
		}
		r.status = max(r.status, byAge(l.Age))
		notes = append(notes, fmt.Sprintf("%s: newest %s old", want, fmtAge(l.Age)))
	}
	if j := f.LastBackupJob; j != nil && j.Status.Failed() {
		r.status = max(r.status, pluginWarning)
		notes = append(notes, "last backup job "+string(j.Status))
	}
	if f.Quiesced {
		notes = append(notes, "quiesced: a backup or restore is running")
	}
	r.summary = strings.Join(notes, "; ")
	for _, l := range f.Locations {
		if l.Newest.IsZero() {
			r.details = append(r.details, fmt.Sprintf("%s: %s, none with a known date", l.Location, counted(l.Backups, "backup", "backups")))
			continue
		}
		r.details = append(r.details, fmt.Sprintf("%s: %s, newest %s (%s old)", l.Location, counted(l.Backups, "backup", "backups"), l.Filename, fmtAge(l.Age)))
	}
	if j := f.LastBackupJob; j != nil {
		r.details = append(r.details, fmt.Sprintf("last backup job %s: %s, started %s", j.JobUID, j.Status, j.StartTime.UTC().Format("2006-01-02 15:04 UTC")))
	}
	quiesced, failed := 0.0, 0.0
	if f.Quiesced {
		quiesced = 1
	}
	if f.LastBackupJob != nil && f.LastBackupJob.Status.Failed() {
		failed = 1
	}
	r.perf = []perfDatum{
		perf("newest_age", ageSeconds(f.Age), "s").thresholds(seconds(warn), seconds(crit)),
		perf("backups", float64(total), ""),
		perf("locations", float64(len(f.Locations)), ""),
		perf("last_job_failed", failed, ""),
		perf("quiesced", quiesced, ""),
	}
	for _, l := range f.Locations {
		if l.Newest.IsZero() {
			continue // an unknown age is no datum, rather than a fresh 0s
		}
		r.perf = append(r.perf, perf("age "+l.Location, ageSeconds(l.Age), "s").thresholds(seconds(warn), seconds(crit)))
	}
	return r
}

// undated says why a location (prefix "LOCATION: ") or the appliance
// (prefix "") has no newest backup: none at all, or backups of which none
// carries a date the SDK could read (an unknown date is never fresh).
func undated(prefix string, backups int) string {
	if backups == 0 {
		if prefix == "" {
			return "no backup at all"
		}
		return prefix + "no backup"
	}
	return prefix + counted(backups, "backup", "backups") + ", none with a known date"
}
