package backupapi

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Version is the SDK's version, sent in the default User-Agent.
const Version = "0.4.1"

// Defaults used when no option overrides them.
const (
	DefaultRetryMax         = 3
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultTimeout          = 60 * time.Second
	DefaultMaxResponseBytes = 64 << 20
	DefaultUserAgent        = "backupapi-go/" + Version
)

// Option configures a client. Most options serve both clients; an option
// that concerns one product only (WithAhsayV1, WithAhsayVersion,
// WithBasicAuth) is an error from the other product's constructor, so
// that it is never silently ignored.
type Option func(*config)

type config struct {
	httpClient       *http.Client
	retryMax         int
	retryWaitMin     time.Duration
	retryWaitMax     time.Duration
	timeout          time.Duration
	logger           *slog.Logger
	userAgent        string
	rootCAs          *x509.CertPool
	allowHTTP        bool
	maxResponseBytes int64
	ahsayV1          map[string]bool // endpoints sent to their v1 path
	basicAuth        bool
	checkSession     bool                // XClarity: X-NOT-USER-INPUT: checkSession on every request
	errs             []error             // every option's error, reported together
	onlyFor          map[Source][]string // product-specific options given, by product
	obs              obsConfig           // tracing, metrics and flow control (otel_options.go)
}

// productNames are the products' names in messages.
var productNames = map[Source]string{SourceAhsay: "AhsayCBS", SourceXClarity: "XClarity", SourceConnectedBackup: "Connected Backup"}

// only records that the option name means something to one product only.
func (c *config) only(product Source, name string) {
	if c.onlyFor == nil {
		c.onlyFor = map[Source][]string{}
	}
	c.onlyFor[product] = append(c.onlyFor[product], name)
}

func defaultConfig() config {
	return config{
		retryMax:         DefaultRetryMax,
		retryWaitMin:     DefaultRetryWaitMin,
		retryWaitMax:     DefaultRetryWaitMax,
		timeout:          DefaultTimeout,
		userAgent:        DefaultUserAgent,
		maxResponseBytes: DefaultMaxResponseBytes,
	}
}

// WithHTTPClient makes the client send through hc (its Transport, Jar and
// CheckRedirect). hc itself is never modified: the SDK works on a copy, so
// configure hc (for example httpmock.ActivateNonDefault(hc)) before passing it.
// An *http.Transport whose TLSClientConfig has a MinVersion below TLS 1.2
// (0 included), or whose roots WithRootCAs sets, is used as its Clone,
// which net/http makes without the protocols registered on it
// (RegisterProtocol): to keep them, set MinVersion to tls.VersionTLS12 and
// RootCAs in the transport yourself. The CheckRedirect
// of hc is asked after the SDK's own redirect policy; a redirect it refuses
// is an error matching ErrUnexpectedResponse, never retried.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) {
		if hc == nil {
			c.errs = append(c.errs, errors.New("WithHTTPClient: nil *http.Client"))
		}
		c.httpClient = hc
	}
}

// WithRetry sets how many times a retryable call is repeated (max retries,
// so max+1 attempts; 0 disables retries) and the bounds of the jittered
// exponential wait between attempts. A Retry-After longer than maxWait makes
// the call fail at once with the requested wait in Error.RetryAfter.
func WithRetry(max int, minWait, maxWait time.Duration) Option {
	return func(c *config) {
		if max < 0 || minWait < 0 || maxWait < minWait {
			c.errs = append(c.errs, fmt.Errorf("WithRetry(%d, %s, %s): need max >= 0 and 0 <= minWait <= maxWait", max, minWait, maxWait))
			return
		}
		c.retryMax, c.retryWaitMin, c.retryWaitMax = max, minWait, maxWait
	}
}

// WithTimeout bounds each HTTP attempt (default 60 s; 0: no per-attempt
// bound): the wait for the answer's headers and, separately, the reading of
// its body, so a server that stalls mid-answer is cut off and a read is tried
// again. For AllUsers it bounds each pause in the stream, not the whole
// stream. The context's deadline bounds the whole call, retries and waits
// included. On the SDK's own transport this costs a timer per attempt; on a
// caller's client (WithHTTPClient) it is http.Client.Timeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.errs = append(c.errs, fmt.Errorf("WithTimeout(%s): negative", d))
			return
		}
		c.timeout = d
	}
}

// WithLogger sends debug logs of requests, responses and retries (endpoint,
// status, attempt, duration) to l. Bodies and secrets are never logged. A
// record logged while a span is active (the SDK's, with WithTracerProvider,
// or the caller's) carries its trace_id and span_id.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithRootCAs trusts the given certificate authorities, for servers and
// appliances whose certificate comes from their own CA. Verification is
// never turned off.
func WithRootCAs(pool *x509.CertPool) Option { return func(c *config) { c.rootCAs = pool } }

// WithAllowHTTP permits a plain http:// base URL. Without it such a URL is
// refused, because credentials travel in every request.
func WithAllowHTTP() Option { return func(c *config) { c.allowHTTP = true } }

// WithMaxResponseBytes caps the size of a response body (default 64 MiB);
// a larger body fails with ErrUnexpectedResponse. AllUsers applies the cap
// to each user record rather than to the whole stream. What an answer (or
// a streamed record) decodes to is bounded too, to 16 times the cap: an
// answer of more records than that could hold (many tiny ones, each a
// whole record when decoded) fails with ErrUnexpectedResponse as well.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			c.errs = append(c.errs, fmt.Errorf("WithMaxResponseBytes(%d): must be positive", n))
			return
		}
		c.maxResponseBytes = n
	}
}

