package backupapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// buildHTTPClient copies the caller's client (never mutating it) or builds a
// pooled one, and installs the redirect policy and TLS settings. TLS 1.2 is
// the floor on every *http.Transport, the caller's included (on a copy);
// a caller's transport that cannot reach TLS 1.2 is refused.
func buildHTTPClient(cfg config, base *url.URL) (*http.Client, error) {
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	}
	switch t := hc.Transport.(type) {
	case nil:
		hc.Transport = newPooledTransport(cfg.rootCAs)
	case *http.Transport:
		if tc := t.TLSClientConfig; tc != nil && tc.MaxVersion != 0 && tc.MaxVersion < tls.VersionTLS12 {
			return nil, fmt.Errorf("backupapi: WithHTTPClient: the transport's TLS MaxVersion is below TLS 1.2, the SDK's floor (credentials travel in every request)")
		}
		if cfg.rootCAs != nil || (t.TLSClientConfig != nil && t.TLSClientConfig.MinVersion < tls.VersionTLS12) {
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
		if err := checkRedirect(req, via, base); err != nil {
			return err
		}
		if userCheck == nil {
			return nil
		}
		err := userCheck(req, via)
		if err == nil || errors.Is(err, http.ErrUseLastResponse) {
			return err
		}
		// The caller's policy refused it: a decision, never retried.
		e := &redirectError{method: via[0].Method, reason: "it was refused by the HTTP client's CheckRedirect", cause: err}
		if req.Response != nil {
			e.status = req.Response.StatusCode
		}
		return e
	}
	return &hc, nil
}

// checkRedirect is the SDK's redirect policy. A redirect is followed only
// on the same host, never from https to http, at most 10 times, and only
// if the request keeps its method and body: a GET or HEAD, or a 307 or 308
// of any method. A 301, 302 or 303 would turn a POST, PUT or DELETE into a
// GET without its body, which the server would take for another request,
// and the call would report that request's answer as the change's.
func checkRedirect(req *http.Request, via []*http.Request, base *url.URL) error {
	first := via[0]
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	e := &redirectError{status: status, method: first.Method}
	switch {
	case len(via) >= 10:
		e.reason = "it was refused after 10 redirects"
	case !sameHost(req.URL, base):
		e.reason = fmt.Sprintf("it was refused: it leads to another host (%s) and would carry the credentials there", req.URL.Hostname())
	case first.URL.Scheme == "https" && req.URL.Scheme != "https":
		e.reason = "it was refused: it leads from https to http"
	case req.Method != first.Method || (first.Method != http.MethodGet && first.Method != http.MethodHead && status != http.StatusTemporaryRedirect && status != http.StatusPermanentRedirect):
		e.reason = "it was refused: following it would send a " + req.Method + " without the request's body"
	default:
		return nil
	}
	return e
}

// sameHost reports whether u leads to base's host: the same host name in
// any letter case, on the same port, a scheme's default port written or
// not (https://cbs and https://CBS:443 are one host). With neither port
// written, the host is the same whatever the scheme (an http to https
// upgrade).
func sameHost(u, base *url.URL) bool {
	if !strings.EqualFold(u.Hostname(), base.Hostname()) {
		return false
	}
	if u.Port() == "" && base.Port() == "" {
		return true
	}
	return effectivePort(u) == effectivePort(base)
}

// effectivePort is u's port, or its scheme's default.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// redirectError is a redirect the SDK did not follow: the server answered
// with it instead of the result.
type redirectError struct {
	status int    // the redirect's HTTP status, 0 when unknown
	method string // the method of the request redirected
	reason string // why it was not followed
	cause  error  // the caller's CheckRedirect's error, if it refused it
}

func (e *redirectError) Unwrap() error { return e.cause }

// Error leaves out the cause, which Error.Err carries.
func (e *redirectError) Error() string {
	what := "a redirect"
	if e.status != 0 {
		what = fmt.Sprintf("a redirect (HTTP %d %s)", e.status, http.StatusText(e.status))
	}
	return fmt.Sprintf("the server answered the %s with %s; %s", e.method, what, e.reason)
}

// isRedirect reports whether status is a redirect (not 304 Not Modified,
// which answers a conditional request).
func isRedirect(status int) bool {
	return status >= 300 && status < 400 && status != http.StatusNotModified
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

// withRootCAs returns a copy of tc with TLS 1.2 as its floor and roots, if
// given, as its trusted authorities.
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
