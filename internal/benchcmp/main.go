// Command benchcmp measures the SDK against hand-written net/http +
// encoding/json code in one run, alternating the contenders round by round,
// and prints one table whose last line is PASS or FAIL with the worst ratio
// against its target. Ratios, not absolute times: machines are noisy.
//
//	go run ./internal/benchcmp            # the full run (a few minutes on 2 cores)
//	go run ./internal/benchcmp -quick     # small sizes, to prove it works
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

type options struct {
	rounds     int
	seqCalls   int
	concCalls  int
	goroutines int
	usersSmall int
	usersLarge int
	importSize int64
	jobLength  time.Duration
	gate       bool

	nightlyUsers, nightlySmall, nightlySeq int           // AllBackupJobs: users, users for the heap check, users of the sequential loop
	nightlyDelay                           time.Duration // the server's time per user

	freshUsers, freshSmall int           // the exporter refresh: users, users for the heap check (freshness.go)
	freshDelay             time.Duration // the server's time per call
	rateCalls              int           // calls of the rate-limit measure
	otelSeq, otelChunk     int           // the otel measure: sequential calls per contender per round, calls per throughput chunk
}

func main() {
	var o options
	quick := flag.Bool("quick", false, "small sizes and few rounds (for CI)")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds per measure; contenders alternate within each")
	flag.IntVar(&o.seqCalls, "seq", 2000, "sequential GetUser calls per contender per round")
	flag.IntVar(&o.concCalls, "calls", 20000, "GetUser calls per contender per round, concurrently")
	flag.IntVar(&o.goroutines, "goroutines", 64, "goroutines for the concurrent measure")
	flag.IntVar(&o.usersSmall, "users-small", 10000, "users in the small ListUsers answer")
	flag.IntVar(&o.usersLarge, "users", 100000, "users in the large ListUsers answer")
	flag.Int64Var(&o.importSize, "import", 1<<30, "bytes uploaded by ImportBackup")
	flag.DurationVar(&o.jobLength, "job", 60*time.Second, "virtual length of the job WaitForJob waits for")
	flag.BoolVar(&o.gate, "gate", true, "exit 1 on FAIL")
	flag.IntVar(&o.nightlyUsers, "nightly-users", 10000, "users of the AllBackupJobs measure")
	flag.IntVar(&o.nightlySmall, "nightly-small", 1000, "users of its heap comparison")
	flag.IntVar(&o.nightlySeq, "nightly-seq", 250, "users of its sequential loop")
	flag.DurationVar(&o.nightlyDelay, "nightly-delay", 20*time.Millisecond, "the server's time per user")
	flag.IntVar(&o.freshUsers, "fresh-users", 10000, "users of the exporter refresh measure (3 sets each)")
	flag.IntVar(&o.freshSmall, "fresh-small", 1000, "users of its heap comparison")
	flag.DurationVar(&o.freshDelay, "fresh-delay", 20*time.Millisecond, "the server's time per call of the refresh")
	flag.IntVar(&o.rateCalls, "rate-calls", 1000, "calls of the WithRateLimit(50, 1) measure")
	flag.IntVar(&o.otelSeq, "otel-seq", 2000, "sequential GetUser calls per contender per round of the OpenTelemetry latency")
	flag.IntVar(&o.otelChunk, "otel-chunk", 1250, "GetUser calls per chunk of the OpenTelemetry throughput (16 chunk triples a round: off, on, the SDK's floor)")
	only := flag.String("only", "", "run only the measures whose names contain this (latency, throughput, allocs, allusers, import, wait, nightly, freshness, otel)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchcmp:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	if *quick {
		o = options{rounds: 2, seqCalls: 200, concCalls: 2000, goroutines: 64, usersSmall: 10000, usersLarge: 30000,
			importSize: 64 << 20, jobLength: 60 * time.Second, gate: o.gate,
			nightlyUsers: 800, nightlySmall: 160, nightlySeq: 40, nightlyDelay: 20 * time.Millisecond, rateCalls: 101,
			freshUsers: 320, freshSmall: 64, freshDelay: 20 * time.Millisecond,
			otelSeq: 1000, otelChunk: 1000} // the OpenTelemetry ratios sit near their targets: enough calls that noise does not decide
	}
	fmt.Printf("benchcmp: %d cores, %s, %d rounds\n\n", runtime.NumCPU(), runtime.Version(), o.rounds)
	ctx := context.Background()
	b, err := newBench()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcmp:", err)
		os.Exit(2)
	}
	defer b.close()

	var checks []check
	for _, m := range []struct {
		name string
		run  func(context.Context, options) ([]check, error)
	}{
		// nightly first: its heap measures want a heap the others have not filled.
		{"nightly", b.nightly}, {"freshness", b.freshness}, {"latency", b.latency}, {"throughput", b.throughput}, {"allocs", b.allocs},
		{"allusers", b.allUsers}, {"import", b.importBackup}, {"wait", b.waitForJob}, {"otel", b.otel},
	} {
		if !strings.Contains(m.name, *only) {
			continue
		}
		cs, err := m.run(ctx, o)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchcmp:", err)
			os.Exit(2)
		}
		checks = append(checks, cs...)
	}
	worst := printTable(checks)
	verdict := "PASS"
	if worst.margin > 1 {
		verdict = "FAIL"
	}
	fmt.Printf("%s worst: %s — %s (target %s)\n", verdict, worst.measure, worst.value, worst.target)
	if verdict == "FAIL" && o.gate {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// check is one row of the table. margin is how far the value is along its
// target: <= 1 meets it.
type check struct {
	measure, value, target string
	margin                 float64
}

func printTable(checks []check) check {
	w := []int{len("measure"), len("result"), len("target")}
	for _, c := range checks {
		w[0], w[1], w[2] = max(w[0], len(c.measure)), max(w[1], len(c.value)), max(w[2], len(c.target))
	}
	row := func(a, b, c, d string) {
		fmt.Printf("| %-*s | %-*s | %-*s | %-4s |\n", w[0], a, w[1], b, w[2], c, d)
	}
	row("measure", "result", "target", "ok")
	fmt.Printf("|%s|%s|%s|------|\n", strings.Repeat("-", w[0]+2), strings.Repeat("-", w[1]+2), strings.Repeat("-", w[2]+2))
	worst := check{margin: -1}
	for _, c := range checks {
		ok := "yes"
		if c.margin > 1 {
			ok = "NO"
		}
		row(c.measure, c.value, c.target, ok)
		if c.margin > worst.margin {
			worst = c
		}
	}
	fmt.Println()
	return worst
}
