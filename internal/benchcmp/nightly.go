package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
)

// nightly: AllBackupJobs over many users against a server that takes a
// fixed time per user (a real server over a network: without a delay two
// cores bound any speed-up), against a hand-written worker pool of the
// same size over plain net/http, and against a sequential loop.
func (b *bench) nightly(ctx context.Context, o options) ([]check, error) {
	const workers = 8
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	b.srv.jobDelay.Store(int64(o.nightlyDelay))
	defer b.srv.jobDelay.Store(0)

	sdk := func(users int) (time.Duration, uint64, error) {
		b.srv.users.Store(int64(users))
		b.srv.peak.Store(0)
		h := startHeapSampler()
		start := time.Now()
		n := 0
		for _, err := range b.big.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: day, Concurrency: workers}) {
			if err != nil {
				h.end()
				return 0, 0, err
			}
			n++
		}
		el, peak := time.Since(start), h.end()
		if n != 3*users {
			return 0, 0, fmt.Errorf("AllBackupJobs: %d jobs, want %d", n, 3*users)
		}
		if p := b.srv.peak.Load(); p > workers {
			return 0, 0, fmt.Errorf("AllBackupJobs: the server saw %d calls in flight, more than %d", p, workers)
		}
		return el, peak, nil
	}
	raw := func(users int) (time.Duration, error) {
		b.srv.users.Store(int64(users))
		start := time.Now()
		n, err := b.rawNightly(ctx, day, workers)
		if err == nil && n != 3*users {
			err = fmt.Errorf("raw: %d jobs, want %d", n, 3*users)
		}
		return time.Since(start), err
	}
	sequential := func(users int) (time.Duration, error) {
		b.srv.users.Store(int64(users))
		start := time.Now()
		for u, err := range b.big.AllUsers(ctx, &backupapi.ListUsersRequest{LoginNameOnly: true}) {
			if err != nil {
				return 0, err
			}
			if _, err := b.big.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: backupapi.UserRef{LoginName: u.LoginName}, Date: day}); err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	}

	var ratios []float64
	var sdkTimes []time.Duration
	var peakLarge uint64
	for r := 0; r < o.rounds; r++ {
		first, second := "sdk", "raw"
		if r%2 == 1 {
			first, second = second, first
		}
		var ts, tr time.Duration
		for _, who := range []string{first, second} {
			var err error
			if who == "sdk" {
				var peak uint64
				ts, peak, err = sdk(o.nightlyUsers)
				peakLarge = max(peakLarge, peak)
			} else {
				tr, err = raw(o.nightlyUsers)
			}
			if err != nil {
				return nil, err
			}
		}
		sdkTimes = append(sdkTimes, ts)
		ratios = append(ratios, ts.Seconds()/tr.Seconds())
	}
	_, peakSmall, err := sdk(o.nightlySmall)
	if err != nil {
		return nil, err
	}
	tseq, err := sequential(o.nightlySeq)
	if err != nil {
		return nil, err
	}
	perUserSeq := tseq.Seconds() / float64(o.nightlySeq)
	perUserSDK := median(sdkTimes).Seconds() / float64(o.nightlyUsers)
	speedup := perUserSeq / perUserSDK
	ratio := medianF(ratios)
	growth := float64(peakLarge) / float64(max(peakSmall, 1))
	return []check{
		{measure: fmt.Sprintf("AllBackupJobs, %d users x 3 sets, %s per user, 8 at once: SDK / hand-written pool", o.nightlyUsers, o.nightlyDelay),
			value:  fmt.Sprintf("%.3f (median of %d round ratios; %s per run)", ratio, len(ratios), median(sdkTimes).Round(time.Millisecond)),
			target: "<= 1.10", margin: ratio / 1.10},
		{measure: "AllBackupJobs speed-up over a sequential loop (per user)",
			value: fmt.Sprintf("%.1fx (%.1f vs %.1f ms per user)", speedup, perUserSDK*1000, perUserSeq*1000), target: ">= 5x", margin: 5 / speedup},
		{measure: fmt.Sprintf("AllBackupJobs peak heap, %d users", o.nightlyUsers),
			value: fmt.Sprintf("%.1f MiB", float64(peakLarge)/mib), target: "<= 32 MiB", margin: float64(peakLarge) / (32 * mib)},
		{measure: fmt.Sprintf("AllBackupJobs peak heap flat: %d vs %d users", o.nightlyUsers, o.nightlySmall),
			value: fmt.Sprintf("%.2fx (%.1f vs %.1f MiB)", growth, float64(peakLarge)/mib, float64(peakSmall)/mib), target: "<= 1.25x",
			margin: growth / 1.25},
	}, nil
}

// rawNightly is the hand-written version: list the users, then a pool of
// workers POSTs ListBackupJobStatus for each and decodes the answer.
func (b *bench) rawNightly(ctx context.Context, day time.Time, workers int) (int, error) {
	body, _ := json.Marshal(map[string]any{"SysUser": sysUser, "SysPwd": sysPwd, "LoginNameOnly": true})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.URL+"/obs/api/json/2/ListUsers.do", bytes.NewReader(body))
	resp, err := b.tuned.Do(req)
	if err != nil {
		return 0, err
	}
	var list struct {
		User []struct{ LoginName, Owner string }
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	names := make(chan string)
	var mu sync.Mutex
	total := 0
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for name := range names {
				body, _ := json.Marshal(map[string]any{"SysUser": sysUser, "SysPwd": sysPwd, "LoginName": name, "BackupDate": day.Format("2006-01-02")})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.URL+"/obs/api/json/ListBackupJobStatus.do", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := b.tuned.Do(req)
				var out struct {
					Status string
					Data   []map[string]any
				}
				if err == nil {
					err = json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
				}
				mu.Lock()
				total += len(out.Data)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	for _, u := range list.User {
		names <- u.LoginName
	}
	close(names)
	wg.Wait()
	return total, firstErr
}
