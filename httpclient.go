package backupapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
