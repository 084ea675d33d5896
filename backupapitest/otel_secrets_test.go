package backupapitest_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// TestTelemetryHoldsNoSecret drives every operation, traced and metered,
// through success and failures that echo every secret back (BodyEcho), and
// searches everything the OpenTelemetry SDK recorded — span names,
// attributes, events, links, statuses, metric attributes — for every
// secret, and for the IDs the calls carried.
func TestTelemetryHoldsNoSecret(t *testing.T) {
	faults := []matrixFault{
		{name: "none"},
		{name: "503", fault: backupapitest.Fault{Status: 503, Times: -1}},
		{name: "reset after acting", fault: backupapitest.Fault{Drop: backupapitest.DropAfterAct, Times: -1}},
		{name: "echo", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Times: -1}},
		{name: "echo with 400", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 400, Times: -1}},
		{name: "echo with 500", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 500, Times: -1}},
		{name: "login echoes with 401", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 401, Times: -1}},
	}
	// IDs the calls carry in their paths or bodies: never in telemetry.
	ids := []string{"4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "9a1c4d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d", "/tasks/17", "newcomer", "someone"}
	for _, op := range matrixOps {
		for _, f := range faults {
			if f.name == "login echoes with 401" && !op.xclarity {
				continue
			}
			t.Run(op.name+"/"+f.name, func(t *testing.T) {
				spans := tracetest.NewSpanRecorder()
				tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
				reader := sdkmetric.NewManualReader()
				mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
				observed := runObserved(t, op, f, backupapi.WithTracerProvider(tp), backupapi.WithMeterProvider(mp),
					backupapi.WithPropagators(propagation.TraceContext{}), backupapi.WithRateLimit(1e6, 100), backupapi.WithMaxInFlight(4))
				if strings.HasPrefix(f.name, "echo") || strings.HasPrefix(f.name, "login echoes") {
					require.Error(t, observed.err, "an echoed answer is an error")
				}
				require.NotEmpty(t, spans.Ended(), "the calls were traced")

				texts := telemetryTexts(t, spans, reader)
				secrets := append([]string{sysSecret, lxcaSecret, userSecret, passphraseSecret,
					base64.StdEncoding.EncodeToString([]byte("ADMIN:" + lxcaSecret)), "injected fault", "refused:"}, observed.sessions...)
				for _, text := range texts {
					for _, s := range append(secrets, ids...) {
						if len(s) >= 6 {
							assert.NotContains(t, text, s)
						}
					}
				}

				t.Run("the outcome is the uninstrumented client's", func(t *testing.T) {
					plain := runObserved(t, op, f)
					assert.Equal(t, plain.kinds, observed.kinds, "the sentinels matched")
					assert.Equal(t, plain.calls, observed.calls, "what the servers did")
				})
			})
		}
	}
}

// observedRun is how one operation ended, and what it left.
type observedRun struct {
	err      error
	kinds    []error        // the sentinels err matches
	calls    map[string]int // the fakes' count of what they did, by operation
	sessions []string       // the session cookies and tokens that passed
}

// runObserved runs op under f on fresh fakes, with the client options
// opts besides the sweep's own.
func runObserved(t *testing.T, op matrixOp, f matrixFault, opts ...backupapi.Option) observedRun {
	t.Helper()
	opts = append(opts, backupapi.WithRetry(1, time.Millisecond, time.Millisecond))
	ahsay, ac := fakeAhsay(t, withServer(backupapitest.WithCredentials("system", sysSecret)), inProcess(), withClient(opts...))
	ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "someone", Password: userSecret, Email: "someone@example.com", BackupSets: []string{"1"}})
	spy, spied := spiedSessions()
	xc, xcc := fakeXClarity(t, withServer(backupapitest.WithCredentials("ADMIN", lxcaSecret)), throughHandler(spied), withClient(opts...))
	ctx := context.Background()
	switch {
	case op.xclarity && f.name == "login echoes with 401":
		xc.Inject(backupapitest.OpLogin, f.fault)
	case op.xclarity:
		_, err := xcc.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "9a1c4d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d", Destination: "/mnt/prep"})
		require.NoError(t, err)
		xc.Inject(op.fakeOp, f.fault)
	case f.name != "none":
		ahsay.Inject(op.fakeOp, f.fault)
	}
	run := observedRun{err: op.call(ctx, ac, xcc), calls: map[string]int{}}
	_ = xcc.Close(ctx)
	var e *backupapi.Error
	if errors.As(run.err, &e) {
		run.kinds = e.Kinds()
	}
	if op.xclarity {
		run.calls[op.fakeOp] = xc.Calls(op.fakeOp)
		run.calls["Login"] = xc.Calls(backupapitest.OpLogin)
	} else {
		run.calls[op.fakeOp] = ahsay.Calls(op.fakeOp)
	}
	run.sessions = spy.all()
	return run
}

// telemetryTexts renders everything recorded as text: for each span its
// name, status, attributes, events with theirs, and links with theirs;
// for each metric point its attributes.
func telemetryTexts(t *testing.T, spans *tracetest.SpanRecorder, reader *sdkmetric.ManualReader) []string {
	t.Helper()
	kvs := func(attrs []attribute.KeyValue) string {
		var b strings.Builder
		for _, kv := range attrs {
			fmt.Fprintf(&b, "%s=%s ", kv.Key, kv.Value.String())
		}
		return b.String()
	}
	var texts []string
	for _, s := range spans.Ended() {
		texts = append(texts, s.Name(), s.Status().Description, kvs(s.Attributes()))
		for _, e := range s.Events() {
			texts = append(texts, e.Name, kvs(e.Attributes))
		}
		for _, l := range s.Links() {
			texts = append(texts, kvs(l.Attributes))
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	set := func(s attribute.Set) string { return kvs(s.ToSlice()) }
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					texts = append(texts, set(p.Attributes))
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					texts = append(texts, set(p.Attributes))
				}
			case metricdata.Histogram[int64]:
				for _, p := range d.DataPoints {
					texts = append(texts, set(p.Attributes))
				}
			}
		}
	}
	return texts
}
