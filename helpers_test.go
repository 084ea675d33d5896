package backupapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const (
	testBase    = "https://cbs.example.com"
	testSysUser = "system"
	testSysPwd  = "s3cret-Sys-Pwd"
)

// newMockAhsay returns a client whose HTTP goes to a fresh httpmock
// transport; unexpected calls fail the test.
func newMockAhsay(t *testing.T, opts ...Option) (*AhsayClient, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, opts...)
	require.NoError(t, err)
	return c, mt
}

// newLoopbackAhsay serves h over plain HTTP on loopback until the test
// ends, and returns an AhsayClient of it with the test's system
// credentials, WithAllowHTTP and then opts.
func newLoopbackAhsay(t *testing.T, h http.Handler, opts ...Option) *AhsayClient {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewAhsayClient(srv.URL, testSysUser, testSysPwd, append([]Option{WithAllowHTTP()}, opts...)...)
	require.NoError(t, err)
	return c
}

// newLoopbackXClarity serves h over plain HTTP on loopback until the test
// ends, and returns an XClarityClient of it with the test's credentials,
// WithAllowHTTP and then opts.
func newLoopbackXClarity(t *testing.T, h http.Handler, opts ...Option) *XClarityClient {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewXClarityClient(srv.URL, xcUser, xcPassword, append([]Option{WithAllowHTTP()}, opts...)...)
	require.NoError(t, err)
	return c
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// fixtureResponder answers with the named fixture as application/json.
func fixtureResponder(t *testing.T, name string) httpmock.Responder {
	body := fixture(t, name)
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(http.StatusOK, body)
		resp.Header.Set("Content-Type", "application/json;charset=UTF-8")
		return resp, nil
	}
}

// jsonResponder answers with body as application/json and the given status.
func jsonResponder(status int, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// capture records the bodies sent to a path and answers with answer.
type capture struct {
	bodies []map[string]any
	reqs   []*http.Request
}

func (c *capture) responder(t *testing.T, answer httpmock.Responder) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m), "request body is JSON: %s", b)
		c.bodies = append(c.bodies, m)
		c.reqs = append(c.reqs, r)
		return answer(r)
	}
}

func jsonValid(b []byte) bool { return json.Valid(b) }
