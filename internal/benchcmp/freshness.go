package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/internal/exporter"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// freshWorkers is the concurrency of the refresh measure, the exporter's
// and the hand-written pool's alike.
const freshWorkers = 32

// freshness: one exporter refresh of an AhsayCBS target (users x 3 sets,
// each per-user call answered after a delay) against a hand-written worker
// pool making the same calls; its peak heap; and a scrape of the snapshot
// against a client_golang registry of GaugeVecs holding the same series.
func (b *bench) freshness(ctx context.Context, o options) ([]check, error) {
	b.srv.jobDelay.Store(int64(o.freshDelay))
	defer b.srv.jobDelay.Store(0)
	if err := os.Setenv("BENCH_SYSPWD", sysPwd); err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(b.srv.Certificate())
	target := exporter.Target{Name: "bench", Type: exporter.TypeAhsay, URL: b.srv.URL, User: sysUser, PasswordEnv: "BENCH_SYSPWD",
		Interval: exporter.Age(time.Hour), Concurrency: freshWorkers}

	ref, err := exporter.NewRefresher(target, backupapi.WithRootCAs(pool))
	if err != nil {
		return nil, err
	}
	defer ref.Close(ctx)
	b.srv.users.Store(int64(o.freshSmall))
	if _, err := ref.Refresh(ctx); err != nil { // a warm-up: the connections, as a running exporter has them
		return nil, err
	}
	var last *exporter.Snapshot
	sdk := func(users int) (el time.Duration, peak, retained uint64, err error) {
		b.srv.users.Store(int64(users))
		b.srv.peak.Store(0)
		last = nil
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		h := startHeapSampler()
		start := time.Now()
		snap, err := ref.Refresh(ctx)
		el, peak = time.Since(start), h.end()
		if err != nil {
			return 0, 0, 0, err
		}
		if want := 15*users + 12; snap.Series() != want {
			return 0, 0, 0, fmt.Errorf("refresh: %d series, want %d", snap.Series(), want)
		}
		if p := b.srv.peak.Load(); p > freshWorkers {
			return 0, 0, 0, fmt.Errorf("refresh: the server saw %d calls in flight, more than %d", p, freshWorkers)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		last = snap
		return el, peak, after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc), nil
	}
	raw := func(users int) (time.Duration, error) {
		b.srv.users.Store(int64(users))
		start := time.Now()
		n, err := b.rawRefresh(ctx)
		if err == nil && n != 3*users {
			err = fmt.Errorf("raw: %d sets, want %d", n, 3*users)
		}
		return time.Since(start), err
	}

	// The small heap first: the large snapshot, kept for the scrape, would
	// sit in its heap.
	_, peakSmall, retainedSmall, err := sdk(o.freshSmall)
	if err != nil {
		return nil, err
	}
	var ratios []float64
	var times []time.Duration
	var peakLarge, retainedLarge uint64
	for r := 0; r < o.rounds; r++ {
		order := []string{"sdk", "raw"}
		if r%2 == 1 {
			order = []string{"raw", "sdk"}
		}
		var ts, tr time.Duration
		for _, who := range order {
			var err error
			if who == "sdk" {
				var peak, kept uint64
				ts, peak, kept, err = sdk(o.freshUsers)
				peakLarge, retainedLarge = max(peakLarge, peak), max(retainedLarge, kept)
			} else {
				tr, err = raw(o.freshUsers)
			}
			if err != nil {
				return nil, err
			}
		}
		times = append(times, ts)
		ratios = append(ratios, ts.Seconds()/tr.Seconds())
	}
	large := last
	workLarge, workSmall := peakLarge-min(peakLarge, retainedLarge), peakSmall-min(peakSmall, retainedSmall)
	growth := float64(workLarge) / float64(max(workSmall, 1))
	ratio := medianF(ratios)
	refresh := median(times)

	scrapeOurs, allocOurs, err := scrape(large.Handler(), o.rounds*3)
	if err != nil {
		return nil, err
	}
	scrapeCollector, _, err := scrape(gathered(large.Collector()), o.rounds*3)
	if err != nil {
		return nil, err
	}
	reg, err := registryOf(large)
	if err != nil {
		return nil, err
	}
	scrapeTheirs, allocTheirs, err := scrape(promhttp.HandlerFor(reg, promhttp.HandlerOpts{DisableCompression: true}), o.rounds*3)
	if err != nil {
		return nil, err
	}
	allocRatio := float64(allocOurs) / float64(max(allocTheirs, 1))
	share := scrapeOurs.Seconds() / refresh.Seconds()
	return []check{
		{measure: fmt.Sprintf("exporter refresh, %d users x 3 sets, %s per call, %d at once: exporter / hand-written pool", o.freshUsers, o.freshDelay, freshWorkers),
			value:  fmt.Sprintf("%.3f (median of %d round ratios; %s per refresh)", ratio, len(ratios), refresh.Round(time.Millisecond)),
			target: "<= 1.10", margin: ratio / 1.10},
		{measure: fmt.Sprintf("exporter refresh peak heap, %d users (snapshot %d series, %.1f MiB retained)", o.freshUsers, large.Series(), float64(retainedLarge)/mib),
			value: fmt.Sprintf("%.1f MiB", float64(peakLarge)/mib), target: "<= 64 MiB", margin: float64(peakLarge) / (64 * mib)},
		{measure: fmt.Sprintf("exporter refresh working heap (peak - snapshot) flat: %d vs %d users", o.freshUsers, o.freshSmall),
			value:  fmt.Sprintf("%.2fx (%.1f vs %.1f MiB)", growth, float64(workLarge)/mib, float64(workSmall)/mib),
			target: "<= 1.25x", margin: growth / 1.25},
		{measure: fmt.Sprintf("scrape of the snapshot (%d series): median time", large.Series()),
			value: fmt.Sprintf("%s (through Gather: the snapshot's Collector %s, a registry of GaugeVecs %s)", scrapeOurs.Round(100*time.Microsecond),
				scrapeCollector.Round(time.Millisecond), scrapeTheirs.Round(time.Millisecond)),
			target: "<= 50ms", margin: scrapeOurs.Seconds() / 0.050},
		{measure: "scrape time / one refresh's time", value: fmt.Sprintf("%.2f%%", 100*share), target: "<= 5%", margin: share / 0.05},
		{measure: "scrape bytes allocated: the written snapshot / client_golang registry of the same series",
			value:  fmt.Sprintf("%.2f (%.1f vs %.1f MiB per scrape)", allocRatio, float64(allocOurs)/mib, float64(allocTheirs)/mib),
			target: "<= 1.00", margin: allocRatio},
	}, nil
}

