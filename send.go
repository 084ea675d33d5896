package backupapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/backupapi/backupapi/internal/redact"
	"github.com/hashicorp/go-retryablehttp"
)

// core sends requests for one client: retries, logging, redirects, the
// conversion of transport failures into *Error, and the scrubbing of
// secrets from every error.
type core struct {
	source    Source
	cfg       config
	base      *url.URL
	retry     *retryablehttp.Client // per-attempt timeout applies
	stream    *retryablehttp.Client // no per-attempt timeout: for streamed bodies
	upload    *http.Client          // single attempt, no timeout at all: streamed uploads
	logger    *slog.Logger
	secrets   []string                 // the client's own secrets
	dynamic   func() []string          // secrets that change (session tokens), or nil
	hint404   func(path string) string // what a bare 404 from path may mean, or nil
	userAgent []string                 // the User-Agent header's value, built once
	baseURL   string                   // base.String(), built once
	urls      urlCache                 // parsed URLs of the paths called
	obs       *observer                // tracing, metrics and flow control; nil when off (otel_attempt.go)
}

var acceptJSON = []string{"application/json"}

func newCore(source Source, base *url.URL, cfg config, secrets ...string) (*core, error) {
	hc, err := buildHTTPClient(cfg, base)
	if err != nil {
		return nil, err
	}
	logger := withTraceIDs(cfg.logger)
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &core{source: source, cfg: cfg, base: base, logger: logger, secrets: secrets, userAgent: []string{cfg.userAgent}, baseURL: base.String()}
	_, traced := hc.Transport.(*http.Transport)
	lt := &loggingTransport{base: hc.Transport, logger: logger, traced: traced}
	hc.Transport = lt

	// Uploads are bounded by their context only: an appliance may take
	// longer than the attempt timeout to validate what it received.
	upload := *hc
	upload.Timeout = 0
	// The per-attempt timeout. On the SDK's own transport it is cheap: the
	// transport bounds the wait for the answer's headers and a timer the
	// reading of its body. On a caller's transport, http.Client.Timeout
	// does both, at the price of a deadline context per request.
	timed := *hc
	if own := cfg.httpClient == nil || cfg.httpClient.Transport == nil; own && cfg.timeout > 0 {
		pooled := lt.base.(*http.Transport)
		upload.Transport = &loggingTransport{base: pooled.Clone(), logger: logger, traced: true}
		pooled.ResponseHeaderTimeout = cfg.timeout
		lt.bodyTimeout = cfg.timeout
	} else {
		timed.Timeout = cfg.timeout
	}
	c.retry = c.newRetryClient(&timed)
	untimed := *hc
	untimed.Timeout = 0
	c.stream = c.newRetryClient(&untimed)
	c.upload = &upload
	return c, c.observe()
}

func (c *core) newRetryClient(hc *http.Client) *retryablehttp.Client {
	rc := retryablehttp.NewClient() // start from its defaults: Do needs CheckRetry and Backoff
	rc.HTTPClient = hc
	rc.Logger = nil // it would log every URL to stderr; we log ourselves, redacted
	rc.RetryMax = c.cfg.retryMax
	rc.RetryWaitMin = c.cfg.retryWaitMin
	rc.RetryWaitMax = c.cfg.retryWaitMax
	rc.CheckRetry = c.checkRetry
	rc.Backoff = jitterBackoff
	rc.ErrorHandler = func(resp *http.Response, err error, _ int) (*http.Response, error) {
		return resp, err // keep the last response: its body explains the failure
	}
	return rc
}

// request describes one HTTP request of a call.
type request struct {
	method string
	path   string // joined to the base URL; may hold a query
	body   []byte
	header http.Header
	stream bool // the body will be read as a stream: no per-attempt timeout
}

// newCall starts the state of one SDK call. body is the request body (its
// secret-holding values are masked in every error); extra names further
// secrets the call carries.
func (c *core) newCall(ctx context.Context, op string, idempotent bool, body []byte, extra ...string) *callContext {
	cc := newCallContext(ctx, op, idempotent)
	cc.st.body, cc.st.extra, cc.st.policy = body, extra, policyOf(ctx)
	c.startCall(cc)
	return cc
}

