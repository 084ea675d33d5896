package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
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
		name            string
		method, method2 string // the request's method, and the redirected request's
		status          int
		to              string
		want            string // "" = followed
	}{
		{"a GET on the same host is followed", "GET", "GET", 302, "https://cbs.example.com/other", ""},
		{"a 307 of a POST on the same host is followed", "POST", "POST", 307, "https://cbs.example.com/other", ""},
		{"a 308 of a PUT on the same host is followed", "PUT", "PUT", 308, "https://cbs.example.com/other", ""},
		{"a 301 of a POST is refused", "POST", "GET", 301, "https://cbs.example.com/other", "without the request's body"},
		{"a 302 of a PUT is refused", "PUT", "GET", 302, "https://cbs.example.com/other", "without the request's body"},
		{"a 303 of a DELETE is refused", "DELETE", "GET", 303, "https://cbs.example.com/other", "without the request's body"},
		{"to another host is refused", "GET", "GET", 302, "https://evil.example.net/x", "another host"},
		{"a 307 of a POST to another host is refused", "POST", "POST", 307, "https://evil.example.net/x", "another host"},
		{"from https to http is refused", "GET", "GET", 302, "http://cbs.example.com/x", "https to http"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			via := []*http.Request{{Method: tc.method, URL: base}}
			next := &http.Request{Method: tc.method2, URL: mustURL(t, tc.to), Response: &http.Response{StatusCode: tc.status}}
			err := hc.CheckRedirect(next, via)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), strconv.Itoa(tc.status), "names the redirect's status")
		})
	}
}

func TestARedirectToAnotherHostNeverReachesIt(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the other host must never be reached")
	}))
	defer other.Close()
	c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}), WithRetry(0, 0, 0))
	_, err := c.ListUsers(context.Background(), nil)
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
	c := newLoopbackAhsay(t, mux)
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

// TestARedirectOfAStateChangeIsNeverASuccess: a 301, 302 or 303 would
// turn the change into a GET; the call fails, and the server sees no GET.
func TestARedirectOfAStateChangeIsNeverASuccess(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		t.Run("xclarity CreateBackup answered "+strconv.Itoa(status), func(t *testing.T) {
			var methods []string
			c := newLoopbackXClarity(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				methods = append(methods, r.Method+" "+r.URL.Path)
				if r.Method == http.MethodGet {
					_, _ = w.Write([]byte(`{"backups":[]}`))
					return
				}
				http.Redirect(w, r, "/managementServer/data", status)
			}), WithBasicAuth(), WithRetry(2, 0, 0))
			res, err := c.CreateBackup(context.Background(), &CreateBackupRequest{Passphrase: "Pass-Phrase-9"})
			assert.Nil(t, res)
			assert.ErrorIs(t, err, ErrOutcomeUnknown, "the server may have acted before redirecting")
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			assert.Contains(t, err.Error(), strconv.Itoa(status))
			assert.Equal(t, []string{"POST /managementServer/data"}, methods, "no GET, and the change is not repeated")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, status, e.HTTPStatus)
		})
		t.Run("ahsay AddUser answered "+strconv.Itoa(status), func(t *testing.T) {
			calls := 0
			c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if r.Method == http.MethodGet {
					_, _ = w.Write([]byte(`{"Status":"OK"}`))
					return
				}
				http.Redirect(w, r, "/elsewhere", status)
			}), WithRetry(2, 0, 0))
			err := c.AddUser(context.Background(), &AddUserRequest{UserRef: UserRef{LoginName: "new"}, Password: "Pa55-word"})
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, 1, calls)
		})
	}
	t.Run("a redirect the caller's CheckRedirect leaves unfollowed is an error too", func(t *testing.T) {
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		c := newLoopbackXClarity(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/moved", http.StatusFound)
		}), WithBasicAuth(), WithHTTPClient(hc))
		_, err := c.DeleteBackup(context.Background(), &DeleteBackupRequest{UUID: "u-1", Location: LocationInternal})
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		_, err = c.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrUnexpectedResponse, "a read gets no success from a redirect either")
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	})
}

func TestA307OfAStateChangeIsFollowedWithItsMethodAndBody(t *testing.T) {
	var got []string
	mux := http.NewServeMux()
	mux.HandleFunc("/managementServer/data", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, r.Method+" "+string(b))
		_, _ = w.Write([]byte(`{"result":"success","jobId":"17"}`))
	})
	c := newLoopbackXClarity(t, mux, WithBasicAuth())
	res, err := c.CreateBackup(context.Background(), &CreateBackupRequest{Passphrase: "Pass-Phrase-9"})
	require.NoError(t, err)
	assert.Equal(t, "17", res.JobID)
	require.Len(t, got, 1)
	assert.True(t, strings.HasPrefix(got[0], "POST {"), "the same method and body: %s", got[0])
	assert.Contains(t, got[0], "Pass-Phrase-9")
}

func TestNoErrorShowsURLUserInfo(t *testing.T) {
	for _, raw := range []string{
		"https://admin:Tr0ub%dor@cbs.example.com",
		"https://admin:Tr0ub4dor@cbs.example.com/",
		"https://admin@cbs.example.com",
		"admin:Tr0ub%dor@cbs.example.com",
		"https//admin:Tr0ub%dor@cbs.example.com",
		"http://admin:Tr0ub%dor@cbs.example.com",
	} {
		t.Run("the constructor given "+raw, func(t *testing.T) {
			_, err := NewAhsayClient(raw, "system", "pw-1234")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "admin")
			assert.NotContains(t, err.Error(), "Tr0ub")
			assert.NotContains(t, err.Error(), "%do")
			_, err = NewXClarityClient(raw, "system", "pw-1234")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "Tr0ub")
		})
	}
	t.Run("a URL without a scheme gets a hint", func(t *testing.T) {
		_, err := NewAhsayClient("cbs.example.com:443", "system", "pw-1234")
		assert.ErrorContains(t, err, `did you mean "https://cbs.example.com:443"`)
	})
	t.Run("a refused redirect to a URL with user info", func(t *testing.T) {
		var logs strings.Builder
		c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "http://admin:Tr0ub4dor@evil.example.net/x?token=t0k3n-xyz")
			w.WriteHeader(http.StatusFound)
		}), WithRetry(0, 0, 0),
			WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		_, err := c.ListUsers(context.Background(), nil)
		require.Error(t, err)
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), logs.String()} {
			assert.NotContains(t, text, "admin")
			assert.NotContains(t, text, "Tr0ub4dor")
			assert.NotContains(t, text, "t0k3n-xyz")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			assert.NotContains(t, ue.URL, "Tr0ub4dor")
		}
	})
}
