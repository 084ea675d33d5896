package backupapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// observer is a client's instruments and flow control. A client has none
// (core.obs is nil) unless one of the options that need it was given.
type observer struct {
	tracer  trace.Tracer                  // nil: no spans
	metrics *instruments                  // nil: no metrics
	prop    propagation.TextMapPropagator // nil: no trace context sent
	flow    *flowControl                  // nil: no limit
	host    attribute.KeyValue            // server.address
	port    attribute.KeyValue            // server.port
	source  Source

	ops    readMostly[string, *opObs]      // by operation (otel_cache.go)
	routes readMostly[routeKey, *routeObs] // by method and URL template
}

// observe builds the client's observer from its options and installs the
// attempt transport under each of its HTTP clients. With none of the
// options it does nothing, and the client pays nothing.
func (c *core) observe() error {
	cfg := c.cfg.obs
	o := &observer{prop: cfg.propagators, flow: newFlowControl(cfg), source: c.source}
	if cfg.tracerProvider != nil {
		o.tracer = cfg.tracerProvider.Tracer(instrumentationName, trace.WithInstrumentationVersion(Version))
	}
	if cfg.meterProvider != nil {
		m, err := newInstruments(cfg.meterProvider, c.source)
		if err != nil {
			return err
		}
		o.metrics = m
	}
	if o.tracer == nil && o.metrics == nil && o.prop == nil && o.flow == nil {
		return nil
	}
	host, port := c.base.Hostname(), c.base.Port()
	if port == "" {
		port = "443"
		if c.base.Scheme == "http" {
			port = "80"
		}
	}
	n, _ := strconv.Atoi(port)
	o.host, o.port = attrServerAddress.String(host), attrServerPort.Int(n)
	c.obs = o
	if o.flow != nil { // a retry takes its turn after its backoff
		c.retry.PrepareRetry, c.stream.PrepareRetry = c.prepareRetry, c.prepareRetry
	}
	for _, hc := range []*http.Client{c.retry.HTTPClient, c.stream.HTTPClient, c.upload} {
		hc.Transport = &attemptTransport{next: hc.Transport, obs: o}
	}
	return nil
}

// attemptTransport observes and paces each HTTP attempt: it takes the
// attempt's turn under the flow control (awaited before the HTTP client by
// awaitTurn; a redirect's next hop awaits its own here), opens the
// attempt's span (a child of the call's), sends the trace context if
// asked, and counts the attempt, its duration and the bytes of its answer.
// It sits above the transport that counts attempts and marks them sent,
// so that an attempt that never got its turn was not sent.
type attemptTransport struct {
	next http.RoundTripper
	obs  *observer
}

