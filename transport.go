package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// core sends requests for one client: retries, logging, redirects and the
// conversion of transport failures into *Error.
type core struct {
	source    Source
	cfg       config
	base      *url.URL
	retry     *retryablehttp.Client // per-attempt timeout applies
	stream    *retryablehttp.Client // no per-attempt timeout: for streamed bodies
	plain     *http.Client          // single attempt, no timeout: streamed uploads
	logger    *slog.Logger
	secrets   []string
	userAgent []string // the User-Agent header's value, built once
	baseURL   string   // base.String(), built once
	urls      urlCache // parsed URLs of the paths called
}

var acceptJSON = []string{"application/json"}

func newCore(source Source, base *url.URL, cfg config, secrets ...string) (*core, error) {
	if cfg.err != nil {
		return nil, fmt.Errorf("backupapi: %w", cfg.err)
	}
	hc, err := buildHTTPClient(cfg, base)
	if err != nil {
		return nil, err
	}
	logger := cfg.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &core{source: source, cfg: cfg, base: base, logger: logger, secrets: secrets, userAgent: []string{cfg.userAgent}, baseURL: base.String()}
	lt := &loggingTransport{base: hc.Transport, logger: logger}
	hc.Transport = lt

	// The per-attempt timeout. On the SDK's own transport it is cheap: the
	// transport bounds the wait for the answer's headers and a timer the
	// reading of its body. On a caller's transport, http.Client.Timeout
	// does both, at the price of a deadline context per request.
	timed := *hc
	if own := cfg.httpClient == nil || cfg.httpClient.Transport == nil; own && cfg.timeout > 0 {
		lt.base.(*http.Transport).ResponseHeaderTimeout = cfg.timeout
		lt.bodyTimeout = cfg.timeout
	} else {
		timed.Timeout = cfg.timeout
	}
	c.retry = c.newRetryClient(&timed)
	untimed := *hc
	untimed.Timeout = 0
	c.stream = c.newRetryClient(&untimed)
	c.plain = &untimed
	return c, nil
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

// buildHTTPClient copies the caller's client (never mutating it) or builds a
// pooled one, and installs the redirect policy and TLS settings.
func buildHTTPClient(cfg config, base *url.URL) (*http.Client, error) {
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	}
	switch t := hc.Transport.(type) {
	case nil:
		hc.Transport = newPooledTransport(cfg.rootCAs)
	case *http.Transport:
		if cfg.rootCAs != nil {
			t = t.Clone()
			t.TLSClientConfig = withRootCAs(t.TLSClientConfig, cfg.rootCAs)
			hc.Transport = t
		}
	default:
		if cfg.rootCAs != nil {
			return nil, fmt.Errorf("backupapi: WithRootCAs needs the HTTP client's Transport to be an *http.Transport, not %T", t)
		}
	}
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if req.URL.Host != base.Host {
			return fmt.Errorf("refused a redirect to another host (%s): it would carry credentials", req.URL.Host)
		}
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return errors.New("refused a redirect from https to http")
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	return &hc, nil
}

// newPooledTransport is sized for concurrent use of one host, unlike Go's
// default of 2 idle connections per host.
func newPooledTransport(roots *x509.CertPool) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone() // a private copy: never the shared default
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.MaxResponseHeaderBytes = 1 << 20
	t.TLSClientConfig = withRootCAs(t.TLSClientConfig, roots)
	return t
}

func withRootCAs(tc *tls.Config, roots *x509.CertPool) *tls.Config {
	if tc == nil {
		tc = &tls.Config{}
	} else {
		tc = tc.Clone()
	}
	if tc.MinVersion < tls.VersionTLS12 {
		tc.MinVersion = tls.VersionTLS12
	}
	if roots != nil {
		tc.RootCAs = roots
	}
	return tc
}

