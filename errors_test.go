package backupapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorStrings(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{Source: SourceAhsay, Op: "AddUser", Message: "contact already exists <x>", ExptType: "com.ahsay.X"},
			"ahsay AddUser: contact already exists <x> (ExptType com.ahsay.X)"},
		{&Error{Source: SourceXClarity, Op: "CopyBackup", HTTPStatus: 403, Messages: []Message{{ID: "FQXHMSE0001I", Text: "denied"}}},
			"xclarity CopyBackup: 403 Forbidden: denied (FQXHMSE0001I)"},
		{&Error{Source: SourceConnectedBackup, EventID: 1009, Message: "Permission denied"},
			"connected backup 1009: Permission denied"},
		{&Error{Source: SourceAhsay, Op: "UpdateUser"}, "ahsay UpdateUser: the server reported an error without a message"},
		{&Error{Source: SourceAhsay, Op: "ListUsers", Message: "busy", HTTPStatus: 503, Attempts: 4},
			"ahsay ListUsers: busy [HTTP 503] (after 4 attempts)"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) { assert.Equal(t, tc.want, tc.err.Error()) })
	}
}

func TestErrorUnwrapsItsCause(t *testing.T) {
	e := &Error{Source: SourceAhsay, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, e, context.DeadlineExceeded)
	wrapped := fmt.Errorf("outer: %w", e)
	var got *Error
	require.True(t, errors.As(wrapped, &got))
	assert.Same(t, e, got)
}

// assertSaysEachThingOnce fails when a part of an error's text (the
// pieces between ": ") appears twice.
func assertSaysEachThingOnce(t *testing.T, text string) {
	t.Helper()
	seen := map[string]bool{}
	for _, part := range strings.Split(text, ": ") {
		part = strings.TrimSpace(part)
		if len(part) < 6 {
			continue
		}
		assert.False(t, seen[part], "%q is said twice in: %s", part, text)
		seen[part] = true
	}
}

func TestNoErrorTextRepeatsItself(t *testing.T) {
	cases := []struct {
		name      string
		responder httpmock.Responder
		call      func(context.Context, *AhsayClient) error
	}{
		{"truncated JSON", jsonResponder(200, `{"Status":"OK","Data":{"Login`), getUserCall},
		{"invalid JSON", jsonResponder(200, `{"Status":"OK","Data":{"LoginName":x}}`), getUserCall},
		{"a field of the wrong type", jsonResponder(200, `{"Status":"OK","User":"text"}`), func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListUsers(ctx, nil)
			return err
		}},
		{"an HTML page", htmlResponder(502), getUserCall},
		{"a connection reset", reset, getUserCall},
		{"an error answer", jsonResponder(200, `{"Status":"Error","Message":"[X] boom","ExptType":"e"}`), getUserCall},
		{"Do decoding into the wrong type", jsonResponder(200, `{"Status":"OK","A":"text"}`), func(ctx context.Context, c *AhsayClient) error {
			var out struct{ A int }
			return c.Do(ctx, "X", nil, &out)
		}},
		{"a request that cannot be encoded", okStatus, func(ctx context.Context, c *AhsayClient) error {
			return c.Do(ctx, "X", map[string]any{"C": make(chan int)}, nil)
		}},
		{"a request that is not an object", okStatus, func(ctx context.Context, c *AhsayClient) error {
			return c.Do(ctx, "X", []int{1}, nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(0, 0, 0))
			mt.RegisterNoResponder(tc.responder)
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			assertSaysEachThingOnce(t, err.Error())
		})
	}
}

func getUserCall(ctx context.Context, c *AhsayClient) error {
	_, err := c.GetUser(ctx, obm)
	return err
}

// TestAPasswordHoldingTheSystemPasswordIsMaskedWhole: the server quotes
// the request back; the user's password contains the system password, and
// neither leaves a rest behind.
func TestAPasswordHoldingTheSystemPasswordIsMaskedWhole(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		return jsonResponder(200, fmt.Sprintf(`{"Status":"Error","Message":%q}`, "refused: "+string(b)))(r)
	})
	c, err := NewAhsayClient(testBase, testSysUser, "system1", WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	err = c.AddUser(context.Background(), &AddUserRequest{UserRef: UserRef{LoginName: "u"}, Password: "system1-Summer2026"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "Summer2026")
	assert.NotContains(t, err.Error(), "system1")
}
