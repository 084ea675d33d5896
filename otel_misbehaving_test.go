package backupapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/backupapi/backupapi"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// misbehaving is an in-memory server that answers as the fake does,
// unless a misbehaviour is set: then every request meets it.
type misbehaving struct {
	fake http.RoundTripper
	bad  atomic.Pointer[func(*http.Request) (*http.Response, error)]
}

func (m *misbehaving) RoundTrip(r *http.Request) (*http.Response, error) {
	if f := m.bad.Load(); f != nil {
		return (*f)(r)
	}
	return m.fake.RoundTrip(r)
}

// brokenBody yields a few bytes, then fails as a connection reset would.
type brokenBody struct{ sent bool }

func (b *brokenBody) Read(p []byte) (int, error) {
	if b.sent {
		return 0, syscall.ECONNRESET
	}
	b.sent = true
	return copy(p, `{"Status":"OK","Us`), nil
}
func (b *brokenBody) Close() error { return nil }

// stalledBody blocks until its request's context ends or, as a
// connection's body does, until it is closed.
type stalledBody struct {
	ctx    context.Context
	closed chan struct{}
	once   sync.Once
}

func stalled(r *http.Request) *stalledBody {
	return &stalledBody{ctx: r.Context(), closed: make(chan struct{})}
}

func (b *stalledBody) Read([]byte) (int, error) {
	select {
	case <-b.ctx.Done():
		return 0, b.ctx.Err()
	case <-b.closed:
		return 0, errors.New("read on closed body")
	}
}

func (b *stalledBody) Close() error { b.once.Do(func() { close(b.closed) }); return nil }

func answer(r *http.Request, status int, header http.Header, body io.ReadCloser) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: header, Body: body, Request: r,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: -1}
}

func text(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func getAlice(ctx context.Context, c *backupapi.AhsayClient) error {
	_, err := c.GetUser(ctx, alice)
	return err
}

func removeAlice(ctx context.Context, c *backupapi.AhsayClient) error {
	return c.RemoveUser(ctx, alice)
}

// netOpError is a dial failure as net reports it.
type netOpError struct{ err error }

func (e *netOpError) Error() string   { return "dial tcp 127.0.0.1:1: " + e.err.Error() }
func (e *netOpError) Unwrap() error   { return e.err }
func (e *netOpError) Timeout() bool   { return false }
func (e *netOpError) Temporary() bool { return false }

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// metricSets are the attribute sets of a metric's points.
func metricSets(m metricdata.Metrics) []attribute.Set {
	var out []attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	case metricdata.Histogram[int64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	}
	return out
}
