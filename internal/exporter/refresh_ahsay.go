package exporter

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
	dto "github.com/prometheus/client_model/go"
)

// ahsayRefresher reads an AhsayCBS server: users (quota, last run) from one
// ListUsers, every set's freshness (mode sets), and the licence.
type ahsayRefresher struct {
	cfg    Target
	policy backupapi.FreshnessPolicy
	opts   []backupapi.Option
	now    func() time.Time

	mu     sync.Mutex
	client *backupapi.AhsayClient

	lastSeries int // the last snapshot's size: the next one's capacity (refreshes never overlap)
}

func (a *ahsayRefresher) clientFor() (*backupapi.AhsayClient, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.client != nil {
		return a.client, nil
	}
	user, pw, err := a.cfg.credentials()
	if err != nil {
		return nil, configError{err}
	}
	opts, err := clientOptions(&a.cfg, a.opts)
	if err != nil {
		return nil, configError{err}
	}
	c, err := backupapi.NewAhsayClient(a.cfg.URL, user, pw, opts...)
	if err != nil {
		return nil, configError{err}
	}
	a.client = c
	return c, nil
}

func (a *ahsayRefresher) close(context.Context) {}

func (a *ahsayRefresher) prepare() error { _, err := a.clientFor(); return err }

// refresh builds a snapshot. A user whose sets cannot be read, or a
// licence that cannot be read, keeps its previous values (counted as
// errors); a failure to list the users fails the refresh.
func (a *ahsayRefresher) refresh(ctx context.Context, prev *snapshot) (*snapshot, map[string]int, error) {
	c, err := a.clientFor()
	if err != nil {
		return nil, nil, err
	}
	now := a.now()
	b := newBuilder(max(64, a.lastSeries+a.lastSeries/64))
	b.readAt, b.keep = now, time.Duration(a.cfg.KeepLastGood)
	partial := map[string]int{}
	name := a.cfg.Name

	b.section(usersSection)
	for u, err := range c.AllUserLastBackups(ctx, nil, now) {
		if err != nil {
			return nil, nil, err
		}
		pairs := b.labels(mUserLastBackup, []string{name, u.User.Owner, u.User.LoginName})
		b.shared(mUserLastBackup, pairs, unixSeconds(u.LastBackup))
		b.shared(mUserQuotaUsed, pairs, float64(u.QuotaUsed))
		b.shared(mUserQuota, pairs, float64(u.Quota))
	}
	b.section("")

	if a.cfg.Mode == ModeSets {
		req := &backupapi.AllBackupSetFreshnessRequest{Now: now, Lookback: a.cfg.Lookback, Schedules: a.cfg.Schedules, Concurrency: a.cfg.Concurrency}
		users := newUserPairs(b, samplesPerUser, userPairsWindow(a.cfg.Concurrency))
		// whose section is open: its key and user pair are made once a
		// user, not once a set
		var current backupapi.UserRef
		var userPair *dto.LabelPair
		open := false
		for f, err := range c.AllBackupSetFreshness(ctx, req) {
			if err != nil {
				if f.User.LoginName == "" {
					return nil, nil, err
				}
				partial[errorKind(ctx, err)]++
				b.carry(prev, setsSection(f.User))
				open = false
				continue
			}
			if !open || f.User != current {
				b.section(setsSection(f.User))
				current, open = f.User, true
				if userPair = users.find(f.User.Owner, f.User.LoginName); userPair == nil {
					userPair = newPair("user", f.User.LoginName)
				}
			}
			a.addSet(b, &f, userPair)
		}
		b.section("")
	}

	if a.cfg.License == nil || *a.cfg.License {
		l, err := c.GetLicense(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, err
			}
			partial[errorKind(ctx, err)]++
			b.carry(prev, "license")
		} else {
			b.section("license")
			for _, m := range []struct {
				module                string
				quota, used, remained backupapi.Int64
			}{
				{"vm", l.VMQuota, l.UsedVMQuota, l.RemainVMQuota},
				{"hypervisor_socket", l.HypervisorSocketQuota, l.UsedHypervisorSocketQuota, l.RemainHypervisorSocketQuota},
				{"nas", l.NasQuota, l.UsedNasQuota, l.RemainNasQuota},
				{"office365", l.Office365Quota, l.UsedOffice365Quota, l.RemainOffice365Quota},
			} {
				pairs := b.labels(mLicenseQuota, []string{name, m.module})
				b.shared(mLicenseQuota, pairs, float64(m.quota))
				b.shared(mLicenseUsed, pairs, float64(m.used))
				b.shared(mLicenseRemaining, pairs, float64(m.remained))
			}
		}
	}
	snap := b.done(a.now())
	a.lastSeries = len(snap.samples)
	return snap, partial, nil
}

// usersSection names the section of the users' samples, samplesPerUser
// samples a user (last backup, quota used, quota).
const (
	usersSection   = "users"
	samplesPerUser = 3
)

// userPairsWindow is how many users apart a user's sets may come from its
// place in the listing: the walk hands results over in completion order,
// with up to concurrency users working and as many waiting on each side.
func userPairsWindow(concurrency int) int {
	if concurrency <= 0 {
		concurrency = backupapi.DefaultAllBackupJobsConcurrency
	}
	return 4*concurrency + 16
}

// addSet adds one set's samples; they share one label set, whose user
// pair is the one given (the user's samples hold it too).
func (a *ahsayRefresher) addSet(b *builder, f *backupapi.BackupSetFreshness, user *dto.LabelPair) {
	pairs := b.labels(mSetLastSuccess, []string{a.cfg.Name, f.User.Owner, f.User.LoginName, f.SetName, f.SetID}, user)
	b.shared(mSetLastSuccess, pairs, unixSeconds(f.LastSuccess))
	outcome := string(f.LastOutcome)
	if outcome == "" {
		outcome = "none"
	}
	b.shared(mSetOutcome, b.with(pairs, "outcome", outcome), 1)
	b.shared(mSetFailures, pairs, float64(f.ConsecutiveFailures))
	v := a.policy.Judge(f)
	b.shared(mSetOverdue, pairs, float64(v.State))
}

// setsSection names the section of a user's sets. Owner and login are
// quoted, so that no pair names another's section ("a/b" and "c" against
// "a" and "b/c"): a user whose sets fail is carried its own.
func setsSection(u backupapi.UserRef) string {
	return "sets " + strconv.Quote(u.Owner) + " " + strconv.Quote(u.LoginName)
}

// unixSeconds is a time as Prometheus writes it; 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}
