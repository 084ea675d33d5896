package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/backupapi/backupapi/internal/pattern"
)

type bench struct {
	srv   *benchServer
	sdk   *backupapi.AhsayClient
	big   *backupapi.AhsayClient // without a response limit, for ListUsers of 100k users
	xc    *backupapi.XClarityClient
	tuned *http.Client
	naive *http.Client
}

const sysUser, sysPwd = "system", "system1"

func newBench() (*bench, error) {
	srv := newBenchServer()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	b := &bench{srv: srv}
	var err error
	if b.sdk, err = backupapi.NewAhsayClient(srv.URL, sysUser, sysPwd, backupapi.WithRootCAs(pool)); err != nil {
		return nil, err
	}
	if b.big, err = backupapi.NewAhsayClient(srv.URL, sysUser, sysPwd, backupapi.WithRootCAs(pool),
		backupapi.WithMaxResponseBytes(4<<30), backupapi.WithTimeout(0)); err != nil {
		return nil, err
	}
	if b.xc, err = backupapi.NewXClarityClient(srv.URL, "ADMIN", "pw", backupapi.WithRootCAs(pool), backupapi.WithBasicAuth()); err != nil {
		return nil, err
	}
	tuned := http.DefaultTransport.(*http.Transport).Clone()
	tuned.MaxIdleConns, tuned.MaxIdleConnsPerHost = 256, 128
	tuned.TLSClientConfig.RootCAs = pool
	b.tuned = &http.Client{Transport: tuned}
	naive := http.DefaultTransport.(*http.Transport).Clone() // http.DefaultClient's settings, trusting the test CA
	naive.TLSClientConfig.RootCAs = pool
	b.naive = &http.Client{Transport: naive}
	return b, nil
}

func (b *bench) close() { b.srv.Close() }

// rawGetUser is the hand-written call: net/http and encoding/json.
func (b *bench) rawGetUser(ctx context.Context, hc *http.Client) error {
	body, err := json.Marshal(struct{ SysUser, SysPwd, LoginName string }{sysUser, sysPwd, "obm2"})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.URL+"/obs/api/json/2/GetUser.do", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Status, Message, ExptType string
		Data                      *backupapi.UserDetail
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	if out.Status != "OK" || out.Data == nil {
		return fmt.Errorf("GetUser: %s", out.Message)
	}
	return nil
}

func (b *bench) sdkGetUser(ctx context.Context) error {
	_, err := b.sdk.GetUser(ctx, backupapi.UserRef{LoginName: "obm2"})
	return err
}

