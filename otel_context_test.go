package backupapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func TestLogRecordsCarryTheActiveSpan(t *testing.T) {
	ctx := context.Background()
	k := newTelemetry(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, c := tracedAhsay(t, k, backupapi.WithLogger(logger))
	_, err := c.GetUser(ctx, alice)
	require.NoError(t, err)

	spans := map[string]string{} // span ID -> name
	trace := ""
	for _, s := range k.spans.Ended() {
		spans[s.SpanContext().SpanID().String()] = s.Name()
		trace = s.SpanContext().TraceID().String()
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.NotEmpty(t, lines)
	for _, line := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		assert.Equal(t, trace, rec["trace_id"], "%s", line)
		assert.Contains(t, spans, rec["span_id"], "%s: the span is one of the call's", line)
	}

	t.Run("without a span there are no IDs", func(t *testing.T) {
		logs.Reset()
		srv := backupapitest.NewAhsayServer()
		defer srv.Close()
		srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1"})
		plain, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()), backupapi.WithLogger(logger))
		require.NoError(t, err)
		_, err = plain.GetUser(ctx, alice)
		require.NoError(t, err)
		require.NotEmpty(t, logs.String())
		assert.NotContains(t, logs.String(), "trace_id")
	})
}

// headerSpy records the headers of every request that passes.
type headerSpy struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []http.Header
}

func (s *headerSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.seen = append(s.seen, r.Header.Clone())
	s.mu.Unlock()
	return s.next.RoundTrip(r)
}

func TestTraceContextIsSentOnlyWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []backupapi.Option
		wants bool
	}{
		{"tracing alone sends no traceparent", nil, false},
		{"WithPropagators sends the attempt's", []backupapi.Option{backupapi.WithPropagators(propagation.TraceContext{})}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newTelemetry(t)
			srv := backupapitest.NewUnstartedAhsayServer()
			srv.SeedUser(backupapitest.AhsayUser{LoginName: "alice", Password: "pw-Alice-1"})
			spy := &headerSpy{next: backupapitest.Transport(srv.Handler())}
			c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd, k.options(append(tc.opts, backupapi.WithHTTPClient(&http.Client{Transport: spy}))...)...)
			require.NoError(t, err)
			_, err = c.GetUser(context.Background(), alice)
			require.NoError(t, err)
			require.Len(t, spy.seen, 1)
			got := spy.seen[0].Get("Traceparent")
			if !tc.wants {
				assert.Empty(t, got)
				return
			}
			var attempt trace.SpanContext
			for _, s := range k.spans.Ended() {
				if s.SpanKind() == trace.SpanKindClient {
					attempt = s.SpanContext()
				}
			}
			assert.Equal(t, "00-"+attempt.TraceID().String()+"-"+attempt.SpanID().String()+"-01", got, "the attempt's span is the server's parent")
		})
	}
}

func TestTheCallJoinsTheCallersTrace(t *testing.T) {
	k := newTelemetry(t)
	_, c := tracedAhsay(t, k)
	ctx, parent := k.tp.Tracer("caller").Start(context.Background(), "nightly report")
	_, err := c.GetUser(ctx, alice)
	require.NoError(t, err)
	parent.End()
	assert.Equal(t, "nightly report\n  ahsay GetUser result=ok\n    POST /obs/api/json/2/GetUser.do attempt=1 http.response.status_code=200\n", k.tree(t))
}
