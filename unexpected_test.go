package backupapi

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadAnswersAreTypedErrors(t *testing.T) {
	html := func(status int) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(status, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>")
			r.Header.Set("Content-Type", "text/html")
			return r, nil
		}
	}
	cases := []struct {
		name      string
		responder httpmock.Responder
		opts      []Option
		kinds     []error
		contains  []string
	}{
		{"an HTML page from a proxy", html(200), nil, []error{ErrUnexpectedResponse},
			[]string{"HTTP 200", `"text/html"`, "502 Bad Gateway", "HTML page"}},
		{"an HTML error page keeps its status sentinel", html(403), []Option{WithRetry(0, 0, 0)},
			[]error{ErrUnexpectedResponse, ErrPermissionDenied}, []string{"HTTP 403"}},
		{"truncated JSON", jsonResponder(200, `{"Status":"OK","User":[{"LoginName":"a"`), nil,
			[]error{ErrUnexpectedResponse}, []string{"truncated"}},
		{"an empty body", jsonResponder(200, ``), nil, []error{ErrUnexpectedResponse}, []string{"truncated or empty"}},
		{"JSON without Status", jsonResponder(200, `{"User":[]}`), nil, []error{ErrUnexpectedResponse}, []string{"no Status"}},
		{"a field of the wrong type", jsonResponder(200, `{"Status":"OK","User":[{"LoginName":{"x":1}}]}`), nil,
			[]error{ErrUnexpectedResponse}, []string{"LoginName"}},
		{"an oversized body", jsonResponder(200, `{"Status":"OK","User":[`+strings.Repeat(`{"LoginName":"a"},`, 200)+`{}]}`),
			[]Option{WithMaxResponseBytes(1024)}, []error{ErrUnexpectedResponse}, []string{"1024-byte limit"}},
		{"a JSON array instead of an object", jsonResponder(200, `[1,2]`), nil, []error{ErrUnexpectedResponse}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t, tc.opts...)
			mt.RegisterResponder("POST", listPath, tc.responder)
			_, err := c.ListUsers(context.Background(), nil)
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read's outcome is never unknown")
			for _, s := range tc.contains {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestAStateChangeWithAnUnreadableSuccessIsOutcomeUnknown(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", addPath, jsonResponder(200, `{"Status":"O`))
	err := c.AddUser(context.Background(), &AddUserRequest{UserRef: UserRef{LoginName: "x"}})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

// goName finds a Go type name of this package in a text: users never see
// the SDK's own identifiers.
var goName = regexp.MustCompile(`backupapi\.[A-Za-z]|Go (struct field|value of type)|unmarshal`)

// TestErrorTextsSayWhatHappenedInTheUsersTerms: answers that are not what
// was expected are described as they arrived, without Go names, and a
// text body is never read as the number it starts with.
func TestErrorTextsSayWhatHappenedInTheUsersTerms(t *testing.T) {
	text := func(status int, body string) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(status, body)
			r.Header.Set("Content-Type", "text/plain; charset=utf-8")
			return r, nil
		}
	}
	cases := []struct {
		name      string
		responder httpmock.Responder
		want      []string
		wantNot   []string
	}{
		{"a text 404 page", text(404, "404 page not found\n"),
			[]string{"the answer is not JSON", "HTTP 404", "no such endpoint"}, []string{"number", `field ""`}},
		{"a text 200 that starts with a number", text(200, "42 is the answer\n"),
			[]string{"the answer is not JSON"}, []string{"number"}},
		{"a string where a list belongs", jsonResponder(200, `{"Status":"OK","User":"text"}`),
			[]string{`field "User" holds a string where an array was expected`}, nil},
		{"an object where a string belongs", jsonResponder(200, `{"Status":"OK","User":[{"LoginName":{"x":1}}]}`),
			[]string{`field "User.LoginName" holds an object where a string was expected`}, nil},
		{"a number instead of the answer", jsonResponder(200, `404`),
			[]string{"the answer is not JSON"}, []string{"number"}},
	}
	for _, tc := range cases {
		t.Run("ahsay: "+tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", listPath, tc.responder)
			_, err := c.ListUsers(context.Background(), nil)
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			for _, s := range tc.want {
				assert.Contains(t, err.Error(), s)
			}
			for _, s := range tc.wantNot {
				assert.NotContains(t, err.Error(), s)
			}
			assert.NotRegexp(t, goName, err.Error())
		})
	}
	xcCases := []struct {
		name      string
		responder httpmock.Responder
		want      string
	}{
		{"a text 404 page", text(404, "404 page not found\n"), "xclarity ListBackups: 404 Not Found: "},
		{"a list of the wrong type", jsonResponder(200, `{"backups":"none"}`),
			`xclarity ListBackups: field "backups" holds a string where an array was expected`},
		{"a text 200", text(200, "OK\n"), "xclarity ListBackups: the answer"},
	}
	for _, tc := range xcCases {
		t.Run("xclarity: "+tc.name, func(t *testing.T) {
			c, m := newMockXC(t)
			m.handle("GET", "/managementServer/data", tc.responder)
			_, err := c.ListBackups(context.Background())
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "%q starts with %q", err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "200 OK:", "a client-side message does not lead with a success status")
			assert.NotRegexp(t, goName, err.Error())
		})
	}
}

// TestPlainHTTPToATLSPortSaysUseHTTPS: the server's 400 for a plain
// request on its TLS port is no invalid request of the caller's.
func TestPlainHTTPToATLSPortSaysUseHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("no request is served")
	}))
	defer srv.Close()
	plain := strings.Replace(srv.URL, "https://", "http://", 1)
	a, err := NewAhsayClient(plain, testSysUser, testSysPwd, WithAllowHTTP())
	require.NoError(t, err)
	x, err := NewXClarityClient(plain, xcUser, xcPassword, WithAllowHTTP(), WithBasicAuth())
	require.NoError(t, err)
	errs := map[string]error{"ahsay": a.AuthSystemUser(context.Background())}
	_, errs["xclarity"] = x.ListBackups(context.Background())
	for product, err := range errs {
		t.Run(product, func(t *testing.T) {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the server speaks TLS on this port: use https://")
			assert.NotErrorIs(t, err, ErrInvalidRequest)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		})
	}
}

// TestDecodedMemoryIsBounded: many tiny records in an answer within the
// byte limit would decode to far more memory (each {} a whole User); the
// decoder refuses them, and a real answer of the same size passes.
func TestDecodedMemoryIsBounded(t *testing.T) {
	const limit = 1 << 20
	t.Run("many tiny records are refused", func(t *testing.T) {
		c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
		body := `{"Status":"OK","User":[` + strings.Repeat(`{},`, limit/3-20) + `{}]}`
		require.Less(t, len(body), limit)
		mt.RegisterResponder("POST", listPath, jsonResponder(200, body))
		users, err := c.ListUsers(context.Background(), nil)
		assert.Nil(t, users)
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Contains(t, err.Error(), "records, more than the client decodes")
		assert.Equal(t, 1, mt.GetTotalCallCount(), "not repeated: it would arrive the same")
	})
	t.Run("the same through XClarity", func(t *testing.T) {
		c, m := newMockXC(t, WithMaxResponseBytes(limit))
		m.handle("GET", "/managementServer/data", jsonResponder(200, `{"backups":[`+strings.Repeat(`{},`, limit/3-20)+`{}]}`))
		_, err := c.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Contains(t, err.Error(), "records, more than the client decodes")
	})
	t.Run("a real answer as large passes", func(t *testing.T) {
		c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
		var one map[string]any
		require.NoError(t, json.Unmarshal(fixture(t, "ahsay/ListUsers_1.fixed-escapes-comma-quote.json"), &one))
		record, err := json.Marshal(one["User"].([]any)[0])
		require.NoError(t, err)
		n := (limit - 100) / (len(record) + 1)
		body := `{"Status":"OK","User":[` + strings.Repeat(string(record)+",", n-1) + string(record) + `]}`
		mt.RegisterResponder("POST", listPath, jsonResponder(200, body))
		users, err := c.ListUsers(context.Background(), nil)
		require.NoError(t, err)
		assert.Len(t, users, n)
	})
}

// TestPlainHTTPToAServerThatAnswersWithATLSAlert: some TLS servers answer
// a plain request with an alert record, which net/http reports as a
// malformed response.
//
// Like a TLS server, which answers what it read as a ClientHello, the fake
// answers once it has the whole request. Answering at accept would race
// the client's write: bytes that arrive before net/http counts the request
// as under way are an "unsolicited response on an idle channel", and the
// request might or might not have left (flaky, ~2 % of runs).
func TestPlainHTTPToAServerThatAnswersWithATLSAlert(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			// A TLS server reads first (it waits for a ClientHello), then
			// answers the plain request's bytes with an alert. Written before
			// the request, the alert would reach an idle connection. The
			// whole request is read, not one Read's worth: bytes left unread
			// would make the close a reset, which the client may see first.
			if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
				_, _ = io.Copy(io.Discard, req.Body)
			}
			_, _ = conn.Write([]byte("\x15\x03\x01\x00\x02\x02\x46")) // alert: protocol version
			_ = conn.Close()
		}
	}()
	defer func() { _ = l.Close(); <-done }()
	c, err := NewAhsayClient("http://"+l.Addr().String(), testSysUser, testSysPwd, WithAllowHTTP(), WithRetry(2, 0, 0))
	require.NoError(t, err)
	for name, call := range map[string]func() error{
		"a read":         func() error { return c.AuthSystemUser(context.Background()) },
		"a state change": func() error { return c.RemoveUser(context.Background(), obm) },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the server speaks TLS on this port: use https://")
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a TLS port cannot have acted on plain HTTP")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 1, e.Attempts, "not retried: it would fail the same")
		})
	}
}

func TestDoSaysATypeMismatchInTheAnswersTerms(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/X.do", jsonResponder(200, `{"Status":"OK","A":"text"}`))
	var out struct{ A int }
	err := c.Do(context.Background(), "X", nil, &out)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), `field "A" holds a string where a number was expected`)
	assert.NotContains(t, err.Error(), "Go struct field")
}
