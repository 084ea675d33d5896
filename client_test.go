package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
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
	_, err = NewAhsayClient(testBase, "system", "pw", WithCheckSession())
	assert.ErrorContains(t, err, "WithCheckSession is an XClarity option: it means nothing to NewAhsayClient")
	_, err = NewXClarityClient(xcBase, "ADMIN", "pw", WithBasicAuth())
	assert.NoError(t, err)
	_, err = NewXClarityClient(xcBase, "ADMIN", "pw", WithCheckSession())
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

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestWithUserAgent(t *testing.T) {
	c, mt := newMockAhsay(t, WithUserAgent("my-tool/2"))
	var got capture
	mt.RegisterResponder("POST", listPath, got.responder(t, okUsers))
	_, err := c.ListUsers(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "my-tool/2", got.reqs[0].Header.Get("User-Agent"))
}