// checkRetry is the retry policy. Reads and idempotent calls retry on
// transport errors, 429 and 502-504; other calls retry only when the request
// provably never left (dial refused, TLS handshake failed).
func (c *core) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateFrom(ctx)
	if err != nil {
		if permanentTransportError(err) {
			return false, err
		}
		return st.idempotent || neverSent(err), err
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return false, nil
	}
	if !st.idempotent {
		return false, nil
	}
	if d, ok := retryAfter(resp); ok && d > c.cfg.retryWaitMax {
		st.retryAfter = d
		return false, nil
	}
	return true, nil
}

// jitterBackoff waits a random time in [0, min(max, min*2^attempt)] (full
// jitter), or the server's Retry-After when it is within max.
func jitterBackoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp); ok && d <= max {
		return d
	}
	ceiling := max
	if attempt < 30 && min<<attempt < max && min<<attempt > 0 {
		ceiling = min << attempt
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date) of a 429
// or 503 answer.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(365*24*time.Hour/time.Second) {
			s = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// neverSent reports whether a transport error proves that the request never
// reached the server: the connection was refused or the TLS handshake failed.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return strings.Contains(err.Error(), "TLS handshake")
}

// permanentTransportError: retrying cannot help (untrusted certificate,
// refused redirect, bad URL).
func permanentTransportError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	if errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "refused a redirect") || strings.Contains(msg, "stopped after 10 redirects") ||
		strings.Contains(msg, "unsupported protocol scheme")
}

// request describes one call to send.
type request struct {
	op         string
	method     string
	path       string // joined to the base URL; may hold a query
	body       []byte
	header     http.Header
	idempotent bool
	stream     bool // the body will be read as a stream: no per-attempt timeout
}

// send performs req with retries. On a transport failure it returns a
// *Error; otherwise the response, whose body the caller must close. attempts
// is how many HTTP attempts were made.
func (c *core) send(ctx context.Context, req request) (resp *http.Response, attempts int, err error) {
	cctx := newCallContext(ctx, req.idempotent, req.stream)
	st := &cctx.st
	ctx = cctx
	u, err := c.urls.resolve(c.baseURL, req.path)
	if err != nil {
		return nil, 0, &Error{Source: c.source, Op: req.op, Message: "building the request", Err: err, kinds: []error{ErrInvalidRequest}}
	}
	var body any
	if req.body != nil {
		body = req.body
	}
	// An empty URL parses for free; the endpoint's URL comes from the cache.
	rreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, "", body)
	if err != nil {
		return nil, 0, &Error{Source: c.source, Op: req.op, Message: "building the request", Err: err, kinds: []error{ErrInvalidRequest}}
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
	start := time.Now()
	resp, err = rc.Do(rreq)
	attempts = st.attempts
	if err == nil && st.retryAfter > 0 && resp != nil {
		drain(resp)
		e := &Error{Source: c.source, Op: req.op, HTTPStatus: resp.StatusCode, Attempts: attempts, RetryAfter: st.retryAfter,
			Message: fmt.Sprintf("the server asked to wait %s before retrying, more than the maximum wait %s", st.retryAfter, c.cfg.retryWaitMax)}
		e.addKind(classifyStatus(resp.StatusCode))
		return nil, attempts, e
	}
	if err != nil {
		if resp != nil {
			drain(resp)
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "backupapi call failed", slog.String("op", req.op),
			slog.Int("attempts", attempts), slog.Duration("duration", time.Since(start)), slog.String("error", c.redact(err.Error())))
		return nil, attempts, c.transportError(ctx, req, attempts, err)
	}
	return resp, attempts, nil
}

// transportError converts a failure that left no usable answer.
func (c *core) transportError(ctx context.Context, req request, attempts int, err error) *Error {
	// Transport errors name the method and URL, never a body or header.
	e := &Error{Source: c.source, Op: req.op, Attempts: attempts, Err: err}
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.Err = context.Cause(ctx) // the context's error, or why the SDK cancelled it (errIdle)
	}
	switch {
	case !req.idempotent && attempts > 0 && !neverSent(err):
		e.Message = "the request was sent but no answer came back; it was not repeated because it changes state: check whether it took effect"
		e.addKind(ErrOutcomeUnknown)
	case permanentTransportError(err):
		if strings.Contains(err.Error(), "certificate") {
			e.Message = "the server's TLS certificate is not trusted (use WithRootCAs for a private CA)"
		} else {
			e.Message = "the request was refused by the client's safety policy"
		}
	case e.Err == errIdle:
		e.Message = "no answer within the attempt timeout"
		e.addKind(ErrUnavailable)
	case ctx.Err() != nil:
		e.Message = "the call's context ended"
	default:
		e.Message = "no answer from the server"
		e.addKind(ErrUnavailable)
	}
	return e
}