// gathered serves a collector through its own registry, as promhttp does
// (text, no compression).
func gathered(c prometheus.Collector) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{DisableCompression: true})
}

// discard is a ResponseWriter that keeps nothing, so that both contenders
// are measured without the cost of holding their output.
type discard struct {
	header http.Header
	code   int
	n      int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// scrape serves h n times and returns the median time and the bytes
// allocated per scrape.
func scrape(h http.Handler, n int) (time.Duration, uint64, error) {
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	var times []time.Duration
	var allocated uint64
	for i := 0; i < n; i++ {
		w := &discard{header: http.Header{}, code: http.StatusOK}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		h.ServeHTTP(w, req)
		times = append(times, time.Since(start))
		runtime.ReadMemStats(&after)
		allocated += after.TotalAlloc - before.TotalAlloc
		if w.code != http.StatusOK || w.n == 0 {
			return 0, 0, fmt.Errorf("scrape: status %d, %d bytes", w.code, w.n)
		}
	}
	return median(times), allocated / uint64(n), nil
}

// registryOf builds a client_golang registry of GaugeVecs holding the
// snapshot's series.
func registryOf(s *exporter.Snapshot) (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	vecs := map[string]*prometheus.GaugeVec{}
	for _, m := range exporter.Metrics {
		vecs[m.Name] = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: m.Name, Help: m.Help}, m.Labels)
		if err := reg.Register(vecs[m.Name]); err != nil {
			return nil, err
		}
	}
	var err error
	s.Each(func(name string, labels map[string]string, v float64) {
		g, e := vecs[name].GetMetricWith(labels)
		if e != nil && err == nil {
			err = e
			return
		}
		if g != nil {
			g.Set(v)
		}
	})
	return reg, err
}

// rawRefresh is the hand-written version of a refresh: ListUsers twice (the
// quotas, then the names), then a pool of workers making each user's three
// calls, and the licence. It returns the sets read.
func (b *bench) rawRefresh(ctx context.Context) (int, error) {
	post := func(path string, body map[string]any, out any) error {
		body["SysUser"], body["SysPwd"] = sysUser, sysPwd
		bs, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.URL+path, bytes.NewReader(bs))
		req.Header.Set("Content-Type", "application/json")
		resp, err := b.tuned.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(out)
	}
	var full struct {
		User []struct {
			LoginName, Owner string
			QuotaUsed        json.Number
			LastBackupDate   int64
		}
	}
	if err := post("/obs/api/json/2/ListUsers.do", map[string]any{}, &full); err != nil {
		return 0, err
	}
	var names struct {
		User []struct{ LoginName, Owner string }
	}
	if err := post("/obs/api/json/2/ListUsers.do", map[string]any{"LoginNameOnly": true}, &names); err != nil {
		return 0, err
	}
	work := make(chan string)
	var mu sync.Mutex
	sets := 0
	var firstErr error
	var wg sync.WaitGroup
	for range freshWorkers {
		wg.Go(func() {
			for login := range work {
				var list, jobs, status struct {
					Data []map[string]any
				}
				err := post("/obs/api/json/ListBackupSets.do", map[string]any{"LoginName": login}, &list)
				if err == nil {
					err = post("/obs/api/json/ListBackupJobs.do", map[string]any{"LoginName": login}, &jobs)
				}
				if err == nil {
					err = post("/obs/api/json/ListBackupJobStatus.do", map[string]any{"LoginName": login, "BackupDate": freshDay}, &status)
				}
				mu.Lock()
				sets += len(list.Data)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	for _, u := range names.User {
		work <- u.LoginName
	}
	close(work)
	wg.Wait()
	var lic map[string]any
	if err := post("/obs/api/json/2/GetLicense.do", map[string]any{}, &lic); err != nil && firstErr == nil {
		firstErr = err
	}
	return sets, firstErr
}