// send performs req with retries within the call's budget. ctx must carry
// the call's state (newCall). On a transport failure it returns a *Error;
// otherwise the response, whose body the caller must close.
func (c *core) send(ctx context.Context, req request) (*http.Response, error) {
	st := stateFrom(ctx)
	if err := c.stopIfDone(ctx, st); err != nil {
		return nil, err
	}
	if err := c.policyError(st); err != nil {
		return nil, err
	}
	st.stream, st.path = req.stream, req.path
	u, err := c.urls.resolve(c.baseURL, req.path)
	if err != nil {
		return nil, c.buildError(st, urlProblem(err))
	}
	var body any
	if req.body != nil {
		body = req.body
	}
	// An empty URL parses for free; the endpoint's URL comes from the cache.
	rreq, err := retryablehttp.NewRequestWithContext(st.trace.withTrace(ctx), req.method, "", body)
	if err != nil {
		return nil, c.buildError(st, err)
	}
	rreq.URL, rreq.Host = u, u.Host
	for k, v := range req.header {
		rreq.Header[k] = v
	}
	// Canonical keys and shared, never-modified values: no allocation.
	rreq.Header["User-Agent"] = c.userAgent
	if _, ok := rreq.Header["Accept"]; !ok {
		rreq.Header["Accept"] = acceptJSON
	}
	rc := c.retry
	if req.stream {
		rc = c.stream
	}
	rc = c.retryClient(st, rc)
	start := time.Now()
	if err := c.awaitTurn(ctx, st); err != nil {
		return nil, c.turnError(ctx, st)
	}
	resp, err := rc.Do(rreq)
	c.returnTurn(st)
	if err == nil && st.retryAfter > 0 && resp != nil {
		drain(resp)
		e := &Error{Source: c.source, Op: st.op, HTTPStatus: resp.StatusCode, Attempts: st.attempts, RetryAfter: st.retryAfter,
			Message: fmt.Sprintf("the server asked to wait %s before retrying, more than the maximum wait %s", st.retryAfter, c.maxWait(st))}
		e.addKind(classifyStatus(resp.StatusCode))
		return nil, e
	}
	if err != nil {
		if resp != nil {
			drain(resp)
		}
		err = safeURLError(err)
		c.logger.LogAttrs(ctx, slog.LevelDebug, "backupapi call failed", slog.String("op", st.op),
			slog.Int("attempts", st.attempts), slog.Duration("duration", time.Since(start)), slog.String("error", c.redactText(st, err.Error())))
		return nil, c.transportError(ctx, st, err)
	}
	if isRedirect(resp.StatusCode) {
		// A redirect the client did not follow (the caller's CheckRedirect
		// said http.ErrUseLastResponse, or one without a Location) is no
		// answer to the request.
		drain(resp)
		return nil, c.transportError(ctx, st, &redirectError{status: resp.StatusCode, method: req.method, reason: "it was not followed"})
	}
	return resp, nil
}

// stopIfDone returns the error for a call whose context ended before any
// request left: the context's error, never ErrOutcomeUnknown.
func (c *core) stopIfDone(ctx context.Context, st *callState) error {
	if ctx.Err() == nil {
		return nil
	}
	return &Error{Source: c.source, Op: st.op, Attempts: st.attempts, Err: context.Cause(ctx),
		Message: "the call's context ended before the request was sent"}
}

// buildError is the error for a request that could not be built.
func (c *core) buildError(st *callState, err error) *Error {
	return &Error{Source: c.source, Op: st.op, Message: "building the request", Err: err, kinds: []error{ErrInvalidRequest}}
}

// sendStream sends req once with a streamed body, which cannot be replayed:
// no retries and no per-attempt timeout (the context bounds it).
func (c *core) sendStream(ctx context.Context, req request, body io.Reader) (*http.Response, error) {
	st := stateFrom(ctx)
	if err := c.stopIfDone(ctx, st); err != nil {
		return nil, err
	}
	if err := c.policyError(st); err != nil {
		return nil, err
	}
	st.path = req.path
	hreq, err := http.NewRequestWithContext(st.trace.withTrace(ctx), req.method, c.baseURL+req.path, body)
	if err != nil {
		return nil, c.buildError(st, urlProblem(err))
	}
	for k, v := range req.header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("User-Agent", c.cfg.userAgent)
	hreq.Header.Set("Accept", "application/json")
	if err := c.awaitTurn(ctx, st); err != nil {
		return nil, c.turnError(ctx, st)
	}
	resp, err := c.upload.Do(hreq)
	c.returnTurn(st)
	if err != nil {
		if resp != nil {
			drain(resp)
		}
		return nil, c.transportError(ctx, st, safeURLError(err))
	}
	if isRedirect(resp.StatusCode) {
		drain(resp)
		return nil, c.transportError(ctx, st, &redirectError{status: resp.StatusCode, method: req.method, reason: "it was not followed"})
	}
	return resp, nil
}