// redact removes the client's secrets from text.
func (c *core) redact(s string) string {
	for _, sec := range c.secrets {
		if len(sec) >= 3 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// loggingTransport counts attempts and logs each one: method, path, status,
// attempt and duration. It never logs bodies, queries or headers.
type loggingTransport struct {
	base        http.RoundTripper
	logger      *slog.Logger
	bodyTimeout time.Duration // bounds reading each answer's body (0: none)
}

func (t *loggingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
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
	resp, err := base.RoundTrip(r)
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

// sendStream sends req once with a streamed body, which cannot be replayed:
// no retries and no per-attempt timeout (the context bounds it).
func (c *core) sendStream(ctx context.Context, req request, body io.Reader) (*http.Response, int, error) {
	cctx := newCallContext(ctx, false, false)
	st := &cctx.st
	ctx = cctx
	hreq, err := http.NewRequestWithContext(ctx, req.method, c.baseURL+req.path, body)
	if err != nil {
		return nil, 0, &Error{Source: c.source, Op: req.op, Message: "building the request", Err: err, kinds: []error{ErrInvalidRequest}}
	}
	for k, v := range req.header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("User-Agent", c.cfg.userAgent)
	hreq.Header.Set("Accept", "application/json")
	resp, err := c.plain.Do(hreq)
	if err != nil {
		return nil, st.attempts, c.transportError(ctx, req, st.attempts, err)
	}
	return resp, st.attempts, nil
}

// errAttemptTimeout: reading an answer took longer than WithTimeout.
type attemptTimeoutError struct{}

func (attemptTimeoutError) Error() string {
	return "reading the answer took longer than the attempt timeout (WithTimeout)"
}
func (attemptTimeoutError) Timeout() bool   { return true }
func (attemptTimeoutError) Temporary() bool { return true }

// deadlineBody closes the body when its watch fires, which ends a Read
// blocked on a stalled server; that Read then reports the timeout.
type deadlineBody struct {
	rc io.ReadCloser
	w  *bodyWatch // nil once closed
}

// bodyWatch is the timer of one deadlineBody. Watches are pooled: creating
// a timer per call costs more than resetting a stopped one.
type bodyWatch struct {
	timer *time.Timer
	mu    sync.Mutex
	rc    io.ReadCloser // the body to close when the timer fires
	fired bool
}

var bodyWatches sync.Pool

func (w *bodyWatch) expire() {
	w.mu.Lock()
	rc := w.rc
	w.fired = true
	w.mu.Unlock()
	if rc != nil {
		_ = rc.Close()
	}
}

func (w *bodyWatch) expired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fired
}

func newDeadlineBody(rc io.ReadCloser, d time.Duration) *deadlineBody {
	w, _ := bodyWatches.Get().(*bodyWatch)
	if w == nil {
		w = &bodyWatch{}
		w.timer = time.AfterFunc(time.Hour, w.expire)
		w.timer.Stop()
	}
	w.mu.Lock()
	w.rc, w.fired = rc, false
	w.mu.Unlock()
	w.timer.Reset(d)
	return &deadlineBody{rc: rc, w: w}
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF && b.w != nil && b.w.expired() {
		err = attemptTimeoutError{}
	}
	return n, err
}

// Close stops the watch and returns it to the pool, unless it fired or is
// firing: then its callback may still hold the body, and the watch is
// dropped.
func (b *deadlineBody) Close() error {
	if w := b.w; w != nil {
		b.w = nil
		if w.timer.Stop() {
			w.mu.Lock()
			w.rc = nil
			w.mu.Unlock()
			bodyWatches.Put(w)
		}
	}
	return b.rc.Close()
}