// latency: sequential GetUser, median per-call time. The contenders
// alternate call by call (in swapped order every other pair) so that drift
// in the machine's speed hits both alike.
func (b *bench) latency(ctx context.Context, o options) ([]check, error) {
	var sdk, raw []time.Duration
	timed := func(call func() error, into *[]time.Duration) error {
		start := time.Now()
		if err := call(); err != nil {
			return err
		}
		*into = append(*into, time.Since(start))
		return nil
	}
	sdkCall := func() error { return b.sdkGetUser(ctx) }
	rawCall := func() error { return b.rawGetUser(ctx, b.tuned) }
	for i := 0; i < 20; i++ { // warm both connections
		_, _ = sdkCall(), rawCall()
	}
	for i := 0; i < o.rounds*o.seqCalls; i++ {
		first, second := sdkCall, rawCall
		fi, si := &sdk, &raw
		if i%2 == 1 {
			first, second, fi, si = rawCall, sdkCall, &raw, &sdk
		}
		if err := timed(first, fi); err != nil {
			return nil, err
		}
		if err := timed(second, si); err != nil {
			return nil, err
		}
	}
	// The median of the per-pair ratios: each pair ran back to back, so
	// their ratio is free of the machine's drift.
	ratios := make([]float64, len(sdk))
	for i := range sdk {
		ratios[i] = float64(sdk[i]) / float64(raw[i])
	}
	ms, mr := median(sdk), median(raw)
	ratio := medianF(ratios)
	return []check{{measure: "GetUser latency, sequential: SDK / tuned raw (median of pair ratios)",
		value: fmt.Sprintf("%.3f (%s vs %s)", ratio, ms.Round(time.Microsecond), mr.Round(time.Microsecond)), target: "<= 1.05", margin: ratio / 1.05}}, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// throughput: calls/s with many goroutines.
func (b *bench) throughput(ctx context.Context, o options) ([]check, error) {
	run := func(calls int, call func() error) (float64, error) {
		var next atomic.Int64
		var firstErr error
		var once sync.Once
		var wg sync.WaitGroup
		start := time.Now()
		for g := 0; g < o.goroutines; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(calls) {
					if err := call(); err != nil {
						once.Do(func() { firstErr = err })
						return
					}
				}
			}()
		}
		wg.Wait()
		return float64(calls) / time.Since(start).Seconds(), firstErr
	}
	// SDK and tuned raw run in short alternating chunks, and the ratio is
	// the median of the ratios of adjacent chunks: drift in the machine's
	// speed (other processes, the GC, the CPU's clock) then hits both alike.
	var sdk, tuned, naive, ratios []float64
	conns := map[int]int64{}
	chunk := max(o.concCalls/16, 500)
	contenders := [...]string{"sdk", "tuned", "naive"}
	measure := func(c int) (rate float64, err error) {
		before := b.srv.conns.Load()
		defer func() { conns[c] += b.srv.conns.Load() - before }()
		// The label lets -cpuprofile split the costs by contender
		// (go tool pprof -tagfocus 'contender=^sdk$'): the workers and the
		// connections they dial inherit it.
		pprof.Do(ctx, pprof.Labels("contender", contenders[c]), func(ctx context.Context) {
			switch c {
			case 0:
				rate, err = run(chunk, func() error { return b.sdkGetUser(ctx) })
			case 1:
				rate, err = run(chunk, func() error { return b.rawGetUser(ctx, b.tuned) })
			default: // a TLS handshake per call: fewer calls
				rate, err = run(max(chunk/4, 200), func() error { return b.rawGetUser(ctx, b.naive) })
			}
		})
		return rate, err
	}
	// Warm up: open each contender's connections before measuring.
	for _, c := range []int{0, 1} {
		if _, err := measure(c); err != nil {
			return nil, err
		}
	}
	for r := 0; r < o.rounds*16; r++ {
		order := []int{0, 1}
		if r%2 == 1 {
			order = []int{1, 0}
		}
		var pair [2]float64
		for _, c := range order {
			rate, err := measure(c)
			if err != nil {
				return nil, err
			}
			pair[c] = rate
		}
		sdk, tuned = append(sdk, pair[0]), append(tuned, pair[1])
		ratios = append(ratios, pair[0]/pair[1])
	}
	for r := 0; r < o.rounds; r++ {
		rate, err := measure(2)
		if err != nil {
			return nil, err
		}
		naive = append(naive, rate)
	}
	s, t, n := medianF(sdk), medianF(tuned), medianF(naive)
	ratio := medianF(ratios)
	return []check{
		{measure: fmt.Sprintf("%d goroutines, GetUser throughput: SDK / tuned raw (median of chunk pairs)", o.goroutines),
			value: fmt.Sprintf("%.3f (%.0f vs %.0f calls/s; %d vs %d connections)", ratio, s, t, conns[0], conns[1]), target: ">= 0.95", margin: 0.95 / ratio},
		{measure: fmt.Sprintf("%d goroutines, GetUser throughput: SDK / naive raw (DefaultClient)", o.goroutines),
			value: fmt.Sprintf("%.2f (%.0f vs %.0f calls/s; naive opened %d connections)", s/n, s, n, conns[2]), target: ">= 2", margin: 2 / (s / n)},
	}, nil
}

func medianF(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// allocs: heap allocations and bytes per sequential GetUser call (the
// server's, the same for both, included). Bytes matter as much as counts:
// under load they set how often the GC runs.
func (b *bench) allocs(ctx context.Context, o options) ([]check, error) {
	type cost struct{ allocs, bytes float64 }
	measure := func(call func() error) (cost, error) {
		for i := 0; i < 50; i++ { // warm the connection and caches
			if err := call(); err != nil {
				return cost{}, err
			}
		}
		var before, after runtime.MemStats
		runtime.GC() // let the earlier measures' leftovers (closing connections, exiting goroutines) settle
		runtime.ReadMemStats(&before)
		n := max(o.seqCalls/2, 500)
		for i := 0; i < n; i++ {
			if err := call(); err != nil {
				return cost{}, err
			}
		}
		runtime.ReadMemStats(&after)
		return cost{float64(after.Mallocs-before.Mallocs) / float64(n), float64(after.TotalAlloc-before.TotalAlloc) / float64(n)}, nil
	}
	var sdkN, rawN, sdkB, rawB []float64
	for r := 0; r < o.rounds; r++ {
		s, err := measure(func() error { return b.sdkGetUser(ctx) })
		if err != nil {
			return nil, err
		}
		t, err := measure(func() error { return b.rawGetUser(ctx, b.tuned) })
		if err != nil {
			return nil, err
		}
		sdkN, rawN = append(sdkN, s.allocs), append(rawN, t.allocs)
		sdkB, rawB = append(sdkB, s.bytes), append(rawB, t.bytes)
	}
	// The counts are process-wide, so anything else running adds to them and
	// never subtracts: the least count of each contender is its own cost.
	s, t := slices.Min(sdkN), slices.Min(rawN)
	return []check{{measure: "allocations per GetUser call: SDK - tuned raw (least of rounds)",
		value: fmt.Sprintf("%+.0f (%.0f vs %.0f; %.1f vs %.1f KiB)", s-t, s, t, slices.Min(sdkB)/1024, slices.Min(rawB)/1024), target: "<= +40", margin: (s - t) / 40}}, nil
}

// heapSampler records the peak of the heap's objects, live and not yet
// collected, while it runs (liveHeapSampler records the live heap alone).
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	name string // the runtime/metrics sample it follows
	peak uint64
}