// WithAhsayV1 makes the AhsayClient send the named endpoints to their
// deprecated v1 path, or all of them when none is named: "AddUser" and
// "UpdateUser" (v1 UpdateUserProfile.do) have a v2 path from AhsayCBS 9.5,
// "ListUsers" and "GetUser" from 9.7. A 9.5 or 9.6 server, say, needs
// WithAhsayV1("ListUsers", "GetUser"); WithAhsayVersion picks them for you.
// Any other name is an error from the constructor.
func WithAhsayV1(endpoints ...string) Option {
	return func(c *config) {
		c.only(SourceAhsay, "WithAhsayV1")
		if len(endpoints) == 0 {
			endpoints = versionedNames()
		}
		for _, name := range endpoints {
			if _, ok := versionedEndpoints[name]; !ok {
				c.errs = append(c.errs, fmt.Errorf("WithAhsayV1(%q): not an endpoint with a v1 path (want one of %s)", name, strings.Join(versionedNames(), ", ")))
				continue
			}
			if c.ahsayV1 == nil {
				c.ahsayV1 = map[string]bool{}
			}
			c.ahsayV1[name] = true
		}
	}
}

// WithAhsayVersion tells the AhsayClient the server's version ("9.5",
// "9.7.0.0"), so that each endpoint goes to the newest path that version
// has, as the reference dates them (see WithAhsayV1).
func WithAhsayVersion(version string) Option {
	return func(c *config) {
		c.only(SourceAhsay, "WithAhsayVersion")
		major, minor, err := parseVersion(version)
		if err != nil {
			c.errs = append(c.errs, fmt.Errorf("WithAhsayVersion: %w", err))
			return
		}
		if v1 := v1ForVersion(major, minor); len(v1) > 0 {
			WithAhsayV1(v1...)(c)
		}
	}
}

// WithBasicAuth makes the XClarityClient send HTTP Basic credentials on every
// request instead of opening a session.
func WithBasicAuth() Option {
	return func(c *config) {
		c.only(SourceXClarity, "WithBasicAuth")
		c.basicAuth = true
	}
}

// WithCheckSession makes the XClarityClient send X-NOT-USER-INPUT:
// checkSession on every request, Lenovo's documented way for a script to
// let its session respect the appliance's inactivity timeout instead of
// renewing it with each call. A session that has timed out is opened again
// by the next call, as any expired session is.
func WithCheckSession() Option {
	return func(c *config) {
		c.only(SourceXClarity, "WithCheckSession")
		c.checkSession = true
	}
}

// newClientCore applies the options and checks what both constructors
// check, then builds the transport core. It does no network I/O.
func newClientCore(source Source, constructor, baseURL, user, password string, opts []Option) (*core, config, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			cfg.errs = append(cfg.errs, errors.New("nil Option"))
			continue
		}
		o(&cfg)
	}
	for product, names := range cfg.onlyFor {
		if product != source {
			for _, name := range slices.Compact(slices.Sorted(slices.Values(names))) {
				cfg.errs = append(cfg.errs, fmt.Errorf("%s is an %s option: it means nothing to %s", name, productNames[product], constructor))
			}
		}
	}
	if len(cfg.errs) > 0 {
		return nil, cfg, fmt.Errorf("backupapi: %s: %w", constructor, errors.Join(cfg.errs...))
	}
	base, err := parseBaseURL(baseURL, cfg.allowHTTP)
	if err != nil {
		return nil, cfg, err
	}
	if user == "" {
		return nil, cfg, fmt.Errorf("backupapi: %s: empty user name", constructor)
	}
	if password == "" {
		return nil, cfg, fmt.Errorf("backupapi: %s: empty password", constructor)
	}
	c, err := newCore(source, base, cfg, password)
	return c, cfg, err
}

// formatDescription prints a client's description for every fmt verb,
// with "&backupapi." before it for %#v, so that no verb reaches its fields.
func formatDescription(f fmt.State, verb rune, description string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, "&backupapi."+description)
		return
	}
	_, _ = io.WriteString(f, description)
}

// parseBaseURL checks a server root URL and returns it without a trailing
// slash. No error it returns shows the URL's user info: a URL that holds
// any is refused before it is parsed, since url.Parse's own errors quote
// the URL whole (a password with a "%" in it fails as an escape).
func parseBaseURL(raw string, allowHTTP bool) (*url.URL, error) {
	if hasUserInfo(raw) {
		return nil, fmt.Errorf("backupapi: base URL %q must not hold credentials; pass them to the constructor", safeTypedURL(raw))
	}
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("backupapi: empty base URL (want https://host)")
	}
	if !strings.Contains(raw, "://") {
		return nil, fmt.Errorf("backupapi: base URL %q has no scheme: did you mean %q?", safeURL(raw), "https://"+strings.TrimLeft(raw, "/"))
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("backupapi: base URL %q: %w", safeURL(raw), urlProblem(err))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP {
			return nil, fmt.Errorf("backupapi: base URL %q uses plain http, which would send credentials in clear; use https or WithAllowHTTP()", safeURL(raw))
		}
	default:
		return nil, fmt.Errorf("backupapi: base URL %q: scheme must be https", safeURL(raw))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("backupapi: base URL %q has no host", safeURL(raw))
	}
	if u.User != nil { // hasUserInfo should have caught it; never let it through
		return nil, errors.New("backupapi: base URL must not hold credentials; pass them to the constructor")
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// secret holds a credential. It prints as "***" with every fmt verb, so a
// client printed with %v, %+v or %#v never shows it.
type secret string

func (s secret) String() string   { return redactMask(s) }
func (s secret) GoString() string { return redactMask(s) }

// Format prints the mask for every verb.
func (s secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redactMask(s))) }

func redactMask(s secret) string {
	if s == "" {
		return `""`
	}
	return "***"
}
