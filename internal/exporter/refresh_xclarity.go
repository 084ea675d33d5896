package exporter

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
)

// xclarityRefresher reads an XClarity appliance's backups, backup jobs and
// quiesce state (BackupFreshness: 3 calls).
type xclarityRefresher struct {
	cfg  Target
	opts []backupapi.Option
	now  func() time.Time

	mu     sync.Mutex
	client *backupapi.XClarityClient
}

func (x *xclarityRefresher) clientFor() (*backupapi.XClarityClient, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.client != nil {
		return x.client, nil
	}
	user, pw, err := x.cfg.credentials()
	if err != nil {
		return nil, configError{err}
	}
	opts, err := clientOptions(&x.cfg, x.opts)
	if err != nil {
		return nil, configError{err}
	}
	c, err := backupapi.NewXClarityClient(x.cfg.URL, user, pw, opts...)
	if err != nil {
		return nil, configError{err}
	}
	x.client = c
	return c, nil
}

func (x *xclarityRefresher) prepare() error { _, err := x.clientFor(); return err }

// close logs the session out.
func (x *xclarityRefresher) close(ctx context.Context) {
	x.mu.Lock()
	c := x.client
	x.mu.Unlock()
	if c != nil {
		_ = c.Close(ctx)
	}
}

func (x *xclarityRefresher) refresh(ctx context.Context, _ *snapshot) (*snapshot, map[string]int, error) {
	c, err := x.clientFor()
	if err != nil {
		return nil, nil, err
	}
	now := x.now()
	f, err := c.BackupFreshness(ctx, &backupapi.BackupFreshnessRequest{Now: now})
	if err != nil {
		return nil, nil, err
	}
	name := x.cfg.Name
	b := newBuilder(16 + 2*len(f.Locations) + len(f.JobStates))
	for _, l := range f.Locations {
		pairs := b.labels(mXCNewestBackup, []string{name, l.Location})
		b.shared(mXCNewestBackup, pairs, unixSeconds(l.Newest))
		b.shared(mXCBackups, pairs, float64(l.Backups))
	}
	failed := 0.0
	if j := f.LastBackupJob; j != nil {
		b.gauge(mXCLastJob, 1, name, string(j.Status))
		if j.Status.Failed() {
			failed = 1
		}
	}
	b.gauge(mXCLastJobFailed, failed, name)
	states := make([]string, 0, len(f.JobStates))
	for s := range f.JobStates {
		states = append(states, string(s))
	}
	slices.Sort(states)
	for _, s := range states {
		b.gauge(mXCJobs, float64(f.JobStates[backupapi.JobStatus(s)]), name, s)
	}
	quiesced := 0.0
	if f.Quiesced {
		quiesced = 1
	}
	b.gauge(mXCQuiesced, quiesced, name)
	verdict := 3.0 // no backup
	if !f.Newest.IsZero() {
		p := x.cfg.Freshness.Policy()
		verdict = float64(p.JudgeUser(&backupapi.UserLastBackup{LastBackup: f.Newest, Age: f.Age}).State)
	}
	b.gauge(mXCOverdue, verdict, name)
	return b.done(x.now()), nil, nil
}