func startHeapSampler() *heapSampler {
	return startSampling("/memory/classes/heap/objects:bytes")
}

// startSampling records the peak of the runtime/metrics value name, read
// every millisecond, from a collection on.
func startSampling(name string) *heapSampler {
	runtime.GC()
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{}), name: name}
	sample := []metrics.Sample{{Name: name}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			h.peak = max(h.peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// end stops the sampler and returns the peak, the last value read counted
// (however short the run).
func (h *heapSampler) end() uint64 {
	close(h.stop)
	<-h.done
	sample := []metrics.Sample{{Name: h.name}}
	metrics.Read(sample)
	return max(h.peak, sample[0].Value.Uint64())
}

const mib = 1 << 20

// allUsers: streaming decode of a large ListUsers answer.
func (b *bench) allUsers(ctx context.Context, o options) ([]check, error) {
	type res struct {
		peak uint64
		rate float64
	}
	runAll := func(n int) (res, error) {
		b.srv.users.Store(int64(n))
		h := startHeapSampler()
		start := time.Now()
		count := 0
		for _, err := range b.big.AllUsers(ctx, nil) {
			if err != nil {
				h.end()
				return res{}, err
			}
			count++
		}
		el := time.Since(start)
		peak := h.end()
		if count != n {
			return res{}, fmt.Errorf("AllUsers: %d users, want %d", count, n)
		}
		return res{peak, float64(n) / el.Seconds()}, nil
	}
	runSlice := func(n int) (res, error) {
		b.srv.users.Store(int64(n))
		h := startHeapSampler()
		start := time.Now()
		body, _ := json.Marshal(struct{ SysUser, SysPwd string }{sysUser, sysPwd})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.URL+"/obs/api/json/2/ListUsers.do", bytes.NewReader(body))
		resp, err := b.tuned.Do(req)
		if err != nil {
			h.end()
			return res{}, err
		}
		var out struct {
			Status string
			User   []backupapi.User
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		el := time.Since(start)
		peak := h.end()
		if err != nil || len(out.User) != n {
			return res{}, fmt.Errorf("slice decode: %v, %d users", err, len(out.User))
		}
		return res{peak, float64(n) / el.Seconds()}, nil
	}
	runList := func(n int) (res, error) {
		b.srv.users.Store(int64(n))
		h := startHeapSampler()
		start := time.Now()
		users, err := b.big.ListUsers(ctx, nil)
		el := time.Since(start)
		peak := h.end()
		if err != nil || len(users) != n {
			return res{}, fmt.Errorf("ListUsers: %v, %d users", err, len(users))
		}
		return res{peak, float64(n) / el.Seconds()}, nil
	}
	var small, large, slice, list []res
	for r := 0; r < o.rounds; r++ {
		for _, step := range []func() error{
			func() error { x, err := runAll(o.usersLarge); large = append(large, x); return err },
			func() error { x, err := runSlice(o.usersLarge); slice = append(slice, x); return err },
			func() error { x, err := runAll(o.usersSmall); small = append(small, x); return err },
			func() error { x, err := runList(o.usersLarge); list = append(list, x); return err },
		} {
			if err := step(); err != nil {
				return nil, err
			}
		}
	}
	peak := func(rs []res) uint64 {
		var m uint64
		for _, r := range rs {
			m = max(m, r.peak)
		}
		return m
	}
	rate := func(rs []res) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = r.rate
		}
		return medianF(v)
	}
	pl, ps := peak(large), peak(small)
	ra, rs, rl := rate(large), rate(slice), rate(list)
	return []check{
		{measure: fmt.Sprintf("AllUsers peak heap, %dk users", o.usersLarge/1000),
			value:  fmt.Sprintf("%.1f MiB (ListUsers %.0f MiB, slice decode %.0f MiB)", float64(pl)/mib, float64(peak(list))/mib, float64(peak(slice))/mib),
			target: "<= 32 MiB", margin: float64(pl) / (32 * mib)},
		{measure: fmt.Sprintf("AllUsers peak heap flat: %dk vs %dk users", o.usersLarge/1000, o.usersSmall/1000),
			value: fmt.Sprintf("%.1f vs %.1f MiB", float64(pl)/mib, float64(ps)/mib), target: "grows <= 4 MiB",
			margin: (float64(pl) - float64(ps)) / (4 * mib)},
		{measure: "AllUsers decode rate / encoding/json into a slice",
			value: fmt.Sprintf("%.3f (%.0f vs %.0f users/s; ListUsers %.0f)", ra/rs, ra, rs, rl), target: ">= 0.9", margin: 0.9 / (ra / rs)},
	}, nil
}

