package exporter

import (
	"context"
	"log/slog"
	"sync"

	"github.com/backupapi/backupapi/internal/redact"
)

// secrets are the credentials the exporter has read, masked in its logs.
type secrets struct {
	mu   sync.Mutex
	list []string
}

func (s *secrets) add(v ...string) {
	s.mu.Lock()
	s.list = append(s.list, v...)
	s.mu.Unlock()
}

func (s *secrets) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.list...)
}

// redactHandler masks secrets in every message and string attribute: the
// credentials read and anything shaped like one (redact.Text), whatever
// the handler underneath writes.
type redactHandler struct {
	inner   slog.Handler
	secrets *secrets
}

func (h redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h redactHandler) Handle(ctx context.Context, r slog.Record) error {
	known := h.secrets.all()
	out := slog.NewRecord(r.Time, r.Level, redact.Text(r.Message, known...), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a, known))
		return true
	})
	return h.inner.Handle(ctx, out)
}

func (h redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	known := h.secrets.all()
	for i := range attrs {
		attrs[i] = redactAttr(attrs[i], known)
	}
	return redactHandler{h.inner.WithAttrs(attrs), h.secrets}
}

func (h redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{h.inner.WithGroup(name), h.secrets}
}

func redactAttr(a slog.Attr, known []string) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, redact.Text(v.String(), known...))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, x := range g {
			out[i] = redactAttr(x, known)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		return slog.String(a.Key, redact.Text(v.String(), known...))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
