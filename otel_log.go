package backupapi

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// withTraceIDs returns l logging through a handler that adds the active
// span's trace_id and span_id to each record, so that the SDK's logs join
// its traces (and the caller's, when the call's context carries a span).
// A nil l stays nil.
func withTraceIDs(l *slog.Logger) *slog.Logger {
	if l == nil {
		return nil
	}
	return slog.New(traceHandler{l.Handler()})
}

// traceHandler adds trace_id and span_id to records logged with a context
// that holds a valid span context.
type traceHandler struct{ next slog.Handler }

func (h traceHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r = r.Clone()
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.next.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{h.next.WithAttrs(attrs)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.next.WithGroup(name)}
}
