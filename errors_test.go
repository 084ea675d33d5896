package backupapi

import (
	"context"
	"errors"
	"fmt"
	"github.com/jarcoal/httpmock"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorTableRows checks every row of the mapping table once, through
// the classifier that uses it.
func TestErrorTableRows(t *testing.T) {
	for i, m := range errorTable {
		name := fmt.Sprintf("row %d: %s %q status %d event %d -> %v", i, m.source, m.text, m.status, m.event, m.sentinel)
		t.Run(name, func(t *testing.T) {
			switch {
			case m.text != "":
				msg := "[Origin.Something] prefix " + m.text + " suffix"
				assert.Equal(t, m.sentinel, classifyText(m.source, msg))
			case m.status != 0:
				assert.Equal(t, m.sentinel, classifyStatus(m.status))
			case m.event != 0:
				assert.Equal(t, m.sentinel, classifyEvent(m.event))
			default:
				t.Fatalf("row %d has no key", i)
			}
		})
	}
}

func TestAhsayMessagesAreClassifiedByMessageNotExptType(t *testing.T) {
	cases := []struct {
		msg, expt string
		want      error
	}{
		{"[UserCacheManager.NoSuchUserExpt] User ‘x’ not found.", "com.ahsay.obs.core.dbs.ai", ErrNotFound},
		{"[UserCacheManager.NoSuchUserExpt] User ‘x’ not found.", "com.ahsay.obs.core.dbs.zz", ErrNotFound},
		{"Your password has expired and must be changed. Please update in web console or by UpdateSysUser API", "x", ErrAuthentication},
		{"[Error] Parameter Enabled is null / empty!", "", ErrInvalidRequest},
		{"Contact already exists <a@b>", "", ErrAlreadyExists},
		{"Something nobody has seen", "com.ahsay.obs.core.dbs.ai", nil},
	}
	for _, tc := range cases {
		t.Run(tc.msg+" with "+tc.expt, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/RemoveUser.do",
				jsonResponder(200, fmt.Sprintf(`{"Status":"Error","Message":%q,"ExptType":%q}`, tc.msg, tc.expt)))
			err := c.RemoveUser(context.Background(), obm)
			var e *Error
			require.ErrorAs(t, err, &e)
			if tc.want == nil {
				assert.Empty(t, e.Kinds())
				return
			}
			assert.Equal(t, []error{tc.want}, e.Kinds())
		})
	}
}

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

func TestANilRequestIsAClearInvalidRequest(t *testing.T) {
	c, mt := newMockAhsay(t)
	xc, _ := newMockXC(t)
	cases := []struct {
		name, want string
		call       func(context.Context) error
	}{
		{"AddUser", "ahsay AddUser: nil request", func(ctx context.Context) error { return c.AddUser(ctx, nil) }},
		{"UpdateUser", "ahsay UpdateUser: nil request", func(ctx context.Context) error { return c.UpdateUser(ctx, nil) }},
		{"Ahsay Do", "ahsay X: nil request", func(ctx context.Context) error { return c.Do(ctx, "X", (*AddUserRequest)(nil), nil) }},
		{"XClarity Do", "xclarity Do: nil request", func(ctx context.Context) error {
			return xc.Do(ctx, "PUT", "/x", (*struct{ A int })(nil), nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(context.Background())
			assert.EqualError(t, err, tc.want)
			assert.ErrorIs(t, err, ErrInvalidRequest)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
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