// importBackup: a streamed multipart upload.
func (b *bench) importBackup(ctx context.Context, o options) ([]check, error) {
	sdk := func() (float64, uint64, error) {
		h := startHeapSampler()
		start := time.Now()
		res, err := b.xc.ImportBackup(ctx, &backupapi.ImportBackupRequest{Filename: "backup.tgz", Body: pattern.NewReader(o.importSize)})
		el := time.Since(start)
		peak := h.end()
		if err != nil {
			return 0, 0, err
		}
		if res.JobID != fmt.Sprint(o.importSize) {
			return 0, 0, fmt.Errorf("ImportBackup: server got %s bytes", res.JobID)
		}
		return float64(o.importSize) / el.Seconds(), peak, nil
	}
	raw := func() (float64, uint64, error) {
		h := startHeapSampler()
		start := time.Now()
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			part, err := mw.CreateFormFile("uploadedfile", "backup.tgz")
			if err == nil {
				_, err = io.Copy(part, pattern.NewReader(o.importSize))
			}
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.srv.URL+"/files/managementServer/data?action=import", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.SetBasicAuth("ADMIN", "pw")
		resp, err := b.tuned.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		el := time.Since(start)
		peak := h.end()
		return float64(o.importSize) / el.Seconds(), peak, err
	}
	// The contenders alternate, in swapped order every other round, and the
	// ratio is the median of the rounds' ratios, as in the other measures.
	var rs, rr, ratios []float64
	var peak uint64
	for r := 0; r < o.rounds; r++ {
		var s, t float64
		var p uint64
		var err error
		if r%2 == 0 {
			if s, p, err = sdk(); err == nil {
				t, _, err = raw()
			}
		} else {
			if t, _, err = raw(); err == nil {
				s, p, err = sdk()
			}
		}
		if err != nil {
			return nil, err
		}
		rs, rr, ratios, peak = append(rs, s), append(rr, t), append(ratios, s/t), max(peak, p)
	}
	s, t, ratio := medianF(rs), medianF(rr), medianF(ratios)
	return []check{
		{measure: fmt.Sprintf("ImportBackup of %d MiB: peak heap", o.importSize/mib), value: fmt.Sprintf("%.1f MiB", float64(peak)/mib),
			target: "<= 64 MiB", margin: float64(peak) / (64 * mib)},
		{measure: "ImportBackup rate / raw multipart io.Copy (median of round ratios)", value: fmt.Sprintf("%.3f (%.0f vs %.0f MiB/s)", ratio, s/mib, t/mib),
			target: ">= 0.9", margin: 0.9 / ratio},
	}, nil
}

// waitForJob: a job of o.jobLength, on a clock 100 times faster than real
// (1 virtual second = 10 ms), polled between 1 and 10 virtual seconds.
func (b *bench) waitForJob(ctx context.Context, o options) ([]check, error) {
	const scale = 100
	srv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(o.jobLength / scale))
	defer srv.Close()
	c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
	if err != nil {
		return nil, err
	}
	defer c.Close(ctx)
	maxInterval := 10 * time.Second / scale
	worstPolls, worstLate := 0, time.Duration(0)
	for r := 0; r < o.rounds; r++ {
		res, err := c.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: fmt.Sprintf("/mnt/bench-%d", r)}) // a new place each round: the fake refuses a second copy to one
		if err != nil {
			return nil, err
		}
		startedAt := time.Now()
		before := srv.Calls("GetJobs")
		job, err := c.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: time.Second / scale, MaxInterval: maxInterval})
		if err != nil {
			return nil, err
		}
		if job.Status != backupapi.JobComplete {
			return nil, errors.New("WaitForJob: job not complete")
		}
		late := time.Since(startedAt) - o.jobLength/scale
		worstPolls, worstLate = max(worstPolls, srv.Calls("GetJobs")-before), max(worstLate, late)
	}
	return []check{
		{measure: fmt.Sprintf("WaitForJob, job of %s: requests", o.jobLength), value: fmt.Sprint(worstPolls), target: "<= 15",
			margin: float64(worstPolls) / 15},
		{measure: "WaitForJob: seen after completion", value: fmt.Sprintf("%.1f s (virtual)", (worstLate * scale).Seconds()),
			target: "<= one poll interval (10 s)", margin: float64(worstLate) / float64(maxInterval)},
	}, nil
}
