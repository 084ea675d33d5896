package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewAhsayClient(t *testing.T) {
	cases := []struct {
		name    string
		url     string
		opts    []Option
		wantErr string
	}{
		{"https is accepted", "https://cbs.example.com/", nil, ""},
		{"plain http is refused", "http://cbs.example.com", nil, "WithAllowHTTP"},
		{"plain http is allowed with WithAllowHTTP", "http://cbs.example.com", []Option{WithAllowHTTP()}, ""},
		{"another scheme is refused", "ftp://cbs.example.com", nil, "scheme"},
		{"a URL without host is refused", "https://", nil, "no host"},
		{"credentials in the URL are refused", "https://u:p@cbs.example.com", nil, "credentials"},
		{"negative retries are refused", testBase, []Option{WithRetry(-1, 0, 0)}, "WithRetry"},
		{"a max wait below the min wait is refused", testBase, []Option{WithRetry(1, time.Second, time.Millisecond)}, "WithRetry"},
		{"a negative timeout is refused", testBase, []Option{WithTimeout(-time.Second)}, "WithTimeout"},
		{"a zero response limit is refused", testBase, []Option{WithMaxResponseBytes(0)}, "WithMaxResponseBytes"},
		{"a nil HTTP client is refused", testBase, []Option{WithHTTPClient(nil)}, "nil"},
		{"a transport that cannot reach TLS 1.2 is refused", testBase,
			[]Option{WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MaxVersion: tls.VersionTLS11}}})}, "TLS 1.2"},
		{"WithAhsayV1 names only endpoints with a v1 path", testBase, []Option{WithAhsayV1("AddUsers")}, `WithAhsayV1("AddUsers")`},
		{"WithAhsayVersion needs a version", testBase, []Option{WithAhsayVersion("nine")}, "WithAhsayVersion"},
		{"a nil option is refused", testBase, []Option{nil}, "nil Option"},
		{"root CAs need an *http.Transport", testBase,
			[]Option{WithHTTPClient(&http.Client{Transport: httpmock.NewMockTransport()}), WithRootCAs(x509.NewCertPool())}, "WithRootCAs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewAhsayClient(tc.url, "system", "pw-1234", tc.opts...)
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.NotContains(t, err.Error(), "pw-1234")
		})
	}
}

func TestAnOptionForTheOtherProductIsRefused(t *testing.T) {
	_, err := NewAhsayClient(testBase, "system", "pw", WithBasicAuth())
	assert.ErrorContains(t, err, "WithBasicAuth is an XClarity option: it means nothing to NewAhsayClient")
	_, err = NewXClarityClient(xcBase, "ADMIN", "pw", WithAhsayV1(), WithAhsayVersion("9.6"))
	assert.ErrorContains(t, err, "WithAhsayV1 is an AhsayCBS option")
	assert.ErrorContains(t, err, "WithAhsayVersion is an AhsayCBS option")
	_, err = NewXClarityClient(xcBase, "ADMIN", "pw", WithBasicAuth())
	assert.NoError(t, err)
	_, err = NewAhsayClient(testBase, "system", "pw", WithAhsayV1("GetUser"))
	assert.NoError(t, err)
}

func TestEveryOptionErrorIsReported(t *testing.T) {
	_, err := NewAhsayClient(testBase, "system", "pw", WithRetry(-1, 0, 0), WithTimeout(-1), WithMaxResponseBytes(0))
	require.Error(t, err)
	for _, want := range []string{"WithRetry", "WithTimeout", "WithMaxResponseBytes"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestAnEmptyCredentialIsRefusedByTheConstructor(t *testing.T) {
	cases := []struct {
		name string
		new  func() error
		want string
	}{
		{"AhsayCBS without a password", func() error { _, err := NewAhsayClient(testBase, "system", ""); return err }, "empty password"},
		{"AhsayCBS without a user", func() error { _, err := NewAhsayClient(testBase, "", "pw"); return err }, "empty user name"},
		{"XClarity without a password", func() error { _, err := NewXClarityClient(xcBase, "ADMIN", ""); return err }, "empty password"},
		{"XClarity without a user", func() error { _, err := NewXClarityClient(xcBase, "", "pw"); return err }, "empty user name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.new()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestTLS12IsTheFloorOnACallersTransport(t *testing.T) {
	reached := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached++
		_, _ = w.Write([]byte(`{"Status":"OK","User":[]}`))
	}))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	callers := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10}}
	c, err := NewAhsayClient(srv.URL, "system", "s3cret-Sys-Pwd", WithHTTPClient(&http.Client{Transport: callers}), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background(), nil)
	require.Error(t, err, "a TLS 1.1-only server is refused")
	assert.Zero(t, reached, "no request reached the server")
	assert.Equal(t, uint16(tls.VersionTLS10), callers.TLSClientConfig.MinVersion, "the caller's transport is not modified")
}

