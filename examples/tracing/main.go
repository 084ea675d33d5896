// Command tracing runs a quickstart-like tour of the SDK against the
// embedded fake servers with OpenTelemetry on, and prints the span tree
// the calls left: one span per call, a child per HTTP attempt, the
// waiters and iterators around their calls, the XClarity login.
//
// The spans go through the OpenTelemetry SDK's stdout exporter; the tree
// is drawn from what it wrote. With -json the exporter's output is
// printed as it is.
//
//	go run ./examples/tracing
//	go run ./examples/tracing -json
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	raw := flag.Bool("json", false, "print the stdout exporter's JSON instead of the tree")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *raw); err != nil {
		fmt.Fprintln(os.Stderr, "tracing:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, raw bool) error {
	var exported bytes.Buffer
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(&exported))
	if err != nil {
		return err
	}
	// A syncer exports each span as it ends: simple, and right for a demo
	// (a service would use sdktrace.WithBatcher).
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	if err := tour(ctx, tp); err != nil {
		return err
	}
	if err := tp.Shutdown(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	if raw {
		_, err := out.Write(exported.Bytes())
		return err
	}
	spans, err := readSpans(&exported)
	if err != nil {
		return err
	}
	printTree(out, spans)
	return nil
}

// tour makes the calls: a few AhsayCBS ones, a retried 503, an iterator
// the loop breaks out of, then an XClarity copy and the wait for its job.
func tour(ctx context.Context, tp *sdktrace.TracerProvider) error {
	ahsaySrv := backupapitest.NewAhsayServer()
	defer ahsaySrv.Close()
	ahsay, err := backupapi.NewAhsayClient(ahsaySrv.URL, ahsaySrv.SysUser, ahsaySrv.SysPwd,
		backupapi.WithHTTPClient(ahsaySrv.Client()), backupapi.WithTracerProvider(tp), backupapi.WithRetry(3, 10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		return err
	}
	user := backupapi.UserRef{LoginName: "tracing-user"}
	if err := ahsay.AddUser(ctx, &backupapi.AddUserRequest{UserRef: user, Password: "Tracing-Demo-1", ClientType: "OBM",
		QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 * backupapi.GiB}}}); err != nil {
		return err
	}
	ahsaySrv.Inject(backupapitest.OpGetUser, backupapitest.Fault{Status: 503}) // answered once with 503: retried
	if _, err := ahsay.GetUser(ctx, user); err != nil {
		return err
	}
	for _, err := range ahsay.AllUsers(ctx, nil) {
		if err != nil {
			return err
		}
		break // the first user is enough: the iterator's span says so
	}
	if _, err := ahsay.GetUser(ctx, backupapi.UserRef{LoginName: "nobody"}); !errors.Is(err, backupapi.ErrNotFound) {
		return fmt.Errorf("GetUser of nobody: %v, want ErrNotFound", err)
	}
	if err := ahsay.RemoveUser(ctx, user); err != nil {
		return err
	}

	xcSrv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(200 * time.Millisecond))
	defer xcSrv.Close()
	lxca, err := backupapi.NewXClarityClient(xcSrv.URL, xcSrv.Username, xcSrv.Password,
		backupapi.WithHTTPClient(xcSrv.Client()), backupapi.WithTracerProvider(tp))
	if err != nil {
		return err
	}
	defer lxca.Close(context.WithoutCancel(ctx))
	res, err := lxca.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/backups"})
	if err != nil {
		return err
	}
	_, err = lxca.WaitForJob(ctx, res.JobID, backupapi.WaitOptions{MinInterval: 100 * time.Millisecond, MaxInterval: 100 * time.Millisecond})
	return err
}

// span is what the tree needs of a span the stdout exporter wrote.
type span struct {
	Name        string
	SpanContext struct{ SpanID string }
	Parent      struct{ SpanID string }
	StartTime   time.Time
	EndTime     time.Time
	Attributes  []struct {
		Key   string
		Value struct{ Value any }
	}
	Links []json.RawMessage
}

// readSpans decodes the exporter's output: one JSON object per span.
func readSpans(r io.Reader) ([]span, error) {
	dec := json.NewDecoder(bufio.NewReader(r))
	var spans []span
	for {
		var s span
		err := dec.Decode(&s)
		if errors.Is(err, io.EOF) {
			return spans, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the exported spans: %w", err)
		}
		spans = append(spans, s)
	}
}

// shown are the attributes the tree prints.
var shown = []string{"http.response.status_code", "http.request.resend_count", "backupapi.result", "error.type",
	"backupapi.iterator.yielded", "backupapi.iterator.stopped_early"}

// printTree prints the spans as a tree, children in the order they
// started, with their duration and a few attributes.
func printTree(out io.Writer, spans []span) {
	ids := map[string]bool{}
	for _, s := range spans {
		ids[s.SpanContext.SpanID] = true
	}
	children := map[string][]span{}
	var roots []span
	for _, s := range spans {
		if ids[s.Parent.SpanID] {
			children[s.Parent.SpanID] = append(children[s.Parent.SpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	byStart := func(a, b span) int { return a.StartTime.Compare(b.StartTime) }
	var walk func(s span, prefix string, last bool, root bool)
	walk = func(s span, prefix string, last, root bool) {
		branch, next := "├─ ", "│  "
		if last {
			branch, next = "└─ ", "   "
		}
		if root {
			branch, next = "", ""
		}
		var attrs []string
		for _, key := range shown {
			for _, a := range s.Attributes {
				if a.Key == key {
					attrs = append(attrs, fmt.Sprintf("%s=%v", strings.TrimPrefix(key, "backupapi."), a.Value.Value))
				}
			}
		}
		if len(s.Links) > 0 {
			attrs = append(attrs, fmt.Sprintf("links=%d", len(s.Links)))
		}
		fmt.Fprintf(out, "%s%s%s  %s  %s\n", prefix, branch, s.Name, s.EndTime.Sub(s.StartTime).Round(time.Microsecond), strings.Join(attrs, " "))
		kids := children[s.SpanContext.SpanID]
		slices.SortStableFunc(kids, byStart)
		for i, k := range kids {
			walk(k, prefix+next, i == len(kids)-1, false)
		}
	}
	slices.SortStableFunc(roots, byStart)
	for _, r := range roots {
		walk(r, "", true, true)
	}
}
