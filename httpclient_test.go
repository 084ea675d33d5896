package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoCodeTurnsOffCertificateVerification greps the module's non-test Go
// files: nothing may set InsecureSkipVerify.
func TestNoCodeTurnsOffCertificateVerification(t *testing.T) {
	var offenders []string
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if strings.Contains(string(b), "InsecureSkipVerify") {
			offenders = append(offenders, path)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 20, "the walk found the module's files")
	assert.Empty(t, offenders)
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