// transportError converts a failure that left no usable answer. Whether
// anything was sent is the door's answer (mayHaveLeft), recorded in st.
func (c *core) transportError(ctx context.Context, st *callState, err error) *Error {
	// Transport errors name the method and URL, never a body or header.
	e := &Error{Source: c.source, Op: st.op, Attempts: st.attempts, Err: err}
	if ctx.Err() != nil {
		e.Err = context.Cause(ctx) // the context's error, or why the SDK cancelled it (errIdle)
	}
	var redirect *redirectError
	switch {
	case errors.As(err, &redirect):
		// The server answered with a redirect instead of the result. After
		// a state change it may have acted (a 303, and the 301 and 302 web
		// applications use alike, follow a change that was made).
		e.HTTPStatus = redirect.status
		e.Message = redirect.Error()
		e.Err = redirect.cause // the caller's CheckRedirect's refusal, or none
		e.addKind(ErrUnexpectedResponse)
		if !st.idempotent {
			e.Message += "; the server may have acted on it: check whether it took effect"
			e.addKind(ErrOutcomeUnknown)
		}
	case speaksTLS(c.base.Scheme, err, nil):
		// The server answered with a TLS record: it cannot have read the
		// request as HTTP, let alone acted on it.
		e.Message = "the server speaks TLS on this port: use https:// in the base URL (this request, credentials included, went in clear)"
	case !st.idempotent && st.sent:
		// From here on, a message that says nothing was sent is said only
		// when the door said so for every attempt (st.sent).
		e.Message = "the request was sent but no answer came back; it was not repeated because it changes state: check whether it took effect"
		e.addKind(ErrOutcomeUnknown)
	case !st.sent && isCertificateError(err):
		e.Message = "the server's TLS certificate is not trusted (use WithRootCAs for a private CA); nothing was sent"
	case !st.sent && errors.Is(err, http.ErrSchemeMismatch):
		e.Message = "the server answered in plain HTTP, not TLS: check the base URL's scheme and port; nothing was sent"
	case !st.sent && isHandshakeError(err):
		e.Message = "the TLS handshake with the server failed; nothing was sent"
	case strings.Contains(err.Error(), "unsupported protocol scheme"):
		e.Message = "the request was refused by the client's safety policy"
	case e.Err == errIdle:
		e.Message = "no answer within the attempt timeout"
		e.addKind(ErrUnavailable)
	case ctx.Err() != nil && !st.sent:
		e.Message = "the call's context ended before the request was sent"
	case ctx.Err() != nil:
		e.Message = "the call's context ended"
	case !st.sent:
		e.Message = "could not connect to the server; nothing was sent"
		e.addKind(ErrUnavailable)
	default:
		e.Message = "no answer from the server"
		e.addKind(ErrUnavailable)
	}
	// A call that ends without an answer of its own (its context ended in
	// the wait before a repeat or during one, an idle stream) after earlier
	// attempts were answered keeps the last answer's status (a 502, say):
	// HTTPStatus is "the status of the last answer", and the cause is not lost.
	if e.HTTPStatus == 0 {
		e.HTTPStatus = st.lastStatus
	}
	return e
}

// allSecrets returns every secret an error of this call must not show:
// the client's, the session's and the call's own.
func (c *core) allSecrets(st *callState) []string {
	out := append([]string(nil), c.secrets...)
	if c.dynamic != nil {
		out = append(out, c.dynamic()...)
	}
	return append(out, st.callSecrets()...)
}

// redactText removes every secret of the call from s.
func (c *core) redactText(st *callState, s string) string {
	return redact.Text(s, c.allSecrets(st)...)
}

// finish scrubs the error that ends a call of every secret the call
// carries, in every field, nested errors included.
func (c *core) finish(st *callState, err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.scrub(c.allSecrets(st))
	}
	return err
}

// loggingTransport counts attempts and logs each one: method, path, status,
// attempt and duration. It never logs bodies, queries or headers.
type loggingTransport struct {
	base        http.RoundTripper
	logger      *slog.Logger
	bodyTimeout time.Duration // bounds reading each answer's body (0: none)
	traced      bool          // base is an *http.Transport, which reports client-trace events
}

func (t *loggingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, notSent(err) // nothing leaves once the call's context has ended
	}
	attempt := 0
	st := stateFrom(r.Context())
	if st != nil {
		st.attempts++
		attempt = st.attempts
	}
	start := time.Now()
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	var trace *attemptTrace
	if st != nil && t.traced {
		trace = &st.trace
		trace.reset()
	}
	resp, err := base.RoundTrip(r)
	if st != nil {
		st.lastLeft = mayHaveLeft(r, resp, err, trace) // the door
		st.sent = st.sent || st.lastLeft
	}
	if resp != nil && t.bodyTimeout > 0 && !(st != nil && st.stream) {
		resp.Body = newDeadlineBody(resp.Body, t.bodyTimeout)
	}
	if t.logger.Enabled(r.Context(), slog.LevelDebug) {
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("attempt", attempt), slog.Duration("duration", time.Since(start))}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", "transport error"))
		}
		t.logger.LogAttrs(r.Context(), slog.LevelDebug, "backupapi http attempt", attrs...)
	}
	return resp, err
}

// drain reads what is left of a body, up to 4 KiB, so that the connection
// can be reused, then closes it. A pooled buffer keeps it free of
// allocations.
func drain(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	buf := drainBuffers.Get().(*[512]byte)
	for i := 0; i < 8; i++ {
		if _, err := resp.Body.Read(buf[:]); err != nil {
			break
		}
	}
	drainBuffers.Put(buf)
	_ = resp.Body.Close()
}

var drainBuffers = sync.Pool{New: func() any { return new([512]byte) }}
