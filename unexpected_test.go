package backupapi

import (
	"context"
	"net/http"
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