func (t *attemptTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	o := t.obs
	ctx := r.Context()
	st := stateFrom(ctx)
	var co *callObs
	if st != nil {
		co = st.obs
	}
	var flowWait time.Duration
	if o.flow != nil {
		if st != nil && st.turn.held { // taken before the HTTP client, as it should be
			st.turn.held = false
			flowWait = st.turn.wait
		} else { // a redirect's next hop
			w, err := o.flow.acquire(ctx)
			if err != nil {
				return nil, err
			}
			flowWait = w
		}
		if err := ctx.Err(); err != nil { // it ended as the turn came: nothing leaves
			o.flow.release()
			return nil, notSent(err)
		}
	}
	attempt := 1
	var retryWait time.Duration
	var ob *opObs
	if co != nil {
		ob = co.op
		co.attempts++
		attempt = co.attempts
		if attempt > 1 && !co.lastEnd.IsZero() {
			retryWait = max(time.Since(co.lastEnd)-flowWait, 0)
		}
	}
	op := ""
	if st != nil {
		op = st.op
	}
	if o.metrics != nil && st != nil {
		if ob != nil {
			o.metrics.attempted(ob, attempt > 1)
		} else {
			o.metrics.attempt(op, attempt > 1)
		}
	}
	var span trace.Span
	var route *routeObs
	if o.tracer != nil || o.metrics != nil {
		template := ""
		if r.Response == nil {
			// A redirect's hop (r.Response is the redirect) goes where the
			// server said, which may hold an ID or a token: it has no route.
			template = urlTemplate(o.source, op, r.URL.Path)
		}
		route = o.route(ob, r.Method, template)
	}
	if o.tracer != nil {
		opts := route.first
		if attempt > 1 || flowWait > 0 {
			opts = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient),
				trace.WithAttributes(o.attemptAttrs(route.routeKey, attempt, retryWait.Seconds(), flowWait.Seconds())...)}
		}
		ctx, span = o.tracer.Start(ctx, route.name, opts...)
		r = r.WithContext(ctx)
	}
	if o.prop != nil {
		r = r.Clone(r.Context()) // a RoundTripper must not change the caller's request
		o.prop.Inject(r.Context(), propagation.HeaderCarrier(r.Header))
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if co != nil {
		co.lastEnd = time.Now()
	}
	a := &attemptEnd{obs: o, span: span, start: start}
	if err != nil {
		if route != nil {
			a.answer = o.answer(route, answerKey{errorType: transportErrorType(err)})
		}
		if span != nil && st != nil {
			span.SetAttributes(attrMayHaveLeft.Bool(st.lastLeft)) // the door's answer
		}
		a.finish()
		return nil, err
	}
	if route != nil {
		a.answer = o.answer(route, answerKey{status: resp.StatusCode, errorType: statusErrorType(resp.StatusCode)})
	}
	if span != nil {
		span.SetAttributes(a.answer.statusAttr...)
	}
	if st != nil && st.stream && o.flow != nil {
		// A streamed answer is read at its consumer's pace, who may call
		// the client meanwhile: it holds its place only until now.
		o.flow.release()
		a.released = true
	}
	a.rc, resp.Body = resp.Body, a
	return resp, nil
}

// attemptEnd is what is recorded when an attempt ends: when its answer's
// body is closed, or at once when no answer came. It is the answer's body
// too, which counts the bytes read.
type attemptEnd struct {
	rc       io.ReadCloser
	obs      *observer
	span     trace.Span
	start    time.Time
	answer   *answerObs // how it ended; nil without a tracer or metrics
	bytes    int64
	released bool // its place under the cap is given back already
	done     atomic.Bool
}

func (a *attemptEnd) Read(p []byte) (int, error) {
	n, err := a.rc.Read(p)
	a.bytes += int64(n)
	return n, err
}

func (a *attemptEnd) Close() error {
	err := a.rc.Close()
	a.finish()
	return err
}

func (a *attemptEnd) finish() {
	if a.done.Swap(true) {
		return
	}
	o := a.obs
	if o.flow != nil && !a.released {
		o.flow.release()
	}
	if a.span != nil {
		if a.answer.errorType != "" {
			a.span.SetAttributes(a.answer.errorAttr...)
			a.span.SetStatus(codes.Error, a.answer.errorType)
		}
		a.span.End()
	}
	if m := o.metrics; m != nil {
		m.requestDuration.Record(bg, time.Since(a.start).Seconds(), a.answer.duration...)
		if a.answer.status != 0 {
			m.bodySize.Record(bg, a.bytes, a.answer.size...)
		}
	}
}

// transportErrorType names a transport failure for error.type, by its
// class only: never its text, which holds the URL.
func transportErrorType(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return resultCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return resultDeadline
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case isCertificateError(err) || isHandshakeError(err):
		return "tls"
	case failedBeforeSending(err):
		return "connect"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return "connection_closed"
	}
	return resultOther
}

// urlTemplates are the routes of the operations whose path holds an ID.
var urlTemplates = map[string]string{
	"GetJob":       "/tasks/{id}",
	"GetJobs":      "/tasks/{ids}",
	"DeleteBackup": "/managementServer/data/{uuid}",
}

// urlTemplate is the route of an attempt's path, for url.template: never
// an ID or a query. AhsayCBS paths are fixed (IDs travel in the body).
// XClarity's are the operation's route when it has an ID in its path, or
// the path with any segment that is not all letters replaced by "{id}";
// Do's, which the SDK cannot know, have none.
func urlTemplate(source Source, op, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if source == SourceAhsay {
		return path
	}
	if op == "Do" {
		return ""
	}
	if t, ok := urlTemplates[op]; ok {
		return t
	}
	if !strings.ContainsFunc(path, func(r rune) bool { return r != '/' && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }) {
		return path
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.ContainsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }) {
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}