func TestConstructorDoesNoNetworkIO(t *testing.T) {
	mt := httpmock.NewMockTransport()
	_, err := NewAhsayClient(testBase, "system", "pw", WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestTheCallersHTTPClientIsNeverMutated(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", listPath, okUsers)
	hc := &http.Client{Transport: mt}
	c, err := NewAhsayClient(testBase, "system", "pw", WithHTTPClient(hc), WithTimeout(3*time.Second))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background(), nil)
	require.NoError(t, err)
	assert.Same(t, mt, hc.Transport)
	assert.Nil(t, hc.CheckRedirect)
	assert.Zero(t, hc.Timeout)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "the caller's transport carried the call")
}

func TestDefaultTransportIsPooledForConcurrency(t *testing.T) {
	c, err := NewAhsayClient(testBase, "system", "pw")
	require.NoError(t, err)
	lt := c.core.retry.HTTPClient.Transport.(*loggingTransport)
	tr := lt.base.(*http.Transport)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64)
	assert.EqualValues(t, 0x0303, tr.TLSClientConfig.MinVersion, "TLS 1.2 at least")
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
	assert.Equal(t, DefaultTimeout, tr.ResponseHeaderTimeout, "the attempt timeout, cheaply, on the SDK's own transport")
	assert.Zero(t, c.core.retry.HTTPClient.Timeout)
	assert.Equal(t, DefaultTimeout, lt.bodyTimeout)
	assert.Nil(t, c.core.retry.Logger, "retryablehttp's own logger is off")
}

func TestRedirectPolicy(t *testing.T) {
	base := mustURL(t, "https://cbs.example.com")
	hc, err := buildHTTPClient(defaultConfig(), base)
	require.NoError(t, err)
	cases := []struct {
		name string
		to   string
		want string // "" = allowed
	}{
		{"on the same host is allowed", "https://cbs.example.com/other", ""},
		{"to another host is refused", "https://evil.example.net/x", "another host"},
		{"from https to http is refused", "http://cbs.example.com/x", "https to http"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			via := []*http.Request{{URL: base}}
			err := hc.CheckRedirect(&http.Request{URL: mustURL(t, tc.to)}, via)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestARedirectToAnotherHostNeverReachesIt(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the other host must never be reached")
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c, err := NewAhsayClient(srv.URL, "system", "pw", WithAllowHTTP(), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another host")
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestARedirectOnTheSameHostIsFollowed(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/obs/api/json/2/ListUsers.do", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Status":"OK","User":[{"LoginName":"a"}]}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewAhsayClient(srv.URL, "system", "pw", WithAllowHTTP())
	require.NoError(t, err)
	users, err := c.ListUsers(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, users, 1)
}

func TestWithUserAgent(t *testing.T) {
	c, mt := newMockAhsay(t, WithUserAgent("my-tool/2"))
	var got capture
	mt.RegisterResponder("POST", listPath, got.responder(t, okUsers))
	_, err := c.ListUsers(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "my-tool/2", got.reqs[0].Header.Get("User-Agent"))
}

func TestAnUntrustedCertificateIsNotRetriedAndSaysWhy(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c, err := NewAhsayClient(srv.URL, "system", "pw")
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background(), nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts)
	assert.Contains(t, e.Error(), "WithRootCAs")
}

func TestWithRootCAsTrustsThePrivateCA(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Status":"OK"}`))
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c, err := NewAhsayClient(srv.URL, "system", "pw", WithRootCAs(pool))
	require.NoError(t, err)
	require.NoError(t, c.RemoveUser(context.Background(), obm))
}
